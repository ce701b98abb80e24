package tds

import (
	"fmt"
	"sync"
	"testing"

	"pcfailback/probes"
)

func TestConcurrentSessionsEachGetTheirOwnSPIDAndAnswers(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	batch := probes.HealthBatch(probes.Names{ChatDB: "mgc", ComplianceDB: "mgccomp", Share: `\\fs01.contoso.local\pchatls`}, nil)
	const clients, rounds = 8, 5
	db := f.open(nil)
	spids := make(chan int64, clients)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := db.Conn(ctx)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			for r := 0; r < rounds; r++ {
				o := query(ctx, c, batch, nil)
				if o.err != nil || len(o.errs) > 0 || len(o.sets) < 15 {
					errs <- fmt.Errorf("round %d: %v %v, %d sets", r, o.err, o.errs, len(o.sets))
					return
				}
			}
			var spid int64
			if err := c.QueryRowContext(ctx, "SELECT @@SPID;").Scan(&spid); err != nil {
				errs <- err
				return
			}
			spids <- spid
		}()
	}
	wg.Wait()
	close(errs)
	close(spids)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for s := range spids {
		if seen[s] {
			t.Fatalf("SPID %d served two clients", s)
		}
		seen[s] = true
	}
	if st := f.srv.Stats(); st.Logins != clients || st.Batches != clients*(rounds+1) {
		t.Fatalf("stats %+v", st)
	}
}

func TestCloseEndsRunningStatementsAndSessions(t *testing.T) {
	gate := newGatedClock(2)
	f := start(t, options{clock: gate})
	ctx := testCtx(t)
	c := f.conn(ctx, nil)
	done := make(chan outcome, 1)
	go func() { done <- query(ctx, c, backupScript, nil) }()
	await(t, ctx, gate.held, "the backup never paused")
	f.srv.Close()
	select {
	case o := <-done:
		if len(o.errs) != 2 || o.errs[0].Number != 6005 || o.errs[1].Class != 20 {
			t.Fatalf("a backup cut off by Close: %+v", o)
		}
	case <-ctx.Done():
		t.Fatal("the client hung after the server closed")
	}
	if s := f.sim.UserSessions(f.server); len(s) != 0 {
		t.Fatalf("sessions after Close: %+v", s)
	}
	if err := f.srv.Serve(nil); err != ErrServerClosed {
		t.Fatalf("Serve after Close: %v", err)
	}
}
