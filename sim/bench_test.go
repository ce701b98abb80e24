package sim

import (
	"context"
	"testing"
	"time"

	"pcfailback/remote"
)

// BenchmarkHealthBatch runs the console's health batch once per iteration against each instance of the start
// estate (the backup instance carries the longest msdb history).
func BenchmarkHealthBatch(b *testing.B) {
	for _, server := range []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"} {
		b.Run(server, func(b *testing.B) {
			s, _ := newTestSim(b, "")
			sess := connect(b, s, server, "master")
			ctx := context.Background()
			sink := func(remote.SQLEvent) {}
			b.ReportAllocs()
			for b.Loop() {
				if err := sess.Run(ctx, healthBatch, sink); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHealthRefresh is one refresh of the console: the health batch on all four instances.
func BenchmarkHealthRefresh(b *testing.B) {
	s, _ := newTestSim(b, "")
	var sessions []remote.SQLSession
	for _, server := range []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"} {
		sessions = append(sessions, connect(b, s, server, "master"))
	}
	ctx := context.Background()
	sink := func(remote.SQLEvent) {}
	b.ReportAllocs()
	for b.Loop() {
		for _, sess := range sessions {
			if err := sess.Run(ctx, healthBatch, sink); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAdvanceDay is one simulated day of the estate after the failback (log shipping, alert and policy
// jobs, Persistent Chat writes), as when a training clock runs unattended.
func BenchmarkAdvanceDay(b *testing.B) {
	s, clk := newTestSim(b, "")
	p := connect(b, s, "SQLPRIMARY", "master")
	mustRun(b, p, `BACKUP DATABASE mgc TO DISK = N'\\fs01.contoso.local\pchatls\p_full.bak' WITH INIT, FORMAT`)
	mustRun(b, p, f5cScript)
	b.ReportAllocs()
	for b.Loop() {
		clk.Advance(24 * time.Hour)
		s.lock()
		s.unlock()
	}
}
