package sim

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// getLock is sp_getapplock with its status selected, as a console reads it back.
func getLock(resource, mode, owner string, timeout int) string {
	return fmt.Sprintf("DECLARE @r int; EXEC @r = sp_getapplock @Resource = N'%s', @LockMode = '%s', @LockOwner = '%s', "+
		"@LockTimeout = %d; SELECT @r AS r;", resource, mode, owner, timeout)
}

// releaseLock is sp_releaseapplock with its status selected.
func releaseLock(resource, owner string) string {
	return fmt.Sprintf("DECLARE @r int; EXEC @r = sp_releaseapplock @Resource = N'%s', @LockOwner = '%s'; SELECT @r AS r;",
		resource, owner)
}

// status runs a batch ending in SELECT @r and returns @r.
func status(t *testing.T, b batchResult) int64 {
	t.Helper()
	last := b.sets[len(b.sets)-1]
	if len(last.rows) != 1 {
		t.Fatalf("status: %d rows", len(last.rows))
	}
	n, ok := last.rows[0][0].(int64)
	if !ok {
		t.Fatalf("status: %T %v", last.rows[0][0], last.rows[0][0])
	}
	return n
}

// waitFor polls cond until it holds: the state it waits for is reached by another goroutine at its own pace.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		runtime.Gosched()
	}
}

func TestAppLockExclusiveSessionLockIsRefusedToOthersAndFreedOnClose(t *testing.T) {
	s, _ := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	b := connect(t, s, "SQLBACKUP", "master")
	if got := status(t, mustRun(t, a, getLock("pcfailback.control", "Exclusive", "Session", 0))); got != 0 {
		t.Fatalf("first taker: %d, want 0", got)
	}
	if got := status(t, mustRun(t, b, getLock("pcfailback.control", "Exclusive", "Session", 0))); got != -1 {
		t.Fatalf("second taker: %d, want -1 (timeout)", got)
	}
	// A shared request conflicts with the exclusive hold too; a different name or database does not.
	if got := status(t, mustRun(t, b, getLock("pcfailback.control", "Shared", "Session", 0))); got != -1 {
		t.Fatalf("shared while exclusive held: %d, want -1", got)
	}
	if got := status(t, mustRun(t, b, getLock("PCFAILBACK.CONTROL", "Exclusive", "Session", 0))); got != 0 {
		t.Fatalf("names are case-sensitive: %d, want 0", got)
	}
	if got := status(t, mustRun(t, b, "USE msdb; "+getLock("pcfailback.control", "Exclusive", "Session", 0)+" USE master;")); got != 0 {
		t.Fatalf("another database is another resource: %d, want 0", got)
	}
	a.Close()
	if got := status(t, mustRun(t, b, getLock("pcfailback.control", "Exclusive", "Session", 0))); got != 0 {
		t.Fatalf("after the holder logged out: %d, want 0", got)
	}
}

func TestAppLockKillReleasesTheVictimsLocks(t *testing.T) {
	s, _ := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	b := connect(t, s, "SQLBACKUP", "master")
	admin := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, a, getLock("r", "Exclusive", "Session", 0))
	spid := status(t, mustRun(t, a, "SELECT CAST(@@SPID AS int) AS r"))
	mustRun(t, admin, fmt.Sprintf("KILL %d", spid))
	if got := status(t, mustRun(t, b, getLock("r", "Exclusive", "Session", 0))); got != 0 {
		t.Fatalf("after KILL: %d, want 0", got)
	}
	if err := runBatch(context.Background(), a, "SELECT 1").err; err == nil {
		t.Fatal("the killed session still runs batches")
	}
}

