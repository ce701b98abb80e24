package ui

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"pcfailback/steps"
	"pcfailback/transcript"
	"pcfailback/ui/internal/fixture"
	"pcfailback/ui/logpane"
)

// flood is n lines of what a BACKUP prints, one millisecond apart.
func flood(at time.Time, n int) []transcript.Line {
	lines := make([]transcript.Line, n)
	for i := range lines {
		lines[i] = transcript.Line{At: at.Add(time.Duration(i) * time.Millisecond), Source: "SQLBACKUP", Step: "F3",
			Kind: transcript.Progress, Number: 3211, Text: fmt.Sprintf("%d percent processed.", i%100)}
	}
	return lines
}

// BenchmarkView draws the whole console at 200x60 at the end of a failback (every panel full) with 10,000 lines
// in the log: "static" is a frame where nothing changed (Bubble Tea draws after every message, most of which
// change nothing on screen), "log-line" a frame after one more log line arrived, "probe" a frame after a probe
// (panels, checklist and verdict all recomputed).
func BenchmarkView(b *testing.B) {
	e := fixture.New(b, fixture.Options{Seed: 1})
	d := newDriver(b, e, "dark", 200, 60)
	d.through(steps.F6b)
	d.m.log.Append(flood(e.Clock.Now(), 10000), 0)
	if n := d.m.log.Len(); n < 10000 {
		b.Fatalf("log holds %d lines", n)
	}
	fixture.CheckBounds(b, d.m.View().Content, 200, 60)
	b.Run("static", func(b *testing.B) {
		for b.Loop() {
			_ = d.m.View()
		}
	})
	b.Run("log-line", func(b *testing.B) {
		more := flood(e.Clock.Now(), 1)
		for b.Loop() {
			d.m.log.Append(more, 0)
			_ = d.m.View()
		}
	})
	b.Run("probe", func(b *testing.B) {
		snap := d.m.snap
		for b.Loop() {
			snap.Seq++
			d.m.snap = snap
			d.m.recompute()
			_ = d.m.View()
		}
	})
}

// BenchmarkMillionLines feeds 1,000,000 log lines through the root model in the batches the log listener
// delivers, and reports the process's resident memory afterwards (VmRSS) and the live heap. The scrollback keeps
// 10,000 lines; everything else must be garbage.
func BenchmarkMillionLines(b *testing.B) {
	e := fixture.New(b, fixture.Options{Seed: 1})
	d := newDriver(b, e, "dark", 200, 60)
	batch := flood(e.Clock.Now(), logpane.MaxBatch)
	for b.Loop() {
		for sent := 0; sent < 1_000_000; sent += len(batch) {
			m, _ := d.m.Update(logpane.LinesMsg{Lines: batch})
			d.m = m.(Model)
		}
		_ = d.m.View()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	if rss, ok := vmRSS(); ok {
		b.ReportMetric(rss/(1<<10), "rss-MB")
	}
}

// vmRSS reads the resident set size in KiB from /proc (Linux only).
func vmRSS() (float64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			v, err := strconv.ParseFloat(f[1], 64)
			return v, err == nil
		}
	}
	return 0, false
}
