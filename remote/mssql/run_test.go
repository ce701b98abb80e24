package mssql

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pcfailback/remote"
)

// A progress message reaches the caller while the batch is still running: the server sends the next one only after
// the test has seen the previous one, so a runner that buffered until the end would never finish.
func TestRunStreamsEachMessageWhileTheBatchRuns(t *testing.T) {
	seen := make(chan int, 10)
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		for pct := 10; pct <= 40; pct += 10 {
			w.Info(3211, strconv.Itoa(pct)+" percent processed.")
			w.Flush()
			select {
			case <-seen:
			case <-ctx.Done():
				return
			}
		}
		w.Info(3014, "BACKUP DATABASE successfully processed 4 pages.")
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	var texts []string
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	err := s.Run(ctx, "BACKUP DATABASE [mgc] TO DISK = N'x' WITH STATS = 10", func(ev remote.SQLEvent) {
		texts = append(texts, ev.Text)
		if ev.Number == 3211 {
			seen <- len(texts)
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := []string{"10 percent processed.", "20 percent processed.", "30 percent processed.", "40 percent processed.",
		"BACKUP DATABASE successfully processed 4 pages."}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Fatalf("messages %q, want %q", texts, want)
	}
}

// Messages, a result set (with NULLs and every converted type), an error and a message after it arrive in the
// server's order; the error is the result, with its fields.
func TestRunRelaysEverythingInOrderAndReturnsTheFirstError(t *testing.T) {
	guid := []byte{0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0x34, 0x12, 0xab, 0xcd, 1, 2, 3, 4, 5, 6}
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		w.Info(0, "before")
		w.Rows([]fakeCol{{Name: "n", Kind: "int"}, {Name: "s", Kind: "nvarchar"}, {Name: "lsn", Kind: "decimal"},
			{Name: "pct", Kind: "decimal", Scale: 2}, {Name: "id", Kind: "guid"}},
			[][]any{{int64(7), "héllo", int64(39000000012300001), int64(1250), guid}, {nil, nil, nil, nil, nil}})
		w.Error(50000, 16, "first")
		w.Error(50001, 16, "second")
		w.Info(0, "after")
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	evs, err := collect(t, s, "SELECT 1")
	var sqlErr *remote.SQLError
	if !errors.As(err, &sqlErr) {
		t.Fatalf("result %v (%T), want the first SQL error", err, err)
	}
	if sqlErr.Number != 50000 || sqlErr.Class != 16 || sqlErr.State != 1 || sqlErr.Line != 7 ||
		sqlErr.Server != "FAKESQL" || sqlErr.Text != "first" {
		t.Errorf("error %+v", *sqlErr)
	}
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, ev.Kind.String())
	}
	want := "info result row row rows-affected error error info"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("events %q, want %q", got, want)
	}
	cols := evs[1].Columns
	if len(cols) != 5 || cols[0].Name != "n" || cols[0].Type != "bigint" || cols[1].Type != "nvarchar" ||
		cols[2].Type != "decimal" || cols[4].Type != "uniqueidentifier" {
		t.Errorf("columns %+v", cols)
	}
	row := evs[2].Values
	wantRow := []any{int64(7), "héllo", int64(39000000012300001), 12.5, "12345678-1234-1234-ABCD-010203040506"}
	for i := range wantRow {
		if row[i] != wantRow[i] {
			t.Errorf("value %d = %#v (%T), want %#v", i, row[i], row[i], wantRow[i])
		}
	}
	for i, v := range evs[3].Values {
		if v != nil {
			t.Errorf("NULL %d = %#v", i, v)
		}
	}
	if evs[4].Count != 2 {
		t.Errorf("rows affected %d, want 2", evs[4].Count)
	}
	if evs[5].Text != "first" || evs[6].Text != "second" || evs[7].Text != "after" {
		t.Errorf("message texts %q %q %q", evs[5].Text, evs[6].Text, evs[7].Text)
	}
}

// A result set larger than the driver's token queue, followed by a message: the rows are drained as they come, so
// the message still arrives.
func TestRunDrainsLargeResultSets(t *testing.T) {
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		rows := make([][]any, 500)
		for i := range rows {
			rows[i] = []any{int64(i)}
		}
		w.Rows([]fakeCol{{Name: "i", Kind: "int"}}, rows)
		w.Info(0, "done")
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	evs, err := collect(t, s, "SELECT i FROM t")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Kind == remote.SQLRow {
			if ev.Values[0] != int64(n) {
				t.Fatalf("row %d = %v", n, ev.Values[0])
			}
			n++
		}
	}
	if n != 500 || evs[len(evs)-1].Text != "done" {
		t.Fatalf("%d rows, last event %+v", n, evs[len(evs)-1])
	}
}

