package sim

import (
	"pcfailback/tsql"
)

func init() {
	register("msdb.backupset", scopeMSDB, `backup_set_id int, backup_set_uuid uniqueidentifier, media_set_id int,
		first_family_number tinyint, first_media_number smallint, last_family_number tinyint,
		last_media_number smallint, catalog_family_number tinyint, catalog_media_number smallint, position int,
		expiration_date datetime, software_vendor_id int, name nvarchar(128), description nvarchar(255),
		user_name nvarchar(128), software_major_version tinyint, software_minor_version tinyint,
		software_build_version smallint, time_zone smallint, mtf_minor_version tinyint, first_lsn numeric(25,0),
		last_lsn numeric(25,0), checkpoint_lsn numeric(25,0), database_backup_lsn numeric(25,0),
		database_creation_date datetime, backup_start_date datetime, backup_finish_date datetime, type char(1),
		sort_order smallint, code_page smallint, compatibility_level tinyint, database_version int,
		backup_size numeric(20,0), database_name nvarchar(128), server_name nvarchar(128),
		machine_name nvarchar(128), flags int, unicode_locale int, unicode_compare_style int,
		collation_name nvarchar(128), is_password_protected bit, recovery_model nvarchar(60),
		has_bulk_logged_data bit, is_snapshot bit, is_readonly bit, is_single_user bit, has_backup_checksums bit,
		is_damaged bit, begins_log_chain bit, has_incomplete_metadata bit, is_force_offline bit, is_copy_only bit,
		first_recovery_fork_guid uniqueidentifier, last_recovery_fork_guid uniqueidentifier,
		fork_point_lsn numeric(25,0), database_guid uniqueidentifier, family_guid uniqueidentifier,
		differential_base_lsn numeric(25,0), differential_base_guid uniqueidentifier,
		compressed_backup_size numeric(20,0)`,
		func(ss *session, _ *database) [][]tsql.Value {
			m := ss.inst.msdb
			rows := make([][]tsql.Value, 0, len(m.backupsets))
			for _, bs := range m.backupsets {
				rows = append(rows, backupsetRowValues(bs))
			}
			return rows
		})

	register("msdb.backupmediafamily", scopeMSDB, `media_set_id int, family_sequence_number tinyint,
		media_family_id uniqueidentifier, media_count int, logical_device_name nvarchar(128),
		physical_device_name nvarchar(260), device_type tinyint, physical_block_size int, mirror tinyint`,
		func(ss *session, _ *database) [][]tsql.Value {
			m := ss.inst.msdb
			rows := make([][]tsql.Value, 0, len(m.mediaFamilies))
			for _, f := range m.mediaFamilies {
				rows = append(rows, []tsql.Value{i64(f.mediaSetID), i64(f.seq), guidOrNull(f.familyGUID), int64(1),
					nil, f.device, int64(2), int64(512), int64(0)})
			}
			return rows
		})

	register("msdb.backupmediaset", scopeMSDB, `media_set_id int, media_uuid uniqueidentifier,
		media_family_count tinyint, name nvarchar(128), description nvarchar(255), software_name nvarchar(128),
		software_vendor_id int, MTF_major_version tinyint, mirror_count tinyint, is_password_protected bit,
		is_compressed bit`,
		func(ss *session, _ *database) [][]tsql.Value {
			m := ss.inst.msdb
			rows := make([][]tsql.Value, 0, len(m.mediaSets))
			for _, x := range m.mediaSets {
				rows = append(rows, []tsql.Value{i64(x.id), guidOrNull(x.guid), i64(x.familyCount), nstr(x.name),
					nstr(x.description), "Microsoft SQL Server", int64(4608), int64(1), int64(1), bit(false),
					bit(x.compressed)})
			}
			return rows
		})

	register("msdb.restorehistory", scopeMSDB, `restore_history_id int, restore_date datetime,
		destination_database_name nvarchar(128), user_name nvarchar(128), backup_set_id int, restore_type char(1),
		replace bit, recovery bit, restart bit, stop_at datetime, device_count tinyint,
		stop_at_mark_name nvarchar(128), stop_before bit`,
		func(ss *session, _ *database) [][]tsql.Value {
			m := ss.inst.msdb
			rows := make([][]tsql.Value, 0, len(m.restores))
			for _, r := range m.restores {
				rows = append(rows, []tsql.Value{i64(r.id), r.date, r.dest, r.user, i64(r.backupSetID),
					string(r.typ), bit(r.replace), bit(r.recovery), bit(false), nil, i64(r.deviceCount), nil,
					bit(false)})
			}
			return rows
		})
}

// backupsetRowValues is one row of msdb.dbo.backupset.
func backupsetRowValues(bs *backupsetRow) []tsql.Value {
	img := bs.img
	var fork, diffBase tsql.Value
	if img.kind == 'D' {
		diffBase = lsnOf(img.checkpointPos)
	}
	compressedSize := img.bytes
	size := (img.dataPages+img.logPages)*bytesPerPage + mediaHeaderSize
	return []tsql.Value{
		i64(bs.id), guidOrNull(img.bsGUID), i64(bs.mediaSetID), int64(1), int64(1), i64(img.familyCount),
		int64(1), i64(img.familyCount), int64(1), i64(img.position), tm(img.expiration), int64(4608),
		nstr(img.name), nstr(img.description), img.userName, i64(img.major), i64(img.minor), i64(img.build),
		int64(0), int64(0), lsnOf(img.firstPos), lsnOf(img.lastPos), lsnOf(img.checkpointPos),
		lsnOf(img.basePos), img.dbCreated, img.start, img.finish, string(img.kind), int64(52), int64(0),
		i64(img.compat), int64(706), size, img.dbName, img.server, img.machine, int64(512), int64(1033),
		int64(196609), img.collation, bit(false), img.recovery.desc(), bit(false), bit(false), bit(img.readOnly),
		bit(img.access == accessSingle), bit(img.checksums), bit(bs.isDamaged), bit(img.beginsLogChain),
		bit(false), bit(false), bit(img.copyOnly), guidOrNull(img.firstFork), guidOrNull(img.fork), fork,
		guidOrNull(img.dbGUID), guidOrNull(img.family), diffBase, nil, compressedSize,
	}
}
