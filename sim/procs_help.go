package sim

import (
	"fmt"
	"strings"

	"pcfailback/tsql"
)

// Read-only helper procedures DBAs reach for: sp_helpdb and the sp_help_log_shipping_* family (§3.4's related
// helpers), answering from the same state as the catalog views.

func init() {
	defineProc(&procDef{name: "sp_helpdb", params: []procParam{opt("@dbname", nil)}, run: runHelpDB})
	defineProc(&procDef{name: "sp_help_log_shipping_primary_database", run: runHelpLSPrimary,
		params: []procParam{opt("@database", nil), opt("@primary_id", nil)}})
	defineProc(&procDef{name: "sp_help_log_shipping_secondary_database", run: runHelpLSSecondary,
		params: []procParam{opt("@secondary_database", nil), opt("@secondary_id", nil)}})
	defineProc(&procDef{name: "sp_help_log_shipping_alert_job", run: runHelpLSAlert})
}

// mbText renders a size in 8 KB pages as sp_helpdb does ("   20480.00 MB").
func mbText(pages int64) string { return fmt.Sprintf("%14.2f MB", float64(pages)/128) }

func runHelpDB(c *procCall) (int, error) {
	in := c.ss.inst
	dbs := in.dbs
	one := !c.isNull("@dbname")
	if one {
		d := in.db(c.text("@dbname"))
		if d == nil {
			return 1, c.fail(15010, 16, 1, "The database '%s' does not exist. Supply a valid database name. To see available databases, use sys.databases.", c.text("@dbname"))
		}
		dbs = []*database{d}
	}
	t := &tsql.Table{Columns: columns(`name sysname, db_size nvarchar(13), owner sysname, dbid smallint,
		created nvarchar(11), status nvarchar(600), compatibility_level tinyint`)}
	for _, d := range dbs {
		var pages int64
		for _, f := range d.files {
			pages += f.sizePages
		}
		upd := "READ_WRITE"
		if d.readOnly {
			upd = "READ_ONLY"
		}
		status := fmt.Sprintf("Status=%s, Updateability=%s, UserAccess=%s, Recovery=%s, Version=706, "+
			"Collation=SQL_Latin1_General_CP1_CI_AS, SQLSortOrder=52, IsAutoCreateStatistics, IsAutoUpdateStatistics",
			d.state.desc(), upd, d.access.desc(), d.recovery.desc())
		owner := d.owner
		if owner == "" {
			owner = "sa"
		}
		t.Rows = append(t.Rows, []tsql.Value{d.name, mbText(pages), owner, i64(d.id), d.created.Format("Jan _2 2006"),
			status, i64(d.compat)})
	}
	c.result(t)
	if one {
		files := &tsql.Table{Columns: columns(`name nchar(128), fileid smallint, filename nchar(260),
			filegroup nvarchar(128), size nvarchar(18), maxsize nvarchar(18), growth nvarchar(18), usage varchar(9)`)}
		for _, f := range dbs[0].files {
			group, usage, maxSize := tsql.Value("PRIMARY"), "data only", "Unlimited"
			growth := fmt.Sprintf("%d KB", f.growth*8)
			if f.percent {
				growth = fmt.Sprintf("%d%%", f.growth)
			}
			if f.log {
				group, usage, maxSize = nil, "log only", "2147483648 KB"
			}
			files.Rows = append(files.Rows, []tsql.Value{f.logical, i64(f.fileID), f.physical, group,
				fmt.Sprintf("%d KB", f.sizePages*8), maxSize, growth, usage})
		}
		c.result(files)
	}
	return 0, nil
}

func runHelpLSPrimary(c *procCall) (int, error) {
	m := c.ss.inst.msdb
	t := &tsql.Table{Columns: columns(`primary_id uniqueidentifier, primary_database sysname,
		backup_directory nvarchar(500), backup_share nvarchar(500), backup_retention_period int,
		backup_compression tinyint, backup_job_id uniqueidentifier, monitor_server sysname,
		monitor_server_security_mode bit, backup_threshold int, threshold_alert int, threshold_alert_enabled bit,
		last_backup_file nvarchar(500), last_backup_date datetime, last_backup_date_utc datetime,
		history_retention_period int`)}
	for _, p := range m.lsPrimary {
		if !c.isNull("@database") && !nameEq(p.database, c.text("@database")) {
			continue
		}
		mon := m.monPrimary(p.primaryID)
		if mon == nil {
			mon = &lsMonitorPrimary{}
		}
		t.Rows = append(t.Rows, []tsql.Value{p.primaryID, p.database, p.backupDirectory, p.backupShare,
			i64(p.retention), i64(p.backupCompression), p.backupJobID, p.monitorServer, bit(true),
			i64(mon.backupThreshold), i64(mon.thresholdAlert), bit(mon.alertEnabled), nstr(p.lastBackupFile),
			tm(p.lastBackupDate), utc(p.lastBackupDate), i64(mon.historyRetention)})
	}
	if len(t.Rows) == 0 && !c.isNull("@database") {
		return 1, c.fail(32010, 16, 1, "Database %s does not exist as log shipping primary.", c.text("@database"))
	}
	c.result(t)
	return 0, nil
}

