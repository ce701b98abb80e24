package tsql

import (
	"strings"
	"testing"
)

// jobsQuery is §3.5 as the console sends it.
const jobsQuery = q35

func TestProcedureDatabaseState(t *testing.T) {
	sameLines(t, one(t, estate(0), q31), []string{
		"mgc|ONLINE|FULL|MULTI_USER|0|0",
		"mgccomp|ONLINE|FULL|MULTI_USER|0|0",
	})
}

func TestProcedureMirroring(t *testing.T) {
	sameLines(t, one(t, estate(0), q32), []string{
		"mgc|PRINCIPAL|SYNCHRONIZED|TCP://sqlbackup-mir.contoso.local:5022|SQLBACKUP-MIR||UNKNOWN|FULL",
		"mgccomp|PRINCIPAL|SYNCHRONIZED|TCP://sqlbackup-mir.contoso.local:5022|SQLBACKUP-MIR||UNKNOWN|FULL",
	})
}

func TestProcedureBackupHistory(t *testing.T) {
	ts := mustRun(t, estate(0), q33)
	if len(ts) != 2 {
		t.Fatalf("got %d result sets", len(ts))
	}
	rows := grid(ts[0])
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "mgc|D|0|2024-01-01 12:00:00.000|2024-01-01 12:04:00.000|21474836480") ||
		!strings.HasSuffix(rows[0], `\\fs01.contoso.local\pchatls\mgc_failback_20240101_120000.bak|2`) {
		t.Fatalf("backup history rows:\n%s", strings.Join(rows, "\n"))
	}
	if !strings.HasPrefix(rows[2], "mgc|D|0|2023-12-30 09:00:00.000") {
		t.Fatalf("not ordered by finish date descending:\n%s", strings.Join(rows, "\n"))
	}
	latest := grid(ts[1])
	want := map[string]bool{"mgc|D|2024-01-01 12:04:00.000": true, "mgc|L|2023-12-30 09:05:10.000": true, "mgccomp|D|2023-12-30 09:10:30.000": true}
	if len(latest) != 3 {
		t.Fatalf("latest per database and type: %v", latest)
	}
	for _, r := range latest {
		if !want[r] {
			t.Fatalf("unexpected row %q in %v", r, latest)
		}
	}
	if colNames(ts[1])[2] != "last_finish" {
		t.Fatalf("columns %v", colNames(ts[1]))
	}
}

func TestProcedureLogShippingTables(t *testing.T) {
	h := estate(0)
	h.tables["msdb.dbo.log_shipping_monitor_primary"].Rows = [][]Value{
		row("SQLPRIMARY", "mgc", int64(60), true, `\\fs01.contoso.local\pchatls\mgc_20240101120000.trn`, at("2024-01-01 12:00:00")),
	}
	rec, err := run(t, h, q34)
	if err != nil {
		t.Fatal(err)
	}
	ts := rec.tables()
	if len(ts) != 9 {
		t.Fatalf("got %d result sets, want 8 SELECTs and the procedure's", len(ts))
	}
	if got := grid(ts[0]); len(got) != 1 || !strings.HasSuffix(got[0], "|30") {
		t.Fatalf("min_since: %v", got)
	}
	if got := colNames(ts[2]); strings.Join(got, ",") != "primary_id,secondary_server,secondary_database" {
		t.Fatalf("SELECT * columns %v", got)
	}
	if got := grid(ts[3]); len(got) != 1 || !strings.HasPrefix(got[0], "SQLBACKUP|mgc|SQLPRIMARY|mgc|45|") {
		t.Fatalf("monitor_secondary: %v", got)
	}
	sameLines(t, grid(ts[6]), []string{"2023-12-30 07:50:00.000|Restored log backup file.|mgc", "2023-12-30 07:45:00.000|Copied file.|mgc"})
	if got := grid(ts[8]); len(got) != 1 || got[0] != "0|0|SQLBACKUP|mgc" {
		t.Fatalf("sp_help_log_shipping_monitor: %v", got)
	}
	if h.execs[0] != "master.dbo.sp_help_log_shipping_monitor" {
		t.Fatalf("execs %v", h.execs)
	}
}