func TestAppLockReferenceCountsAndModeUnion(t *testing.T) {
	s, _ := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, a, getLock("f", "Shared", "Session", 0))
	mustRun(t, a, getLock("f", "IntentExclusive", "Session", 0))
	mode := mustRun(t, a, "SELECT APPLOCK_MODE('public', N'f', 'Session') AS m, APPLOCK_TEST('public', N'f', 'IntentShared', 'Session') AS t")
	if got := mode.sets[0].get(0, "m"); got != "SharedIntentExclusive" {
		t.Fatalf("APPLOCK_MODE after S then IX: %v", got)
	}
	if got := status(t, mustRun(t, b, getLock("f", "IntentShared", "Session", 0))); got != 0 {
		t.Fatalf("IS against SIX: %d, want 0", got)
	}
	if got := status(t, mustRun(t, b, getLock("f", "Shared", "Session", 0))); got != -1 {
		t.Fatalf("S against SIX: %d, want -1", got)
	}
	// Two grants need two releases; the union stays until the last one.
	if got := status(t, mustRun(t, a, releaseLock("f", "Session"))); got != 0 {
		t.Fatalf("first release: %d", got)
	}
	if got := mustRun(t, a, "SELECT APPLOCK_MODE('public', N'f', 'Session') AS m").sets[0].get(0, "m"); got != "SharedIntentExclusive" {
		t.Fatalf("after one of two releases: %v", got)
	}
	mustRun(t, a, releaseLock("f", "Session"))
	if got := mustRun(t, a, "SELECT APPLOCK_MODE('public', N'f', 'Session') AS m").sets[0].get(0, "m"); got != "NoLock" {
		t.Fatalf("after both releases: %v", got)
	}
	res := runBatch(context.Background(), a, releaseLock("f", "Session"))
	if got := status(t, res); got != -999 {
		t.Fatalf("release of a lock not held: %d, want -999", got)
	}
	want := "1223: Cannot release the application lock (Database Principal: 'public', Resource: 'f') because it is not currently held."
	if errs := res.errs(); len(errs) != 1 || errs[0] != want {
		t.Fatalf("errors: %q", errs)
	}
}

func TestAppLockCompatibilityMatrix(t *testing.T) {
	s, _ := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	b := connect(t, s, "SQLBACKUP", "master")
	modes := []string{"IntentShared", "Shared", "Update", "IntentExclusive", "Exclusive"}
	// Held mode, then the status of IS, S, U, IX, X requested by another session.
	matrix := map[string][5]int64{
		"IntentShared":    {0, 0, 0, 0, -1},
		"Shared":          {0, 0, 0, -1, -1},
		"Update":          {0, 0, -1, -1, -1},
		"IntentExclusive": {0, -1, -1, 0, -1},
		"Exclusive":       {-1, -1, -1, -1, -1},
	}
	for held, want := range matrix {
		mustRun(t, a, getLock("m", held, "Session", 0))
		for i, req := range modes {
			test := mustRun(t, b, fmt.Sprintf("SELECT APPLOCK_TEST('public', N'm', '%s', 'Session') AS t", req)).sets[0].get(0, "t")
			got := status(t, mustRun(t, b, getLock("m", req, "Session", 0)))
			if got != want[i] {
				t.Errorf("held %s, requested %s: %d, want %d", held, req, got, want[i])
			}
			if (test == int64(1)) != (want[i] == 0) {
				t.Errorf("held %s, APPLOCK_TEST %s = %v", held, req, test)
			}
			if got == 0 {
				mustRun(t, b, releaseLock("m", "Session"))
			}
		}
		mustRun(t, a, releaseLock("m", "Session"))
	}
}

