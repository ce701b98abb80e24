package logpane

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"pcfailback/transcript"
)

// floodLines is a realistic mix of what a backup or restore prints, cycling through kinds and lengths.
func floodLines(n int) []transcript.Line {
	texts := []struct {
		kind transcript.Kind
		num  int32
		text string
	}{
		{transcript.Progress, 3211, "10 percent processed."},
		{transcript.Info, 4035, "Processed 51648 pages for database 'mgc', file 'mgc' on file 1."},
		{transcript.Info, 3014, "BACKUP DATABASE successfully processed 51650 pages in 3.588 seconds (112.461 MB/sec)."},
		{transcript.Output, 0, "Identity: service:atl-pchat-pool.contoso.local  PoolState: FailedOver  ActiveServers: {pchat01.contoso.local}"},
		{transcript.Error, 3201, "Cannot open backup device '\\\\fs01\\pchat\\mgc.bak'. Operating system error 5(Access is denied.)."},
		{transcript.Warning, 0, "WARNING: the server pchat-東京-01 did not answer; retrying in 5 seconds"},
	}
	lines := make([]transcript.Line, n)
	for i := range lines {
		x := texts[i%len(texts)]
		lines[i] = transcript.Line{At: t0.Add(time.Duration(i) * time.Millisecond), Source: "SQLBACKUP", Step: "F3",
			Kind: x.kind, Number: x.num, Text: x.text}
	}
	return lines
}

// BenchmarkIngest measures lines through the whole pipeline at flood rate: a producer writes one line per call
// (as SQL Server messages arrive) to the sink, which appends it to a log file on disk; the UI side receives
// batches as Listen does and appends them to the pane, and in the "view" variant also draws a 200x60 frame per
// batch, as Bubble Tea does after each message.
func BenchmarkIngest(b *testing.B) {
	for _, withView := range []bool{false, true} {
		name := "append"
		if withView {
			name = "append+view"
		}
		b.Run(name, func(b *testing.B) {
			f, err := transcript.OpenFile(filepath.Join(b.TempDir(), "failback.log"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			s := transcript.NewSink(f, transcript.DefaultKeep)
			defer s.Close()
			m := New(DefaultCapacity, styles(b, "dark"), cet)
			m.SetSize(200, 60)
			src := floodLines(1024)

			b.ResetTimer()
			start := time.Now()
			go func() {
				for i := 0; i < b.N; i++ {
					s.Write(src[i%len(src)])
				}
			}()
			seen, dropped, batches := 0, 0, 0
			for seen < b.N {
				lines, d, ok := s.Receive(context.Background(), MaxBatch)
				if !ok {
					b.Fatal("sink closed")
				}
				m.Append(lines, d)
				if withView {
					_ = m.View()
				}
				seen += len(lines) + d
				dropped += d
				batches++
			}
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "lines/s")
			b.ReportMetric(float64(dropped)/float64(b.N), "dropped/line")
			b.ReportMetric(float64(b.N)/float64(batches), "lines/batch")
			if err := s.Err(); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkView draws a 200x60 pane holding 10,000 lines.
func BenchmarkView(b *testing.B) {
	for _, mode := range []string{"cut", "wrap", "search", "paused-wrap"} {
		b.Run(mode, func(b *testing.B) {
			m := New(DefaultCapacity, styles(b, "dark"), cet)
			m.SetSize(200, 60)
			m.Append(floodLines(DefaultCapacity), 0)
			switch mode {
			case "wrap":
				m = press(m, "w")
			case "search":
				m = press(m, "/")
				m = typeText(m, "mgc")
				m = press(m, "enter", "G")
			case "paused-wrap":
				m = press(m, "w", "g", "pgdown", "pgdown")
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = m.View()
			}
		})
	}
}

// scrollbackHeap appends n lines in Listen-sized batches through a pane of capacity lines and returns the heap
// in use afterwards, with the pane still alive.
func scrollbackHeap(n, capacity int) (heapMB float64, m Model) {
	m = New(capacity, themeStylesNoColor(), cet)
	m.SetSize(200, 60)
	src := floodLines(MaxBatch)
	// Give every line its own text, as real output has, so the kept lines hold their own memory.
	for done := 0; done < n; done += len(src) {
		batch := make([]transcript.Line, len(src))
		for i := range batch {
			batch[i] = src[i]
			batch[i].Text = fmt.Sprintf("%s #%d", src[i].Text, done+i)
		}
		m.Append(batch, 0)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20), m
}

// BenchmarkScrollbackMemory appends 1,000,000 lines through a 10,000-line pane and reports the heap in use.
func BenchmarkScrollbackMemory(b *testing.B) {
	for i := 0; i < b.N; i++ {
		heap, m := scrollbackHeap(1_000_000, DefaultCapacity)
		b.ReportMetric(heap, "MB-heap")
		runtime.KeepAlive(m)
	}
}

func TestScrollbackMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("appends a million lines")
	}
	heap, m := scrollbackHeap(1_000_000, DefaultCapacity)
	if m.Len() != DefaultCapacity || m.Total() != 1_003_520 {
		t.Fatalf("Len %d Total %d", m.Len(), m.Total())
	}
	// The bound is generous on purpose: this catches a scrollback that keeps what fell off, not small growth.
	if heap > 100 {
		t.Fatalf("heap in use after a million lines: %.1f MB", heap)
	}
	t.Logf("heap in use after %d lines through a %d-line pane: %.1f MB", m.Total(), m.Len(), heap)
	runtime.KeepAlive(m)
}
