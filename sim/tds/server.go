package tds

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"pcfailback/sim"
)

// Backend is the SQL Server instance behind a server: *sim.WireSQL implements it.
type Backend interface {
	// ProductVersion is the version the server announces in PRELOGIN and LOGINACK, e.g. "11.0.7001.0".
	ProductVersion() string
	// Open logs in and opens a session. A refused login returns *tsql.Error or tsql.Errors, sent to the client
	// as they are.
	Open(ctx context.Context, l sim.WireLogin) (sim.WireSession, error)
}

// Config configures a Server.
type Config struct {
	// Backend is the simulated instance; required.
	Backend Backend
	// TLS holds the server certificate. nil means the server has none and answers ENCRYPT_NOT_SUP, so a client
	// that requires encryption refuses to go on.
	TLS *tls.Config
	// Users are the SQL Server logins and their passwords (login names case-insensitive, passwords exact). A
	// wrong password is Msg 18456 state 8, an unknown login state 5. nil accepts every login with any password;
	// an empty map accepts none.
	Users map[string]string
	// ServerName is the name in LOGINACK-era messages (INFO and ERROR tokens); "" takes the backend's ServerName()
	// when it has one.
	ServerName string
	// Conns, if set, receives one event per accepted connection when its login ends (or the connection ends
	// before). The server waits for the receiver, so use a buffered channel or read it; Close stops the wait.
	Conns chan<- ConnEvent
	// LoginTimeout bounds PRELOGIN, the TLS handshake and LOGIN7 of one connection; 0 means 30 seconds.
	LoginTimeout time.Duration
}

// ConnEvent describes one connection's login.
type ConnEvent struct {
	Remote net.Addr
	// User, App, Host and Database are what LOGIN7 said.
	User, App, Host, Database string
	ReadOnlyIntent            bool
	// Encryption is "none", "login" (only LOGIN7 was encrypted) or "full".
	Encryption string
	// TDSVersion is the version agreed in LOGINACK; PacketSize the negotiated packet size.
	TDSVersion uint32
	PacketSize int
	// SPID is the session opened; 0 when the login failed.
	SPID int
	// Err says why the login failed; nil when it succeeded.
	Err error
}

// Stats counts what a server has done, for tests and benchmarks (round trips per refresh, logins).
type Stats struct {
	Connections   int64 // accepted
	Logins        int64 // succeeded
	LoginFailures int64
	Batches       int64
	RPCs          int64
	Attentions    int64
	BytesIn       int64
	BytesOut      int64
}

// Server is a TDS server for one instance.
type Server struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[net.Conn]struct{}
	closed    bool
	wg        sync.WaitGroup

	connections, logins, loginFailures, batches, rpcs, attentions, bytesIn, bytesOut atomic.Int64
}

// NewServer returns a server; it listens once Serve is called.
func NewServer(cfg Config) *Server {
	if cfg.ServerName == "" {
		if n, ok := cfg.Backend.(interface{ ServerName() string }); ok {
			cfg.ServerName = n.ServerName()
		}
	}
	if cfg.LoginTimeout <= 0 {
		cfg.LoginTimeout = 30 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{cfg: cfg, ctx: ctx, cancel: cancel, listeners: map[net.Listener]struct{}{}, conns: map[net.Conn]struct{}{}}
}

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("tds: server closed")

// Serve accepts connections on l until l is closed (it then returns nil) or the server is closed
// (ErrServerClosed). Each connection is served on its own goroutines.
func (s *Server) Serve(l net.Listener) error {
	if s.cfg.Backend == nil {
		return errors.New("tds: Config.Backend is required")
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			switch {
			case closed:
				return ErrServerClosed
			case errors.Is(err, net.ErrClosed):
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		if !s.track(c) {
			c.Close()
			return ErrServerClosed
		}
		s.connections.Add(1)
		go s.serveConn(c)
	}
}

// track registers a connection (and one handler in the wait group) unless the server is closing.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// shutdownGrace bounds how long Close lets a connection write the end of its answer to a client that does
// not read.
const shutdownGrace = 5 * time.Second

// Close stops every Serve and ends every connection: a running statement is cancelled and its client told
// that the server is shutting down (rather than left waiting on a silent socket), sessions are closed, and
// Close returns once every handler has finished.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.wg.Wait()
		return nil
	}
	s.closed = true
	s.cancel()
	for l := range s.listeners {
		l.Close()
	}
	now := time.Now()
	for c := range s.conns {
		// An expired read deadline stops the reader (and a login in progress) at once; the handler still
		// writes the end of a running request's answer.
		c.SetReadDeadline(now)
		c.SetWriteDeadline(now.Add(shutdownGrace))
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	return Stats{
		Connections: s.connections.Load(), Logins: s.logins.Load(), LoginFailures: s.loginFailures.Load(),
		Batches: s.batches.Load(), RPCs: s.rpcs.Load(), Attentions: s.attentions.Load(),
		BytesIn: s.bytesIn.Load(), BytesOut: s.bytesOut.Load(),
	}
}

// report sends a connection event to Config.Conns, unless the server closes first.
func (s *Server) report(ev ConnEvent) {
	if s.cfg.Conns == nil {
		return
	}
	select {
	case s.cfg.Conns <- ev:
	case <-s.ctx.Done():
	}
}

// countingConn counts the bytes of a connection for Stats.
type countingConn struct {
	net.Conn
	in, out *atomic.Int64
}

func (c countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.in.Add(int64(n))
	return n, err
}

func (c countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.out.Add(int64(n))
	return n, err
}

// The simulator's instances are what the server is for.
var _ Backend = (*sim.WireSQL)(nil)
