package control

import (
	"context"
	"errors"
	"strings"
	"testing"

	"pcfailback/remote"
)

// fakeSession answers each batch with scripted events and error, so that replies a simulator never gives (a login
// without VIEW SERVER STATE, a status of -999, a dropped socket) can be tested.
type fakeSession struct {
	reply  func(batch string) ([]remote.SQLEvent, error)
	closed bool
}

func (f *fakeSession) Run(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	evs, err := f.reply(batch)
	for _, ev := range evs {
		emit(ev)
	}
	return err
}

func (f *fakeSession) Close() error { f.closed = true; return nil }

type fakeConn struct{ sess *fakeSession }

func (c fakeConn) Connect(ctx context.Context, db string) (remote.SQLSession, error) {
	return c.sess, nil
}

// rows builds a result set.
func rows(values ...[]any) []remote.SQLEvent {
	evs := []remote.SQLEvent{{Kind: remote.SQLResultStart}}
	for _, v := range values {
		evs = append(evs, remote.SQLEvent{Kind: remote.SQLRow, Values: v})
	}
	return evs
}

func sqlErr(n int32, text string) (remote.SQLEvent, error) {
	return remote.SQLEvent{Kind: remote.SQLErrorMsg, Number: n, Class: 14, Text: text},
		&remote.SQLError{Number: n, Class: 14, Text: text}
}

func TestWhoWithoutViewServerStateSaysHeldButNotByWhom(t *testing.T) {
	denied, err := sqlErr(300, "VIEW SERVER STATE permission was denied on object 'server', database 'master'.")
	sess := &fakeSession{reply: func(string) ([]remote.SQLEvent, error) {
		return append(rows([]any{int64(0)}), denied), err
	}}
	h, held, werr := Who(testCtx(t), fakeConn{sess})
	if werr != nil || !held || h != (Holder{}) {
		t.Fatalf("Who: %+v %v %v; want held by an unknown holder", h, held, werr)
	}
	if !sess.closed {
		t.Fatal("Who left its session open")
	}
	if !strings.Contains(h.String(), "could not be read") {
		t.Fatalf("banner %q", h.String())
	}
}

func TestWhoReportsTransportErrors(t *testing.T) {
	sess := &fakeSession{reply: func(string) ([]remote.SQLEvent, error) { return nil, errors.New("connection reset") }}
	if _, _, err := Who(testCtx(t), fakeConn{sess}); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("Who: %v", err)
	}
}

func TestTakeReportsAnUnexpectedStatusWithTheServersWords(t *testing.T) {
	sess := &fakeSession{reply: func(string) ([]remote.SQLEvent, error) {
		msg := remote.SQLEvent{Kind: remote.SQLInfoMsg, Number: 15625, Text: "Option 'x' not recognized for '@LockMode' parameter."}
		return append([]remote.SQLEvent{msg}, rows([]any{int64(-999), int64(60)})...), nil
	}}
	l, _, err := Take(testCtx(t), fakeConn{sess}, alice())
	if l != nil || err == nil || !strings.Contains(err.Error(), "-999") || !strings.Contains(err.Error(), "15625") {
		t.Fatalf("Take: %v %v", l, err)
	}
	if !sess.closed {
		t.Fatal("a failed Take left its session open")
	}
}

func TestCheckTellsLossFromTrouble(t *testing.T) {
	mode := "Exclusive"
	var fail error
	sess := &fakeSession{reply: func(batch string) ([]remote.SQLEvent, error) {
		if strings.Contains(batch, "sp_getapplock") {
			return rows([]any{int64(0), int64(60)}), nil
		}
		if fail != nil {
			return nil, fail
		}
		return rows([]any{mode, int64(60)}), nil
	}}
	l, _, err := Take(testCtx(t), fakeConn{sess}, alice())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Check(testCtx(t)); err != nil {
		t.Fatalf("Check: %v", err)
	}
	// An SQL error means the session answered: trouble, not loss.
	_, fail = sqlErr(229, "The SELECT permission was denied.")
	if err := l.Check(testCtx(t)); err == nil || errors.Is(err, ErrLost) {
		t.Fatalf("Check with an SQL error: %v", err)
	}
	// A cancelled check says nothing either way.
	fail = context.Canceled
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Check(ctx); !errors.Is(err, context.Canceled) || errors.Is(err, ErrLost) {
		t.Fatalf("cancelled Check: %v", err)
	}
	// The session no longer holds the lock: lost, for good, and the session is ended.
	fail, mode = nil, "NoLock"
	if err := l.Check(testCtx(t)); !errors.Is(err, ErrLost) {
		t.Fatalf("Check with NoLock: %v", err)
	}
	mode = "Exclusive"
	if err := l.Check(testCtx(t)); !errors.Is(err, ErrLost) {
		t.Fatalf("a lost lease came back: %v", err)
	}
	if !sess.closed {
		t.Fatal("a lost lease keeps its session")
	}
}
