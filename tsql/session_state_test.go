package tsql

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// stateHost is the fake host with the optional SessionHost: it keeps what SET CONTEXT_INFO and the transaction
// statements told it.
type stateHost struct {
	*fakeHost
	info   [][]byte
	counts []int
}

func (h *stateHost) SetContextInfo(ctx context.Context, info []byte) error {
	h.info = append(h.info, info)
	return nil
}

func (h *stateHost) TranCountChanged(n int) { h.counts = append(h.counts, n) }

func runState(t *testing.T, h *stateHost, sess *Session, batch string) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	err := Run(context.Background(), h, sess, batch, rec)
	return rec, err
}

func TestSetContextInfoReachesTheHost(t *testing.T) {
	cases := []struct {
		batch string
		want  []byte
	}{
		{"SET CONTEXT_INFO 0x01020304", []byte{1, 2, 3, 4}},
		{"DECLARE @b varbinary(128) = 0x6869; SET CONTEXT_INFO @b", []byte("hi")},
		{"SET CONTEXT_INFO 'ab'", []byte("ab")},
		{"SET CONTEXT_INFO 0x" + strings.Repeat("7A", 200), bytes.Repeat([]byte{0x7a}, MaxContextInfo)},
	}
	for _, c := range cases {
		h := &stateHost{fakeHost: newFakeHost()}
		if _, err := runState(t, h, &Session{}, c.batch); err != nil {
			t.Fatalf("%s: %v", c.batch, err)
		}
		if len(h.info) != 1 || !bytes.Equal(h.info[0], c.want) {
			t.Errorf("%s: host got %x, want %x", c.batch, h.info, c.want)
		}
	}
	// A NULL variable changes nothing.
	h := &stateHost{fakeHost: newFakeHost()}
	if _, err := runState(t, h, &Session{}, "DECLARE @b varbinary(128); SET CONTEXT_INFO @b"); err != nil || len(h.info) != 0 {
		t.Fatalf("NULL variable: err %v, host got %x", err, h.info)
	}
}

func TestSetContextInfoTakesOnlyAConstantOrAVariable(t *testing.T) {
	for _, batch := range []string{"SET CONTEXT_INFO NULL", "SET CONTEXT_INFO CAST(1 AS varbinary(4))", "SET CONTEXT_INFO"} {
		h := &stateHost{fakeHost: newFakeHost()}
		rec, err := runState(t, h, &Session{}, batch)
		if err == nil || len(rec.errors()) == 0 || rec.errors()[0].Number != 102 && rec.errors()[0].Number != 156 {
			t.Errorf("%s: err %v, messages %+v; want a syntax error", batch, err, rec.errors())
		}
	}
	// A host without session state simply does not hear of it.
	if _, err := run(t, newFakeHost(), "SET CONTEXT_INFO 0x01"); err != nil {
		t.Fatalf("plain host: %v", err)
	}
}

func TestTranCountChangesReachTheHost(t *testing.T) {
	h := &stateHost{fakeHost: newFakeHost()}
	sess := &Session{}
	if _, err := runState(t, h, sess, "BEGIN TRAN; BEGIN TRAN; COMMIT; COMMIT; BEGIN TRAN; ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	want := []int{1, 2, 1, 0, 1, 0}
	if len(h.counts) != len(want) {
		t.Fatalf("counts %v, want %v", h.counts, want)
	}
	for i := range want {
		if h.counts[i] != want[i] {
			t.Fatalf("counts %v, want %v", h.counts, want)
		}
	}
	// XACT_ABORT ends the transaction on an error, and the host hears of it.
	h.counts = nil
	sess = &Session{}
	_, _ = runState(t, h, sess, "SET XACT_ABORT ON; BEGIN TRAN; SELECT 1/0;")
	if sess.TranCount != 0 || len(h.counts) != 2 || h.counts[1] != 0 {
		t.Fatalf("XACT_ABORT rollback: trancount %d, host heard %v", sess.TranCount, h.counts)
	}
}

func FuzzSessionState(f *testing.F) {
	for _, s := range []string{
		"SET CONTEXT_INFO 0x01020304", "DECLARE @b varbinary(128) = 0x6869; SET CONTEXT_INFO @b",
		"SET CONTEXT_INFO 'abc'", "SET CONTEXT_INFO N'日本'", "SET CONTEXT_INFO 12345", "SET CONTEXT_INFO 0x",
		"SET CONTEXT_INFO 0x" + strings.Repeat("FF", 300), "SET CONTEXT_INFO NULL", "SET CONTEXT_INFO @undeclared",
		"BEGIN TRAN; SET CONTEXT_INFO 0x01; COMMIT", "SET XACT_ABORT ON; BEGIN TRAN; SELECT 1/0",
		"IF 1 = 1 SET CONTEXT_INFO 0x0A ELSE SET CONTEXT_INFO 0x0B", "BEGIN TRAN; BEGIN TRAN; ROLLBACK; COMMIT",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return
		}
		h := &stateHost{fakeHost: newFakeHost()}
		sess := &Session{}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		within(t, src, func() { _ = Run(ctx, h, sess, src, &checkOut{t: t}) })
		for _, info := range h.info {
			if len(info) > MaxContextInfo {
				t.Fatalf("context info of %d bytes reached the host", len(info))
			}
		}
		for _, n := range h.counts {
			if n < 0 {
				t.Fatalf("negative @@TRANCOUNT %d", n)
			}
		}
		if len(h.counts) > 0 && h.counts[len(h.counts)-1] != sess.TranCount {
			t.Fatalf("host heard %v, session has %d", h.counts, sess.TranCount)
		}
	})
}
