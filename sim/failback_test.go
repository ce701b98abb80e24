package sim

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pcfailback/clock"
)

// The scripts of procedure.md §2, with the estate's names.
const (
	f2Script = `USE [master];
ALTER DATABASE [mgc]     SET PARTNER OFF;
ALTER DATABASE [mgccomp] SET PARTNER OFF;`

	f2Check = `SELECT d.name, m.mirroring_guid FROM sys.databases d JOIN sys.database_mirroring m ON
  m.database_id = d.database_id WHERE d.name IN (N'mgc',N'mgccomp');`

	failbackBak = `\\fs01.contoso.local\pchatls\mgc_failback_20240312_093500.bak`
	lsInitBak   = `\\fs01.contoso.local\pchatls\mgc_lsinit_20240312_113000.bak`

	f3Script = `USE [master];
BACKUP DATABASE [mgc]
  TO DISK = N'` + failbackBak + `'
  WITH INIT, FORMAT, CHECKSUM,
       NAME = N'mgc-Full Failback', DESCRIPTION = N'Persistent Chat failback',
       STATS = 10;`

	f3bVerify = `RESTORE VERIFYONLY FROM DISK = N'` + failbackBak + `'
  WITH FILE = 1, CHECKSUM, STATS = 10;`
	f3bHeader   = `RESTORE HEADERONLY   FROM DISK = N'` + failbackBak + `';`
	f3bFileList = `RESTORE FILELISTONLY FROM DISK = N'` + failbackBak + `';`

	f4Script = `USE [master];
-- (added) kick remaining sessions; WITH ROLLBACK IMMEDIATE disconnects them at once [S45]
ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;
RESTORE DATABASE [mgc]
  FROM DISK = N'` + failbackBak + `'
  WITH FILE = 1, REPLACE, RECOVERY, CHECKSUM, STATS = 10;
  -- add MOVE N'<logical>' TO N'<physical>' per file if F3b showed foreign paths
ALTER DATABASE [mgc] SET MULTI_USER;   -- only if sys.databases still shows SINGLE_USER`

	orphanCheck = `SELECT dp.name FROM [mgc].sys.database_principals dp LEFT JOIN sys.server_principals sp ON
    sp.sid = dp.sid WHERE dp.type IN ('S','U','G') AND sp.sid IS NULL AND dp.sid IS NOT NULL AND dp.principal_id > 4;`

	f5bBackup = `BACKUP DATABASE [mgc] TO DISK = N'` + lsInitBak + `'
  WITH INIT, FORMAT, CHECKSUM, STATS = 10;`

	f5bRestore = `USE [master];
RESTORE DATABASE [mgc] FROM DISK = N'` + lsInitBak + `'
  WITH FILE = 1, REPLACE, NORECOVERY, STATS = 10;   -- leaves mgc RESTORING`

	f5cScript = `DECLARE @LS_BackupJobId uniqueidentifier, @LS_PrimaryId uniqueidentifier, @rc int;
EXEC @rc = master.dbo.sp_add_log_shipping_primary_database
     @database = N'mgc',
     @backup_directory = N'\\fs01.contoso.local\pchatls',   -- or local path if the folder is on <P>
     @backup_share     = N'\\fs01.contoso.local\pchatls',
     @backup_job_name  = N'LSBackup_mgc',
     @backup_retention_period = 4320,               -- minutes
     @backup_compression = 2,                        -- 2 = server default
     @backup_threshold = 60, @threshold_alert_enabled = 1,
     @history_retention_period = 5760,
     @backup_job_id = @LS_BackupJobId OUTPUT, @primary_id = @LS_PrimaryId OUTPUT,
     @overwrite = 1;
IF (@@ERROR = 0 AND @rc = 0)
BEGIN
  DECLARE @uid uniqueidentifier, @sid int;
  EXEC msdb.dbo.sp_add_schedule @schedule_name = N'LSBackupSchedule_mgc', @enabled = 1,
       @freq_type = 4, @freq_interval = 1, @freq_subday_type = 4, @freq_subday_interval = 15,
       @freq_recurrence_factor = 0, @active_start_date = 20240101, @active_end_date = 99991231,
       @active_start_time = 0, @active_end_time = 235900,
       @schedule_uid = @uid OUTPUT, @schedule_id = @sid OUTPUT;
  EXEC msdb.dbo.sp_attach_schedule @job_id = @LS_BackupJobId, @schedule_id = @sid;
  EXEC msdb.dbo.sp_update_job @job_id = @LS_BackupJobId, @enabled = 1;
END
EXEC master.dbo.sp_add_log_shipping_alert_job;          -- creates alert job if absent, every 2 min [S23]
EXEC master.dbo.sp_add_log_shipping_primary_secondary
     @primary_database = N'mgc', @secondary_server = N'SQLBACKUP', @secondary_database = N'mgc',
     @overwrite = 1;`

	f5dScript = `DECLARE @copy uniqueidentifier, @rest uniqueidentifier, @sec uniqueidentifier, @rc int;
EXEC @rc = master.dbo.sp_add_log_shipping_secondary_primary
     @primary_server = N'SQLPRIMARY', @primary_database = N'mgc',
     @backup_source_directory      = N'\\fs01.contoso.local\pchatls',
     @backup_destination_directory = N'D:\LSCopy\mgc',          -- <COPYDIR>
     @copy_job_name    = N'LSCopy_SQLPRIMARY_mgc',
     @restore_job_name = N'LSRestore_SQLPRIMARY_mgc',
     @file_retention_period = 4320, @overwrite = 1,
     @copy_job_id = @copy OUTPUT, @restore_job_id = @rest OUTPUT, @secondary_id = @sec OUTPUT;
DECLARE @cs int, @rs int, @uid uniqueidentifier;
EXEC msdb.dbo.sp_add_schedule @schedule_name = N'DefaultCopyJobSchedule', @enabled = 1,
     @freq_type = 4, @freq_interval = 1, @freq_subday_type = 4, @freq_subday_interval = 15,
     @freq_recurrence_factor = 0, @active_start_date = 20240101, @active_end_date = 99991231,
     @active_start_time = 0, @active_end_time = 235900, @schedule_uid = @uid OUTPUT, @schedule_id = @cs OUTPUT;
EXEC msdb.dbo.sp_attach_schedule @job_id = @copy, @schedule_id = @cs;
EXEC msdb.dbo.sp_add_schedule @schedule_name = N'DefaultRestoreJobSchedule', @enabled = 1,
     @freq_type = 4, @freq_interval = 1, @freq_subday_type = 4, @freq_subday_interval = 15,
     @freq_recurrence_factor = 0, @active_start_date = 20240101, @active_end_date = 99991231,
     @active_start_time = 0, @active_end_time = 235900, @schedule_uid = @uid OUTPUT, @schedule_id = @rs OUTPUT;
EXEC msdb.dbo.sp_attach_schedule @job_id = @rest, @schedule_id = @rs;
EXEC master.dbo.sp_add_log_shipping_secondary_database
     @secondary_database = N'mgc', @primary_server = N'SQLPRIMARY', @primary_database = N'mgc',
     @restore_delay = 0, @restore_mode = 0,          -- 0 = NORECOVERY (Lync: "No recovery mode")
     @disconnect_users = 0, @restore_threshold = 45, @threshold_alert_enabled = 1,
     @history_retention_period = 5760, @overwrite = 1;
EXEC msdb.dbo.sp_update_job @job_id = @copy, @enabled = 1;
EXEC msdb.dbo.sp_update_job @job_id = @rest, @enabled = 1;`

	jobsQuery = `SELECT j.name, j.enabled, c.name AS category,
       ja.start_execution_date, ja.stop_execution_date, ja.next_scheduled_run_date,
       CASE WHEN ja.start_execution_date IS NOT NULL AND ja.stop_execution_date IS NULL
            THEN 'Running' ELSE 'Idle' END AS run_state,
       h.run_status, h.run_date, h.run_time, h.run_duration, h.message
FROM msdb.dbo.sysjobs j
JOIN msdb.dbo.syscategories c ON c.category_id = j.category_id
LEFT JOIN msdb.dbo.sysjobactivity ja ON ja.job_id = j.job_id
      AND ja.session_id = (SELECT MAX(session_id) FROM msdb.dbo.syssessions)
OUTER APPLY (SELECT TOP (1) run_status, run_date, run_time, run_duration, message
             FROM msdb.dbo.sysjobhistory WHERE job_id = j.job_id AND step_id = 0
             ORDER BY instance_id DESC) h
WHERE c.name LIKE N'Log Shipping%' OR j.name LIKE N'LS%';`

	sessionsQuery = `SELECT session_id, login_name, host_name, program_name, status, last_request_end_time
FROM sys.dm_exec_sessions WHERE database_id = DB_ID(N'mgc') AND session_id <> @@SPID;`
)

