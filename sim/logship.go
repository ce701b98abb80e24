package sim

import (
	"fmt"
	"strings"
	"time"

	"pcfailback/tsql"
)

// Log-shipping agent types (log_shipping_monitor_history_detail.agent_type) and session statuses.
const (
	agentBackup  = 0
	agentCopy    = 1
	agentRestore = 2

	lsStarting = 0
	lsRunning  = 1
	lsSuccess  = 2
	lsError    = 3
	lsWarning  = 4
)

// lsLog writes the history (and error) detail rows of one sqllogship.exe run.
type lsLog struct {
	m       *msdb
	agentID tsql.GUID
	agent   int
	session int
	db      string
	at      time.Time
	errs    []string
	seq     int
}

func (s *Sim) newLSLog(in *instance, agentID tsql.GUID, agent int, db string, at time.Time) *lsLog {
	m := in.msdb
	l := &lsLog{m: m, agentID: agentID, agent: agent, session: m.nextLSSession, db: db, at: at}
	m.nextLSSession++
	return l
}

func (l *lsLog) add(status int, format string, args ...any) {
	l.m.addLSHistory(&lsHistoryRow{agentID: l.agentID, agentType: l.agent, sessionID: l.session, database: l.db,
		status: status, at: l.at, message: fmt.Sprintf(format, args...)})
}

// fail records an error (history, error detail) and returns the step result SQL Agent records.
func (l *lsLog) fail(lines ...string) stepResult {
	for _, line := range lines {
		l.seq++
		msg := "*** Error: " + line + " ***"
		l.errs = append(l.errs, msg)
		l.m.addLSError(&lsHistoryRow{agentID: l.agentID, agentType: l.agent, sessionID: l.session, database: l.db,
			at: l.at, message: line, seq: l.seq, source: "Microsoft.SqlServer.Management.LogShipping"})
		l.add(lsError, "%s", msg)
	}
	return stepResult{message: strings.Join(l.errs, "  ") + "  Process Exit Code 1.  The step failed."}
}

// trnName is the file name sqllogship gives a log backup: <database>_<yyyymmddhhmmss>.trn in UTC.
func trnName(db string, at time.Time) string {
	return db + "_" + at.UTC().Format("20060102150405") + ".trn"
}

// runLSBackup is sqllogship.exe -Backup: BACKUP LOG of the primary database to the backup directory.
func (s *Sim) runLSBackup(in *instance, j *job, run *jobRun) stepResult {
	m := in.msdb
	var pd *lsPrimaryDB
	for _, x := range m.lsPrimary {
		if x.primaryID == j.agentID {
			pd = x
		}
	}
	log := s.newLSLog(in, j.agentID, agentBackup, "", run.finish)
	if pd == nil {
		return log.fail(fmt.Sprintf("Could not retrieve backup settings for primary ID '%s'.(Microsoft.SqlServer.Management.LogShipping)", j.agentID))
	}
	log.db = pd.database
	log.add(lsStarting, "Starting transaction log backup. Primary ID: '%s'", pd.primaryID)
	log.add(lsRunning, "Retrieved backup settings. Primary Database: '%s', Backup Directory: '%s', Backup Retention "+
		"Period: %d minute(s), Backup Job Id: '%s', Primary Id: '%s', Backup Compression: %s", pd.database,
		pd.backupDirectory, pd.retention, pd.backupJobID, pd.primaryID, compressionName(pd.backupCompression))
	d := in.db(pd.database)
	if d != nil && d.isMirror() {
		// The mirror of a mirrored log-shipping primary cannot back up its log: sqllogship skips and succeeds.
		// (Message text modelled on the documented behaviour; unverified wording.)
		log.add(lsSuccess, "Skipped log backup. Primary Database: '%s' is the mirror database of a database "+
			"mirroring session and cannot be backed up on this server instance.", pd.database)
		return stepResult{ok: true}
	}
	file := joinPath(pd.backupDirectory, trnName(pd.database, run.start))
	compression := pd.backupCompression == 1
	spec := tsql.BackupSpec{Kind: tsql.BackupLog, Database: pd.database, Disks: []string{file}, Compression: &compression}
	p, err := s.planBackup(in, in.spec.AgentAccount, "master", spec)
	if err == nil && p.failAt < 1 {
		err = fail(p.stmt, errWriteFailed(file, errDiskFull))
	}
	if err != nil {
		return log.fail(fmt.Sprintf("Backup failed for Server '%s'. (Microsoft.SqlServer.SmoExtended)", in.spec.Server),
			"An exception occurred while executing a Transact-SQL statement or batch.(Microsoft.SqlServer.ConnectionInfo)",
			errorsText(err)+"(.Net SqlClient Data Provider)")
	}
	s.beginBackup(p)
	s.commitBackup(p, s.ioDuration(p.bytes))
	img := p.media.sets[len(p.media.sets)-1]
	log.add(lsRunning, "Backed up log. Primary Database: '%s', Log Backup File: '%s'", pd.database, file)
	log.add(lsRunning, "First log backup LSN: %s Last log backup LSN: %s", lsnText(img.firstPos), lsnText(img.lastPos))
	pd.lastBackupFile, pd.lastBackupDate = file, run.finish
	if mp := m.monPrimary(pd.primaryID); mp != nil {
		mp.lastBackupFile, mp.lastBackupDate = file, run.finish
	}
	log.add(lsRunning, "Deleting old log backup files. Primary Database: '%s'", pd.database)
	s.deleteOldFiles(in.machine, pd.backupDirectory, pd.database, time.Duration(pd.retention)*time.Minute, run.finish)
	log.add(lsSuccess, "The backup operation was successful. Primary Database: '%s', Log Backup File: '%s'", pd.database, file)
	return stepResult{ok: true, message: "The step succeeded."}
}