func TestProcedureJobs(t *testing.T) {
	rows := one(t, estate(30), q35)
	// LSAlert (running history, session 2 activity), LSBackup (running now: started, not stopped); the other
	// jobs are neither Log Shipping nor LS%.
	if len(rows) != 2 {
		t.Fatalf("rows:\n%s", strings.Join(rows, "\n"))
	}
	alert := strings.Split(rows[0], "|")
	if alert[0] != "LSAlert_SQLBACKUP" || alert[2] != "Log Shipping" || alert[6] != "Idle" {
		t.Fatalf("alert row %q", rows[0])
	}
	if alert[3] != "2024-01-01 12:28:00.000" || alert[5] != "2024-01-01 12:30:00.000" {
		t.Fatalf("activity must come from the newest Agent session: %q", rows[0])
	}
	// History rows for job 1 are i = 0, 3, 6 ... 27: the newest outcome row is instance 2*27+2 = 56, run at
	// 2023-12-31 00:54:00.
	if alert[7] != "1" || alert[8] != "20231231" || alert[9] != "5400" || !strings.HasPrefix(alert[11], "The job succeeded.") {
		t.Fatalf("newest job outcome: %q", rows[0])
	}
	backup := strings.Split(rows[1], "|")
	if backup[0] != "LSBackup_mgc" || backup[6] != "Running" || backup[1] != "0" {
		t.Fatalf("backup row %q", rows[1])
	}
	// Job 2's history: i = 1, 4, ... 28; i = 17 is a failure, the newest (28) succeeded at 00:56:00.
	if backup[8] != "20231231" || backup[9] != "5600" {
		t.Fatalf("backup job outcome %q", rows[1])
	}
}

func TestProcedureSessions(t *testing.T) {
	ts := mustRun(t, estate(0), q36)
	if len(ts) != 2 {
		t.Fatalf("result sets %d", len(ts))
	}
	got := grid(ts[0])
	if len(got) != 6 {
		t.Fatalf("mgc sessions other than mine: %v", got)
	}
	for _, r := range got {
		if !strings.Contains(r, "|Persistent Chat Service|") {
			t.Fatalf("row %q", r)
		}
	}
	sameLines(t, grid(ts[1]), []string{`51|CONTOSO\PC03$|PC03|Persistent Chat Service`})
}

func TestProcedureFileExists(t *testing.T) {
	h := estate(0)
	ts := mustRun(t, h, q37)
	if len(ts) != 1 {
		t.Fatalf("result sets %d (the procedure's own result set must go into @r)", len(ts))
	}
	if strings.Join(colNames(ts[0]), ",") != "file_exists,file_is_dir,parent_dir_exists" {
		t.Fatalf("columns %v", colNames(ts[0]))
	}
	sameLines(t, grid(ts[0]), []string{"0|0|1"})
	if h.execs[0] != "master.dbo.xp_fileexist" || h.execArgs[0][0].Value != `\\fileserver\pchatls\mgc_failback_20240101_120000.bak` {
		t.Fatalf("exec %v %v", h.execs, h.execArgs)
	}
}

func TestProcedureServices(t *testing.T) {
	rows := one(t, estate(0), q38)
	if len(rows) != 2 || !strings.HasPrefix(rows[1], `SQL Server Agent (MSSQLSERVER)|Automatic|Running|CONTOSO\svc-agt-bak|`) {
		t.Fatalf("rows %v", rows)
	}
}

func TestProcedurePostconditionQueries(t *testing.T) {
	h := estate(0)
	sameLines(t, one(t, h, postF2), []string{"mgc|01020304-0506-0708-090A-0B0C0D0E0F10", "mgccomp|02030405-0607-0809-0A0B-0C0D0E0F1011"})
	sameLines(t, one(t, h, orphanF4), []string{"olduser"})
}

func TestStepF2(t *testing.T) {
	h := estate(0)
	h.db = "mgc"
	rec, err := run(t, h, stepF2)
	if err != nil {
		t.Fatal(err)
	}
	if h.db != "master" || len(h.alters) != 2 {
		t.Fatalf("db %s alters %+v", h.db, h.alters)
	}
	want := []AlterDatabaseSpec{{Database: "mgc", Action: AlterPartnerOff, Line: 2}, {Database: "mgccomp", Action: AlterPartnerOff, Line: 3}}
	for i := range want {
		if h.alters[i] != want[i] {
			t.Fatalf("alter %d = %+v, want %+v", i, h.alters[i], want[i])
		}
	}
	infos := rec.infos()
	if len(infos) != 1 || infos[0].Number != 5701 || infos[0].Text != "Changed database context to 'master'." || infos[0].Class != 0 {
		t.Fatalf("infos %+v", infos)
	}
}

