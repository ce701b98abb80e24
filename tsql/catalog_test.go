package tsql

import (
	"fmt"
	"strings"
	"time"
)

// tbl builds a table from "name type, name type" and rows.
func tbl(spec string, rows ...[]Value) *Table {
	t := &Table{Rows: rows}
	types := map[string]Type{"nvarchar": TypeNVarChar, "varchar": TypeVarChar, "int": TypeInt, "bigint": TypeBigInt,
		"smallint": TypeSmallInt, "tinyint": TypeTinyInt, "bit": TypeBit, "datetime": TypeDateTime,
		"float": TypeFloat, "numeric": TypeNumeric, "uniqueidentifier": TypeUniqueIdentifier}
	for _, part := range strings.Split(spec, ",") {
		f := strings.Fields(part)
		t.Columns = append(t.Columns, Column{Name: f[0], Type: types[f[1]]})
	}
	if t.Rows == nil {
		t.Rows = [][]Value{}
	}
	return t
}

func row(vals ...Value) []Value { return vals }

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func guid(b byte) GUID {
	var g GUID
	for i := range g {
		g[i] = b + byte(i)
	}
	return g
}

// estate returns a fake backup instance as the failover left it (procedure.md §1): mgc and mgccomp ONLINE and
// mirrored, Persistent Chat servers connected, backup history in msdb, SQL Agent jobs with history. history is
// the number of sysjobhistory rows.
func estate(history int) *fakeHost {
	h := newFakeHost()
	h.tables["sys.databases"] = tbl("name nvarchar, database_id int, state_desc nvarchar, recovery_model_desc nvarchar, user_access_desc nvarchar, is_read_only bit, is_in_standby bit",
		row("master", int64(1), "ONLINE", "SIMPLE", "MULTI_USER", false, false),
		row("tempdb", int64(2), "ONLINE", "SIMPLE", "MULTI_USER", false, false),
		row("model", int64(3), "ONLINE", "FULL", "MULTI_USER", false, false),
		row("msdb", int64(4), "ONLINE", "SIMPLE", "MULTI_USER", false, false),
		row("mgc", int64(5), "ONLINE", "FULL", "MULTI_USER", false, false),
		row("mgccomp", int64(6), "ONLINE", "FULL", "MULTI_USER", false, false))
	h.tables["sys.database_mirroring"] = tbl("database_id int, mirroring_guid uniqueidentifier, mirroring_role_desc nvarchar, mirroring_state_desc nvarchar, mirroring_partner_name nvarchar, mirroring_partner_instance nvarchar, mirroring_witness_name nvarchar, mirroring_witness_state_desc nvarchar, mirroring_safety_level_desc nvarchar",
		row(int64(1), nil, nil, nil, nil, nil, nil, nil, nil),
		row(int64(4), nil, nil, nil, nil, nil, nil, nil, nil),
		row(int64(5), guid(1), "PRINCIPAL", "SYNCHRONIZED", "TCP://sqlbackup-mir.contoso.local:5022", "SQLBACKUP-MIR", "", "UNKNOWN", "FULL"),
		row(int64(6), guid(2), "PRINCIPAL", "SYNCHRONIZED", "TCP://sqlbackup-mir.contoso.local:5022", "SQLBACKUP-MIR", "", "UNKNOWN", "FULL"))
	sessions := tbl("session_id smallint, login_name nvarchar, host_name nvarchar, program_name nvarchar, status nvarchar, last_request_end_time datetime, database_id int")
	spid := int64(60)
	for _, host := range []string{"PC03", "PC04"} {
		for i := 0; i < 3; i++ {
			sessions.Rows = append(sessions.Rows, row(spid, `CONTOSO\`+host+"$", host, "Persistent Chat Service", "sleeping", at("2024-01-01 12:29:00"), int64(5)))
			spid++
		}
		sessions.Rows = append(sessions.Rows, row(spid, `CONTOSO\`+host+"$", host, "Persistent Chat Service", "sleeping", at("2024-01-01 12:28:00"), int64(6)))
		spid++
	}
	sessions.Rows = append(sessions.Rows, row(int64(55), `CONTOSO\dba`, "ADMIN01", "pcfailback", "running", at("2024-01-01 12:30:00"), int64(1)))
	h.tables["sys.dm_exec_sessions"] = sessions
	h.tables["sys.sysprocesses"] = tbl("spid smallint, loginame nvarchar, hostname nvarchar, program_name nvarchar, dbid smallint",
		row(int64(51), `CONTOSO\PC03$`, "PC03", "Persistent Chat Service", int64(5)),
		row(int64(55), `CONTOSO\dba`, "ADMIN01", "pcfailback", int64(1)))
	h.tables["msdb.dbo.backupset"] = tbl("backup_set_id int, media_set_id int, database_name nvarchar, type varchar, is_copy_only bit, backup_start_date datetime, backup_finish_date datetime, backup_size numeric, compressed_backup_size numeric, has_backup_checksums bit, is_damaged bit, first_lsn numeric, last_lsn numeric, database_backup_lsn numeric, position int, server_name nvarchar, name nvarchar",
		row(int64(1), int64(1), "mgc", "D", false, at("2023-12-30 09:00:00"), at("2023-12-30 09:03:00"), int64(21474836480), int64(21474836480), true, false, int64(1000), int64(2000), int64(0), int64(1), "SQLBACKUP", "mgc-mirror-init"),
		row(int64(2), int64(2), "mgc", "L", false, at("2023-12-30 09:05:00"), at("2023-12-30 09:05:10"), int64(1048576), int64(1048576), true, false, int64(2000), int64(2100), int64(1000), int64(1), "SQLBACKUP", nil),
		row(int64(3), int64(3), "mgccomp", "D", false, at("2023-12-30 09:10:00"), at("2023-12-30 09:10:30"), int64(1048576), int64(1048576), false, false, int64(500), int64(600), int64(0), int64(1), "SQLBACKUP", nil),
		row(int64(4), int64(4), "mgc", "D", false, at("2024-01-01 12:00:00"), at("2024-01-01 12:04:00"), int64(21474836480), int64(21474836480), true, false, int64(3000), int64(4000), int64(1000), int64(1), "SQLBACKUP", "mgc-Full Failback"))
	h.tables["msdb.dbo.backupmediafamily"] = tbl("media_set_id int, physical_device_name nvarchar, device_type tinyint",
		row(int64(1), `\\fs01.contoso.local\csmirror\mgc.bak`, int64(2)),
		row(int64(2), `\\fs01.contoso.local\csmirror\mgc.trn`, int64(2)),
		row(int64(3), `\\fs01.contoso.local\csmirror\mgccomp.bak`, int64(2)),
		row(int64(4), `\\fs01.contoso.local\pchatls\mgc_failback_20240101_120000.bak`, int64(2)))
	h.tables["msdb.dbo.restorehistory"] = tbl("restore_history_id int, restore_date datetime, destination_database_name nvarchar, restore_type varchar, replace bit, recovery bit, backup_set_id int",
		row(int64(1), at("2023-12-30 08:00:00"), "mgc", "L", false, false, int64(2)),
		row(int64(2), at("2023-12-30 08:30:00"), "mgc", "D", false, true, int64(1)))
	h.tables["msdb.dbo.log_shipping_monitor_primary"] = tbl("primary_server nvarchar, primary_database nvarchar, backup_threshold int, threshold_alert_enabled bit, last_backup_file nvarchar, last_backup_date datetime")
	h.tables["msdb.dbo.log_shipping_primary_databases"] = tbl("primary_id uniqueidentifier, primary_database nvarchar, backup_directory nvarchar, backup_share nvarchar, backup_retention_period int, backup_job_id uniqueidentifier, last_backup_file nvarchar, last_backup_date datetime")
	h.tables["msdb.dbo.log_shipping_primary_secondaries"] = tbl("primary_id uniqueidentifier, secondary_server nvarchar, secondary_database nvarchar")
	h.tables["msdb.dbo.log_shipping_monitor_secondary"] = tbl("secondary_server nvarchar, secondary_database nvarchar, primary_server nvarchar, primary_database nvarchar, restore_threshold int, last_copied_file nvarchar, last_copied_date datetime, last_restored_file nvarchar, last_restored_date datetime, last_restored_latency int",
		row("SQLBACKUP", "mgc", "SQLPRIMARY", "mgc", int64(45), `D:\LSCopy\mgc\mgc_20231230.trn`, at("2023-12-30 07:45:00"), `D:\LSCopy\mgc\mgc_20231230.trn`, at("2023-12-30 07:50:00"), int64(5)))
	h.tables["msdb.dbo.log_shipping_secondary"] = tbl("secondary_id uniqueidentifier, primary_server nvarchar, primary_database nvarchar, backup_source_directory nvarchar")
	h.tables["msdb.dbo.log_shipping_secondary_databases"] = tbl("secondary_database nvarchar, secondary_id uniqueidentifier, restore_delay int, restore_mode bit")
	h.tables["msdb.dbo.log_shipping_monitor_history_detail"] = tbl("log_time datetime, message nvarchar, database_name nvarchar",
		row(at("2023-12-30 07:50:00"), "Restored log backup file.", "mgc"),
		row(at("2023-12-30 07:45:00"), "Copied file.", "mgc"))
	h.tables["msdb.dbo.log_shipping_monitor_error_detail"] = tbl("log_time datetime, message nvarchar, database_name nvarchar")
	h.tables["sys.dm_server_services"] = tbl("servicename nvarchar, startup_type_desc nvarchar, status_desc nvarchar, service_account nvarchar, last_startup_time datetime",
		row("SQL Server (MSSQLSERVER)", "Automatic", "Running", `CONTOSO\svc-sql-bak`, at("2023-12-01 06:00:00")),
		row("SQL Server Agent (MSSQLSERVER)", "Automatic", "Running", `CONTOSO\svc-agt-bak`, at("2023-12-01 06:01:00")))
	h.tables["sys.dm_exec_requests"] = tbl("session_id smallint, command nvarchar, database_id int, percent_complete float, start_time datetime",
		row(int64(55), "SELECT", int64(1), float64(0), at("2024-01-01 12:30:00")))
	h.tables["sys.server_principals"] = tbl("name nvarchar, sid varchar, type varchar",
		row("sa", "01", "S"), row(`CONTOSO\PC03$`, "0105", "U"))
	h.tables["mgc.sys.database_principals"] = tbl("name nvarchar, sid varchar, type varchar, principal_id int",
		row("dbo", "01", "S", int64(1)), row("guest", "00", "S", int64(2)),
		row(`CONTOSO\PC03$`, "0105", "U", int64(5)), row("olduser", "0199", "S", int64(6)))
	jobs(h, history)
	h.funcs["DB_ID"] = func(a []Value) (Value, bool) {
		if len(a) == 0 {
			id, _ := h.dbID(h.db)
			return id, true
		}
		s, _ := a[0].(string)
		if id, ok := h.dbID(s); ok {
			return id, true
		}
		return nil, true
	}
	h.funcs["DB_NAME"] = func(a []Value) (Value, bool) {
		if len(a) == 0 {
			return h.db, true
		}
		n, _ := a[0].(int64)
		names := []string{"master", "tempdb", "model", "msdb", "mgc", "mgccomp"}
		if n >= 1 && int(n) <= len(names) {
			return names[n-1], true
		}
		return nil, true
	}
	h.funcs["OBJECT_ID"] = func(a []Value) (Value, bool) { return nil, true }
	h.funcs["SERVERPROPERTY"] = func(a []Value) (Value, bool) {
		if len(a) != 1 {
			return nil, true
		}
		s, _ := a[0].(string)
		switch strings.ToLower(s) {
		case "productversion":
			return "11.0.7001.0", true
		case "servername":
			return "SQLBACKUP", true
		}
		return nil, true
	}
	h.procs["xp_fileexist"] = func(args []Arg, out Output) (int, error) {
		if len(args) == 0 {
			return 0, Errorf(22027, 15, "Usage:  EXECUTE xp_fileexist <filename> [, <file_exists INT> OUTPUT]")
		}
		path, _ := args[0].Value.(string)
		exists := int64(0)
		if strings.HasPrefix(strings.ToLower(path), `\\fs01.contoso.local\pchatls`) {
			exists = 1
		}
		isDir := int64(0)
		if !strings.HasSuffix(strings.ToLower(path), ".bak") {
			isDir, exists = exists, 0
		}
		out.ResultSet(tbl("File Exists int, File is a Directory int, Parent Directory Exists int", row(exists, isDir, int64(1))))
		return 0, nil
	}
	h.procs["sp_who2"] = func(args []Arg, out Output) (int, error) {
		out.ResultSet(tbl("SPID varchar, Status varchar, Login varchar, HostName varchar, DBName varchar, Command varchar",
			row(" 51", "sleeping", `CONTOSO\PC03$`, "PC03", "mgc", "AWAITING COMMAND"),
			row(" 55", "RUNNABLE", `CONTOSO\dba`, "ADMIN01", "master", "SELECT INTO")))
		return 0, nil
	}
	h.procs["sp_help_log_shipping_monitor"] = func(args []Arg, out Output) (int, error) {
		out.ResultSet(tbl("status bit, is_primary bit, server nvarchar, database_name nvarchar", row(false, false, "SQLBACKUP", "mgc")))
		return 0, nil
	}
	h.procs["sp_add_log_shipping_primary_database"] = func(args []Arg, out Output) (int, error) {
		for i := range args {
			switch strings.ToLower(args[i].Name) {
			case "@backup_job_id":
				args[i].Value = guid(0x10)
			case "@primary_id":
				args[i].Value = guid(0x20)
			}
		}
		return 0, nil
	}
	h.procs["sp_add_schedule"] = func(args []Arg, out Output) (int, error) {
		for i := range args {
			switch strings.ToLower(args[i].Name) {
			case "@schedule_uid":
				args[i].Value = guid(0x30)
			case "@schedule_id":
				args[i].Value = int64(7)
			}
		}
		return 0, nil
	}
	h.procs["sp_add_log_shipping_secondary_primary"] = func(args []Arg, out Output) (int, error) {
		for i := range args {
			switch strings.ToLower(args[i].Name) {
			case "@copy_job_id":
				args[i].Value = guid(0x40)
			case "@restore_job_id":
				args[i].Value = guid(0x50)
			case "@secondary_id":
				args[i].Value = guid(0x60)
			}
		}
		return 0, nil
	}
	for _, p := range []string{"sp_attach_schedule", "sp_update_job", "sp_add_log_shipping_alert_job",
		"sp_add_log_shipping_primary_secondary", "sp_add_log_shipping_secondary_database", "sp_delete_log_shipping_secondary_database"} {
		h.procs[p] = func(args []Arg, out Output) (int, error) { return 0, nil }
	}
	return h
}

// jobs adds SQL Agent tables: three log shipping jobs and an unrelated one, with history rows.
func jobs(h *fakeHost, history int) {
	h.tables["msdb.dbo.syscategories"] = tbl("category_id int, name nvarchar",
		row(int64(0), "[Uncategorized (Local)]"), row(int64(6), "Log Shipping"), row(int64(3), "Database Maintenance"))
	h.tables["msdb.dbo.sysjobs"] = tbl("job_id uniqueidentifier, name nvarchar, enabled tinyint, category_id int",
		row(guid(1), "LSAlert_SQLBACKUP", int64(1), int64(6)),
		row(guid(2), "LSBackup_mgc", int64(0), int64(6)),
		row(guid(3), "syspolicy_purge_history", int64(1), int64(0)),
		row(guid(4), "DatabaseIntegrityCheck", int64(1), int64(3)))
	h.tables["msdb.dbo.syssessions"] = tbl("session_id int, agent_start_date datetime",
		row(int64(1), at("2023-11-01 06:00:00")), row(int64(2), at("2023-12-01 06:01:00")))
	h.tables["msdb.dbo.sysjobactivity"] = tbl("session_id int, job_id uniqueidentifier, start_execution_date datetime, stop_execution_date datetime, next_scheduled_run_date datetime",
		row(int64(1), guid(1), at("2023-11-30 10:00:00"), at("2023-11-30 10:00:01"), nil),
		row(int64(2), guid(1), at("2024-01-01 12:28:00"), at("2024-01-01 12:28:01"), at("2024-01-01 12:30:00")),
		row(int64(2), guid(2), at("2024-01-01 12:29:50"), nil, nil),
		row(int64(2), guid(3), nil, nil, at("2024-01-02 02:00:00")))
	hist := tbl("instance_id int, job_id uniqueidentifier, step_id int, run_status int, run_date int, run_time int, run_duration int, message nvarchar")
	start := at("2023-12-31 00:00:00")
	for i := 0; i < history; i++ {
		t := start.Add(time.Duration(i) * 2 * time.Minute)
		job := guid(byte(1 + i%3))
		date := int64(t.Year()*10000 + int(t.Month())*100 + t.Day())
		clock := int64(t.Hour()*10000 + t.Minute()*100 + t.Second())
		status := int64(1)
		if i%17 == 0 {
			status = 0
		}
		hist.Rows = append(hist.Rows,
			row(int64(2*i+1), job, int64(1), status, date, clock, int64(1), "Executed as user: CONTOSO\\svc-agt-bak. The step succeeded."),
			row(int64(2*i+2), job, int64(0), status, date, clock, int64(1), fmt.Sprintf("The job succeeded.  The Job was invoked by Schedule %d.", i%3+1)))
	}
	h.tables["msdb.dbo.sysjobhistory"] = hist
}
