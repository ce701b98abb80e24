package control

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"pcfailback/remote"
)

// Errors of Take and of a Lease.
var (
	// ErrHeld is returned by Take when another console holds control.
	ErrHeld = errors.New("control: another console holds control")
	// ErrLost is returned (wrapped, with the cause) by Check and Release when the lease's session no longer holds
	// the lock: its connection dropped, it was killed, or the instance restarted.
	ErrLost = errors.New("control: control was lost")
	// ErrReleased is returned by Check after Release or Close.
	ErrReleased = errors.New("control: control was given back")
)

// Lease is control of the estate, held by one session on the backup instance. It is safe for concurrent use.
type Lease struct {
	holder Holder

	mu       sync.Mutex
	sess     remote.SQLSession
	lost     error
	released bool
}

// Take asks the backup instance for control on behalf of me, without waiting. It opens a session in master that
// the lease keeps until Release or Close. When another console holds control, Take returns ErrHeld and that
// console's identity (zero when the login may not read it, see Who). A zero me.Since means now.
func Take(ctx context.Context, conn remote.SQLConn, me Holder) (*Lease, Holder, error) {
	if me.Since.IsZero() {
		me.Since = time.Now()
	}
	me.Session, me.Login, me.FromSession = 0, "", false
	sess, err := conn.Connect(ctx, lockDatabase)
	if err != nil {
		return nil, Holder{}, fmt.Errorf("control: connecting to the backup instance: %w", err)
	}
	batch := takeBatch(ContextInfo(me))
	for attempt := 0; ; attempt++ {
		res, err := run(ctx, sess, batch)
		if err != nil {
			_ = sess.Close()
			return nil, Holder{}, fmt.Errorf("control: taking control: %w", err)
		}
		status, ok := asInt(res.value(0, 0))
		spid, _ := asInt(res.value(0, 1))
		switch {
		case !ok:
			_ = sess.Close()
			return nil, Holder{}, errors.New("control: taking control: sp_getapplock returned no status")
		case status >= 0:
			me.Session = int(spid)
			return &Lease{holder: me, sess: sess}, Holder{}, nil
		case status == -1:
			holder, held, err := who(ctx, sess)
			if err == nil && !held && attempt == 0 {
				continue // the holder let go between the two batches: ask once more
			}
			_ = sess.Close()
			if err != nil {
				return nil, Holder{}, fmt.Errorf("%w (and reading who: %v)", ErrHeld, err)
			}
			return nil, holder, ErrHeld
		}
		_ = sess.Close()
		if m := res.message(); m != "" {
			return nil, Holder{}, fmt.Errorf("control: taking control: sp_getapplock returned %d: %s", status, m)
		}
		return nil, Holder{}, fmt.Errorf("control: taking control: sp_getapplock returned %d", status)
	}
}

// Who says who holds control, reading only: it never takes the lock, so a read-only console calls it to fill its
// banner. held is false when nobody holds control. When control is held but the login lacks VIEW SERVER STATE,
// the holder is the zero Holder (its String says the identity could not be read).
func Who(ctx context.Context, conn remote.SQLConn) (h Holder, held bool, err error) {
	sess, err := conn.Connect(ctx, lockDatabase)
	if err != nil {
		return Holder{}, false, fmt.Errorf("control: connecting to the backup instance: %w", err)
	}
	defer sess.Close()
	return who(ctx, sess)
}

// Holder is the identity the lease wrote, with its session id.
func (l *Lease) Holder() Holder { return l.holder }

// Check asks the server whether the lease still holds control on the same session. A lost session or a lock
// that is no longer there is ErrLost (wrapped with the cause), and stays so: the lease never takes control again
// by itself. A cancelled ctx returns ctx's error and says nothing either way; so does an SQL error, which means the
// session answered.
func (l *Lease) Check(ctx context.Context) error {
	sess, err := l.current()
	if err != nil {
		return err
	}
	res, err := run(ctx, sess, checkBatch)
	var sqlErr *remote.SQLError
	switch {
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &sqlErr):
		return fmt.Errorf("control: checking control: %w", err)
	case err != nil:
		return l.lose(fmt.Errorf("%w: the session on the backup instance is gone (%w)", ErrLost, err))
	}
	mode := asText(res.value(0, 0))
	spid, _ := asInt(res.value(0, 1))
	if mode != "Exclusive" {
		return l.lose(fmt.Errorf("%w: the backup instance shows %q for this session's lock", ErrLost, mode))
	}
	if int(spid) != l.holder.Session {
		return l.lose(fmt.Errorf("%w: the lease's session %d became session %d", ErrLost, l.holder.Session, spid))
	}
	return nil
}

// current returns the session, or why there is none to ask.
func (l *Lease) current() (remote.SQLSession, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.released:
		return nil, ErrReleased
	case l.lost != nil:
		return nil, l.lost
	}
	return l.sess, nil
}

// lose records that control was lost and ends the session, which can no longer hold anything.
func (l *Lease) lose(err error) error {
	l.mu.Lock()
	if l.released {
		// Release or Close ended the session while the check ran: that, not a loss, is why it failed.
		l.mu.Unlock()
		return ErrReleased
	}
	if l.lost == nil {
		l.lost = err
	}
	err = l.lost
	sess := l.sess
	l.mu.Unlock()
	if sess != nil {
		_ = sess.Close()
	}
	return err
}

// Release gives control back and ends the session. It reports ErrLost when the server says the lock was no longer
// held. A lease Check already found lost, a second Release, and a ctx that ends first (the session is closed all
// the same, which releases the lock) all return nil.
func (l *Lease) Release(ctx context.Context) error {
	l.mu.Lock()
	if l.released {
		l.mu.Unlock()
		return nil
	}
	l.released = true
	lost, sess := l.lost, l.sess
	l.mu.Unlock()
	if lost != nil {
		return nil
	}
	defer sess.Close()
	res, err := run(ctx, sess, releaseBatch)
	var sqlErr *remote.SQLError
	status, ok := asInt(res.value(0, 0))
	switch {
	case err != nil && ctx.Err() != nil:
		// Closing the session releases the lock all the same.
		return nil
	case ok && status == 0:
		return nil
	case errors.As(err, &sqlErr) || ok:
		return fmt.Errorf("%w: releasing it said %s", ErrLost, releaseFailure(res, err))
	case err != nil:
		return fmt.Errorf("%w: the session on the backup instance is gone (%w)", ErrLost, err)
	}
	return fmt.Errorf("control: releasing control: sp_releaseapplock returned no status")
}

// releaseFailure says what sp_releaseapplock answered.
func releaseFailure(res result, err error) string {
	if m := res.message(); m != "" {
		return m
	}
	if err != nil {
		return err.Error()
	}
	if status, ok := asInt(res.value(0, 0)); ok {
		return fmt.Sprintf("status %d", status)
	}
	return "nothing"
}

// Close ends the lease's session without asking first; the server releases the lock with the session. It is
// safe to call more than once and after Release.
func (l *Lease) Close() error {
	l.mu.Lock()
	l.released = true
	sess := l.sess
	l.mu.Unlock()
	if sess == nil {
		return nil
	}
	return sess.Close()
}
