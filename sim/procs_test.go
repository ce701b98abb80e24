package sim

import (
	"context"
	"strings"
	"testing"
)

func TestLogShippingProcedures(t *testing.T) {
	s, _ := newTestSim(t, "")
	p := connect(t, s, "SQLPRIMARY", "master")
	res := mustRun(t, p, `DECLARE @job uniqueidentifier, @id uniqueidentifier, @rc int;
EXEC @rc = master.dbo.sp_add_log_shipping_primary_database @database = N'mgc', @backup_directory = N'\\fs01.contoso.local\pchatls',
     @backup_share = N'\\fs01.contoso.local\pchatls', @backup_job_name = N'LSBackup_mgc', @backup_retention_period = 4320,
     @backup_job_id = @job OUTPUT, @primary_id = @id OUTPUT;
SELECT @rc AS rc, @job AS job, @id AS id;
SELECT name, enabled, category_id FROM msdb.dbo.sysjobs WHERE job_id = @job;
SELECT backup_threshold, threshold_alert, threshold_alert_enabled, history_retention_period FROM msdb.dbo.log_shipping_monitor_primary;`)
	out := res.sets[0]
	if out.get(0, "rc") != int64(0) || out.get(0, "job") == nil || out.get(0, "id") == nil {
		t.Fatalf("outputs: %v", out.rows)
	}
	if _, ok := parseGUID(out.get(0, "job").(string)); !ok {
		t.Fatalf("job id %v is not a uniqueidentifier", out.get(0, "job"))
	}
	if j := res.sets[1]; len(j.rows) != 1 || j.get(0, "enabled") != int64(0) || j.get(0, "category_id") != int64(categoryLogShipping) {
		t.Fatalf("the backup job is created disabled in Log Shipping: %v", j.rows)
	}
	// Documented defaults: threshold 60, alert 14420, alert disabled, retention 14420.
	if m := res.sets[2]; m.get(0, "backup_threshold") != int64(60) || m.get(0, "threshold_alert") != int64(14420) ||
		m.get(0, "threshold_alert_enabled") != false || m.get(0, "history_retention_period") != int64(14420) {
		t.Fatalf("defaults: %v", m.rows)
	}
	expectErrors(t, p, `EXEC master.dbo.sp_add_log_shipping_primary_database @database = N'mgc', @backup_directory = N'x',
		@backup_share = N'x', @backup_job_name = N'LSBackup_mgc', @backup_retention_period = 4320`, 32009)
	expectErrors(t, p, `EXEC master.dbo.sp_add_log_shipping_primary_database @database = N'nosuch', @backup_directory = N'x',
		@backup_share = N'x', @backup_job_name = N'x', @backup_retention_period = 1`, 15010)
	expectErrors(t, p, `EXEC master.dbo.sp_add_log_shipping_primary_database @database = N'mgccomp', @backup_directory = N'x',
		@backup_share = N'x', @backup_job_name = N'syspolicy_purge_history', @backup_retention_period = 1`, 32022)
	mustRun(t, p, "ALTER DATABASE mgccomp SET RECOVERY SIMPLE")
	expectErrors(t, p, `EXEC master.dbo.sp_add_log_shipping_primary_database @database = N'mgccomp', @backup_directory = N'x',
		@backup_share = N'x', @backup_job_name = N'LSBackup_mgccomp', @backup_retention_period = 1`, 32015)
	// The alert job is created once.
	mustRun(t, p, "EXEC master.dbo.sp_add_log_shipping_alert_job; EXEC master.dbo.sp_add_log_shipping_alert_job;")
	if n := query(t, s, "SQLPRIMARY", "msdb", "SELECT COUNT(*) AS n FROM sysjobs WHERE name LIKE N'LSAlert%'").get(0, "n"); n != int64(1) {
		t.Fatalf("%v alert jobs", n)
	}
	mustRun(t, p, `EXEC master.dbo.sp_add_log_shipping_primary_secondary @primary_database = N'mgc', @secondary_server = N'SQLBACKUP', @secondary_database = N'mgc'`)
	expectErrors(t, p, `EXEC master.dbo.sp_add_log_shipping_primary_secondary @primary_database = N'mgc', @secondary_server = N'SQLBACKUP', @secondary_database = N'mgc'`, 32012)
	expectErrors(t, p, `EXEC master.dbo.sp_delete_log_shipping_primary_database N'mgc'`, 32011)
	mustRun(t, p, `EXEC master.dbo.sp_delete_log_shipping_primary_secondary N'mgc', N'SQLBACKUP', N'mgc'`)
	mustRun(t, p, `EXEC master.dbo.sp_delete_log_shipping_primary_database @database = N'mgc'`)
	if n := query(t, s, "SQLPRIMARY", "msdb", "SELECT COUNT(*) AS n FROM sysjobs WHERE name = N'LSBackup_mgc'").get(0, "n"); n != int64(0) {
		t.Fatal("backup job left after sp_delete_log_shipping_primary_database")
	}

	// Secondary side: deleting the last secondary database removes the copy and restore jobs too.
	b := connect(t, s, "SQLBACKUP", "master")
	expectErrors(t, b, `EXEC master.dbo.sp_add_log_shipping_secondary_database @secondary_database = N'mgc', @primary_server = N'SQLPRIMARY', @primary_database = N'mgc', @restore_threshold = 45`, 32023)
	mustRun(t, b, f5dScript)
	expectErrors(t, b, `EXEC master.dbo.sp_add_log_shipping_secondary_primary @primary_server = N'SQLPRIMARY', @primary_database = N'mgc',
		@backup_source_directory = N'x', @backup_destination_directory = N'y', @copy_job_name = N'c', @restore_job_name = N'r'`, 32024)
	expectErrors(t, b, `EXEC master.dbo.sp_delete_log_shipping_secondary_primary N'SQLPRIMARY', N'mgc'`, 32025)
	res = expectErrors(t, b, `EXEC master.dbo.sp_add_log_shipping_secondary_database @secondary_database = N'mgc', @primary_server = N'SQLPRIMARY', @primary_database = N'mgc'`, 201)
	if !hasError(res, "'@restore_threshold'") {
		t.Fatalf("%q", res.errs())
	}
	mustRun(t, b, `EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc'`)
	if n := query(t, s, "SQLBACKUP", "msdb", "SELECT COUNT(*) AS n FROM sysjobs WHERE name LIKE N'LS[CR]%'").get(0, "n"); n != int64(0) {
		t.Fatalf("copy/restore jobs left: %v", n)
	}
	expectErrors(t, b, `EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc'`, 32014)
}