func TestStepF3(t *testing.T) {
	h := estate(0)
	if _, err := run(t, h, stepF3); err != nil {
		t.Fatal(err)
	}
	if len(h.backups) != 1 {
		t.Fatalf("backups %+v", h.backups)
	}
	b := h.backups[0]
	if b.Kind != BackupDatabase || b.Database != "mgc" || len(b.Disks) != 1 || b.Disks[0] != `\\fileserver\pchatls\mgc_failback_20240101_120000.bak` ||
		!b.Init || !b.Format || !b.Checksum || b.CopyOnly || b.Compression != nil || b.Name != "mgc-Full Failback" ||
		b.Description != "Persistent Chat failback" || b.Stats != 10 || b.Line != 2 {
		t.Fatalf("spec %+v", b)
	}
}

func TestStepF3b(t *testing.T) {
	h := estate(0)
	rec, err := run(t, h, stepF3b)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.restores) != 3 {
		t.Fatalf("restores %+v", h.restores)
	}
	v := h.restores[0]
	if v.Kind != RestoreVerifyOnly || v.Database != "" || v.File != 1 || !v.Checksum || v.Stats != 10 || v.Line != 1 ||
		v.Disks[0] != `\\fileserver\pchatls\mgc_failback_20240101_120000.bak` {
		t.Fatalf("verify %+v", v)
	}
	if h.restores[1].Kind != RestoreHeaderOnly || h.restores[1].Line != 3 || h.restores[2].Kind != RestoreFileListOnly || h.restores[2].Line != 4 {
		t.Fatalf("kinds %+v", h.restores)
	}
	if len(rec.tables()) != 1 {
		t.Fatalf("HEADERONLY's result set must reach the client")
	}
}

func TestStepF4(t *testing.T) {
	h := estate(0)
	if _, err := run(t, h, stepF4); err != nil {
		t.Fatal(err)
	}
	if len(h.alters) != 2 || h.alters[0].Action != AlterSingleUser || h.alters[0].Termination != TerminateRollbackImmediate ||
		h.alters[0].Line != 3 || h.alters[1].Action != AlterMultiUser || h.alters[1].Termination != TerminateWait || h.alters[1].Line != 8 {
		t.Fatalf("alters %+v", h.alters)
	}
	r := h.restores[0]
	if r.Kind != RestoreDatabase || r.Database != "mgc" || r.File != 1 || !r.Replace || r.Recovery != RecoveryRecover ||
		!r.Checksum || r.Stats != 10 || r.Line != 4 || len(r.Moves) != 0 {
		t.Fatalf("restore %+v", r)
	}
}

func TestStepF5b(t *testing.T) {
	h := estate(0)
	if _, err := run(t, h, stepF5bBackup); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, h, stepF5bRestore); err != nil {
		t.Fatal(err)
	}
	if b := h.backups[0]; b.Disks[0] != `\\fileserver\pchatls\mgc_lsinit_20240101_130000.bak` || !b.Init || !b.Format || !b.Checksum || b.Stats != 10 {
		t.Fatalf("backup %+v", b)
	}
	if r := h.restores[0]; r.Recovery != RecoveryNoRecovery || !r.Replace || r.File != 1 || r.Line != 2 {
		t.Fatalf("restore %+v", r)
	}
}