func compressionName(n int) string {
	switch n {
	case 0:
		return "Disabled"
	case 1:
		return "Enabled"
	}
	return "Server Default"
}

// deleteOldFiles removes <db>_*.trn files older than retention from a folder (sqllogship's cleanup).
func (s *Sim) deleteOldFiles(machine, dir, db string, retention time.Duration, now time.Time) {
	f := s.fs.folderAt(machine, dir)
	if f == nil || retention <= 0 {
		return
	}
	for _, file := range f.sortedFiles() {
		if isLogFileOf(file.name, db) && !file.partial && now.Sub(file.modTime) > retention {
			f.remove(file.name)
		}
	}
}

// isLogFileOf says a file name is a log-shipping backup of database db.
func isLogFileOf(name, db string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, strings.ToLower(db)+"_") && strings.HasSuffix(n, ".trn")
}

// runLSCopy is sqllogship.exe -Copy: it copies new log backups from the share to the local folder, as the SQL
// Server Agent account of the secondary.
func (s *Sim) runLSCopy(in *instance, j *job, run *jobRun) stepResult {
	m := in.msdb
	sec := m.secondaryByID(j.agentID)
	log := s.newLSLog(in, j.agentID, agentCopy, "", run.finish)
	if sec == nil {
		return log.fail(fmt.Sprintf("Could not retrieve copy settings for secondary ID '%s'.(Microsoft.SqlServer.Management.LogShipping)", j.agentID))
	}
	log.db = sec.primaryDatabase
	log.add(lsStarting, "Starting transaction log copy. Secondary ID: '%s'", sec.secondaryID)
	last := sec.lastCopiedFile
	if last == "" {
		last = "<None>"
	}
	log.add(lsRunning, "Retrieved copy settings. Primary Server: '%s', Primary Database: '%s', Backup Source "+
		"Directory: '%s', Backup Destination Directory: '%s', Last Copied File: '%s'", sec.primaryServer,
		sec.primaryDatabase, sec.sourceDir, sec.destDir, last)
	account := in.spec.AgentAccount
	src := s.fs.folderAt(in.machine, sec.sourceDir)
	if src == nil {
		return log.fail(fmt.Sprintf("The backup source directory '%s' does not exist.(Microsoft.SqlServer.Management.LogShipping)", sec.sourceDir))
	}
	if !src.allows(account, permRead) {
		return log.fail(fmt.Sprintf("Could not retrieve the list of log backup files for primary database '%s'.(Microsoft.SqlServer.Management.LogShipping)", sec.primaryDatabase),
			fmt.Sprintf("Access to the path '%s' is denied.(mscorlib)", strings.TrimRight(sec.sourceDir, `\`)+`\`))
	}
	dst := s.fs.folderAt(in.machine, sec.destDir)
	if dst == nil {
		return log.fail(fmt.Sprintf("Could not find a part of the path '%s'.(mscorlib)", sec.destDir))
	}
	log.add(lsRunning, "Copying log backup files. Primary Server: '%s', Primary Database: '%s', Backup Source "+
		"Directory: '%s', Backup Destination Directory: '%s'", sec.primaryServer, sec.primaryDatabase, sec.sourceDir, sec.destDir)
	copied := 0
	for _, f := range src.sortedFiles() {
		if !isLogFileOf(f.name, sec.primaryDatabase) || f.partial || dst.file(f.name) != nil {
			continue
		}
		if sec.lastCopiedFile != "" && strings.ToLower(f.name) <= strings.ToLower(fileBase(sec.lastCopiedFile)) {
			continue
		}
		target := joinPath(sec.destDir, f.name)
		if !dst.allows(account, permWrite) {
			return log.fail(fmt.Sprintf("Access to the path '%s' is denied.(mscorlib)", target))
		}
		dst.put(&fsFile{name: f.name, size: f.size, modTime: run.finish, family: f.family, damage: f.damage})
		log.add(lsRunning, "Copied file '%s' to '%s'.", joinPath(sec.sourceDir, f.name), target)
		sec.lastCopiedFile, sec.lastCopiedDate = target, run.finish
		copied++
	}
	if ms := m.monSecondary(sec.primaryDatabase); ms != nil && copied > 0 {
		ms.lastCopiedFile, ms.lastCopiedDate = sec.lastCopiedFile, sec.lastCopiedDate
	}
	for _, x := range m.lsMonSecs {
		if x.secondaryID == sec.secondaryID && copied > 0 {
			x.lastCopiedFile, x.lastCopiedDate = sec.lastCopiedFile, sec.lastCopiedDate
		}
	}
	s.deleteOldFiles(in.machine, sec.destDir, sec.primaryDatabase, time.Duration(sec.retention)*time.Minute, run.finish)
	log.add(lsSuccess, "The copy operation was successful. Secondary ID: '%s', Number of log backup files copied: %d", sec.secondaryID, copied)
	return stepResult{ok: true, message: "The step succeeded."}
}

// fileBase is the file name part of a path.
func fileBase(p string) string {
	if i := strings.LastIndexByte(p, '\\'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// runLSRestore is sqllogship.exe -Restore: it restores the copied log backups in order WITH NORECOVERY (or
// STANDBY), skipping those the database already contains.
func (s *Sim) runLSRestore(in *instance, j *job, run *jobRun) stepResult {
	m := in.msdb
	sec := m.secondaryByID(j.agentID)
	log := s.newLSLog(in, j.agentID, agentRestore, "", run.finish)
	if sec != nil {
		log.db = sec.primaryDatabase
	}
	if sec == nil {
		return log.fail(fmt.Sprintf("Could not retrieve restore settings for secondary ID '%s'.(Microsoft.SqlServer.Management.LogShipping)", j.agentID))
	}
	log.add(lsStarting, "Starting transaction log restore. Secondary ID: '%s'", sec.secondaryID)
	for _, sd := range m.lsSecDBs {
		if sd.secondaryID != sec.secondaryID {
			continue
		}
		log.db = sd.database
		log.add(lsRunning, "Retrieved restore settings. Primary Server: '%s', Primary Database: '%s', Secondary "+
			"Database: '%s', Restore Delay: %d, Restore All: %s, Restore Mode: %s, Disconnect Users: %s, Last Restored "+
			"File: %s", sec.primaryServer, sec.primaryDatabase, sd.database, sd.restoreDelay, trueFalse(sd.restoreAll),
			restoreModeName(sd.restoreMode), trueFalse(sd.disconnectUsers), noneIfEmpty(sd.lastRestoredFile))
		if res, failed := s.restoreSecondary(in, sec, sd, log, run.finish); failed {
			return res
		}
	}
	return stepResult{ok: true, message: "The step succeeded."}
}

func trueFalse(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func restoreModeName(n int) string {
	if n == 1 {
		return "Standby"
	}
	return "Norecovery"
}

func noneIfEmpty(s string) string {
	if s == "" {
		return "<None>"
	}
	return s
}

// restoreSecondary applies the copied files to one secondary database.
func (s *Sim) restoreSecondary(in *instance, sec *lsSecondary, sd *lsSecondaryDB, log *lsLog, now time.Time) (stepResult, bool) {
	dst := s.fs.folderAt(in.machine, sec.destDir)
	d := in.db(sd.database)
	if dst == nil || d == nil {
		return log.fail(fmt.Sprintf("The secondary database '%s' or the copy folder '%s' does not exist.(Microsoft.SqlServer.Management.LogShipping)", sd.database, sec.destDir)), true
	}
	restored := 0
	for _, f := range dst.sortedFiles() {
		if !isLogFileOf(f.name, sec.primaryDatabase) || f.partial {
			continue
		}
		if sd.lastRestoredFile != "" && strings.ToLower(f.name) <= strings.ToLower(fileBase(sd.lastRestoredFile)) {
			continue
		}
		path := joinPath(sec.destDir, f.name)
		if !dst.allows(in.spec.EngineAccount, permRead) {
			return log.fail(errorsText(fail("RESTORE LOG", errCannotOpenDevice(path, errAccessDenied, 2)))), true
		}
		if f.family == nil || len(f.family.set.sets) == 0 {
			continue
		}
		img := f.family.set.sets[0]
		if sd.restoreDelay > 0 && now.Sub(img.finish) < time.Duration(sd.restoreDelay)*time.Minute {
			break
		}
		if err := s.lsCanRestore(in, d, sd, img); err != nil {
			return log.fail(fmt.Sprintf("The file '%s' could not be restored to the secondary database '%s'.(Microsoft.SqlServer.Management.LogShipping)", path, sd.database),
				errorsText(err)+"(.Net SqlClient Data Provider)"), true
		}
		if img.lastPos <= d.redoPos {
			log.add(lsRunning, "Skipped log backup file. Secondary DB: '%s', File: '%s'", sd.database, path)
			continue
		}
		if img.firstPos > d.redoPos || img.fork != d.fork {
			err := fail("RESTORE LOG", sqlError(4305, 16, 1, "The log in this backup set begins at LSN %s, which is too "+
				"recent to apply to the database. An earlier log backup that includes LSN %s can be restored.",
				lsnText(img.firstPos), lsnText(d.redoPos)))
			return log.fail(fmt.Sprintf("The file '%s' is too recent to apply to the secondary database '%s'.(Microsoft.SqlServer.Management.LogShipping)", path, sd.database),
				errorsText(err)+"(.Net SqlClient Data Provider)"), true
		}
		d.pos, d.content, d.redoPos = img.lastPos, img.content, img.lastPos
		if sd.restoreMode == 1 {
			d.state, d.readOnly, d.standby = stateOnline, true, true
		}
		in.msdb.recordRestore(img, []string{path}, now, d.name, in.spec.AgentAccount, false, false)
		log.add(lsRunning, "Restored log backup file. Secondary DB: '%s', File: '%s'", sd.database, path)
		sd.lastRestoredFile, sd.lastRestoredDate = path, now
		if ms := in.msdb.monSecondary(sd.database); ms != nil {
			ms.lastRestoredFile, ms.lastRestoredDate = path, now
			ms.latency = int(now.Sub(img.finish) / time.Minute)
		}
		restored++
	}
	if restored == 0 {
		log.add(lsRunning, "Could not find a log backup file that could be applied to secondary database '%s'.", sd.database)
	}
	log.add(lsSuccess, "The restore operation was successful. Secondary Database: '%s', Number of log backup files restored: %d", sd.database, restored)
	return stepResult{}, false
}

// lsCanRestore checks the secondary database can take a log restore now.
func (s *Sim) lsCanRestore(in *instance, d *database, sd *lsSecondaryDB, img *backupImage) error {
	major, _, _ := in.versionParts()
	switch {
	case d.mirror != nil:
		return fail("RESTORE LOG", errRestoreMirrored(major, d.name))
	case d.busy != "":
		return fail("RESTORE LOG", errExclusiveAccess())
	case d.state == stateOnline && !d.standby:
		return fail("RESTORE LOG", sqlError(3117, 16, 1, "The log or differential backup cannot be restored because no files are ready to rollforward."))
	case !d.restoreOK:
		return fail("RESTORE LOG", sqlError(4319, 16, 1, "A previous restore operation was interrupted and did not complete processing on file '%s'. Either restore the backup set that was interrupted or restart the restore sequence.", d.name))
	case d.family != img.family:
		return fail("RESTORE LOG", sqlError(3154, 16, 4, "The backup set holds a backup of a database other than the existing '%s' database.", d.name))
	}
	if users := in.sessionsIn(d, nil); len(users) > 0 {
		if !sd.disconnectUsers {
			return fail("RESTORE LOG", errExclusiveAccess())
		}
		for _, x := range users {
			x.end()
		}
	}
	return nil
}
