package control

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"pcfailback/clock"
	"pcfailback/remote"
	"pcfailback/sim"
)

// TestMain fails the package's tests if any goroutine outlives them.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// epoch is the simulated start of every test estate.
var epoch = time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)

// hangGuard bounds every test's wait for the simulator or the wire server.
const hangGuard = time.Minute

// backup is the backup instance of the default topology, where the lock lives.
const backup = "SQLBACKUP"

func newEstate(t testing.TB) *sim.Sim {
	t.Helper()
	s, err := sim.New(sim.Options{Seed: 42, Clock: clock.NewVirtual(epoch)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// console is how one console reaches the backup instance in-process: its login and workstation.
func console(t testing.TB, s *sim.Sim, login, workstation string) remote.SQLConn {
	t.Helper()
	c, err := s.SQL(backup, sim.Login{User: login, App: "pcfailback", Workstation: workstation})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	t.Cleanup(cancel)
	return ctx
}

// alice and bob are two operators on two jump hosts.
func alice() Holder {
	return Holder{User: `CONTOSO\alice`, Host: "JUMP01", Since: time.Date(2024, 3, 12, 14, 3, 10, 0, time.UTC), PID: 4242}
}

func bob() Holder {
	return Holder{User: `CONTOSO\bob`, Host: "JUMP02", Since: time.Date(2024, 3, 12, 14, 5, 0, 0, time.UTC), PID: 777}
}

// mustTake takes control or fails the test; the lease is closed when the test ends.
func mustTake(t testing.TB, conn remote.SQLConn, me Holder) *Lease {
	t.Helper()
	l, _, err := Take(testCtx(t), conn, me)
	if err != nil {
		t.Fatalf("Take(%s): %v", me, err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// sameIdentity compares what a console wrote about itself with what another read back.
func sameIdentity(t testing.TB, got, want Holder) {
	t.Helper()
	if got.User != want.User || got.Host != want.Host || !got.Since.Equal(want.Since) || got.PID != want.PID {
		t.Fatalf("holder %+v, want %+v", got, want)
	}
}

// admin runs a batch as a DBA on its own session (KILL, a manual sp_getapplock).
func admin(t testing.TB, s *sim.Sim, batch string) {
	t.Helper()
	c, err := s.SQL(backup, sim.Login{User: "sa", App: "SSMS", Workstation: "DBA-PC"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := c.Connect(testCtx(t), "master")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.Run(testCtx(t), batch, nil); err != nil {
		t.Fatalf("%s: %v", batch, err)
	}
}

func kill(t testing.TB, s *sim.Sim, spid int) { admin(t, s, fmt.Sprintf("KILL %d", spid)) }