const poolID = "service:pchat.contoso.local"

// failback drives the whole procedure (F1 ... F6) against s, checking the postconditions of every step, and
// returns the answers of the final checks (for the determinism test).
func failback(t *testing.T, s *Sim, clk *clock.Virtual) []string {
	t.Helper()
	var answers []string
	note := func(set resultSet) {
		for _, r := range set.rows {
			answers = append(answers, fmt.Sprint(r...))
		}
	}

	// F1: clear the active server list; the backup data center's servers drain within DrainAfter.
	psStep(t, s, "Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers $null -Confirm:$false")
	if got := query(t, s, "SQLBACKUP", "master", sessionsQuery); len(got.rows) != 6 {
		t.Fatalf("F1: sessions drained at once, want them to stay for DrainAfter: %v", got.rows)
	}
	clk.Advance(3 * time.Minute)
	if got := query(t, s, "SQLBACKUP", "master", sessionsQuery); len(got.rows) != 0 {
		t.Fatalf("F1: sessions on the backup mgc after draining: %v", got.rows)
	}

	// F2: remove mirroring on the backup databases.
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	chk := mustRun(t, b, f2Check).sets[0]
	for i := range chk.rows {
		if chk.get(i, "mirroring_guid") != nil {
			t.Fatalf("F2: %v still mirrored", chk.rows[i])
		}
	}
	bm := query(t, s, "SQLBACKUP-MIR", "master", "SELECT name, state_desc FROM sys.databases WHERE name = N'mgc'")
	if bm.get(0, "state_desc") != "RESTORING" {
		t.Fatalf("F2: former mirror is %v, want RESTORING", bm.rows)
	}

	// F3: the failback backup.
	f3 := mustRun(t, b, f3Script)
	infos := f3.infos()
	if infos[0] != "Changed database context to 'master'." || infos[len(infos)-1][:len("BACKUP DATABASE successfully processed")] != "BACKUP DATABASE successfully processed" {
		t.Fatalf("F3 messages: %q", infos)
	}
	messagesAtBackup := mustInfo(t, s, "SQLBACKUP", "mgc").Messages

	// F3b: verify from both instances.
	for _, server := range []string{"SQLBACKUP", "SQLPRIMARY"} {
		sess := connect(t, s, server, "master")
		v := mustRun(t, sess, f3bVerify)
		if got := v.infos(); got[len(got)-1] != "The backup set on file 1 is valid." {
			t.Fatalf("F3b on %s: %q", server, got)
		}
		h := mustRun(t, sess, f3bHeader).sets[0]
		if h.get(0, "DatabaseName") != "mgc" || h.get(0, "BackupType") != int64(1) || h.get(0, "HasBackupChecksums") != true {
			t.Fatalf("F3b HEADERONLY: %v", h.rows)
		}
		fl := mustRun(t, sess, f3bFileList).sets[0]
		if len(fl.rows) != 2 || fl.get(0, "LogicalName") != "mgc" || fl.get(1, "Type") != "L" {
			t.Fatalf("F3b FILELISTONLY: %v", fl.rows)
		}
	}

	// F4: restore over the rebuilt primary.
	p := connect(t, s, "SQLPRIMARY", "master")
	f4 := mustRun(t, p, f4Script)
	if !containsText(f4.infos(), "RESTORE DATABASE successfully processed") {
		t.Fatalf("F4 messages: %q", f4.infos())
	}
	db := mustRun(t, p, "SELECT name, state_desc, recovery_model_desc, user_access_desc FROM sys.databases WHERE name = N'mgc'").sets[0]
	if db.get(0, "state_desc") != "ONLINE" || db.get(0, "recovery_model_desc") != "FULL" || db.get(0, "user_access_desc") != "MULTI_USER" {
		t.Fatalf("F4 postcondition: %v", db.rows)
	}
	rh := mustRun(t, p, `SELECT TOP (1) rh.destination_database_name, rh.restore_type, rh.replace, rh.recovery, bs.name
		FROM msdb.dbo.restorehistory rh JOIN msdb.dbo.backupset bs ON bs.backup_set_id = rh.backup_set_id
		ORDER BY rh.restore_history_id DESC`).sets[0]
	if rh.get(0, "restore_type") != "D" || rh.get(0, "replace") != true || rh.get(0, "recovery") != true || rh.get(0, "name") != "mgc-Full Failback" {
		t.Fatalf("F4 restorehistory: %v", rh.rows)
	}
	if o := mustRun(t, p, orphanCheck).sets[0]; len(o.rows) != 0 {
		t.Fatalf("F4 orphans: %v", o.rows)
	}
	if got := mustInfo(t, s, "SQLPRIMARY", "mgc").Messages; got != messagesAtBackup {
		t.Fatalf("F4: primary holds %d messages, the failback backup had %d", got, messagesAtBackup)
	}

	// F5a: mirroring in the primary data center.
	_, verbose := psStep(t, s, "Install-CsMirrorDatabase -SqlServerFqdn 'sqlprimary.contoso.local' -DatabaseType PersistentChat "+
		"-FileShare '\\\\fs01.contoso.local\\csmirror' -DropExistingDatabasesOnMirror -Verbose -Confirm:$false")
	if len(verbose) < 5 || !strings.HasPrefix(verbose[0], "VERBOSE: ") {
		t.Fatalf("F5a verbose: %q", verbose)
	}
	if info := mustInfo(t, s, "SQLPRIMARY", "mgc"); info.MirroringRole != "PRINCIPAL" || info.MirroringState != "SYNCHRONIZED" || info.MirroringPartner != "SQLPRIMARY-MIR" {
		t.Fatalf("F5a: %+v", info)
	}

	// F5b: initialize the secondary from a new full backup of the primary.
	mustRun(t, p, f5bBackup)
	mustRun(t, b, f5bRestore)
	if info := mustInfo(t, s, "SQLBACKUP", "mgc"); info.State != "RESTORING" {
		t.Fatalf("F5b: backup mgc is %s", info.State)
	}

	// F5c and F5d.
	mustRun(t, p, f5cScript)
	mustRun(t, b, f5dScript)

	// F6: pool state Normal, then the primary data center's servers active.
	psStep(t, s, "Set-CsPersistentChatState -Identity \"service:pchat.contoso.local\" -PoolState Normal -Confirm:$false\n"+
		"Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers @{Replace='pc01.contoso.local','pc02.contoso.local'} -Confirm:$false")

	// Let the schedules run: backup, copy and restore every 15 minutes.
	clk.Advance(50 * time.Minute)

	jobs := query(t, s, "SQLBACKUP", "master", jobsQuery)
	note(jobs)
	seen := map[string]bool{}
	for i := range jobs.rows {
		name := jobs.get(i, "name").(string)
		if strings.HasPrefix(name, "LSCopy_") || strings.HasPrefix(name, "LSRestore_") {
			seen[name] = true
			if jobs.get(i, "run_status") != int64(1) {
				t.Fatalf("F5: %s last outcome %v: %v", name, jobs.get(i, "run_status"), jobs.get(i, "message"))
			}
		}
	}
	if !seen["LSCopy_SQLPRIMARY_mgc"] || !seen["LSRestore_SQLPRIMARY_mgc"] {
		t.Fatalf("F5: jobs on the backup instance: %v", jobs.rows)
	}
	pjobs := query(t, s, "SQLPRIMARY", "master", jobsQuery)
	note(pjobs)
	for i := range pjobs.rows {
		if pjobs.get(i, "name") == "LSBackup_mgc" && pjobs.get(i, "run_status") != int64(1) {
			t.Fatalf("F5: LSBackup_mgc: %v", pjobs.rows[i])
		}
	}
	mon := query(t, s, "SQLBACKUP", "master", `SELECT secondary_database, last_copied_file, last_restored_file, last_restored_latency FROM msdb.dbo.log_shipping_monitor_secondary`)
	note(mon)
	if len(mon.rows) != 1 || mon.get(0, "last_restored_file") == nil {
		t.Fatalf("F5: monitor: %v", mon.rows)
	}
	status := query(t, s, "SQLBACKUP", "master", "EXEC master.dbo.sp_help_log_shipping_monitor")
	note(status)
	if status.get(0, "status") != false {
		t.Fatalf("F5: sp_help_log_shipping_monitor: %v", status.rows)
	}

	// Final state.
	if info := mustInfo(t, s, "SQLBACKUP", "mgc"); info.State != "RESTORING" || info.MirroringRole != "" {
		t.Fatalf("final: backup mgc %+v", info)
	}
	if info := mustInfo(t, s, "SQLBACKUP", "mgccomp"); info.MirroringRole != "" {
		t.Fatalf("final: backup mgccomp still mirrored %+v", info)
	}
	if info := mustInfo(t, s, "SQLPRIMARY", "mgc"); info.State != "ONLINE" || info.Access != "MULTI_USER" {
		t.Fatalf("final: primary mgc %+v", info)
	}
	state, active := s.PoolState()
	if state != "Normal" || strings.Join(active, ",") != "pc01.contoso.local,pc02.contoso.local" {
		t.Fatalf("final: pool %s %v", state, active)
	}
	onP := query(t, s, "SQLPRIMARY", "master", sessionsQuery)
	hosts := map[any]int{}
	for i := range onP.rows {
		hosts[onP.get(i, "host_name")]++
	}
	if hosts["PC01"] != 3 || hosts["PC02"] != 3 {
		t.Fatalf("final: sessions on the primary mgc: %v", onP.rows)
	}
	if onB := query(t, s, "SQLBACKUP", "master", "SELECT COUNT(*) AS n FROM sys.dm_exec_sessions WHERE program_name = N'Persistent Chat Service'"); onB.get(0, "n") != int64(0) {
		t.Fatalf("final: Persistent Chat sessions on the backup instance: %v", onB.rows)
	}
	return answers
}

// psStep runs a console-style script (ErrorActionPreference Stop, Import-Module Lync) that must succeed and
// returns its stdout and stderr lines.
func psStep(t *testing.T, s *Sim, body string) ([]string, []string) {
	t.Helper()
	out, errs, code := psRun(t, s, "$ErrorActionPreference = 'Stop'\nImport-Module Lync\n"+body+"\n")
	if code != 0 {
		t.Fatalf("script failed (exit %d):\n%s\n%s", code, body, strings.Join(errs, "\n"))
	}
	return out, errs
}

func mustInfo(t testing.TB, s *Sim, server, db string) DatabaseInfo {
	t.Helper()
	info, ok := s.Database(server, db)
	if !ok {
		t.Fatalf("no database %s on %s", db, server)
	}
	return info
}

func containsText(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func TestFailbackHappyPath(t *testing.T) {
	s, clk := newTestSim(t, "")
	failback(t, s, clk)
}
