package sim

import (
	"strings"
	"time"

	"pcfailback/tsql"
)

// restoreStmt is the statement name RESTORE errors (3013) and successes (3014) use.
func restoreStmt(k tsql.RestoreKind) string {
	switch k {
	case tsql.RestoreLog:
		return "RESTORE LOG"
	case tsql.RestoreVerifyOnly:
		return "VERIFY DATABASE"
	case tsql.RestoreHeaderOnly:
		return "RESTORE HEADERONLY"
	case tsql.RestoreFileListOnly:
		return "RESTORE FILELIST"
	case tsql.RestoreLabelOnly:
		return "RESTORE LABELONLY"
	}
	return "RESTORE DATABASE"
}

// openedMedia is a media set read from the devices of a RESTORE.
type openedMedia struct {
	media   *mediaSet
	files   []*fsFile
	devices []string
}

// openMedia opens the devices of a RESTORE as the engine service account.
func (s *Sim) openMedia(in *instance, disks []string, stmt string) (*openedMedia, error) {
	if len(disks) == 0 {
		return nil, fail(stmt, sqlError(3207, 16, 1, "Backup or restore requires at least one backup device. Rerun your statement specifying a backup device."))
	}
	om := &openedMedia{}
	for _, given := range disks {
		full := in.resolveDevice(given)
		_, file, _, code := s.fs.fileCheck(in.machine, full, in.spec.EngineAccount, false)
		if code != errNone {
			return nil, fail(stmt, errCannotOpenDevice(given, code, 2))
		}
		if file.partial {
			return nil, fail(stmt, errCannotOpenDevice(given, errSharing, 2))
		}
		if file.family == nil || file.damage == damageMedia {
			return nil, fail(stmt, sqlError(3241, 16, 1, "The media family on device '%s' is incorrectly formed. SQL Server cannot process this media family.", given))
		}
		if om.media == nil {
			om.media = file.family.set
		} else if file.family.set != om.media {
			return nil, fail(stmt, sqlError(3227, 16, 1, "The backup media on \"%s\" is part of media family %d which has "+
				"already been processed on \"%s\". Ensure that backup devices are correctly specified. For tape "+
				"devices, ensure that the correct volumes are loaded.", given, file.family.seq, om.devices[0]))
		}
		for _, f := range om.files {
			if f.family == file.family {
				return nil, fail(stmt, sqlError(3227, 16, 1, "The backup media on \"%s\" is part of media family %d which has "+
					"already been processed on \"%s\". Ensure that backup devices are correctly specified. For tape "+
					"devices, ensure that the correct volumes are loaded.", given, file.family.seq, om.devices[0]))
			}
		}
		om.files = append(om.files, file)
		om.devices = append(om.devices, given)
	}
	if om.media.familyCount != len(om.files) && stmt != "RESTORE HEADERONLY" && stmt != "RESTORE LABELONLY" {
		return nil, fail(stmt, sqlError(3132, 16, 1, "The media set has %d media families but only %d are provided. All members must be provided.",
			om.media.familyCount, len(om.files)))
	}
	return om, nil
}

// damaged says one of the opened files has corrupt pages.
func (om *openedMedia) damaged() bool {
	for _, f := range om.files {
		if f.damage == damageChecksum {
			return true
		}
	}
	return false
}

// set returns backup set number n (FILE = n; 0 means 1).
func (om *openedMedia) set(n int, stmt string) (*backupImage, error) {
	if n <= 0 {
		n = 1
	}
	for _, img := range om.media.sets {
		if img.position == n {
			return img, nil
		}
	}
	return nil, fail(stmt, sqlError(4038, 16, 1, "Cannot find file ID %d on device '%s'.", n, om.devices[0]))
}

// placement is where RESTORE puts one file of the backup set.
type placement struct {
	img      imageFile
	physical string
}

