package sim

import (
	"strings"
	"time"

	"pcfailback/tsql"
)

// tm is a datetime that is NULL when zero.
func tm(t time.Time) tsql.Value {
	if t.IsZero() {
		return nil
	}
	return t
}

// guidOrNull is a uniqueidentifier that is NULL when zero.
func guidOrNull(g tsql.GUID) tsql.Value {
	if g == (tsql.GUID{}) {
		return nil
	}
	return g
}

func init() {
	register("sys.databases", scopeServer, `name sysname, database_id int, source_database_id int, owner_sid varbinary(85),
		create_date datetime, compatibility_level tinyint, collation_name sysname, user_access tinyint,
		user_access_desc nvarchar(60), is_read_only bit, is_auto_close_on bit, is_auto_shrink_on bit, state tinyint,
		state_desc nvarchar(60), is_in_standby bit, is_cleanly_shutdown bit, is_supplemental_logging_enabled bit,
		snapshot_isolation_state tinyint, snapshot_isolation_state_desc nvarchar(60), is_read_committed_snapshot_on bit,
		recovery_model tinyint, recovery_model_desc nvarchar(60), page_verify_option tinyint,
		page_verify_option_desc nvarchar(60), is_auto_create_stats_on bit, is_auto_update_stats_on bit,
		is_auto_update_stats_async_on bit, is_ansi_null_default_on bit, is_ansi_nulls_on bit, is_ansi_padding_on bit,
		is_ansi_warnings_on bit, is_arithabort_on bit, is_concat_null_yields_null_on bit, is_numeric_roundabort_on bit,
		is_quoted_identifier_on bit, is_recursive_triggers_on bit, is_cursor_close_on_commit_on bit,
		is_local_cursor_default bit, is_fulltext_enabled bit, is_trustworthy_on bit, is_db_chaining_on bit,
		is_parameterization_forced bit, is_master_key_encrypted_by_server bit, is_published bit, is_subscribed bit,
		is_merge_published bit, is_distributor bit, is_sync_with_backup bit, service_broker_guid uniqueidentifier,
		is_broker_enabled bit, log_reuse_wait tinyint, log_reuse_wait_desc nvarchar(60), is_date_correlation_on bit,
		is_cdc_enabled bit, is_encrypted bit, is_honor_broker_priority_on bit, replica_id uniqueidentifier,
		group_database_id uniqueidentifier, default_language_lcid smallint, default_language_name nvarchar(128),
		default_fulltext_language_lcid int, default_fulltext_language_name nvarchar(128),
		is_nested_triggers_on bit, is_transform_noise_words_on bit, two_digit_year_cutoff smallint,
		containment tinyint, containment_desc nvarchar(60), target_recovery_time_in_seconds int`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, d := range ss.inst.dbs {
				rows = append(rows, databaseRow(ss.inst, d))
			}
			return rows
		})

	register("sys.sysdatabases", scopeCompat, `name sysname, dbid smallint, sid varbinary(85), mode smallint, status int,
		status2 int, crdate datetime, reserved datetime, category int, cmptlevel tinyint, filename nvarchar(260),
		version smallint`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, d := range ss.inst.dbs {
				status := int64(65544)
				if d.state == stateRestoring {
					status = 65568
				}
				var file tsql.Value
				if f := d.dataFile(); f != nil {
					file = f.physical
				}
				rows = append(rows, []tsql.Value{d.name, i64(d.id), ownerSID(ss.inst, d), i64(0), status,
					int64(1090519040), d.created, d.created, i64(0), i64(d.compat), file, int64(706)})
			}
			return rows
		})

	register("sys.database_mirroring", scopeServer, `database_id int, mirroring_guid uniqueidentifier,
		mirroring_state tinyint, mirroring_state_desc nvarchar(60), mirroring_role tinyint,
		mirroring_role_desc nvarchar(60), mirroring_role_sequence int, mirroring_safety_level tinyint,
		mirroring_safety_level_desc nvarchar(60), mirroring_safety_sequence int, mirroring_partner_name nvarchar(128),
		mirroring_partner_instance nvarchar(128), mirroring_witness_name nvarchar(128), mirroring_witness_state tinyint,
		mirroring_witness_state_desc nvarchar(60), mirroring_failover_lsn numeric(25,0),
		mirroring_connection_timeout int, mirroring_redo_queue int, mirroring_redo_queue_type nvarchar(60),
		mirroring_end_of_log_lsn numeric(25,0), mirroring_replication_lsn numeric(25,0)`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, d := range ss.inst.dbs {
				m := d.mirror
				if m == nil {
					rows = append(rows, []tsql.Value{i64(d.id), nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
						nil, nil, nil, nil, nil, nil, nil, nil, nil, nil})
					continue
				}
				role := "PRINCIPAL"
				if m.role == roleMirror {
					role = "MIRROR"
				}
				safety := "FULL"
				if m.safety == safetyOff {
					safety = "OFF"
				}
				partnerInst := ""
				if m.partner != nil {
					partnerInst = m.partner.spec.Server
				}
				rows = append(rows, []tsql.Value{i64(d.id), m.guid, i64(m.state), mirrorStateDesc(m.state),
					i64(m.role), role, i64(m.roleSeq), i64(m.safety), safety, i64(m.safetySeq), m.partnerName,
					partnerInst, m.witness, i64(0), "UNKNOWN", lsnOf(m.failoverPos), i64(10), nil, "UNLIMITED",
					lsnOf(d.pos), lsnOf(d.pos)})
			}
			return rows
		})

	register("sys.master_files", scopeServer, `database_id int, file_id int, file_guid uniqueidentifier, type tinyint,
		type_desc nvarchar(60), data_space_id int, name sysname, physical_name nvarchar(260), state tinyint,
		state_desc nvarchar(60), size int, max_size int, growth int, is_media_read_only bit, is_read_only bit,
		is_sparse bit, is_percent_growth bit, is_name_reserved bit, create_lsn numeric(25,0), drop_lsn numeric(25,0),
		read_only_lsn numeric(25,0), read_write_lsn numeric(25,0), differential_base_lsn numeric(25,0),
		differential_base_guid uniqueidentifier, differential_base_time datetime, redo_start_lsn numeric(25,0),
		redo_start_fork_guid uniqueidentifier, redo_target_lsn numeric(25,0), redo_target_fork_guid uniqueidentifier,
		backup_lsn numeric(25,0)`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, d := range ss.inst.dbs {
				for _, f := range d.files {
					rows = append(rows, fileRow(d, f, true))
				}
			}
			return rows
		})

	register("sys.database_files", scopeDatabase, `file_id int, file_guid uniqueidentifier, type tinyint,
		type_desc nvarchar(60), data_space_id int, name sysname, physical_name nvarchar(260), state tinyint,
		state_desc nvarchar(60), size int, max_size int, growth int, is_media_read_only bit, is_read_only bit,
		is_sparse bit, is_percent_growth bit, is_name_reserved bit, create_lsn numeric(25,0), drop_lsn numeric(25,0),
		read_only_lsn numeric(25,0), read_write_lsn numeric(25,0), differential_base_lsn numeric(25,0),
		differential_base_guid uniqueidentifier, differential_base_time datetime, redo_start_lsn numeric(25,0),
		redo_start_fork_guid uniqueidentifier, redo_target_lsn numeric(25,0), redo_target_fork_guid uniqueidentifier,
		backup_lsn numeric(25,0)`,
		func(ss *session, d *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, f := range d.files {
				rows = append(rows, fileRow(d, f, false))
			}
			return rows
		})

	register("sys.database_recovery_status", scopeServer, `database_id int, database_guid uniqueidentifier,
		family_guid uniqueidentifier, last_log_backup_lsn numeric(25,0), recovery_fork_guid uniqueidentifier,
		first_recovery_fork_guid uniqueidentifier, fork_point_lsn numeric(25,0)`,
		func(ss *session, _ *database) [][]tsql.Value {
			var rows [][]tsql.Value
			for _, d := range ss.inst.dbs {
				if d.state != stateOnline {
					rows = append(rows, []tsql.Value{i64(d.id), nil, nil, nil, nil, nil, nil})
					continue
				}
				var last tsql.Value
				if d.hasBase && d.recovery != recoverySimple {
					last = lsnOf(d.logChainStart)
				}
				rows = append(rows, []tsql.Value{i64(d.id), guidOrNull(d.guid), guidOrNull(d.family), last,
					guidOrNull(d.fork), guidOrNull(d.firstFork), nil})
			}
			return rows
		})
}

