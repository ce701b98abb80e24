package sim

import (
	"time"

	"pcfailback/tsql"
)

// utc is the UTC twin of a datetime column (NULL stays NULL).
func utc(t time.Time) tsql.Value {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func init() {
	register("msdb.log_shipping_primary_databases", scopeMSDB, `primary_id uniqueidentifier, primary_database sysname,
		backup_directory nvarchar(500), backup_share nvarchar(500), backup_retention_period int,
		backup_job_id uniqueidentifier, monitor_server sysname, user_specified_monitor bit,
		monitor_server_security_mode bit, last_backup_file nvarchar(500), last_backup_date datetime,
		backup_compression tinyint`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, p := range ss.inst.msdb.lsPrimary {
				rows = append(rows, []tsql.Value{p.primaryID, p.database, p.backupDirectory, p.backupShare,
					i64(p.retention), p.backupJobID, p.monitorServer, bit(p.userMonitor), bit(true),
					nstr(p.lastBackupFile), tm(p.lastBackupDate), i64(p.backupCompression)})
			}
			return rows
		})

	register("msdb.log_shipping_primary_secondaries", scopeMSDB, `secondary_id uniqueidentifier,
		primary_id uniqueidentifier, secondary_server sysname, secondary_database sysname`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, p := range ss.inst.msdb.lsPrimarySecs {
				rows = append(rows, []tsql.Value{p.secondaryID, p.primaryID, p.secondaryServer, p.secondaryDatabase})
			}
			return rows
		})

	register("msdb.log_shipping_monitor_primary", scopeMSDB, `primary_id uniqueidentifier, primary_server sysname,
		primary_database sysname, backup_threshold int, threshold_alert int, threshold_alert_enabled bit,
		last_backup_file nvarchar(500), last_backup_date datetime, last_backup_date_utc datetime,
		history_retention_period int`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, p := range ss.inst.msdb.lsMonPrimary {
				rows = append(rows, []tsql.Value{p.primaryID, p.primaryServer, p.primaryDatabase,
					i64(p.backupThreshold), i64(p.thresholdAlert), bit(p.alertEnabled), nstr(p.lastBackupFile),
					tm(p.lastBackupDate), utc(p.lastBackupDate), i64(p.historyRetention)})
			}
			return rows
		})

	register("msdb.log_shipping_secondary", scopeMSDB, `secondary_id uniqueidentifier, primary_server sysname,
		primary_database sysname, backup_source_directory nvarchar(500), backup_destination_directory nvarchar(500),
		file_retention_period int, copy_job_id uniqueidentifier, restore_job_id uniqueidentifier,
		monitor_server sysname, monitor_server_security_mode bit, user_specified_monitor bit,
		last_copied_file nvarchar(500), last_copied_date datetime`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, x := range ss.inst.msdb.lsSecondary {
				rows = append(rows, []tsql.Value{x.secondaryID, x.primaryServer, x.primaryDatabase, x.sourceDir,
					x.destDir, i64(x.retention), x.copyJobID, x.restoreJobID, x.monitorServer, bit(true),
					bit(x.userMonitor), nstr(x.lastCopiedFile), tm(x.lastCopiedDate)})
			}
			return rows
		})

	register("msdb.log_shipping_secondary_databases", scopeMSDB, `secondary_database sysname,
		secondary_id uniqueidentifier, restore_delay int, restore_all bit, restore_mode bit, disconnect_users bit,
		block_size int, buffer_count int, max_transfer_size int, last_restored_file nvarchar(500),
		last_restored_date datetime`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, x := range ss.inst.msdb.lsSecDBs {
				var maxTransfer tsql.Value
				if x.maxTransferSize > 0 {
					maxTransfer = int64(x.maxTransferSize)
				}
				rows = append(rows, []tsql.Value{x.database, x.secondaryID, i64(x.restoreDelay),
					bit(x.restoreAll), bit(x.restoreMode == 1), bit(x.disconnectUsers), i64(x.blockSize),
					i64(x.bufferCount), maxTransfer, nstr(x.lastRestoredFile), tm(x.lastRestoredDate)})
			}
			return rows
		})

	register("msdb.log_shipping_monitor_secondary", scopeMSDB, `secondary_server sysname, secondary_database sysname,
		secondary_id uniqueidentifier, primary_server sysname, primary_database sysname, restore_threshold int,
		threshold_alert int, threshold_alert_enabled bit, last_copied_file nvarchar(500), last_copied_date datetime,
		last_copied_date_utc datetime, last_restored_file nvarchar(500), last_restored_date datetime,
		last_restored_date_utc datetime, last_restored_latency int, history_retention_period int`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, x := range ss.inst.msdb.lsMonSecs {
				var latency tsql.Value
				if !x.lastRestoredDate.IsZero() {
					latency = int64(x.latency)
				}
				rows = append(rows, []tsql.Value{x.secondaryServer, x.secondaryDatabase, x.secondaryID,
					x.primaryServer, x.primaryDatabase, i64(x.restoreThreshold), i64(x.thresholdAlert),
					bit(x.alertEnabled), nstr(x.lastCopiedFile), tm(x.lastCopiedDate), utc(x.lastCopiedDate),
					nstr(x.lastRestoredFile), tm(x.lastRestoredDate), utc(x.lastRestoredDate), latency,
					i64(x.historyRetention)})
			}
			return rows
		})

	register("msdb.log_shipping_monitor_history_detail", scopeMSDB, `agent_id uniqueidentifier, agent_type tinyint,
		session_id int, database_name sysname, session_status tinyint, log_time datetime, log_time_utc datetime,
		message nvarchar(4000)`,
		func(ss *session, _ *database) [][]tsql.Value {
			m := ss.inst.msdb
			rows := make([][]tsql.Value, 0, len(m.lsHistory))
			for _, h := range m.lsHistory {
				rows = append(rows, []tsql.Value{h.agentID, i64(h.agentType), i64(h.sessionID), nstr(h.database),
					i64(h.status), h.at, h.at.UTC(), h.message})
			}
			return rows
		})

	register("msdb.log_shipping_monitor_error_detail", scopeMSDB, `agent_id uniqueidentifier, agent_type tinyint,
		session_id int, database_name sysname, sequence_number int, log_time datetime, log_time_utc datetime,
		message nvarchar(4000), source nvarchar(4000), help_url nvarchar(4000)`,
		func(ss *session, _ *database) [][]tsql.Value {
			m := ss.inst.msdb
			rows := make([][]tsql.Value, 0, len(m.lsErrors))
			for _, h := range m.lsErrors {
				rows = append(rows, []tsql.Value{h.agentID, i64(h.agentType), i64(h.sessionID), nstr(h.database),
					i64(h.seq), h.at, h.at.UTC(), h.message, nstr(h.source), nil})
			}
			return rows
		})

	register("msdb.log_shipping_monitor_alert", scopeMSDB, `alert_job_id uniqueidentifier`,
		func(ss *session, _ *database) [][]tsql.Value {
			if id := ss.inst.msdb.lsAlertJob; id != nil {
				return [][]tsql.Value{{*id}}
			}
			return nil
		})
}
