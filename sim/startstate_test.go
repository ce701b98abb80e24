package sim

import (
	"strings"
	"testing"
	"time"
)

// The §3 queries of procedure.md, verbatim.
const (
	q31 = `SELECT name, state_desc, recovery_model_desc, user_access_desc, is_read_only, is_in_standby
FROM sys.databases WHERE name IN (N'mgc', N'mgccomp');`

	q32 = `SELECT DB_NAME(database_id) AS db, mirroring_role_desc, mirroring_state_desc,
       mirroring_partner_name, mirroring_partner_instance, mirroring_witness_name,
       mirroring_witness_state_desc, mirroring_safety_level_desc
FROM sys.database_mirroring
WHERE database_id IN (DB_ID(N'mgc'), DB_ID(N'mgccomp'));`

	q33a = `SELECT TOP (20) bs.database_name, bs.type, bs.is_copy_only, bs.backup_start_date, bs.backup_finish_date,
       bs.backup_size, bs.compressed_backup_size, bs.has_backup_checksums, bs.is_damaged, bs.first_lsn,
       bs.last_lsn, bs.database_backup_lsn, bs.position, bs.server_name, bmf.physical_device_name, bmf.device_type
FROM msdb.dbo.backupset bs
JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id
WHERE bs.database_name = N'mgc'
ORDER BY bs.backup_finish_date DESC;`

	q33b = `SELECT database_name, type, MAX(backup_finish_date) AS last_finish
FROM msdb.dbo.backupset WHERE database_name IN (N'mgc', N'mgccomp') AND type IN ('D','L')
GROUP BY database_name, type;`

	q34 = `SELECT primary_server, primary_database, backup_threshold, threshold_alert_enabled,
       last_backup_file, last_backup_date, DATEDIFF(minute, last_backup_date, GETDATE()) AS min_since
FROM msdb.dbo.log_shipping_monitor_primary;
SELECT primary_database, backup_directory, backup_share, backup_retention_period, backup_job_id,
       last_backup_file, last_backup_date
FROM msdb.dbo.log_shipping_primary_databases;
SELECT * FROM msdb.dbo.log_shipping_primary_secondaries;
SELECT secondary_server, secondary_database, primary_server, primary_database, restore_threshold,
       last_copied_file, last_copied_date, last_restored_file, last_restored_date,
       last_restored_latency
FROM msdb.dbo.log_shipping_monitor_secondary;
SELECT * FROM msdb.dbo.log_shipping_secondary;
SELECT * FROM msdb.dbo.log_shipping_secondary_databases;
SELECT TOP (50) log_time, message, database_name FROM msdb.dbo.log_shipping_monitor_history_detail
  ORDER BY log_time DESC;
SELECT TOP (50) * FROM msdb.dbo.log_shipping_monitor_error_detail ORDER BY log_time DESC;
EXEC master.dbo.sp_help_log_shipping_monitor;`

	q36b = `SELECT spid, loginame, hostname, program_name FROM sys.sysprocesses WHERE dbid = DB_ID(N'mgc');`

	q37 = `DECLARE @r TABLE (file_exists int, file_is_dir int, parent_dir_exists int);
INSERT @r EXEC master.dbo.xp_fileexist N'\\fs01.contoso.local\pchatls\mgc_failback_20240312_093500.bak';
SELECT * FROM @r;`

	q38 = `SELECT servicename, startup_type_desc, status_desc, service_account, last_startup_time
FROM sys.dm_server_services;`
)

func TestStartStateDatabases(t *testing.T) {
	s, _ := newTestSim(t, "")
	want := map[string]string{
		"SQLPRIMARY":     "mgc ONLINE FULL MULTI_USER|mgccomp ONLINE FULL MULTI_USER",
		"SQLPRIMARY-MIR": "",
		"SQLBACKUP":      "mgc ONLINE FULL MULTI_USER|mgccomp ONLINE FULL MULTI_USER",
		"SQLBACKUP-MIR":  "mgc RESTORING FULL MULTI_USER|mgccomp RESTORING FULL MULTI_USER",
	}
	for server, w := range want {
		set := query(t, s, server, "master", q31)
		var got []string
		for i := range set.rows {
			got = append(got, strings.Join([]string{set.get(i, "name").(string), set.get(i, "state_desc").(string),
				set.get(i, "recovery_model_desc").(string), set.get(i, "user_access_desc").(string)}, " "))
			if set.get(i, "is_read_only") != false || set.get(i, "is_in_standby") != false {
				t.Errorf("%s: %v", server, set.rows[i])
			}
		}
		if strings.Join(got, "|") != w {
			t.Errorf("%s: %q, want %q", server, strings.Join(got, "|"), w)
		}
	}
	ids := query(t, s, "SQLBACKUP", "master", "SELECT name, database_id FROM sys.databases ORDER BY database_id")
	var names []string
	for i := range ids.rows {
		names = append(names, ids.get(i, "name").(string))
		if ids.get(i, "database_id") != int64(i+1) {
			t.Errorf("database ids: %v", ids.rows)
		}
	}
	if strings.Join(names, ",") != "master,tempdb,model,msdb,mgc,mgccomp" {
		t.Errorf("databases: %v", names)
	}
}

