package transcript

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// deadline bounds how long a test waits for something that must happen promptly; reaching it means the code under
// test is stuck, not slow.
const deadline = 30 * time.Second

func line(source string, n int) Line {
	return Line{At: at(n), Source: source, Kind: Output, Text: strconv.Itoa(n)}
}

func receiveAll(t *testing.T, s *Sink, want int) []Line {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	var got []Line
	for len(got) < want {
		lines, dropped, ok := s.Receive(ctx, 1000)
		if !ok {
			t.Fatalf("Receive stopped after %d of %d lines", len(got), want)
		}
		if dropped != 0 {
			t.Fatalf("%d lines dropped although keep was large enough", dropped)
		}
		got = append(got, lines...)
	}
	return got
}

func TestSinkManyProducersKeepTheirOrder(t *testing.T) {
	const producers, perProducer = 8, 3000
	f := openTemp(t)
	s := NewSink(f, producers*perProducer)
	defer s.Close()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			src := fmt.Sprintf("p%d", p)
			for i := 0; i < perProducer; {
				// Mix single lines and small batches, as probes and step runners do.
				n := 1 + i%3
				batch := make([]Line, 0, n)
				for j := 0; j < n && i < perProducer; j++ {
					batch = append(batch, line(src, i))
					i++
				}
				s.Write(batch...)
			}
		})
	}
	got := receiveAll(t, s, producers*perProducer)
	wg.Wait()

	next := map[string]int{}
	for _, l := range got {
		n, _ := strconv.Atoi(l.Text)
		if n != next[l.Source] {
			t.Fatalf("%s: got line %d, want %d (order within a producer lost)", l.Source, n, next[l.Source])
		}
		next[l.Source]++
	}
	for p := range producers {
		if n := next[fmt.Sprintf("p%d", p)]; n != perProducer {
			t.Fatalf("p%d: %d lines received, want %d", p, n, perProducer)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}

	// The file holds every line, in the same order the pane received them.
	recs := strings.Split(strings.TrimSuffix(readFile(t, f.Path()), "\n"), "\n")
	if len(recs) != len(got) {
		t.Fatalf("file holds %d records, pane received %d lines", len(recs), len(got))
	}
	for i, rec := range recs {
		fields := strings.Fields(rec)
		if fields[1] != got[i].Source || fields[5] != got[i].Text {
			t.Fatalf("record %d is %q, pane line is %s %s", i, rec, got[i].Source, got[i].Text)
		}
	}
}

func TestSinkDropsOldestForASlowUI(t *testing.T) {
	s := NewSink(nil, 10)
	defer s.Close()
	for i := range 25 {
		s.Write(line("SQLBACKUP", i))
	}
	lines, dropped, ok := s.Receive(context.Background(), 0)
	if !ok || dropped != 15 || len(lines) != 10 {
		t.Fatalf("Receive = %d lines, %d dropped, ok %v; want 10, 15, true", len(lines), dropped, ok)
	}
	if lines[0].Text != "15" || lines[9].Text != "24" {
		t.Fatalf("kept lines %s..%s, want the newest 15..24", lines[0].Text, lines[9].Text)
	}
	// The count is reset by each Receive.
	s.Write(line("SQLBACKUP", 25))
	if _, dropped, _ := s.Receive(context.Background(), 0); dropped != 0 {
		t.Fatalf("dropped %d on the next Receive, want 0", dropped)
	}
	// A single batch larger than keep.
	batch := make([]Line, 23)
	for i := range batch {
		batch[i] = line("SQLBACKUP", 100+i)
	}
	s.Write(batch...)
	lines, dropped, _ = s.Receive(context.Background(), 4)
	if dropped != 13 || len(lines) != 4 || lines[0].Text != "113" {
		t.Fatalf("after a 23-line batch: %d lines from %s, %d dropped; want 4 from 113, 13 dropped",
			len(lines), lines[0].Text, dropped)
	}
	lines, dropped, _ = s.Receive(context.Background(), 0)
	if dropped != 0 || len(lines) != 6 || lines[5].Text != "122" {
		t.Fatalf("rest of the batch: %d lines, %d dropped", len(lines), dropped)
	}
}

