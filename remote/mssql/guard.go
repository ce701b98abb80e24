package mssql

import (
	"context"
	"database/sql/driver"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mssqldb "github.com/microsoft/go-mssqldb"
)

// The login guard. go-mssqldb reads the PRELOGIN reply and runs the TLS handshake with plain blocking socket reads
// that ignore the context, so a server that accepts TCP and never answers (a wedged instance, a half-open load
// balancer) would hang a connect forever. The guard dialer puts the login deadline on every socket it opens and
// records the socket in a slot carried by the context; the guarded connector creates the slot, interrupts the
// socket at once if the caller gives up, and lifts the deadline once the login succeeded, so statements are bounded
// only by their own context (a per-read deadline would kill a long, silent BACKUP).

// slotKey is the context key of the connect attempt's guardSlot.
type slotKey struct{}

// guardSlot collects the sockets of one connect attempt (SQL Browser's UDP one, the TCP one, a routed one).
type guardSlot struct {
	deadline time.Time

	mu      sync.Mutex
	conns   []net.Conn
	expired bool
}

// add records c and gives it the login deadline. It refuses c when the attempt is already over.
func (s *guardSlot) add(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.expired {
		return false
	}
	_ = c.SetDeadline(s.deadline)
	s.conns = append(s.conns, c)
	return true
}

// expire makes every blocked read and write of the attempt fail now.
func (s *guardSlot) expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired = true
	past := time.Unix(1, 0)
	for _, c := range s.conns {
		_ = c.SetDeadline(past)
	}
}

// closeAll closes the attempt's sockets after a failure (the driver closes its own; this covers every path).
func (s *guardSlot) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.Close()
	}
}

// release lifts the deadline from the socket the session kept (the last TCP one) and returns it.
func (s *guardSlot) release() net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.conns) - 1; i >= 0; i-- {
		c := s.conns[i]
		if _, udp := c.(net.PacketConn); udp {
			continue
		}
		_ = c.SetDeadline(time.Time{})
		return c
	}
	return nil
}

// guardDialer opens sockets for the driver (it is the connector's Dialer) and registers them with the attempt's
// slot. It also resolves host names itself, with the context, which the driver's own lookup does not honour.
type guardDialer struct {
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
	timeout time.Duration
}

// newGuardDialer wraps dial (nil: a net.Dialer with TCP keep-alive, which the driver's keepAlive setting no longer
// reaches once a custom dialer is set).
func newGuardDialer(dial func(ctx context.Context, network, addr string) (net.Conn, error), timeout time.Duration) *guardDialer {
	if dial == nil {
		d := &net.Dialer{KeepAlive: 30 * time.Second}
		dial = d.DialContext
	}
	return &guardDialer{dial: dial, timeout: timeout}
}

// DialContext implements the driver's Dialer.
func (d *guardDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := d.dial(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("dial %s %s: no connection", network, addr)
	}
	if strings.HasPrefix(network, "tcp") {
		c = newWatchedConn(c)
	}
	slot, ok := ctx.Value(slotKey{}).(*guardSlot)
	if !ok {
		// Not through the guarded connector: still never wait on the server longer than the guard.
		_ = c.SetDeadline(time.Now().Add(d.timeout))
		return c, nil
	}
	if !slot.add(c) {
		_ = c.Close()
		return nil, context.DeadlineExceeded
	}
	return c, nil
}

// HostName implements the driver's HostDialer, whose only effect is that the driver hands host names to
// DialContext instead of resolving them without a context.
func (d *guardDialer) HostName() string { return "" }

// guardedConnector is the driver.Connector of one session: the driver's connector behind the login guard. It
// remembers the session's socket so that a cancellation the server never confirms can be ended by closing it.
type guardedConnector struct {
	inner   *mssqldb.Connector
	timeout time.Duration
	address string

	mu   sync.Mutex
	sock net.Conn
}

// Connect implements driver.Connector.
func (g *guardedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	deadline := time.Now().Add(g.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	lctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	slot := &guardSlot{deadline: deadline}
	stop := context.AfterFunc(lctx, slot.expire)
	dc, err := g.inner.Connect(context.WithValue(lctx, slotKey{}, slot))
	interrupted := !stop()
	switch {
	case err == nil && !interrupted:
		g.mu.Lock()
		g.sock = slot.release()
		g.mu.Unlock()
		return dc, nil
	case err == nil:
		_ = dc.Close()
	}
	slot.closeAll()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if lctx.Err() != nil || !time.Now().Before(deadline) {
		return nil, fmt.Errorf("no login reply from %s within %v (the server accepted the connection but did not "+
			"complete the login): %w", g.address, g.timeout.Round(time.Millisecond), context.DeadlineExceeded)
	}
	return nil, err
}

// Driver implements driver.Connector.
func (g *guardedConnector) Driver() driver.Driver { return g.inner.Driver() }

// failed is closed when the session's socket fails (nil before the login).
func (g *guardedConnector) failed() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if w, ok := g.sock.(*watchedConn); ok {
		return w.failed
	}
	return nil
}

// busy reports whether a read is waiting on the session's socket. Between batches nothing reads, so a waiting read
// means the driver gave up on a reply the server has not finished (an attention it never saw confirmed): the next
// batch would first wait for that old reply to end.
func (g *guardedConnector) busy() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	w, ok := g.sock.(*watchedConn)
	return ok && w.reading.Load() > 0
}

// lost reports whether the session's socket has failed or been closed.
func (g *guardedConnector) lost() bool {
	ch := g.failed()
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// kill closes the session's socket: the driver's pending reads fail and the connection is reported bad.
func (g *guardedConnector) kill() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sock != nil {
		_ = g.sock.Close()
	}
}

// watchedConn is a TCP socket that announces its first failed read or write. After the login nothing sets a
// deadline on it, so any error means the connection is gone.
type watchedConn struct {
	net.Conn
	once    sync.Once
	failed  chan struct{}
	reading atomic.Int32
}

// newWatchedConn wraps c.
func newWatchedConn(c net.Conn) *watchedConn {
	return &watchedConn{Conn: c, failed: make(chan struct{})}
}

// Read implements net.Conn.
func (w *watchedConn) Read(b []byte) (int, error) {
	w.reading.Add(1)
	n, err := w.Conn.Read(b)
	w.reading.Add(-1)
	if err != nil {
		w.fail()
	}
	return n, err
}

// Write implements net.Conn.
func (w *watchedConn) Write(b []byte) (int, error) {
	n, err := w.Conn.Write(b)
	if err != nil {
		w.fail()
	}
	return n, err
}

// Close implements net.Conn.
func (w *watchedConn) Close() error {
	w.fail()
	return w.Conn.Close()
}

// fail closes the failed channel once.
func (w *watchedConn) fail() { w.once.Do(func() { close(w.failed) }) }