func TestAppLockValidationAnswersMinus999(t *testing.T) {
	s, _ := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	cases := []struct {
		batch  string
		number int32
		text   string
	}{
		{"EXEC @r = sp_getapplock N'x', 'Bogus', 'Session'", 15625, "Option 'Bogus' not recognized for '@LockMode' parameter."},
		{"EXEC @r = sp_getapplock N'x', NULL, 'Session'", 15625, "Option '(null)' not recognized for '@LockMode' parameter."},
		{"EXEC @r = sp_getapplock N'x', 'Shared', 'Bogus'", 15625, "Option 'Bogus' not recognized for '@LockOwner' parameter."},
		{"EXEC @r = sp_getapplock N'x', 'Shared'", 15626, "You attempted to acquire a transactional application lock without an active transaction."},
		{"EXEC @r = sp_getapplock NULL, 'Shared', 'Session'", 1224, "An invalid application lock resource was passed to xp_userlock."},
		{"EXEC @r = sp_getapplock N'x', 'Shared', 'Session', -2", 1227, "An invalid application lock time-out was passed to xp_userlock."},
		{"EXEC @r = sp_getapplock N'x', 'Shared', 'Session', 0, 'nobody'", 1202, "The database-principal 'nobody' does not exist or user is not a member."},
		{"EXEC @r = sp_getapplock N'x', 'Shared', 'Session', 0, NULL", 1230, "An invalid database principal was passed to xp_userlock."},
		{"EXEC @r = sp_releaseapplock N'x', 'Bogus'", 15625, "Option 'Bogus' not recognized for '@LockOwner' parameter."},
		{"EXEC @r = sp_releaseapplock N'x'", 3918, "The statement or function must be executed in the context of a user transaction."},
		{"EXEC @r = sp_releaseapplock N'x', 'Session', 'nobody'", 1202, "The database-principal 'nobody' does not exist or user is not a member."},
	}
	for _, c := range cases {
		res := runBatch(context.Background(), a, "DECLARE @r int; "+c.batch+"; SELECT @r AS r;")
		if got := status(t, res); got != -999 {
			t.Errorf("%s: status %d, want -999", c.batch, got)
		}
		var msgs []string
		for _, ev := range res.events {
			if ev.Number != 0 {
				msgs = append(msgs, fmt.Sprintf("%d: %s", ev.Number, ev.Text))
			}
		}
		if want := fmt.Sprintf("%d: %s", c.number, c.text); len(msgs) != 1 || msgs[0] != want {
			t.Errorf("%s: messages %q, want %q", c.batch, msgs, want)
		}
	}
	// A missing @LockMode is a binding error before the procedure runs.
	if res := runBatch(context.Background(), a, "EXEC sp_getapplock N'x'"); len(res.errNumbers()) != 1 || res.errNumbers()[0] != 201 {
		t.Fatalf("missing @LockMode: %v", res.errs())
	}
}

func TestAppLockTransactionOwnerEndsWithTheTransaction(t *testing.T) {
	s, _ := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	b := connect(t, s, "SQLBACKUP", "master")
	if got := status(t, mustRun(t, a, "BEGIN TRAN; "+getLock("t", "Exclusive", "Transaction", 0))); got != 0 {
		t.Fatalf("transaction lock: %d", got)
	}
	if got := status(t, mustRun(t, a, getLock("t", "Exclusive", "Session", 0))); got != 0 {
		t.Fatalf("the session's own transaction lock must not block its session owner: %d", got)
	}
	mustRun(t, a, releaseLock("t", "Session"))
	if got := status(t, mustRun(t, b, getLock("t", "Shared", "Session", 0))); got != -1 {
		t.Fatalf("other session during the transaction: %d, want -1", got)
	}
	mustRun(t, a, "BEGIN TRAN; COMMIT")
	if got := status(t, mustRun(t, b, getLock("t", "Shared", "Session", 0))); got != -1 {
		t.Fatalf("a nested COMMIT must keep the lock: %d, want -1", got)
	}
	mustRun(t, a, "COMMIT")
	if got := status(t, mustRun(t, b, getLock("t", "Shared", "Session", 0))); got != 0 {
		t.Fatalf("after the outermost COMMIT: %d, want 0", got)
	}
}

func TestAppLockWaitsInSimulatedTime(t *testing.T) {
	s, clk := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, a, getLock("w", "Exclusive", "Session", 0))
	start := clk.Now()
	if got := status(t, mustRun(t, b, getLock("w", "Exclusive", "Session", 2500))); got != -1 {
		t.Fatalf("timed wait: %d, want -1", got)
	}
	if waited := clk.Now().Sub(start); waited < 2500*time.Millisecond {
		t.Fatalf("gave up after %v of simulated time, want 2.5s", waited)
	}
	// A waiter is granted (status 1) once the holder lets go.
	done := make(chan batchResult, 1)
	go func() { done <- runBatch(context.Background(), b, getLock("w", "Exclusive", "Session", -1)) }()
	watch := connect(t, s, "SQLBACKUP", "master")
	waitFor(t, func() bool {
		return len(mustRun(t, watch, "SELECT 1 AS x FROM sys.dm_tran_locks WHERE request_status = 'WAIT'").sets[0].rows) == 1
	})
	a.Close()
	if got := status(t, <-done); got != 1 {
		t.Fatalf("granted after waiting: %d, want 1", got)
	}
}