func TestStartStateMirroring(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := query(t, s, "SQLBACKUP", "master", q32)
	for i := range b.rows {
		if b.get(i, "mirroring_role_desc") != "PRINCIPAL" || b.get(i, "mirroring_state_desc") != "SYNCHRONIZED" ||
			b.get(i, "mirroring_partner_name") != "TCP://sqlbackup-mir.contoso.local:5022" ||
			b.get(i, "mirroring_partner_instance") != "SQLBACKUP-MIR" || b.get(i, "mirroring_witness_name") != "" ||
			b.get(i, "mirroring_safety_level_desc") != "FULL" {
			t.Errorf("backup: %v", b.rows[i])
		}
	}
	bm := query(t, s, "SQLBACKUP-MIR", "master", q32)
	if len(bm.rows) != 2 || bm.get(0, "mirroring_role_desc") != "MIRROR" || bm.get(0, "mirroring_partner_instance") != "SQLBACKUP" {
		t.Errorf("backup mirror: %v", bm.rows)
	}
	p := query(t, s, "SQLPRIMARY", "master", q32)
	for i := range p.rows {
		for j, v := range p.rows[i][1:] {
			if v != nil {
				t.Errorf("primary column %d not NULL: %v", j+1, p.rows[i])
			}
		}
	}
	all := query(t, s, "SQLPRIMARY-MIR", "master", "SELECT COUNT(*) AS n FROM sys.database_mirroring")
	if all.get(0, "n") != int64(4) {
		t.Errorf("one row per database: %v", all.rows)
	}
}

func TestStartStateBackupHistory(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := query(t, s, "SQLBACKUP", "master", q33a)
	if len(b.rows) != 20 {
		t.Fatalf("history rows: %d", len(b.rows))
	}
	// Newest first: the log and full backups Install-CsMirrorDatabase took on the failover day.
	if b.get(0, "type") != "L" || b.get(1, "type") != "D" ||
		!strings.HasPrefix(b.get(1, "physical_device_name").(string), `\\fs01.contoso.local\csmirror\mgc_`) ||
		b.get(1, "device_type") != int64(2) || b.get(1, "server_name") != "SQLBACKUP" {
		t.Fatalf("newest backups: %v | %v", b.rows[0], b.rows[1])
	}
	// Then the old primary's log backups the backup instance restored (copied into the copy folder).
	if b.get(2, "server_name") != "SQLPRIMARY" || !strings.HasPrefix(b.get(2, "physical_device_name").(string), `D:\LSCopy\mgc\mgc_`) {
		t.Fatalf("restored logs: %v", b.rows[2])
	}
	for i := 3; i < len(b.rows); i++ {
		if b.get(i, "first_lsn") != b.get(i-1, "last_lsn") && b.get(i-1, "type") == "L" && b.get(i, "server_name") == "SQLPRIMARY" {
			// rows are newest first: row i's last LSN is where row i-1 begins
			if b.get(i, "last_lsn") != b.get(i-1, "first_lsn") {
				t.Fatalf("broken log chain between %v and %v", b.rows[i], b.rows[i-1])
			}
		}
	}
	agg := query(t, s, "SQLBACKUP", "master", q33b)
	if len(agg.rows) != 4 {
		t.Fatalf("latest per database and type: %v", agg.rows)
	}
	if p := query(t, s, "SQLPRIMARY", "master", q33a); len(p.rows) != 0 {
		t.Fatalf("the rebuilt primary has backup history: %v", p.rows)
	}
	rh := query(t, s, "SQLBACKUP", "msdb", "SELECT TOP (2) restore_type, recovery, replace FROM restorehistory WHERE destination_database_name = N'mgc' ORDER BY restore_date DESC")
	if rh.get(0, "recovery") != true || rh.get(1, "restore_type") != "L" || rh.get(1, "recovery") != false {
		t.Fatalf("the failover's restores: %v", rh.rows)
	}
	bmh := query(t, s, "SQLBACKUP-MIR", "msdb", "SELECT restore_type, recovery FROM restorehistory")
	if len(bmh.rows) != 4 {
		t.Fatalf("mirror restores: %v", bmh.rows)
	}
}