func TestStepF5c(t *testing.T) {
	h := estate(0)
	if _, err := run(t, h, stepF5c); err != nil {
		t.Fatal(err)
	}
	want := []string{"master.dbo.sp_add_log_shipping_primary_database", "msdb.dbo.sp_add_schedule", "msdb.dbo.sp_attach_schedule",
		"msdb.dbo.sp_update_job", "master.dbo.sp_add_log_shipping_alert_job", "master.dbo.sp_add_log_shipping_primary_secondary"}
	sameLines(t, h.execs, want)
	first := h.execArgs[0]
	if len(first) != 12 || first[0] != (Arg{Name: "@database", Value: "mgc"}) || first[4] != (Arg{Name: "@backup_retention_period", Value: int64(4320)}) ||
		!first[9].Output || first[9].Name != "@backup_job_id" || first[11] != (Arg{Name: "@overwrite", Value: int64(1)}) {
		t.Fatalf("args %+v", first)
	}
	// The job id the procedure returned through OUTPUT reaches sp_attach_schedule and sp_update_job, and the
	// schedule id from sp_add_schedule too.
	attach := h.execArgs[2]
	if attach[0].Value != guid(0x10) || attach[1].Value != int64(7) {
		t.Fatalf("sp_attach_schedule args %+v", attach)
	}
	if h.execArgs[3][0].Value != guid(0x10) {
		t.Fatalf("sp_update_job args %+v", h.execArgs[3])
	}
}

func TestStepF5cSkipsScheduleWhenProcedureFails(t *testing.T) {
	h := estate(0)
	h.procs["sp_add_log_shipping_primary_database"] = func(args []Arg, out Output) (int, error) {
		return 1, Errorf(32001, 16, "Log shipping is already configured for database mgc.")
	}
	rec, err := run(t, h, stepF5c)
	if err == nil || err.(*Error).Number != 32001 || err.(*Error).Line != 2 {
		t.Fatalf("err %v", err)
	}
	if len(rec.errors()) != 1 {
		t.Fatalf("errors %+v", rec.errors())
	}
	want := []string{"master.dbo.sp_add_log_shipping_primary_database", "master.dbo.sp_add_log_shipping_alert_job",
		"master.dbo.sp_add_log_shipping_primary_secondary"}
	sameLines(t, h.execs, want)
}

func TestStepF5d(t *testing.T) {
	h := estate(0)
	if _, err := run(t, h, stepF5d); err != nil {
		t.Fatal(err)
	}
	if len(h.execs) != 4 {
		t.Fatalf("execs %v", h.execs)
	}
	if h.execArgs[2][0].Value != guid(0x40) || h.execArgs[3][0].Value != guid(0x50) {
		t.Fatalf("copy/restore job ids not passed on: %+v %+v", h.execArgs[2], h.execArgs[3])
	}
	if a := h.execArgs[1]; a[4] != (Arg{Name: "@restore_mode", Value: int64(0)}) || len(a) != 10 {
		t.Fatalf("secondary_database args %+v", a)
	}
}

func TestDBAVariations(t *testing.T) {
	h := estate(0)
	sameLines(t, one(t, h, "select NAME, State_Desc from SYS.DATABASES where name like 'mgc%' order by name desc"),
		[]string{"mgccomp|ONLINE", "mgc|ONLINE"})
	sameLines(t, one(t, h, "SELECT COUNT(*) AS n, database_id FROM sys.dm_exec_sessions GROUP BY database_id ORDER BY n DESC"),
		[]string{"6|5", "2|6", "1|1"})
	ts := mustRun(t, h, "SELECT * FROM sys.databases")
	if len(ts[0].Rows) != 6 || len(ts[0].Columns) != 7 {
		t.Fatalf("SELECT * shape %dx%d", len(ts[0].Rows), len(ts[0].Columns))
	}
	sameLines(t, one(t, h, "SELECT TOP 1 name FROM msdb.dbo.backupset WHERE database_name = 'MGC' ORDER BY backup_finish_date DESC"),
		[]string{"mgc-Full Failback"})
	rows := one(t, h, "sp_who2")
	if len(rows) != 2 || h.execs[0] != "sp_who2" {
		t.Fatalf("sp_who2: %v %v", rows, h.execs)
	}
	mustRun(t, h, "EXEC sp_who2 'active'")
	mustRun(t, h, "sp_who2 active")
	if a := h.execArgs[2]; len(a) != 1 || a[0].Value != "active" {
		t.Fatalf("bare word argument %+v", a)
	}
	sameLines(t, one(t, h, "SELECT @@VERSION"), []string{"Microsoft SQL Server 2012 (SP4) - 11.0.7001.0 (X64)"})
	sameLines(t, one(t, h, "SELECT SERVERPROPERTY('ProductVersion')"), []string{"11.0.7001.0"})
	sameLines(t, one(t, h, "use msdb; select count(*) from backupset where type = 'L'"), []string{"1"})
}