// Cancelling sends an attention; the server confirms; Run returns the context's error and the same session runs
// the next batch.
func TestRunCancelSendsAttentionAndTheSessionStaysUsable(t *testing.T) {
	var mu sync.Mutex
	var attention bool
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		if strings.HasPrefix(sql, "BACKUP") {
			w.Info(3211, "10 percent processed.")
			w.Flush()
			<-ctx.Done() // only an attention ends it
			mu.Lock()
			attention = true
			mu.Unlock()
			return
		}
		w.Rows([]fakeCol{{Name: "one", Kind: "int"}}, [][]any{{int64(1)}})
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- s.Run(ctx, "BACKUP DATABASE [mgc] TO DISK = N'x' WITH STATS = 10", func(ev remote.SQLEvent) {
			if ev.Number == 3211 {
				cancel()
			}
		})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("Run did not return after the cancel")
	}
	mu.Lock()
	if !attention {
		t.Error("the server saw no attention")
	}
	mu.Unlock()
	evs, err := collect(t, s, "SELECT 1")
	if err != nil || len(evs) < 2 || evs[1].Values[0] != int64(1) {
		t.Fatalf("the session after a cancel: %v %+v", err, evs)
	}
}

// A server that never confirms the attention: the socket is closed after the grace period, Run returns the
// cancellation, and the session says it is broken instead of hanging.
func TestRunCancelNeverConfirmedClosesTheConnection(t *testing.T) {
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		w.Info(3211, "10 percent processed.")
		w.Flush()
		<-ctx.Done()
	})
	srv.ignoreAttention = true
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		done <- s.Run(ctx, "BACKUP DATABASE [mgc] TO DISK = N'x'", func(ev remote.SQLEvent) { cancel() })
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v, want context.Canceled", err)
		}
		t.Logf("returned %v after the cancel", time.Since(start).Round(time.Millisecond))
	case <-time.After(hangGuard):
		t.Fatal("Run did not return")
	}
	_, err := collect(t, s, "SELECT 1")
	if !errors.Is(err, ErrBroken) {
		t.Fatalf("next Run = %v, want ErrBroken", err)
	}
}

// The connection drops in the middle of a batch: Run returns a transport error (not a SQL error, not a hang), and
// the session is broken.
func TestRunConnectionLostMidBatch(t *testing.T) {
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		w.Info(3211, "10 percent processed.")
		w.HangUp()
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	evs, err := collect(t, s, "BACKUP DATABASE [mgc] TO DISK = N'x'")
	var sqlErr *remote.SQLError
	if err == nil || errors.As(err, &sqlErr) {
		t.Fatalf("Run = %v, want a transport error", err)
	}
	if len(evs) != 1 || evs[0].Number != 3211 {
		t.Errorf("events before the drop: %+v", evs)
	}
	if _, err := collect(t, s, "SELECT 1"); !errors.Is(err, ErrBroken) {
		t.Fatalf("next Run = %v, want ErrBroken", err)
	}
}

// Column metadata the driver cannot name (it panics on it) is a malformed reply, not a crash.
func TestRunMalformedMetadataIsAnError(t *testing.T) {
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		w.Rows([]fakeCol{{Name: "x", Kind: "badint"}}, nil)
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	_, err := collect(t, s, "SELECT x")
	var sqlErr *remote.SQLError
	if err == nil || errors.As(err, &sqlErr) {
		t.Fatalf("Run = %v, want a malformed-reply error", err)
	}
}

// Close while a batch runs: the batch is cancelled, Run returns ErrClosed, later calls too.
func TestCloseDuringRun(t *testing.T) {
	started := make(chan struct{})
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		w.Info(0, "started")
		w.Flush()
		<-ctx.Done()
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	done := make(chan error, 1)
	go func() {
		var once sync.Once
		done <- s.Run(context.Background(), "WAITFOR DELAY '01:00:00'", func(remote.SQLEvent) {
			once.Do(func() { close(started) })
		})
	}()
	<-started
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("Run = %v, want ErrClosed", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("Run did not return after Close")
	}
	if _, err := collect(t, s, "SELECT 1"); !errors.Is(err, ErrClosed) {
		t.Fatalf("Run after Close = %v", err)
	}
}
