package mssql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	mssqldb "github.com/microsoft/go-mssqldb"
	// Registers the "krb5" integrated-authentication provider that authenticator=krb5 selects.
	_ "github.com/microsoft/go-mssqldb/integratedauth/krb5"
	"github.com/microsoft/go-mssqldb/msdsn"

	"pcfailback/remote"
)

// Conn reaches one SQL Server instance. It implements remote.SQLConn: every Connect logs in a new session.
type Conn struct {
	opts Options
	cfg  msdsn.Config

	mu       sync.Mutex
	closed   bool
	sessions map[*Session]struct{}
}

var _ remote.SQLConn = (*Conn)(nil)

// Open validates the options and prepares the driver's configuration (the CA file is read now). It does not touch
// the network.
func Open(o Options) (*Conn, error) {
	cfg, err := o.driverConfig()
	if err != nil {
		return nil, redact(fmt.Errorf("SQL Server %s: %w", printable(o.Host), err), o.Password)
	}
	return &Conn{opts: o, cfg: cfg, sessions: make(map[*Session]struct{})}, nil
}

// Options returns the options the connection was opened with.
func (c *Conn) Options() Options { return c.opts }

// Connect implements remote.SQLConn: it logs in a new session (one connection, never pooled) whose current database
// is database ("" means the login's default; master under read-only intent, which must name one). A refused login
// is a *remote.SQLError (18456 "Login failed for user ..."; 4060 when the database cannot be opened).
func (c *Conn) Connect(ctx context.Context, database string) (remote.SQLSession, error) {
	s, err := c.connect(ctx, database)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// connect is Connect with the concrete session type.
func (c *Conn) connect(ctx context.Context, database string) (*Session, error) {
	if strings.ContainsRune(database, 0) || utf8.RuneCountInString(database) > 128 || !utf8.ValidString(database) {
		return nil, fmt.Errorf("database %q: not a database name", printable(database))
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	cfg := c.cfg
	cfg.Database = database
	if cfg.Database == "" && c.opts.ReadOnly {
		cfg.Database = placeholderDatabase
	}
	inner := mssqldb.NewConnectorConfig(cfg)
	inner.Dialer = newGuardDialer(c.opts.Dial, c.opts.loginTimeout())
	gc := &guardedConnector{inner: inner, timeout: c.opts.loginTimeout(), address: c.opts.address()}
	db := sql.OpenDB(gc)
	// One connection, kept by the session and closed with it: a pooled connection would be reset between uses
	// and would linger as a sleeping session in the instance's view of who is connected.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(0)
	sc, err := db.Conn(ctx)
	if err != nil {
		_ = db.Close()
		if e, ok := asSQLError(err); ok {
			return nil, redact(e, c.opts.Password)
		}
		return nil, redact(err, c.opts.Password)
	}
	s := newSession(c, db, sc, gc)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		_ = s.Close()
		return nil, ErrClosed
	}
	c.sessions[s] = struct{}{}
	c.mu.Unlock()
	return s, nil
}

// forget drops a closed session from the set Close ends.
func (c *Conn) forget(s *Session) {
	c.mu.Lock()
	delete(c.sessions, s)
	c.mu.Unlock()
}

// Close ends every open session (cancelling what they run) and refuses new ones.
func (c *Conn) Close() error {
	c.mu.Lock()
	c.closed = true
	open := make([]*Session, 0, len(c.sessions))
	for s := range c.sessions {
		open = append(open, s)
	}
	c.mu.Unlock()
	for _, s := range open {
		_ = s.Close()
	}
	return nil
}
