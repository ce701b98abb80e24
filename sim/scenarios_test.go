package sim

import (
	"strings"
	"testing"
	"time"
)

// lastOutcome returns the newest job outcome row (step 0) of a job.
func lastOutcome(t *testing.T, s *Sim, server, job string) resultSet {
	t.Helper()
	return query(t, s, server, "msdb", `SELECT TOP (1) h.run_status, h.message, h.sql_message_id FROM sysjobhistory h
		JOIN sysjobs j ON j.job_id = h.job_id WHERE j.name = N'`+job+`' AND h.step_id = 0 ORDER BY h.instance_id DESC`)
}

// lastStep returns the newest step row (step 1) of a job.
func lastStep(t *testing.T, s *Sim, server, job string) resultSet {
	t.Helper()
	return query(t, s, server, "msdb", `SELECT TOP (1) h.run_status, h.message FROM sysjobhistory h
		JOIN sysjobs j ON j.job_id = h.job_id WHERE j.name = N'`+job+`' AND h.step_id = 1 ORDER BY h.instance_id DESC`)
}

// The copy job runs as the Agent account of the backup instance: without read access to the share it fails,
// and its history quotes the access-denied error.
func TestCopyJobShareDenied(t *testing.T) {
	s, clk := newTestSim(t, "agent-share-denied")
	failbackUpToLogShipping(t, s, clk)
	clk.Advance(20 * time.Minute)
	out := lastOutcome(t, s, "SQLBACKUP", "LSCopy_SQLPRIMARY_mgc")
	if out.get(0, "run_status") != int64(0) {
		t.Fatalf("copy job: %v", out.rows)
	}
	step := lastStep(t, s, "SQLBACKUP", "LSCopy_SQLPRIMARY_mgc")
	msg := step.get(0, "message").(string)
	if !strings.HasPrefix(msg, `Executed as user: CONTOSO\svc-agt-bak. `) || !strings.Contains(msg, `Access to the path '\\fs01.contoso.local\pchatls\' is denied.`) {
		t.Fatalf("step message: %s", msg)
	}
	errs := query(t, s, "SQLBACKUP", "msdb", "SELECT TOP (50) * FROM log_shipping_monitor_error_detail ORDER BY log_time DESC")
	if len(errs.rows) == 0 {
		t.Fatal("no error detail")
	}
	if mon := query(t, s, "SQLBACKUP", "master", "EXEC sp_help_log_shipping_monitor"); mon.get(0, "status") != true {
		t.Fatalf("monitor: %v", mon.rows)
	}
}

// failbackUpToLogShipping runs F1 ... F5d (no mirroring in the primary data center).
func failbackUpToLogShipping(t *testing.T, s *Sim, clk interface{ Advance(time.Duration) }) {
	t.Helper()
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", nil))
	clk.Advance(3 * time.Minute)
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	mustRun(t, b, f3Script)
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, f4Script)
	mustRun(t, p, f5bBackup)
	mustRun(t, b, f5bRestore)
	mustRun(t, p, f5cScript)
	mustRun(t, b, f5dScript)
}

// With SQL Agent stopped on the primary nothing is backed up, and the secondary's alert fires once the restore
// threshold has passed since log shipping was configured.
func TestPrimaryAgentStopped(t *testing.T) {
	s, clk := newTestSim(t, "primary-agent-stopped")
	failbackUpToLogShipping(t, s, clk)
	clk.Advance(50 * time.Minute)
	if h := query(t, s, "SQLPRIMARY", "msdb", "SELECT COUNT(*) AS n FROM sysjobhistory h JOIN sysjobs j ON j.job_id = h.job_id WHERE j.name LIKE N'LS%'"); h.get(0, "n") != int64(0) {
		t.Fatalf("jobs ran with Agent stopped: %v", h.rows)
	}
	alert := lastStep(t, s, "SQLBACKUP", "LSAlert_SQLBACKUP")
	if alert.get(0, "run_status") != int64(0) || !strings.Contains(alert.get(0, "message").(string), "(Error 14421)") {
		t.Fatalf("alert: %v", alert.rows)
	}
}

func TestJobOwnerUnresolvable(t *testing.T) {
	s, clk := newTestSim(t, "job-owner-unresolvable")
	failbackUpToLogShipping(t, s, clk)
	clk.Advance(16 * time.Minute)
	out := lastOutcome(t, s, "SQLPRIMARY", "LSBackup_mgc")
	if out.get(0, "run_status") != int64(0) || !strings.Contains(out.get(0, "message").(string),
		`Unable to determine if the owner (CONTOSO\dba) of job LSBackup_mgc has server access (reason: Could not obtain information about Windows NT group/user 'CONTOSO\dba', error code 0x5. [SQLSTATE 42000] (Error 15404)).`) {
		t.Fatalf("backup job: %v", out.rows)
	}
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, "EXEC msdb.dbo.sp_update_job @job_name = N'LSBackup_mgc', @owner_login_name = N'sa'")
	clk.Advance(15 * time.Minute)
	if out := lastOutcome(t, s, "SQLPRIMARY", "LSBackup_mgc"); out.get(0, "run_status") != int64(1) {
		t.Fatalf("after the owner change: %v", out.rows)
	}
}

