package sim

import (
	"strings"
	"time"

	"pcfailback/tsql"
)

// Sizes used to turn log positions and pages into bytes.
const (
	logBytesPerPos  = 120       // one log position is about one log record
	mediaHeaderSize = 64 * 1024 // MTF headers of a backup file
	mib             = 1 << 20
)

// device is one DISK of a BACKUP or RESTORE statement.
type device struct {
	given    string // as written: messages and backupmediafamily.physical_device_name show this
	folder   *folder
	name     string
	existing *fsFile
	file     *fsFile
	baseSize int64
	created  bool
}

// backupPlan is a validated BACKUP statement, ready to write.
type backupPlan struct {
	in        *instance
	d         *database
	user      string
	spec      tsql.BackupSpec
	stmt      string
	log       bool
	devs      []*device
	media     *mediaSet
	initSets  bool
	position  int
	dataPages int64
	logPages  int64
	bytes     int64
	failAt    float64 // fraction of the backup at which a device's disk fills up (>= 1: never)
	failDev   *device
	startPos  int64
	start     time.Time
}

// resolveDevice turns a DISK operand into a full path: relative names go to the instance's default backup
// directory, as SQL Server does.
func (in *instance) resolveDevice(p string) string {
	n := normalizePath(p)
	if strings.HasPrefix(n, `\\`) || (len(n) >= 2 && n[1] == ':') {
		return n
	}
	return joinPath(in.backupDir, n)
}

// planBackup validates a BACKUP statement against the estate (callers hold the lock).
func (s *Sim) planBackup(in *instance, user, current string, spec tsql.BackupSpec) (*backupPlan, error) {
	p := &backupPlan{in: in, user: user, spec: spec, stmt: "BACKUP DATABASE", log: spec.Kind == tsql.BackupLog}
	if p.log {
		p.stmt = "BACKUP LOG"
	}
	d := in.db(spec.Database)
	if d == nil {
		return nil, fail(p.stmt, errDBNotExist(spec.Database))
	}
	p.d = d
	switch {
	case nameEq(d.name, "tempdb"):
		return nil, fail(p.stmt, sqlError(3147, 16, 1, "Backup and restore operations are not allowed on database tempdb."))
	case d.isMirror():
		return nil, fail(p.stmt, errIsMirror(d.name))
	case d.state == stateRestoring:
		return nil, fail(p.stmt, errInRestore(d.name))
	case d.state == stateOffline:
		return nil, fail(p.stmt, errOffline(d.name))
	case d.standby && !p.log:
		return nil, fail(p.stmt, sqlError(3036, 16, 1, "The database \"%s\" is in warm-standby state (set by "+
			"executing RESTORE WITH STANDBY) and cannot be backed up until the entire restore sequence is completed.", d.name))
	}
	if p.log && spec.NoRecovery {
		// A tail-log backup leaves the database RESTORING, so it needs the database to itself.
		if nameEq(current, d.name) {
			return nil, fail(p.stmt, errInUseBySession("BACKUP", d.name))
		}
		if len(in.sessionsIn(d, nil)) > 0 {
			return nil, fail(p.stmt, errExclusiveAccess())
		}
	}
	if p.log {
		switch {
		case nameEq(d.name, "master"):
			return nil, fail(p.stmt, sqlError(4212, 16, 1, "Cannot back up the log of the master database. Use BACKUP DATABASE instead."))
		case d.recovery == recoverySimple:
			return nil, fail(p.stmt, sqlError(4208, 16, 1, "The statement BACKUP LOG is not allowed while the "+
				"recovery model is SIMPLE. Use BACKUP DATABASE or change the recovery model using ALTER DATABASE."))
		case !d.hasBase:
			return nil, fail(p.stmt, sqlError(4214, 16, 1, "BACKUP LOG cannot be performed because there is no current database backup."))
		}
	} else if d.backupBusy {
		return nil, fail(p.stmt, sqlError(3023, 16, 2, "Backup, file manipulation operations (such as ALTER DATABASE "+
			"ADD FILE) and encryption changes on a database must be serialized. Reissue the statement after the "+
			"current backup or file manipulation operation is completed."))
	}
	if err := s.planDevices(p); err != nil {
		return nil, err
	}
	s.planSize(p)
	return p, nil
}