func TestStartStateLogShippingAndJobs(t *testing.T) {
	s, _ := newTestSim(t, "")
	sess := connect(t, s, "SQLBACKUP", "master")
	res := mustRun(t, sess, q34)
	if len(res.sets) != 9 {
		t.Fatalf("%d result sets", len(res.sets))
	}
	for i, set := range res.sets {
		if len(set.rows) != 0 {
			t.Errorf("set %d: the failover deleted the secondary, yet %v", i, set.rows)
		}
	}
	jobs := query(t, s, "SQLBACKUP", "master", jobsQuery)
	if len(jobs.rows) != 1 || jobs.get(0, "name") != "LSAlert_SQLBACKUP" || jobs.get(0, "run_status") != int64(1) ||
		jobs.get(0, "enabled") != int64(1) || jobs.get(0, "category") != "Log Shipping" {
		t.Fatalf("jobs: %v", jobs.rows)
	}
	next := jobs.get(0, "next_scheduled_run_date").(time.Time)
	if !next.Equal(epoch.Add(2 * time.Minute)) {
		t.Fatalf("alert job next run %v", next)
	}
	if p := query(t, s, "SQLPRIMARY", "master", jobsQuery); len(p.rows) != 0 {
		t.Fatalf("rebuilt primary has log-shipping jobs: %v", p.rows)
	}
	hist := query(t, s, "SQLBACKUP", "msdb", "SELECT COUNT(*) AS n FROM sysjobhistory h JOIN sysjobs j ON j.job_id = h.job_id WHERE j.name = N'LSAlert_SQLBACKUP'")
	if hist.get(0, "n") != int64(maxHistoryRowsPerJob) {
		t.Fatalf("alert job history rows: %v", hist.rows)
	}
}

func TestStartStateSessionsAndServices(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := query(t, s, "SQLBACKUP", "master", sessionsQuery)
	if len(b.rows) != 6 {
		t.Fatalf("sessions in the backup mgc: %v", b.rows)
	}
	for i := range b.rows {
		host := b.get(i, "host_name").(string)
		if (host != "PC03" && host != "PC04") || b.get(i, "program_name") != pcProgram || b.get(i, "login_name") != `CONTOSO\`+host+"$" {
			t.Errorf("session %v", b.rows[i])
		}
	}
	old := query(t, s, "SQLBACKUP", "master", q36b)
	if len(old.rows) != 6 {
		t.Errorf("sysprocesses: %v", old.rows)
	}
	if p := query(t, s, "SQLPRIMARY", "master", sessionsQuery); len(p.rows) != 0 {
		t.Errorf("sessions in the primary mgc: %v", p.rows)
	}
	svc := query(t, s, "SQLBACKUP", "master", q38)
	if len(svc.rows) < 2 || svc.get(1, "servicename") != "SQL Server Agent (MSSQLSERVER)" || svc.get(1, "status_desc") != "Running" ||
		svc.get(1, "service_account") != `CONTOSO\svc-agt-bak` || svc.get(0, "service_account") != `CONTOSO\svc-sql-bak` ||
		svc.get(0, "startup_type_desc") != "Automatic" {
		t.Errorf("services: %v", svc.rows)
	}
	if f := query(t, s, "SQLBACKUP", "master", q37); f.rows[0][0] != int64(0) || f.rows[0][2] != int64(1) {
		t.Errorf("xp_fileexist of a missing file: %v", f.rows)
	}
	who := query(t, s, "SQLBACKUP", "master", "sp_who2")
	if len(who.cols) != 13 || who.cols[0] != "SPID" {
		t.Errorf("sp_who2 columns: %v", who.cols)
	}
	ver := query(t, s, "SQLPRIMARY", "master", "SELECT @@VERSION AS v, @@SERVERNAME AS n, SERVERPROPERTY('ProductLevel') AS l, SERVERPROPERTY('Edition') AS e")
	if !strings.HasPrefix(ver.get(0, "v").(string), "Microsoft SQL Server 2012 (SP4)") || ver.get(0, "l") != "SP4" || ver.get(0, "n") != "SQLPRIMARY" {
		t.Errorf("version: %v", ver.rows)
	}
}

func TestStartStateLync(t *testing.T) {
	s, _ := newTestSim(t, "")
	out, _ := mustCmd(t, s, "Get-CsPersistentChatState")
	if len(out) != 1 || psText(mustProp(t, out[0], "Identity")) != poolID || psText(mustProp(t, out[0], "PoolState")) != "FailedOver" {
		t.Fatalf("Get-CsPersistentChatState: %v", out)
	}
	svc, _ := mustCmd(t, s, "Get-CsService", swp("PersistentChatServer"))
	if psText(mustProp(t, svc[0], "ActiveServers")) != "pc03.contoso.local pc04.contoso.local" ||
		psText(mustProp(t, svc[0], "InactiveServers")) != "pc01.contoso.local pc02.contoso.local" {
		t.Fatalf("Get-CsService: %v", svc[0])
	}
	conns := s.Connections()
	if conns["pc03.contoso.local"] != "SQLBACKUP" || conns["pc01.contoso.local"] != "" {
		t.Fatalf("connections: %v", conns)
	}
}