func TestSingleUserStolen(t *testing.T) {
	s, clk := newTestSim(t, "single-user-stolen")
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", nil))
	clk.Advance(3 * time.Minute)
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	mustRun(t, b, f3Script)
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, "ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE")
	clk.Advance(5 * time.Second)
	expectErrors(t, p, "RESTORE DATABASE [mgc] FROM DISK = N'"+failbackBak+"' WITH REPLACE, RECOVERY", 3101, 3013)
	who := query(t, s, "SQLPRIMARY", "master", sessionsQuery)
	if len(who.rows) != 1 || who.get(0, "host_name") != "ADMIN-PC07" {
		t.Fatalf("the single session: %v", who.rows)
	}
}

// F5e: log shipping from the primary's mirror. While it is the mirror its backup job skips and succeeds; after a
// mirroring failover it ships to the same share and the secondary's chain continues.
func TestLogShippingFromMirror(t *testing.T) {
	s, clk := newTestSim(t, "")
	failback(t, s, clk)
	failover := func(to string) {
		mustCmd(t, s, "Invoke-CsDatabaseFailover", np("PoolFqdn", "pchat.contoso.local"), np("DatabaseType", "PersistentChat"), np("NewPrincipal", to))
	}
	failover("Mirror")
	pm := connect(t, s, "SQLPRIMARY-MIR", "master")
	mustRun(t, pm, f5cScript)
	failover("Primary")
	clk.Advance(20 * time.Minute)
	step := lastStep(t, s, "SQLPRIMARY-MIR", "LSBackup_mgc")
	if step.get(0, "run_status") != int64(1) {
		t.Fatalf("mirror's backup job: %v", step.rows)
	}
	hist := query(t, s, "SQLPRIMARY-MIR", "msdb", "SELECT message, session_status FROM log_shipping_monitor_history_detail WHERE message LIKE N'Skipped log backup.%'")
	if len(hist.rows) == 0 || hist.get(0, "session_status") != int64(lsSuccess) {
		t.Fatalf("mirror's history: %v", hist.rows)
	}
	// Now the mirror becomes the principal: it ships, and the secondary keeps restoring.
	failover("Mirror")
	clk.Advance(35 * time.Minute)
	if out := lastOutcome(t, s, "SQLBACKUP", "LSRestore_SQLPRIMARY_mgc"); out.get(0, "run_status") != int64(1) {
		t.Fatalf("restore after the mirroring failover: %v", out.rows)
	}
	rh := query(t, s, "SQLBACKUP", "msdb", `SELECT TOP (1) bs.server_name FROM restorehistory rh JOIN backupset bs
		ON bs.backup_set_id = rh.backup_set_id ORDER BY rh.restore_history_id DESC`)
	if rh.get(0, "server_name") != "SQLPRIMARY-MIR" {
		t.Fatalf("last restored log came from %v", rh.rows)
	}
	// The Persistent Chat servers followed the principal.
	if c := s.Connections(); c["pc01.contoso.local"] != "SQLPRIMARY-MIR" {
		t.Fatalf("connections: %v", c)
	}
}

// A log backup taken outside log shipping breaks the chain: the secondary's restore job fails with 4305 until
// that backup is restored by hand.
func TestLogShippingBrokenChain(t *testing.T) {
	s, clk := newTestSim(t, "")
	failbackUpToLogShipping(t, s, clk)
	clk.Advance(16 * time.Minute)
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, "BACKUP LOG [mgc] TO DISK = N'adhoc.trn' WITH INIT")
	clk.Advance(31 * time.Minute)
	out := lastOutcome(t, s, "SQLBACKUP", "LSRestore_SQLPRIMARY_mgc")
	step := lastStep(t, s, "SQLBACKUP", "LSRestore_SQLPRIMARY_mgc")
	if out.get(0, "run_status") != int64(0) || !strings.Contains(step.get(0, "message").(string), "which is too recent to apply to the database") {
		t.Fatalf("restore job: %v / %v", out.rows, step.rows)
	}
	if mon := query(t, s, "SQLBACKUP", "master", "EXEC sp_help_log_shipping_monitor"); mon.get(0, "status") != true {
		t.Fatalf("monitor: %v", mon.rows)
	}
}