// planDevices checks every DISK as the engine service account and works out the media set to write.
func (s *Sim) planDevices(p *backupPlan) error {
	in, spec := p.in, p.spec
	if len(spec.Disks) == 0 {
		return fail(p.stmt, sqlError(3207, 16, 1, "Backup or restore requires at least one backup device. Rerun your statement specifying a backup device."))
	}
	if len(spec.Disks) > 64 {
		return fail(p.stmt, sqlError(3205, 16, 1, "Too many backup devices specified for backup or restore; only 64 are allowed."))
	}
	seen := map[string]bool{}
	for _, given := range spec.Disks {
		if strings.TrimSpace(given) == "" {
			return fail(p.stmt, sqlError(3044, 16, 1, "Invalid zero-length device name. Reissue the BACKUP statement with a valid device name."))
		}
		full := in.resolveDevice(given)
		f, existing, name, code := s.fs.fileCheck(in.machine, full, in.spec.EngineAccount, true)
		if code != errNone {
			return fail(p.stmt, errCannotOpenDevice(given, code, 1))
		}
		if existing != nil && existing.partial {
			return fail(p.stmt, errCannotOpenDevice(given, errSharing, 1))
		}
		key := strings.ToLower(full)
		if seen[key] {
			return fail(p.stmt, sqlError(3209, 16, 1, "The backup device '%s' is specified more than once.", given))
		}
		seen[key] = true
		p.devs = append(p.devs, &device{given: given, folder: f, name: name, existing: existing})
	}
	// Media: FORMAT writes a new media set; otherwise an existing media set is appended to (NOINIT) or its
	// backup sets are overwritten (INIT), and it must be the same set on every device.
	var media *mediaSet
	anyExisting := false
	for _, dv := range p.devs {
		if dv.existing == nil {
			continue
		}
		anyExisting = true
		if spec.Format {
			continue
		}
		if dv.existing.family == nil || dv.existing.damage == damageMedia {
			return fail(p.stmt, sqlError(3241, 16, 1, "The media family on device '%s' is incorrectly formed. SQL Server cannot process this media family.", dv.given))
		}
		if media == nil {
			media = dv.existing.family.set
		}
		if dv.existing.family.set != media || media.familyCount != len(p.devs) {
			return fail(p.stmt, sqlError(3231, 16, 1, "The media loaded on \"%s\" is formatted to support %d media families, "+
				"but %d media families are expected according to the backup device specification.",
				dv.given, dv.existing.family.set.familyCount, len(p.devs)))
		}
		if spec.MediaName != "" && !nameEq(media.name, spec.MediaName) {
			return fail(p.stmt, sqlError(4037, 16, 1, "The user-specified MEDIANAME \"%s\" does not match the MEDIANAME \"%s\" of the device \"%s\".",
				spec.MediaName, media.name, dv.given))
		}
	}
	if media != nil && anyExisting {
		for _, dv := range p.devs {
			if dv.existing == nil {
				return fail(p.stmt, sqlError(3231, 16, 1, "The media loaded on \"%s\" is formatted to support %d media families, "+
					"but %d media families are expected according to the backup device specification.",
					p.devs[0].given, media.familyCount, len(p.devs)))
			}
		}
	}
	if media == nil || spec.Format {
		media = &mediaSet{guid: s.newGUID(), name: spec.MediaName, familyCount: len(p.devs), created: s.now}
		for i := range p.devs {
			media.families = append(media.families, &mediaFamily{set: media, seq: i + 1, guid: s.newGUID()})
		}
		p.initSets = true
	} else if spec.Init {
		p.initSets = true
	}
	p.media = media
	p.position = 1
	if !p.initSets {
		p.position = len(media.sets) + 1
	}
	return nil
}

// planSize works out the pages and bytes the backup writes and whether the disks can hold them.
func (s *Sim) planSize(p *backupPlan) {
	d := p.d
	if p.log {
		p.logPages = 1 + (d.pos-d.logChainStart)*logBytesPerPos/bytesPerPage
	} else {
		p.dataPages = d.usedDataPages()
		p.logPages = 2 + int64(s.rng.IntN(6))
	}
	p.bytes = (p.dataPages+p.logPages)*bytesPerPage + mediaHeaderSize
	if p.spec.Compression != nil && *p.spec.Compression {
		p.bytes = p.bytes*36/100 + mediaHeaderSize
	}
	per := p.bytes / int64(len(p.devs))
	need := map[*volume]int64{}
	avail := map[*volume]int64{}
	for _, dv := range p.devs {
		v := dv.folder.vol
		if _, ok := avail[v]; !ok {
			avail[v] = v.free
		}
		need[v] += per
		if dv.existing != nil && p.initSets {
			avail[v] += dv.existing.size
		}
	}
	p.failAt = 2
	for _, dv := range p.devs {
		v := dv.folder.vol
		if need[v] > 0 && avail[v] < need[v] {
			if f := float64(avail[v]) / float64(need[v]); f < p.failAt {
				p.failAt, p.failDev = max(f, 0), dv
			}
		}
	}
	p.startPos = d.pos
	p.start = s.now
}

// duration is how long the backup takes at the estate's throughput.
func (s *Sim) ioDuration(bytes int64) time.Duration {
	secs := float64(bytes) / (s.opts.ThroughputMBps * mib)
	return 200*time.Millisecond + time.Duration(secs*float64(time.Second))
}

// beginBackup creates the (partial) backup files and marks the database busy.
func (s *Sim) beginBackup(p *backupPlan) {
	if !p.log {
		p.d.backupBusy = true
	}
	for i, dv := range p.devs {
		if dv.existing != nil && !p.initSets {
			dv.file, dv.baseSize = dv.existing, dv.existing.size
			dv.file.partial = true
			continue
		}
		family := p.media.families[i]
		if dv.existing != nil && dv.existing.family != nil && dv.existing.family.set == p.media {
			family = dv.existing.family
		}
		dv.folder.remove(dv.name)
		dv.file = &fsFile{name: dv.name, modTime: s.now, family: family, partial: true}
		dv.folder.put(dv.file)
		dv.created = true
	}
}

// progressBackup grows the files to frac of the backup.
func (s *Sim) progressBackup(p *backupPlan, frac float64) {
	per := p.bytes / int64(len(p.devs))
	for _, dv := range p.devs {
		want := dv.baseSize + int64(float64(per)*frac)
		if dv.file != nil && want > dv.file.size {
			dv.folder.grow(dv.file, want-dv.file.size)
		}
	}
}

// abortBackup removes what a failed or cancelled backup wrote: SQL Server deletes the incomplete file.
func (s *Sim) abortBackup(p *backupPlan) {
	p.d.backupBusy = false
	for _, dv := range p.devs {
		if dv.file == nil {
			continue
		}
		if dv.created {
			dv.folder.remove(dv.name)
		} else {
			dv.folder.grow(dv.file, dv.baseSize-dv.file.size)
			dv.file.partial = false
		}
	}
}

// diskFullError is the 3202 of a backup whose disk filled up.
func (p *backupPlan) diskFullError() tsql.Errors {
	return fail(p.stmt, errWriteFailed(p.failDev.given, errDiskFull))
}
