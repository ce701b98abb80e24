package sim

import (
	"fmt"
	"reflect"
	"testing"

	"pcfailback/clock"
)

// snapshot renders answers that contain generated values (GUIDs, LSNs, jitter-dependent times).
func snapshot(t *testing.T, s *Sim) []string {
	var out []string
	for _, q := range []struct{ server, sql string }{
		{"SQLBACKUP", "SELECT * FROM msdb.dbo.log_shipping_secondary"},
		{"SQLPRIMARY", "SELECT backup_set_uuid, first_lsn, last_lsn, backup_finish_date FROM msdb.dbo.backupset"},
		{"SQLBACKUP", "SELECT * FROM msdb.dbo.restorehistory"},
		{"SQLPRIMARY", "SELECT job_id, name FROM msdb.dbo.sysjobs"},
		{"SQLBACKUP", "SELECT database_id, mirroring_guid FROM sys.database_mirroring"},
		{"SQLBACKUP", "SELECT session_id, host_name, login_time FROM sys.dm_exec_sessions"},
	} {
		for _, r := range query(t, s, q.server, "master", q.sql).rows {
			out = append(out, fmt.Sprint(r...))
		}
	}
	return out
}

func TestDeterminism(t *testing.T) {
	run := func(seed int64) ([]Execution, []string, []string) {
		clk := clock.NewVirtual(epoch)
		s, err := New(Options{Seed: seed, Clock: clk})
		if err != nil {
			t.Fatal(err)
		}
		answers := failback(t, s, clk)
		return s.Executed(), answers, snapshot(t, s)
	}
	e1, a1, s1 := run(7)
	e2, a2, s2 := run(7)
	if !reflect.DeepEqual(e1, e2) {
		for i := range e1 {
			if i < len(e2) && !reflect.DeepEqual(e1[i], e2[i]) {
				t.Fatalf("execution %d differs:\n%+v\n%+v", i, e1[i], e2[i])
			}
		}
		t.Fatalf("executions differ: %d vs %d", len(e1), len(e2))
	}
	if !reflect.DeepEqual(a1, a2) || !reflect.DeepEqual(s1, s2) {
		t.Fatal("same seed, same operations, different answers")
	}
	_, _, s3 := run(8)
	if reflect.DeepEqual(s1, s3) {
		t.Fatal("a different seed gave identical GUIDs and LSNs")
	}
}

func TestExecutedRecordsWrites(t *testing.T) {
	s, clk := newTestSim(t, "")
	// A monitoring pass: health batches, the §3 queries, sp_who2, read-only cmdlets.
	for _, server := range []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"} {
		sess := connect(t, s, server, "master")
		for _, q := range []string{healthBatch, q31, q32, q33a, q33b, q34, jobsQuery, sessionsQuery, q36b, q37, q38,
			"sp_who2", "EXEC msdb.dbo.sp_help_job", f3bHeader} {
			runBatch(t.Context(), sess, q)
		}
	}
	mustCmd(t, s, "Get-CsPersistentChatState")
	clk.Advance(10 * 60 * 1e9)
	for _, e := range s.Executed() {
		if e.Writes {
			t.Fatalf("monitoring wrote: %+v", e)
		}
		if e.Kind != ExecSQL || e.Session < 51 || e.Login != `CONTOSO\dba` || e.Text == "" {
			t.Fatalf("execution record: %+v", e)
		}
	}
	n := len(s.Executed())
	// A step that writes is marked, even when it fails.
	b := connect(t, s, "SQLBACKUP", "master")
	runBatch(t.Context(), b, "BACKUP DATABASE nosuch TO DISK = N'x.bak'")
	mustRun(t, b, "RESTORE VERIFYONLY FROM DISK = N'"+`\\fs01.contoso.local\csmirror\`+firstFile(s, `\\fs01.contoso.local\csmirror`)+"'")
	mustRun(t, b, "ALTER DATABASE mgccomp SET PARTNER OFF")
	mustRun(t, b, "EXEC msdb.dbo.sp_add_schedule @schedule_name = N'x', @freq_type = 4, @freq_interval = 1, @freq_subday_type = 1")
	ex := s.Executed()[n:]
	want := []bool{true, false, true, true}
	if len(ex) != len(want) {
		t.Fatalf("%d executions", len(ex))
	}
	for i, e := range ex {
		if e.Writes != want[i] {
			t.Errorf("%q: Writes %v", e.Text, e.Writes)
		}
	}
	if ex[0].Err == "" || ex[1].Err != "" || ex[0].Database != "master" || ex[0].Target != "SQLBACKUP" {
		t.Errorf("records: %+v", ex[:2])
	}
}

// firstFile is the first file name of a folder.
func firstFile(s *Sim, dir string) string {
	best := ""
	for name := range s.Files("", dir) {
		if best == "" || name < best {
			best = name
		}
	}
	return best
}