func runHelpLSSecondary(c *procCall) (int, error) {
	m := c.ss.inst.msdb
	t := &tsql.Table{Columns: columns(`secondary_id uniqueidentifier, primary_server sysname, primary_database sysname,
		backup_source_directory nvarchar(500), backup_destination_directory nvarchar(500), file_retention_period int,
		copy_job_id uniqueidentifier, restore_job_id uniqueidentifier, monitor_server sysname,
		monitor_server_security_mode bit, secondary_database sysname, restore_delay int, restore_all bit,
		restore_mode bit, disconnect_users bit, block_size int, buffer_count int, max_transfer_size int,
		restore_threshold int, threshold_alert int, threshold_alert_enabled bit, last_copied_file nvarchar(500),
		last_copied_date datetime, last_restored_file nvarchar(500), last_restored_date datetime,
		last_restored_latency int, history_retention_period int`)}
	for _, sd := range m.lsSecDBs {
		if !c.isNull("@secondary_database") && !nameEq(sd.database, c.text("@secondary_database")) {
			continue
		}
		sec := m.secondaryByID(sd.secondaryID)
		mon := m.monSecondary(sd.database)
		if sec == nil || mon == nil {
			continue
		}
		t.Rows = append(t.Rows, []tsql.Value{sec.secondaryID, sec.primaryServer, sec.primaryDatabase, sec.sourceDir,
			sec.destDir, i64(sec.retention), sec.copyJobID, sec.restoreJobID, sec.monitorServer, bit(true),
			sd.database, i64(sd.restoreDelay), bit(sd.restoreAll), bit(sd.restoreMode == 1), bit(sd.disconnectUsers),
			i64(sd.blockSize), i64(sd.bufferCount), i64(sd.maxTransferSize), i64(mon.restoreThreshold),
			i64(mon.thresholdAlert), bit(mon.alertEnabled), nstr(sec.lastCopiedFile), tm(sec.lastCopiedDate),
			nstr(sd.lastRestoredFile), tm(sd.lastRestoredDate), i64(mon.latency), i64(mon.historyRetention)})
	}
	if len(t.Rows) == 0 && !c.isNull("@secondary_database") {
		return 1, c.fail(32014, 16, 1, "Database %s does not exist as log shipping secondary.", c.text("@secondary_database"))
	}
	c.result(t)
	return 0, nil
}

func runHelpLSAlert(c *procCall) (int, error) {
	t := &tsql.Table{Columns: columns("alert_job_id uniqueidentifier")}
	if id := c.ss.inst.msdb.lsAlertJob; id != nil {
		t.Rows = append(t.Rows, []tsql.Value{*id})
	}
	c.result(t)
	return 0, nil
}

// fileTypeCode is backupfile.file_type: D data, L log.
func fileTypeCode(f imageFile) string {
	if f.log {
		return "L"
	}
	return "D"
}

func init() {
	register("msdb.backupfile", scopeMSDB, `backup_set_id int, first_family_number tinyint, first_media_number smallint,
		filegroup_name nvarchar(128), page_size int, file_number numeric(10,0), backed_up_page_count numeric(10,0),
		file_type char(1), source_file_block_size numeric(10,0), file_size numeric(20,0), logical_name nvarchar(128),
		physical_drive nvarchar(260), physical_name nvarchar(260), state tinyint, state_desc nvarchar(64),
		create_lsn numeric(25,0), drop_lsn numeric(25,0), file_guid uniqueidentifier, read_only_lsn numeric(25,0),
		read_write_lsn numeric(25,0), differential_base_lsn numeric(25,0), differential_base_guid uniqueidentifier,
		backup_size numeric(20,0), filegroup_guid uniqueidentifier, is_readonly bit, is_present bit`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, bs := range ss.inst.msdb.backupsets {
				img := bs.img
				for _, f := range img.files {
					pages := f.usedPages
					var group tsql.Value = "PRIMARY"
					if f.log {
						pages, group = img.logPages, nil
					} else if img.kind == 'L' {
						pages = 0
					}
					drive := f.physical
					if i := strings.IndexByte(drive, '\\'); i > 0 {
						drive = drive[:i+1]
					}
					rows = append(rows, []tsql.Value{i64(bs.id), int64(1), int64(1), group, int64(bytesPerPage),
						i64(f.fileID), pages, fileTypeCode(f), int64(512), f.sizePages * bytesPerPage, f.logical, drive,
						f.physical, int64(0), "ONLINE", nil, nil, guidOrNull(f.guid), nil, nil, nil, nil,
						pages * bytesPerPage, nil, bit(false), bit(true)})
				}
			}
			return rows
		})
}