// databaseRow is one row of sys.databases. Databases that are not online show NULL for the options SQL Server
// cannot read from them.
func databaseRow(in *instance, d *database) []tsql.Value {
	online := d.state == stateOnline
	onl := func(v tsql.Value) tsql.Value {
		if online {
			return v
		}
		return nil
	}
	logWait, logWaitDesc := int64(0), "NOTHING"
	switch {
	case d.mirror != nil && d.mirror.role == rolePrincipal && d.recovery != recoverySimple && d.pos > d.logChainStart:
		logWait, logWaitDesc = 2, "LOG_BACKUP"
	case d.recovery != recoverySimple && d.hasBase && d.pos > d.logChainStart:
		logWait, logWaitDesc = 2, "LOG_BACKUP"
	}
	pageVerify, pageVerifyDesc := int64(2), "CHECKSUM"
	if nameEq(d.name, "tempdb") {
		pageVerify, pageVerifyDesc = 2, "CHECKSUM"
	}
	broker := nameEq(d.name, "msdb")
	return []tsql.Value{
		d.name, i64(d.id), nil, ownerSID(in, d), d.created, i64(d.compat), onl("SQL_Latin1_General_CP1_CI_AS"),
		i64(d.access), d.access.desc(), bit(d.readOnly), bit(false), bit(false), i64(d.state), d.state.desc(),
		bit(d.standby), bit(!online), bit(false), i64(boolInt(nameEq(d.name, "master") || nameEq(d.name, "msdb"))),
		onl(snapshotDesc(d)), bit(false), i64(d.recovery), d.recovery.desc(), pageVerify, pageVerifyDesc,
		bit(true), bit(true), bit(false), bit(false), bit(false), bit(false), bit(false), bit(false), bit(false),
		bit(false), bit(false), bit(false), bit(false), bit(false), bit(true), bit(nameEq(d.name, "msdb")),
		bit(nameEq(d.name, "master") || nameEq(d.name, "tempdb") || nameEq(d.name, "msdb")), bit(false),
		bit(nameEq(d.name, "master")), bit(false), bit(false), bit(false), bit(false), bit(false), d.guid,
		bit(broker), logWait, logWaitDesc, bit(false), bit(false), bit(false), bit(false), nil, nil,
		nil, nil, nil, nil, nil, nil, nil, i64(0), "NONE", i64(0),
	}
}

