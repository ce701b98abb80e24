package control

// The lock over the wire: the simulator's backup instance behind its TDS server, reached with the production SQL
// runner on loopback, as two consoles on two jump hosts would reach it.

import (
	"context"
	"errors"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"pcfailback/config"
	"pcfailback/remote/mssql"
	"pcfailback/sim"
	"pcfailback/sim/tds"
)

const wirePassword = "Tr0ub4dor&3"

// wireServer serves the estate's backup instance on a loopback port until the test ends.
func wireServer(t *testing.T, s *sim.Sim) int {
	t.Helper()
	backend, err := s.WireSQL(backup)
	if err != nil {
		t.Fatal(err)
	}
	srv := tds.NewServer(tds.Config{Backend: backend, Users: map[string]string{"dba": wirePassword}})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-served; err != nil && !errors.Is(err, tds.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return l.Addr().(*net.TCPAddr).Port
}

// dialer remembers the connections a console opened, so that a test can cut them as a crash would.
type dialer struct {
	mu    sync.Mutex
	conns []net.Conn
}

func (d *dialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err == nil {
		d.mu.Lock()
		d.conns = append(d.conns, c)
		d.mu.Unlock()
	}
	return c, err
}

// cut closes every connection the console opened, without a word to the server.
func (d *dialer) cut() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.conns {
		_ = c.Close()
	}
}

// wireConsole is one console's runner for the backup instance.
func wireConsole(t *testing.T, port int, d *dialer) *mssql.Conn {
	t.Helper()
	o := mssql.Options{Host: "127.0.0.1", Port: port, Auth: config.MethodSQL, User: "dba", Password: wirePassword,
		Encrypt: config.EncryptDisable, AllowDisable: true, LoginTimeout: 10 * time.Second}
	if d != nil {
		o.Dial = d.dial
	}
	c, err := mssql.Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// waitGone waits until the server has ended session spid: it notices a cut connection on its own goroutine.
func waitGone(t *testing.T, s *sim.Sim, spid int) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		gone := true
		for _, u := range s.UserSessions(backup) {
			if u.SPID == spid {
				gone = false
			}
		}
		if gone {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %d outlived its connection", spid)
		}
		runtime.Gosched()
	}
}

func TestWireSecondConsoleIsRefusedUntilTheFirstCrashes(t *testing.T) {
	s := newEstate(t)
	port := wireServer(t, s)
	aliceDial := &dialer{}
	lease := mustTake(t, wireConsole(t, port, aliceDial), alice())
	if err := lease.Check(testCtx(t)); err != nil {
		t.Fatalf("Check over the wire: %v", err)
	}

	bobConn := wireConsole(t, port, nil)
	_, holder, err := Take(testCtx(t), bobConn, bob())
	if !errors.Is(err, ErrHeld) {
		t.Fatalf("second console: %v, want ErrHeld", err)
	}
	sameIdentity(t, holder, alice())
	if holder.Session != lease.Holder().Session || holder.Login != "dba" {
		t.Fatalf("holder %+v", holder)
	}
	reader := wireConsole(t, port, nil)
	if h, held, err := Who(testCtx(t), reader); err != nil || !held {
		t.Fatalf("Who over the wire: %+v %v %v", h, held, err)
	} else {
		sameIdentity(t, h, alice())
	}

	// The first console's process dies: its socket closes, the server ends the session and its lock.
	aliceDial.cut()
	waitGone(t, s, lease.Holder().Session)
	l2 := mustTake(t, bobConn, bob())
	if err := lease.Check(testCtx(t)); !errors.Is(err, ErrLost) {
		t.Fatalf("the crashed console's Check: %v, want ErrLost", err)
	}
	h, held, err := Who(testCtx(t), reader)
	if err != nil || !held || h.Session != l2.Holder().Session {
		t.Fatalf("Who after the takeover: %+v %v %v", h, held, err)
	}
	sameIdentity(t, h, bob())
	if err := l2.Release(testCtx(t)); err != nil {
		t.Fatalf("Release over the wire: %v", err)
	}
	if _, held, err := Who(testCtx(t), reader); err != nil || held {
		t.Fatalf("Who after Release: %v %v", held, err)
	}
}