func TestAppLockDeadlockVictimGetsMinus3(t *testing.T) {
	s, _ := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	b := connect(t, s, "SQLBACKUP", "master")
	watch := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, a, getLock("d1", "Exclusive", "Session", 0))
	mustRun(t, b, getLock("d2", "Exclusive", "Session", 0))
	first := make(chan batchResult, 1)
	go func() { first <- runBatch(context.Background(), a, getLock("d2", "Exclusive", "Session", -1)) }()
	waitFor(t, func() bool {
		return len(mustRun(t, watch, "SELECT 1 AS x FROM sys.dm_tran_locks WHERE request_status = 'WAIT'").sets[0].rows) == 1
	})
	// b's request closes the cycle: b is the victim, and keeps what it holds, so a goes on waiting.
	if got := status(t, mustRun(t, b, getLock("d1", "Exclusive", "Session", -1))); got != -3 {
		t.Fatalf("deadlock victim: %d, want -3", got)
	}
	mustRun(t, b, releaseLock("d2", "Session"))
	if got := status(t, <-first); got != 1 {
		t.Fatalf("the survivor once the victim let go: %d, want 1", got)
	}
}

func TestAppLockViewsContextInfoAndResourceDescription(t *testing.T) {
	s, _ := newTestSim(t, "")
	a := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, a, getLock("pcfailback.control", "Exclusive", "Session", 0))
	mustRun(t, a, "SET CONTEXT_INFO 0x616C696365")
	spid := status(t, mustRun(t, a, "SELECT CAST(@@SPID AS int) AS r"))
	rows := query(t, s, "SQLBACKUP", "master", `SELECT l.resource_type, l.resource_database_id, l.resource_description,
		l.request_mode, l.request_status, l.request_owner_type, l.request_session_id, s.context_info
		FROM sys.dm_tran_locks AS l JOIN sys.dm_exec_sessions AS s ON s.session_id = l.request_session_id`)
	if len(rows.rows) != 1 {
		t.Fatalf("dm_tran_locks rows: %v", rows.rows)
	}
	want := map[string]any{"resource_type": "APPLICATION", "resource_database_id": int64(1), "request_mode": "X",
		"request_status": "GRANT", "request_owner_type": "SESSION", "request_session_id": spid}
	for col, v := range want {
		if got := rows.get(0, col); got != v {
			t.Errorf("%s = %v, want %v", col, got, v)
		}
	}
	desc, _ := rows.get(0, "resource_description").(string)
	if !strings.HasPrefix(desc, "0:[pcfailback.control]:(") || len(desc) != len("0:[pcfailback.control]:(12345678)") {
		t.Errorf("resource_description %q", desc)
	}
	if ci, _ := rows.get(0, "context_info").([]byte); !bytes.Equal(ci, []byte("alice")) {
		t.Errorf("dm_exec_sessions.context_info = %x", ci)
	}
	padded := mustRun(t, a, "SELECT CONTEXT_INFO() AS c").sets[0].get(0, "c").([]byte)
	if len(padded) != 128 || !bytes.HasPrefix(padded, []byte("alice")) || padded[5] != 0 {
		t.Errorf("CONTEXT_INFO() = %x", padded)
	}
	// Longer names show 32 characters in the description; context info longer than 128 bytes is cut.
	long := strings.Repeat("n", 40)
	mustRun(t, a, getLock(long, "Shared", "Session", 0))
	mustRun(t, a, "SET CONTEXT_INFO 0x"+strings.Repeat("41", 200))
	got := query(t, s, "SQLBACKUP", "master", "SELECT resource_description FROM sys.dm_tran_locks WHERE request_mode = 'S'")
	if d := got.get(0, "resource_description").(string); !strings.HasPrefix(d, "0:["+strings.Repeat("n", 32)+"]:(") {
		t.Errorf("long name description %q", d)
	}
	ci := query(t, s, "SQLBACKUP", "master", fmt.Sprintf("SELECT context_info FROM sys.dm_exec_sessions WHERE session_id = %d", spid))
	if b := ci.get(0, "context_info").([]byte); len(b) != 128 {
		t.Errorf("context info of %d bytes", len(b))
	}
	// Reading these views and functions is not a write; taking a lock and setting context info are.
	var writes []string
	for _, e := range s.Executed() {
		if e.Writes {
			writes = append(writes, e.Text)
		}
	}
	if len(writes) != 4 {
		t.Errorf("writes recorded: %q", writes)
	}
}
