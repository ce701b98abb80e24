package mssql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"

	"pcfailback/remote"
)

// cancelGrace is how long a cancelled batch may wait for the server to confirm the attention before the socket is
// closed. The driver would wait up to twice its own 5 s drain timeout, and one of its loops can wait longer still
// on a server that never confirms; closing the socket gives the caller control back and the server aborts the
// statement when it sees the connection go.
const cancelGrace = 5 * time.Second

// Session is one logged-in connection (one SPID). It implements remote.SQLSession: batches run one at a time, in
// the order they are given, on that same connection.
type Session struct {
	conn  *Conn
	db    *sql.DB
	sc    *sql.Conn
	guard *guardedConnector

	// life is cancelled by Close so that a running batch stops.
	life    context.Context
	endLife context.CancelFunc

	// runMu is held for the whole of a Run, and by Close while it releases the connection.
	runMu  sync.Mutex
	closed bool
	// broken holds why the connection can no longer be used, nil while it can.
	broken error
}

var _ remote.SQLSession = (*Session)(nil)

// newSession wraps a pinned connection.
func newSession(c *Conn, db *sql.DB, sc *sql.Conn, g *guardedConnector) *Session {
	life, end := context.WithCancel(context.Background())
	return &Session{conn: c, db: db, sc: sc, guard: g, life: life, endLife: end}
}

// Run implements remote.SQLSession. A script without GO lines is sent exactly as given, as one batch. A script with
// GO lines is split here (the server does not know GO) and its batches run in order on this session; the first
// batch that raises an error ends the script, and that error is the result. Events arrive through emit as the
// server sends them. On cancellation the statement is cancelled at the server (an attention) and Run returns
// ctx.Err(); if the server does not confirm within a few seconds the connection is closed and the session is
// reported broken by later calls.
func (s *Session) Run(ctx context.Context, script string, emit func(remote.SQLEvent)) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.broken != nil:
		return s.broken
	}
	batches, err := Split(script)
	if err != nil {
		return err
	}
	if emit == nil {
		emit = func(remote.SQLEvent) {}
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.life, cancel)
	defer stop()

	for _, b := range batches {
		for range b.Count {
			err := s.runBatch(runCtx, b.Text, emit)
			if err == nil {
				continue
			}
			if s.life.Err() != nil && ctx.Err() == nil {
				return ErrClosed
			}
			return err
		}
	}
	return nil
}

// runBatch sends one batch and relays what the server says until the batch ends, with the watchdog armed. Afterwards
// it checks that the connection is still in step with the server, and marks the session broken if not.
func (s *Session) runBatch(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	wd := s.watch(ctx)
	err := s.exchange(ctx, batch, emit)
	killed := wd.disarm()
	unfinished := !killed && s.guard.busy()
	if unfinished {
		s.guard.kill()
	}
	switch {
	case killed:
		s.broken = fmt.Errorf("%w: the server did not confirm the cancellation within %v, so the connection "+
			"was closed", ErrBroken, cancelGrace)
	case unfinished:
		s.broken = fmt.Errorf("%w: the server had not finished its reply, so the connection was closed", ErrBroken)
	default:
		s.checkUsable(err)
	}
	if ctx.Err() != nil {
		if killed || unfinished {
			return fmt.Errorf("cancelled, and the connection was closed because the server did not confirm the "+
				"cancellation: %w", ctx.Err())
		}
		return ctx.Err()
	}
	return redact(err, s.conn.opts.Password)
}

// checkUsable marks the session broken when its socket failed or the driver says the connection is bad.
func (s *Session) checkUsable(cause error) {
	if s.broken != nil {
		return
	}
	good := !s.guard.lost()
	if good {
		err := s.sc.Raw(func(dc any) error {
			if v, ok := dc.(driver.Validator); ok {
				good = v.IsValid()
			}
			return nil
		})
		good = good && err == nil
	}
	if good {
		return
	}
	var sqlErr *remote.SQLError
	if cause != nil && !errors.As(cause, &sqlErr) {
		s.broken = fmt.Errorf("%w (%v)", ErrBroken, redact(cause, s.conn.opts.Password))
		return
	}
	s.broken = ErrBroken
}

// Close implements remote.SQLSession: it cancels a running batch, waits for it to stop, and logs the session out.
func (s *Session) Close() error {
	s.endLife()
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	_ = s.sc.Close()
	_ = s.db.Close()
	s.conn.forget(s)
	return nil
}

// watchdog closes the socket when a cancelled batch has not ended within cancelGrace.
type watchdog struct {
	mu     sync.Mutex
	timer  *time.Timer
	done   bool
	killed bool
	stop   func() bool
}

// watch arms a watchdog for one batch.
func (s *Session) watch(ctx context.Context) *watchdog {
	w := &watchdog{}
	w.stop = context.AfterFunc(ctx, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.done {
			return
		}
		w.timer = time.AfterFunc(cancelGrace, func() {
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.done {
				return
			}
			w.killed = true
			s.guard.kill()
		})
	})
	return w
}

// disarm stops the watchdog and reports whether it had to close the socket.
func (w *watchdog) disarm() bool {
	w.stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	if w.timer != nil {
		w.timer.Stop()
	}
	return w.killed
}