func TestSinkWriteNeverBlocksWithoutAReceiver(t *testing.T) {
	f := openTemp(t)
	s := NewSink(f, 100)
	defer s.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for p := range 4 {
			wg.Go(func() {
				for i := range 5000 {
					s.Write(line(fmt.Sprint("p", p), i))
				}
			})
		}
		wg.Wait()
	}()
	select {
	case <-done:
	case <-time.After(deadline):
		t.Fatal("producers blocked with nobody receiving")
	}
	lines, dropped, ok := s.Receive(context.Background(), 0)
	if !ok || len(lines) != 100 || dropped != 20000-100 {
		t.Fatalf("Receive = %d lines, %d dropped; want 100, %d", len(lines), dropped, 20000-100)
	}
	if n := strings.Count(readFile(t, f.Path()), "\n"); n != 20000 {
		t.Fatalf("file holds %d records, want all 20000", n)
	}
}

func TestSinkReceiveLimit(t *testing.T) {
	s := NewSink(nil, 0)
	defer s.Close()
	for i := range 10 {
		s.Write(line("SQLBACKUP", i))
	}
	for _, want := range []int{4, 4, 2} {
		lines, _, ok := s.Receive(context.Background(), 4)
		if !ok || len(lines) != want {
			t.Fatalf("Receive(4) = %d lines, want %d", len(lines), want)
		}
	}
}

func TestSinkReceiveWaitsForALine(t *testing.T) {
	s := NewSink(nil, 0)
	defer s.Close()
	got := make(chan []Line)
	go func() {
		lines, _, _ := s.Receive(context.Background(), 0)
		got <- lines
	}()
	s.Write(line("SQLPRIMARY", 7))
	select {
	case lines := <-got:
		if len(lines) != 1 || lines[0].Text != "7" {
			t.Fatalf("Receive returned %v", lines)
		}
	case <-time.After(deadline):
		t.Fatal("Receive did not wake up for a written line")
	}
}

func TestSinkReceiveStopsOnContext(t *testing.T) {
	s := NewSink(nil, 0)
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan bool)
	go func() {
		_, _, ok := s.Receive(ctx, 0)
		res <- ok
	}()
	cancel()
	select {
	case ok := <-res:
		if ok {
			t.Fatal("Receive reported ok after its context was cancelled")
		}
	case <-time.After(deadline):
		t.Fatal("Receive ignored its context")
	}
	if _, _, ok := s.Receive(ctx, 0); ok {
		t.Fatal("Receive with a done context and nothing queued reported ok")
	}
}

func TestSinkClose(t *testing.T) {
	f := openTemp(t)
	s := NewSink(f, 0)
	res := make(chan bool)
	go func() {
		_, _, ok := s.Receive(nil, 0) //nolint:staticcheck // a nil context is documented to mean no deadline
		res <- ok
	}()
	s.Close()
	select {
	case ok := <-res:
		if ok {
			t.Fatal("blocked Receive reported ok after Close with nothing queued")
		}
	case <-time.After(deadline):
		t.Fatal("Close did not wake a blocked Receive")
	}

	s2 := NewSink(f, 0)
	s2.Write(line("SQLBACKUP", 1))
	s2.Close()
	s2.Close()
	s2.Write(line("SQLBACKUP", 2))
	lines, _, ok := s2.Receive(context.Background(), 0)
	if !ok || len(lines) != 1 || lines[0].Text != "1" {
		t.Fatalf("lines queued before Close: %v ok %v", lines, ok)
	}
	if _, _, ok := s2.Receive(context.Background(), 0); ok {
		t.Fatal("Receive after draining a closed sink reported ok")
	}
	if !strings.Contains(readFile(t, f.Path()), "  2\n") {
		t.Fatal("a line written after Close did not reach the file")
	}
}

func TestSinkKeepsFirstFileError(t *testing.T) {
	f := openTemp(t)
	s := NewSink(f, 0)
	defer s.Close()
	s.Write(line("SQLBACKUP", 1))
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	s.Write(line("SQLBACKUP", 2))
	first := s.Err()
	if first == nil {
		t.Fatal("file write error not reported")
	}
	s.Write(line("SQLBACKUP", 3))
	if s.Err() != first {
		t.Fatal("Err changed after the first error")
	}
	lines, _, _ := s.Receive(context.Background(), 0)
	if len(lines) != 3 {
		t.Fatalf("the pane got %d lines, want all 3 despite the file error", len(lines))
	}
}

func TestNilSink(t *testing.T) {
	var s *Sink
	s.Write(line("x", 1))
	s.Close()
	if _, _, ok := s.Receive(context.Background(), 0); ok {
		t.Fatal("nil Sink Receive reported ok")
	}
	if s.Err() != nil {
		t.Fatal("nil Sink Err")
	}
}