// restorePlan is a validated RESTORE DATABASE or RESTORE LOG.
type restorePlan struct {
	in       *instance
	spec     tsql.RestoreSpec
	stmt     string
	user     string
	om       *openedMedia
	img      *backupImage
	d        *database // the existing database, nil when the restore creates it
	created  bool
	files    []placement
	bytes    int64
	recover  bool
	standby  bool
	failAt   float64 // fraction at which a damaged page is found (>= 1: never)
	prevBusy string
}

// planRestore validates RESTORE DATABASE / RESTORE LOG (callers hold the lock). current is the session's
// database; self is the restoring session (its own presence in the database is 3102, others' is 3101).
func (s *Sim) planRestore(in *instance, self *session, spec tsql.RestoreSpec) (*restorePlan, error) {
	p := &restorePlan{in: in, spec: spec, stmt: restoreStmt(spec.Kind), failAt: 2}
	if self != nil {
		p.user = self.login
	}
	p.recover = spec.Recovery == tsql.RecoveryDefault || spec.Recovery == tsql.RecoveryRecover
	p.standby = spec.Recovery == tsql.RecoveryStandby
	name := spec.Database
	switch {
	case nameEq(name, "master"):
		return nil, fail(p.stmt, sqlError(3108, 16, 1, "To restore the master database, the server must be running in "+
			"single-user mode. For information on starting in single-user mode, see \"How to: Start an Instance of "+
			"SQL Server (sqlservr.exe)\" in Books Online."))
	case nameEq(name, "tempdb"):
		return nil, fail(p.stmt, sqlError(3147, 16, 1, "Backup and restore operations are not allowed on database tempdb."))
	case nameEq(name, "msdb") || nameEq(name, "model"):
		return nil, fail(p.stmt, errExclusiveAccess())
	}
	p.d = in.db(name)
	if err := s.checkTarget(p, self); err != nil {
		return nil, err
	}
	om, err := s.openMedia(in, spec.Disks, p.stmt)
	if err != nil {
		return nil, err
	}
	p.om = om
	img, err := om.set(spec.File, p.stmt)
	if err != nil {
		return nil, err
	}
	p.img = img
	if err := s.checkImage(p); err != nil {
		return nil, err
	}
	if spec.Kind == tsql.RestoreDatabase {
		if err := s.planFiles(p); err != nil {
			return nil, err
		}
	} else if err := s.checkLogSequence(p); err != nil {
		return nil, err
	}
	p.bytes = img.bytes / int64(max(1, img.familyCount)) * int64(len(om.files))
	if om.damaged() && (img.checksums || spec.Checksum) {
		p.failAt = 0.37
	}
	return p, nil
}

// checkTarget checks the database being restored over: mirroring, sessions in it, and (without REPLACE) that
// the backup is of the same database.
func (s *Sim) checkTarget(p *restorePlan, self *session) error {
	d := p.d
	if d == nil {
		if p.spec.Kind == tsql.RestoreLog {
			return fail(p.stmt, sqlError(3118, 16, 1, "The database \"%s\" does not exist. RESTORE can only create a "+
				"database when restoring either a full backup or a file backup of the primary file.", p.spec.Database))
		}
		return nil
	}
	major, _, _ := p.in.versionParts()
	if d.mirror != nil {
		return fail(p.stmt, errRestoreMirrored(major, d.name))
	}
	if self != nil && nameEq(self.db, d.name) {
		return fail(p.stmt, errInUseBySession(strings.Fields(p.stmt)[0], d.name))
	}
	if d.busy != "" || d.backupBusy || len(p.in.sessionsIn(d, self)) > 0 {
		return fail(p.stmt, errExclusiveAccess())
	}
	return nil
}