func TestProcedureBinding(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "msdb")
	// Positional arguments, then named.
	mustRun(t, b, "EXEC sp_start_job N'LSAlert_SQLBACKUP'")
	expectErrors(t, b, "EXEC sp_update_job @job_name = N'LSAlert_SQLBACKUP', 1", 119)
	expectErrors(t, b, "EXEC sp_who2 1, 2", 8144)
	expectErrors(t, b, "DECLARE @x int; EXEC sp_who2 @loginame = @x OUTPUT", 8162)
	// xp_fileexist with an OUTPUT parameter returns no result set.
	res := mustRun(t, b, `DECLARE @e int; EXEC master.dbo.xp_fileexist N'\\fs01.contoso.local\csmirror\`+firstFile(s, `\\fs01.contoso.local\csmirror`)+`', @e OUTPUT; SELECT @e AS e;`)
	if len(res.sets) != 1 || res.sets[0].get(0, "e") != int64(1) {
		t.Fatalf("xp_fileexist OUTPUT: %v", res.sets)
	}
	who := mustRun(t, b, "EXEC sp_who2 'active'").sets[0]
	if len(who.rows) != 1 || strings.TrimSpace(who.get(0, "Command").(string)) != "EXECUTE" {
		t.Fatalf("sp_who2 active: %v", who.rows)
	}
	help := mustRun(t, b, "EXEC sp_help_job @job_name = N'LSAlert_SQLBACKUP'")
	if len(help.sets) != 3 || help.sets[2].get(0, "freq_subday_interval") != int64(2) {
		t.Fatalf("sp_help_job: %d sets", len(help.sets))
	}
	all := mustRun(t, b, "EXEC sp_help_job").sets[0]
	if len(all.rows) != 2 {
		t.Fatalf("sp_help_job: %v", all.rows)
	}
	stop := runBatch(context.Background(), b, "EXEC sp_stop_job @job_name = N'syspolicy_purge_history'")
	if stop.errNumbers()[0] != 22022 {
		t.Fatalf("%q", stop.errs())
	}
}

func TestHelpProcedures(t *testing.T) {
	s, clk := newTestSim(t, "")
	failback(t, s, clk)
	b := connect(t, s, "SQLBACKUP", "master")
	db := mustRun(t, b, "EXEC sp_helpdb N'mgc'")
	if len(db.sets) != 2 || !strings.Contains(db.sets[0].get(0, "status").(string), "Status=RESTORING") || len(db.sets[1].rows) != 2 {
		t.Fatalf("sp_helpdb: %v", db.sets)
	}
	if all := mustRun(t, b, "sp_helpdb").sets[0]; len(all.rows) != 6 {
		t.Fatalf("sp_helpdb: %v", all.rows)
	}
	sec := mustRun(t, b, "EXEC master.dbo.sp_help_log_shipping_secondary_database @secondary_database = N'mgc'").sets[0]
	if sec.get(0, "restore_threshold") != int64(45) || sec.get(0, "last_restored_file") == nil {
		t.Fatalf("secondary: %v", sec.rows)
	}
	p := connect(t, s, "SQLPRIMARY", "master")
	pri := mustRun(t, p, "EXEC sp_help_log_shipping_primary_database @database = N'mgc'").sets[0]
	if pri.get(0, "backup_threshold") != int64(60) || pri.get(0, "last_backup_file") == nil {
		t.Fatalf("primary: %v", pri.rows)
	}
	if a := mustRun(t, p, "EXEC sp_help_log_shipping_alert_job").sets[0]; len(a.rows) != 1 {
		t.Fatalf("alert job: %v", a.rows)
	}
	expectErrors(t, p, "EXEC sp_help_log_shipping_primary_database @database = N'mgccomp'", 32010)
	files := query(t, s, "SQLPRIMARY", "msdb", "SELECT f.logical_name, f.file_type FROM backupfile f JOIN backupset s ON s.backup_set_id = f.backup_set_id WHERE s.type = 'D' AND s.name = N'mgc-Full Failback'")
	if len(files.rows) != 2 {
		t.Fatalf("backupfile: %v", files.rows)
	}
}
