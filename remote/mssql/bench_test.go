package mssql

import (
	"context"
	"testing"

	"pcfailback/probes"
	"pcfailback/sim"
)

// BenchmarkHealthBatch is one probe of one instance through the runner over the wire: the whole health batch on a
// kept session, every result set drained and converted.
func BenchmarkHealthBatch(b *testing.B) {
	w := startWire(b, wireOptions{})
	s := connect(b, open(b, w.options()), "master")
	names := probes.Names{ChatDB: "mgc", ComplianceDB: "mgccomp", Share: `\\fs01.contoso.local\pchatls`}
	batch := probes.HealthBatch(names, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Run(ctx, batch, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCancelRunningBackup measures, per operation, the time from cancelling a running BACKUP to Run
// returning: the attention, the server's confirmation and the runner's bookkeeping.
func BenchmarkCancelRunningBackup(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		gate := newGatedClock(3)
		est, err := sim.New(sim.Options{Seed: 42, Clock: gate, ChatDBSizeMB: 1024})
		if err != nil {
			b.Fatal(err)
		}
		w, stop := newWire(b, est, wireOptions{server: "SQLBACKUP"})
		c, err := Open(w.options())
		if err != nil {
			b.Fatal(err)
		}
		s, err := c.Connect(context.Background(), "master")
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx, backupScript, nil) }()
		<-gate.held
		b.StartTimer()
		cancel()
		err = <-done
		b.StopTimer()
		if ctx.Err() == nil || err == nil {
			b.Fatalf("Run = %v", err)
		}
		_ = c.Close()
		stop()
		b.StartTimer()
	}
}
