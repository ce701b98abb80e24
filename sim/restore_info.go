package sim

import (
	"context"

	"pcfailback/tsql"
)

var (
	headerOnlyColumns = columns(`BackupName nvarchar(128), BackupDescription nvarchar(255), BackupType smallint,
		ExpirationDate datetime, Compressed bit, Position smallint, DeviceType tinyint, UserName nvarchar(128),
		ServerName nvarchar(128), DatabaseName nvarchar(128), DatabaseVersion int, DatabaseCreationDate datetime,
		BackupSize numeric(20,0), FirstLSN numeric(25,0), LastLSN numeric(25,0), CheckpointLSN numeric(25,0),
		DatabaseBackupLSN numeric(25,0), BackupStartDate datetime, BackupFinishDate datetime, SortOrder smallint,
		CodePage smallint, UnicodeLocaleId int, UnicodeComparisonStyle int, CompatibilityLevel tinyint,
		SoftwareVendorId int, SoftwareVersionMajor int, SoftwareVersionMinor int, SoftwareVersionBuild int,
		MachineName nvarchar(128), Flags int, BindingID uniqueidentifier, RecoveryForkID uniqueidentifier,
		Collation nvarchar(128), FamilyGUID uniqueidentifier, HasBulkLoggedData bit, IsSnapshot bit,
		IsReadOnly bit, IsSingleUser bit, HasBackupChecksums bit, IsDamaged bit, BeginsLogChain bit,
		HasIncompleteMetaData bit, IsForceOffline bit, IsCopyOnly bit, FirstRecoveryForkID uniqueidentifier,
		ForkPointLSN numeric(25,0), RecoveryModel nvarchar(60), DifferentialBaseLSN numeric(25,0),
		DifferentialBaseGUID uniqueidentifier, BackupTypeDescription nvarchar(60), BackupSetGUID uniqueidentifier,
		CompressedBackupSize bigint, Containment tinyint`)

	fileListColumns = columns(`LogicalName nvarchar(128), PhysicalName nvarchar(260), Type char(1),
		FileGroupName nvarchar(128), Size numeric(20,0), MaxSize numeric(20,0), FileID bigint,
		CreateLSN numeric(25,0), DropLSN numeric(25,0), UniqueID uniqueidentifier, ReadOnlyLSN numeric(25,0),
		ReadWriteLSN numeric(25,0), BackupSizeInBytes bigint, SourceBlockSize int, FileGroupID int,
		LogGroupGUID uniqueidentifier, DifferentialBaseLSN numeric(25,0), DifferentialBaseGUID uniqueidentifier,
		IsReadOnly bit, IsPresent bit, TDEThumbprint varbinary(32)`)

	labelOnlyColumns = columns(`MediaName nvarchar(128), MediaSetId uniqueidentifier, FamilyCount int,
		FamilySequenceNumber int, MediaFamilyId uniqueidentifier, MediaSequenceNumber int, MediaLabelPresent tinyint,
		MediaDescription nvarchar(255), SoftwareName nvarchar(128), SoftwareVendorId int, MediaDate datetime,
		MirrorCount int, IsCompressed bit`)
)

// restoreInfo answers RESTORE HEADERONLY, FILELISTONLY and LABELONLY with SQL Server 2012's columns.
func (ss *session) restoreInfo(ctx context.Context, spec tsql.RestoreSpec, out tsql.Output) error {
	s := ss.sim
	stmt := restoreStmt(spec.Kind)
	s.lock()
	if ss.killed {
		s.unlock()
		return errSessionKilled
	}
	om, err := s.openMedia(ss.inst, spec.Disks, stmt)
	if err != nil {
		s.unlock()
		return err
	}
	var t *tsql.Table
	switch spec.Kind {
	case tsql.RestoreHeaderOnly:
		t = &tsql.Table{Columns: headerOnlyColumns}
		for _, img := range om.media.sets {
			t.Rows = append(t.Rows, headerRow(img, om))
		}
	case tsql.RestoreFileListOnly:
		img, err := om.set(spec.File, stmt)
		if err != nil {
			s.unlock()
			return err
		}
		t = &tsql.Table{Columns: fileListColumns}
		for _, f := range img.files {
			t.Rows = append(t.Rows, fileListRow(img, f))
		}
	default:
		t = &tsql.Table{Columns: labelOnlyColumns}
		f := om.files[0]
		t.Rows = append(t.Rows, []tsql.Value{nstr(om.media.name), om.media.guid, i64(om.media.familyCount),
			i64(f.family.seq), f.family.guid, int64(1), int64(1), nstr(om.media.description),
			"Microsoft SQL Server", int64(4608), om.media.created, int64(1), bit(false)})
	}
	s.unlock()
	roundTimes(t.Rows)
	out.ResultSet(t)
	return nil
}

func headerRow(img *backupImage, om *openedMedia) []tsql.Value {
	typeDesc := "Database"
	if img.kind == 'L' {
		typeDesc = "Transaction Log"
	}
	var diffBase tsql.Value
	if img.kind == 'D' {
		diffBase = lsnOf(img.checkpointPos)
	}
	size := (img.dataPages+img.logPages)*bytesPerPage + mediaHeaderSize
	return []tsql.Value{
		nstr(img.name), nstr(img.description), img.headerType(), tm(img.expiration), bit(img.compressed),
		i64(img.position), int64(2), img.userName, img.server, img.dbName, int64(706), img.dbCreated, size,
		lsnOf(img.firstPos), lsnOf(img.lastPos), lsnOf(img.checkpointPos), lsnOf(img.basePos), img.start,
		img.finish, int64(52), int64(0), int64(1033), int64(196609), i64(img.compat), int64(4608), i64(img.major),
		i64(img.minor), i64(img.build), img.machine, int64(512), img.family, img.fork, img.collation, img.family,
		bit(false), bit(false), bit(img.readOnly), bit(img.access == accessSingle), bit(img.checksums),
		bit(om.damaged()), bit(img.beginsLogChain), bit(false), bit(false), bit(img.copyOnly), img.firstFork, nil,
		img.recovery.desc(), diffBase, nil, typeDesc, img.bsGUID, img.bytes, int64(0),
	}
}

func fileListRow(img *backupImage, f imageFile) []tsql.Value {
	typ, group, groupID := "D", tsql.Value("PRIMARY"), int64(1)
	used := f.usedPages
	if f.log {
		typ, group, groupID = "L", nil, 0
		used = img.logPages
	}
	if img.kind == 'L' && !f.log {
		used = 0
	}
	return []tsql.Value{
		f.logical, f.physical, typ, group, f.sizePages * bytesPerPage, int64(35184372080640), int64(f.fileID),
		int64(0), int64(0), guidOrNull(f.guid), int64(0), int64(0), used * bytesPerPage, int64(512), groupID, nil,
		nil, nil, bit(false), bit(true), nil,
	}
}
