package sim

import (
	"context"
	"testing"
	"time"
)

// FuzzAppLock runs arbitrary batches around the application lock procedures and functions on one session, then
// checks what must hold whatever they did: the views still answer, and when the session ends nothing it took is
// left behind, so another session can take any lock.
func FuzzAppLock(f *testing.F) {
	for _, b := range []string{
		getLock("pcfailback.control", "Exclusive", "Session", 0), releaseLock("x", "Session"),
		"DECLARE @r int; EXEC @r = sp_getapplock N'a', 'Shared', 'Session', -1, 'dbo'; EXEC sp_getapplock N'a', 'IntentExclusive', 'Session'; SELECT @r",
		"BEGIN TRAN; EXEC sp_getapplock N't', 'Update'; SELECT APPLOCK_MODE('public', N't', 'Transaction'); COMMIT",
		"SELECT APPLOCK_TEST('public', N'x', 'Exclusive', 'Session'), APPLOCK_MODE(NULL, NULL, NULL), CONTEXT_INFO()",
		"EXEC sp_getapplock @Resource = NULL, @LockMode = NULL, @LockOwner = NULL, @LockTimeout = NULL, @DbPrincipal = NULL",
		"SET CONTEXT_INFO 0x70636661696C6261636B; SELECT context_info FROM sys.dm_exec_sessions WHERE session_id = @@SPID",
		"EXEC sp_getapplock N'x', 'Exclusive', 'Session', 2147483647; EXEC sp_releaseapplock N'x', 'Session', 'db_owner'",
		"SELECT * FROM sys.dm_tran_locks; SELECT context_info FROM sys.sysprocesses",
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, batch string) {
		if len(batch) > 4096 {
			return
		}
		s, _ := newTestSim(t, "")
		a := connect(t, s, "SQLBACKUP", "master")
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		runBatch(ctx, a, batch)
		b := connect(t, s, "SQLBACKUP", "master")
		views := runBatch(context.Background(), b, "SELECT * FROM sys.dm_tran_locks; SELECT context_info FROM sys.dm_exec_sessions")
		if views.err != nil {
			t.Fatalf("views after %q: %v", batch, views.err)
		}
		for _, row := range views.sets[0].rows {
			if n, _ := row[9].(int64); n < 1 {
				t.Fatalf("a hold with reference count %v after %q", row[9], batch)
			}
		}
		a.Close()
		left := runBatch(context.Background(), b, "SELECT COUNT(*) AS n FROM sys.dm_tran_locks")
		if n := left.sets[0].get(0, "n"); n != int64(0) {
			t.Fatalf("%v locks outlived their session after %q", n, batch)
		}
		if got := runBatch(context.Background(), b, getLock("pcfailback.control", "Exclusive", "Session", 0)); got.err != nil || status(t, got) != 0 {
			t.Fatalf("lock not free after the session ended (%q): %v", batch, got.err)
		}
	})
}