// checkImage checks the backup set against the statement and the server.
func (s *Sim) checkImage(p *restorePlan) error {
	img := p.img
	wantLog := p.spec.Kind == tsql.RestoreLog
	if (img.kind == 'L') != wantLog {
		return fail(p.stmt, sqlError(3135, 16, 2, "The backup set in file '%s' was created by %s and cannot be used for this restore operation.",
			p.om.devices[0], img.kindName()))
	}
	major, minor, build := p.in.versionParts()
	if img.major > major || (img.major == major && img.minor > minor) {
		return fail(p.stmt, sqlError(3169, 16, 1, "The database was backed up on a server running version %s. That version "+
			"is incompatible with this server, which is running version %s. Either restore the database on a server "+
			"that supports the backup, or use a backup that is compatible with this server.",
			versionText(img.major, img.minor, img.build), versionText(major, minor, build)))
	}
	if p.spec.Checksum && !img.checksums {
		return fail(p.stmt, sqlError(3187, 16, 1, "RESTORE WITH CHECKSUM cannot be specified because the backup set does not contain checksum information."))
	}
	d := p.d
	if d != nil && !p.spec.Replace && p.spec.Kind == tsql.RestoreDatabase {
		if d.family != img.family {
			return fail(p.stmt, sqlError(3154, 16, 4, "The backup set holds a backup of a database other than the existing '%s' database.", d.name))
		}
		if d.state == stateOnline && d.recovery != recoverySimple {
			return fail(p.stmt, sqlError(3159, 16, 1, "The tail of the log for the database \"%s\" has not been backed up. "+
				"Use BACKUP LOG WITH NORECOVERY to backup the log if it contains work you do not want to lose. Use the "+
				"WITH REPLACE or WITH STOPAT clause of the RESTORE statement to just overwrite the contents of the log.", d.name))
		}
	}
	return nil
}

// checkLogSequence checks that a log backup continues the restore sequence of the database.
func (s *Sim) checkLogSequence(p *restorePlan) error {
	d, img := p.d, p.img
	if d.state == stateOnline && !d.standby {
		return fail(p.stmt, sqlError(3117, 16, 1, "The log or differential backup cannot be restored because no files are ready to rollforward."))
	}
	if d.state != stateRestoring && !d.standby {
		return fail(p.stmt, sqlError(3117, 16, 1, "The log or differential backup cannot be restored because no files are ready to rollforward."))
	}
	if !d.restoreOK {
		logical := d.name
		if f := d.dataFile(); f != nil {
			logical = f.logical
		}
		return fail(p.stmt, sqlError(4319, 16, 1, "A previous restore operation was interrupted and did not complete "+
			"processing on file '%s'. Either restore the backup set that was interrupted or restart the restore sequence.", logical))
	}
	if d.family != img.family {
		return fail(p.stmt, sqlError(3154, 16, 4, "The backup set holds a backup of a database other than the existing '%s' database.", d.name))
	}
	if img.firstPos > d.redoPos {
		return fail(p.stmt, sqlError(4305, 16, 1, "The log in this backup set begins at LSN %s, which is too recent to "+
			"apply to the database. An earlier log backup that includes LSN %s can be restored.",
			lsnText(img.firstPos), lsnText(d.redoPos)))
	}
	if img.lastPos <= d.redoPos {
		return fail(p.stmt, sqlError(4326, 16, 1, "The log in this backup set terminates at LSN %s, which is too early to "+
			"apply to the database. A more recent log backup that includes LSN %s can be restored.",
			lsnText(img.lastPos), lsnText(d.redoPos)))
	}
	if img.fork != d.fork {
		return fail(p.stmt, sqlError(4330, 16, 1, "This backup set cannot be applied because it is on a recovery path "+
			"that is inconsistent with the database. The recovery path is the sequence of data and log backups that "+
			"have brought the database to a particular recovery point. Find a compatible backup to restore, or "+
			"restore the rest of the database to match a recovery point within this backup set, which will restore "+
			"the database to a different point in time. For more information about recovery paths, see SQL Server "+
			"Books Online."))
	}
	return nil
}

// restoreDuration is how long reading (and writing) the backup takes.
func (s *Sim) restoreDuration(p *restorePlan) time.Duration { return s.ioDuration(p.bytes) }
