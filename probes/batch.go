package probes

import (
	"strconv"
	"strings"

	"pcfailback/quote"
)

// Names are the configured names the probes ask about.
type Names struct {
	ChatDB, ComplianceDB string
	// Share is the log-shipping share (UNC).
	Share string
}

// HealthBatch is the one batch sent to every instance per refresh. Each SELECT starts with a literal tag column
// so the parser matches result sets by name rather than by position: a server that skips a statement (a view it
// lacks) cannot shift every later result onto the wrong field. watch lists backup files whose visibility from
// this instance matters to the next steps.
func HealthBatch(n Names, watch []string) string {
	dbs := quote.String(n.ChatDB) + ", " + quote.String(n.ComplianceDB)
	dbIDs := "DB_ID(" + quote.String(n.ChatDB) + "), DB_ID(" + quote.String(n.ComplianceDB) + ")"
	var b strings.Builder
	w := func(s ...string) {
		for _, p := range s {
			b.WriteString(p)
		}
		b.WriteString("\n")
	}
	w("SET NOCOUNT ON;")
	w("SELECT N'server' AS probe, @@SERVERNAME AS server_name, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version, GETDATE() AS server_time;")
	w("SELECT N'databases' AS probe, name, database_id, state_desc, recovery_model_desc, user_access_desc, is_read_only FROM sys.databases WHERE name IN (", dbs, ");")
	w("SELECT N'mirroring' AS probe, DB_NAME(database_id) AS db, mirroring_guid, mirroring_role_desc, mirroring_state_desc, mirroring_partner_name, mirroring_partner_instance, mirroring_witness_name, mirroring_witness_state_desc, mirroring_safety_level_desc FROM sys.database_mirroring WHERE database_id IN (", dbIDs, ");")
	w("SELECT N'dbfiles' AS probe, DB_NAME(database_id) AS db, name, physical_name, type_desc, size / 128 AS size_mb FROM sys.master_files WHERE database_id IN (", dbIDs, ");")
	w("SELECT N'sessions' AS probe, DB_NAME(database_id) AS db, host_name, program_name, COUNT(*) AS sessions FROM sys.dm_exec_sessions WHERE database_id IN (", dbIDs, ") AND session_id <> @@SPID GROUP BY database_id, host_name, program_name;")
	for _, db := range []string{n.ChatDB, n.ComplianceDB} {
		for _, typ := range []string{"D", "L"} {
			w("SELECT TOP (1) N'backup' AS probe, bs.database_name, bs.type, bs.name, bs.backup_start_date, bs.backup_finish_date, bs.has_backup_checksums, bs.is_copy_only, bs.first_lsn, bs.last_lsn, bs.backup_size, bmf.physical_device_name FROM msdb.dbo.backupset bs JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id WHERE bs.database_name = ",
				quote.String(db), " AND bs.type = '", typ, "' ORDER BY bs.backup_finish_date DESC, bs.backup_set_id DESC;")
		}
		w("SELECT TOP (1) N'restore' AS probe, rh.destination_database_name, rh.restore_date, rh.restore_type, rh.[replace], rh.[recovery], bs.backup_finish_date, bs.last_lsn, bmf.physical_device_name FROM msdb.dbo.restorehistory rh JOIN msdb.dbo.backupset bs ON bs.backup_set_id = rh.backup_set_id JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id WHERE rh.destination_database_name = ",
			quote.String(db), " ORDER BY rh.restore_history_id DESC;")
	}
	w("SELECT N'ls_primary' AS probe, primary_database, last_backup_file, last_backup_date, backup_threshold, threshold_alert_enabled FROM msdb.dbo.log_shipping_monitor_primary;")
	w("SELECT N'ls_primary_secondary' AS probe, secondary_server, secondary_database FROM msdb.dbo.log_shipping_primary_secondaries;")
	w("SELECT N'ls_secondary' AS probe, secondary_database, primary_server, primary_database, last_copied_file, last_copied_date, last_restored_file, last_restored_date, last_restored_latency, restore_threshold FROM msdb.dbo.log_shipping_monitor_secondary;")
	// The jobs query is procedure.md §3.5 with the tag column in front.
	w("SELECT N'jobs' AS probe, j.name, j.enabled, c.name AS category, ja.start_execution_date, ja.stop_execution_date, ja.next_scheduled_run_date, ",
		"CASE WHEN ja.start_execution_date IS NOT NULL AND ja.stop_execution_date IS NULL THEN 'Running' ELSE 'Idle' END AS run_state, ",
		"h.run_status, h.run_date, h.run_time, h.message ",
		"FROM msdb.dbo.sysjobs j JOIN msdb.dbo.syscategories c ON c.category_id = j.category_id ",
		"LEFT JOIN msdb.dbo.sysjobactivity ja ON ja.job_id = j.job_id AND ja.session_id = (SELECT MAX(session_id) FROM msdb.dbo.syssessions) ",
		"OUTER APPLY (SELECT TOP (1) run_status, run_date, run_time, message FROM msdb.dbo.sysjobhistory WHERE job_id = j.job_id AND step_id = 0 ORDER BY instance_id DESC) h ",
		"WHERE c.name LIKE N'Log Shipping%' OR j.name LIKE N'LS%';")
	// When each database was last written by a user (any index or heap) since the instance started: F4 must not
	// restore a failback backup older than the last write to the backup's mgc (procedure.md §5.2). The counters
	// start afresh with the instance (and with a restore of the database), hence its start time.
	w("SELECT N'usage' AS probe, DB_NAME(database_id) AS db, MAX(last_user_update) AS last_user_update, SUM(user_updates) AS user_updates FROM sys.dm_db_index_usage_stats WHERE database_id IN (", dbIDs, ") GROUP BY database_id;")
	w("SELECT N'uptime' AS probe, sqlserver_start_time FROM sys.dm_os_sys_info;")
	w("SELECT N'services' AS probe, servicename, startup_type_desc, status_desc, service_account FROM sys.dm_server_services;")
	w("SELECT N'requests' AS probe, session_id, command, DB_NAME(database_id) AS db, percent_complete, start_time FROM sys.dm_exec_requests WHERE command LIKE N'BACKUP%' OR command LIKE N'RESTORE%';")
	// xp_fileexist runs as the engine service account: exactly the account BACKUP and RESTORE use.
	for i, p := range append([]string{n.Share}, watch...) {
		tag, v := "file", "@f"+strconv.Itoa(i)
		if i == 0 {
			tag = "share"
		}
		w("DECLARE ", v, " TABLE (file_exists int, file_is_dir int, parent_dir_exists int);")
		w("INSERT ", v, " EXEC master.dbo.xp_fileexist ", quote.String(p), ";")
		w("SELECT N'", tag, "' AS probe, ", quote.String(p), " AS path, file_exists, file_is_dir, parent_dir_exists FROM ", v, ";")
	}
	return b.String()
}