func snapshotDesc(d *database) string {
	if nameEq(d.name, "master") || nameEq(d.name, "msdb") {
		return "ON"
	}
	return "OFF"
}

// ownerSID is the SID of the database owner.
func ownerSID(in *instance, d *database) tsql.Value {
	if d.system || d.owner == "" || strings.EqualFold(d.owner, "sa") {
		return "0x01"
	}
	if l := in.login(d.owner); l != nil {
		return l.sid
	}
	return sidOf(d.owner)
}

// fileRow is a row of sys.master_files (withDB) or <db>.sys.database_files.
func fileRow(d *database, f dbFile, withDB bool) []tsql.Value {
	typ, desc, space := int64(0), "ROWS", int64(1)
	if f.log {
		typ, desc, space = 1, "LOG", 0
	}
	state, stateDesc := int64(0), "ONLINE"
	switch d.state {
	case stateRestoring:
		state, stateDesc = 1, "RESTORING"
	case stateOffline:
		state, stateDesc = 6, "OFFLINE"
	}
	growth := f.growth
	maxSize := int64(-1)
	if f.log {
		maxSize = 268435456
	}
	row := []tsql.Value{i64(f.fileID), guidOrNull(f.guid), typ, desc, space, f.logical, f.physical, state, stateDesc,
		f.sizePages, maxSize, growth, bit(false), bit(d.readOnly), bit(false), bit(f.percent), bit(false), nil, nil,
		nil, nil, nil, nil, nil, nil, nil, nil, nil, nil}
	if d.state == stateRestoring && d.restoreOK {
		row[24], row[25] = lsnOf(d.redoPos), guidOrNull(d.fork)
	}
	if withDB {
		row = append([]tsql.Value{i64(d.id)}, row...)
	}
	return row
}
