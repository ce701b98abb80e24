package tds

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"pcfailback/probes"
	"pcfailback/sim"
)

// healthBatch is the console's refresh batch for the default estate.
func healthBatch() string {
	return probes.HealthBatch(probes.Names{ChatDB: "mgc", ComplianceDB: "mgccomp", Share: `\\fs01.contoso.local\pchatls`},
		[]string{`\\fs01.contoso.local\pchatls\mgc_failback_20240312_093000.bak`})
}

// refresh runs the health batch once on c and checks it answered.
func refresh(b *testing.B, ctx context.Context, c *sql.Conn, batch string) {
	o := query(ctx, c, batch, nil)
	if o.err != nil || len(o.errs) > 0 || len(o.sets) < 15 {
		b.Fatalf("health batch: %v %v, %d sets", o.err, o.errs, len(o.sets))
	}
}

// BenchmarkHealthBatchRoundTrip is one refresh of one instance over loopback through go-mssqldb.
func BenchmarkHealthBatchRoundTrip(b *testing.B) {
	f := start(b, options{})
	ctx := testCtx(b)
	c := f.conn(ctx, nil)
	batch := healthBatch()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		refresh(b, ctx, c, batch)
	}
}

// BenchmarkHealthBatchFourInstances is one refresh of the whole estate: the four instances queried
// concurrently, each through its own server, as the console's prober does.
func BenchmarkHealthBatchFourInstances(b *testing.B) {
	s := newSim(b, options{})
	ctx := testCtx(b)
	var conns []*sql.Conn
	for _, server := range []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"} {
		conns = append(conns, serve(b, s, options{server: server}).conn(ctx, nil))
	}
	batch := healthBatch()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for _, c := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				refresh(b, ctx, c, batch)
			}()
		}
		wg.Wait()
	}
}

// BenchmarkHealthBatchInProcess is the same refresh of one instance without the wire, for comparison.
func BenchmarkHealthBatchInProcess(b *testing.B) {
	s := newSim(b, options{})
	conn, err := s.SQL("SQLBACKUP", sim.Login{User: testUser})
	if err != nil {
		b.Fatal(err)
	}
	sess, err := conn.Connect(context.Background(), "master")
	if err != nil {
		b.Fatal(err)
	}
	defer sess.Close()
	batch := healthBatch()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := sess.Run(context.Background(), batch, nil); err != nil {
			b.Fatal(err)
		}
	}
}
