package sim

import (
	"strings"
	"time"

	"pcfailback/tsql"
)

// planFiles decides where each file of the backup set goes (MOVE or the backed-up path) and checks the
// directories exist and no other database uses the files.
func (s *Sim) planFiles(p *restorePlan) error {
	img := p.img
	moved := map[string]string{}
	for _, mv := range p.spec.Moves {
		found := false
		for _, f := range img.files {
			if nameEq(f.logical, mv.Logical) {
				found = true
			}
		}
		if !found {
			return fail(p.stmt, sqlError(3234, 16, 2, "Logical file '%s' is not part of database '%s'. Use RESTORE FILELISTONLY to list the logical file names.",
				mv.Logical, img.dbName))
		}
		key := strings.ToLower(mv.Logical)
		if _, dup := moved[key]; dup {
			return fail(p.stmt, sqlError(4353, 16, 1, "Conflicting file relocations have been specified for file '%s'. Only a single WITH MOVE clause should be specified for any logical file name.", mv.Logical))
		}
		moved[key] = normalizePath(mv.Physical)
	}
	var problems []*tsql.Error
	claimed := map[string]imageFile{}
	for _, f := range img.files {
		phys := f.physical
		if m, ok := moved[strings.ToLower(f.logical)]; ok {
			phys = m
		}
		key := strings.ToLower(phys)
		if other, dup := claimed[key]; dup {
			return fail(p.stmt, sqlError(3176, 16, 1, "File '%s' is claimed by '%s'(%d) and '%s'(%d). The WITH MOVE clause can be used to relocate one or more files.",
				phys, other.logical, other.fileID, f.logical, f.fileID))
		}
		claimed[key] = f
		dir := phys
		if i := strings.LastIndexByte(phys, '\\'); i > 0 {
			dir = phys[:i]
		}
		switch {
		case !p.in.dirExists(dir):
			problems = append(problems,
				sqlError(5133, 16, 1, "Directory lookup for the file \"%s\" failed with the operating system error %s.", phys, osErrorText(errPathNotFound)),
				sqlError(3156, 16, 3, "File '%s' cannot be restored to '%s'. Use WITH MOVE to identify a valid location for the file.", f.logical, phys))
		default:
			if owner := p.in.fileOwner(phys); owner != nil && owner != p.d {
				problems = append(problems,
					sqlError(1834, 16, 1, "The file '%s' cannot be overwritten.  It is being used by database '%s'.", phys, owner.name),
					sqlError(3156, 16, 4, "File '%s' cannot be restored to '%s'. Use WITH MOVE to identify a valid location for the file.", f.logical, phys))
			}
		}
		p.files = append(p.files, placement{img: f, physical: phys})
	}
	if len(problems) > 0 {
		problems = append(problems, sqlError(3119, 16, 1, "Problems were identified while planning for the RESTORE statement. Previous messages provide details."))
		return fail(p.stmt, problems...)
	}
	return nil
}

// fileOwner finds the database that uses a physical file on the instance.
func (in *instance) fileOwner(phys string) *database {
	for _, d := range in.dbs {
		for _, f := range d.files {
			if strings.EqualFold(f.physical, phys) {
				return d
			}
		}
	}
	return nil
}

// beginRestore puts the target database into RESTORING (creating it if needed) for the restore's duration.
func (s *Sim) beginRestore(p *restorePlan) {
	d := p.d
	if d == nil {
		d = &database{name: p.spec.Database, created: s.now, owner: p.user, compat: p.img.compat,
			recovery: p.img.recovery}
		p.in.addDB(d)
		p.d, p.created = d, true
		if p.spec.Kind == tsql.RestoreDatabase {
			d.files = p.fileList()
		}
	}
	p.prevBusy = d.busy
	d.busy = p.stmt
	// A restored database is a new one to the usage counters: SQL Server drops its sys.dm_db_index_usage_stats rows.
	d.usage = usageStats{}
	d.state = stateRestoring
	d.standby, d.readOnly = false, false
	s.nudge()
}

// fileList turns the placements into database files.
func (p *restorePlan) fileList() []dbFile {
	var out []dbFile
	for _, pl := range p.files {
		out = append(out, dbFile{fileID: pl.img.fileID, logical: pl.img.logical, physical: pl.physical,
			log: pl.img.log, sizePages: pl.img.sizePages, usedPages: pl.img.usedPages, guid: pl.img.guid,
			growth: pl.img.growth, percent: pl.img.percent})
	}
	return out
}

// abortRestore leaves the database RESTORING with an unusable restore sequence (cancelled or damaged media):
// the restore has to be started again from a full backup.
func (s *Sim) abortRestore(p *restorePlan) {
	p.d.busy = ""
	p.d.state = stateRestoring
	p.d.restoreOK = false
	if p.spec.Kind == tsql.RestoreDatabase && len(p.files) > 0 {
		p.d.files = p.fileList()
	}
}

// commitRestore turns the database into the backup's content and records the restore in msdb. It returns the
// closing messages (4035 per file, 3014).
func (s *Sim) commitRestore(p *restorePlan, elapsed time.Duration) []tsql.Message {
	d, img := p.d, p.img
	d.busy = ""
	if p.spec.Kind == tsql.RestoreDatabase {
		d.files = p.fileList()
		// The database is created anew by the restore: sys.databases.create_date is the restore time.
		d.created, d.guid, d.family, d.fork, d.firstFork = s.now, img.dbGUID, img.family, img.fork, img.firstFork
		d.recovery, d.access, d.compat = img.recovery, img.access, img.compat
		d.users = append([]dbUser(nil), img.users...)
		d.hasBase, d.lastFullPos = true, img.checkpointPos
		d.mirror, d.pendingPartner = nil, ""
		if p.created {
			d.owner = p.user
		}
	}
	d.pos, d.content = img.lastPos, img.content
	d.logChainStart = img.lastPos
	d.redoPos, d.restoreOK = img.lastPos, true
	d.readOnly, d.standby = img.readOnly, false
	switch {
	case p.recover:
		s.recoverDB(d)
	case p.standby:
		d.state, d.readOnly, d.standby = stateOnline, true, true
	default:
		d.state = stateRestoring
	}
	recovery := p.recover
	p.in.msdb.recordRestore(img, p.om.devices, s.now, d.name, p.user, p.spec.Replace, recovery)
	s.nudge()
	return backupDoneMessages(p.stmt, d.name, img, elapsed)
}

// recoverDB brings a restored database online: recovery starts a new recovery fork.
func (s *Sim) recoverDB(d *database) {
	d.state = stateOnline
	d.standby = false
	d.fork = s.newGUID()
	d.pos++
	d.logChainStart = d.pos
	d.redoPos, d.restoreOK = 0, false
}
