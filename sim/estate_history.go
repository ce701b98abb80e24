package sim

import (
	"strconv"
	"strings"
	"time"
)

// Shape of the history the estate starts with.
const (
	oldLogEvery      = 15 * time.Minute // the old primary's log-shipping backup schedule
	oldLogWindow     = 72 * time.Hour   // log backups still on the share (backup retention 4320 minutes)
	restoreHistWin   = 24 * time.Hour   // restorehistory rows kept on the backup instance
	oldRate          = 2 * chatWriteRate
	alertRunsKept    = 50
	policyRunsKept   = 25
	chatFileMB       = 1024 // log file of mgc in MB
	freshChatUsedMB  = 96
	freshCompUsedMB  = 24
	backupCompUsedMB = 512
)

// buildHistory creates the databases and msdb history of the estate as the failover left it.
func (s *Sim) buildHistory(t0 time.Time) {
	p, pm, b, bm := s.instanceByRole(rolePrimary), s.instanceByRole(rolePrimaryMirror),
		s.instanceByRole(roleBackup), s.instanceByRole(roleBackupMirror)
	failoverAt := t0.Add(-48 * time.Hour).Truncate(time.Minute)
	disasterAt := failoverAt.Add(-70 * time.Minute)
	chat, comp := s.topo.ChatDB, s.topo.ComplianceDB

	// The chat store's lineage: created on the old primary long ago, log shipped to the backup instance.
	lineCreated := t0.Add(-400 * 24 * time.Hour).Truncate(time.Second)
	bmgc := s.userDB(b, chat, lineCreated, s.opts.ChatDBSizeMB, chatFileMB*4, pchatData, pchatLog)
	bmgc.pos = 1_200_000_000 + int64(s.rng.IntN(1_000_000))
	bmgc.content = 4_000_000 + int64(s.rng.IntN(500_000))
	oldFork := s.newGUID()
	bmgc.fork, bmgc.firstFork = oldFork, oldFork
	b.addDB(bmgc)
	bcomp := s.userDB(b, comp, lineCreated.Add(2*time.Minute), backupCompUsedMB, 256, compData, compLog)
	bcomp.pos = 40_000_000 + int64(s.rng.IntN(100_000))
	b.addDB(bcomp)

	// The old primary's log backups on the share and their copies on the backup instance, restored there.
	var lastSet *backupsetRow
	at := disasterAt.Add(-oldLogWindow).Truncate(oldLogEvery)
	for ; at.Before(disasterAt); at = at.Add(oldLogEvery) {
		img := imageFromDB(p, bmgc)
		img.kind, img.position, img.familyCount = 'L', 1, 1
		img.server, img.machine = p.spec.Server, p.machine
		img.userName = p.spec.AgentAccount
		img.firstPos = bmgc.pos
		bmgc.pos += int64(oldLogEvery/time.Second)*oldRate + int64(s.rng.IntN(400))
		bmgc.content += int64(oldLogEvery/time.Second) * 2
		img.lastPos, img.checkpointPos, img.content = bmgc.pos, bmgc.pos-10, bmgc.content
		img.start, img.finish = at, at.Add(time.Duration(2+s.rng.IntN(3))*time.Second)
		img.logPages = 1 + (img.lastPos-img.firstPos)*logBytesPerPos/bytesPerPage
		img.bytes = img.logPages*bytesPerPage + mediaHeaderSize
		img.bsGUID = s.newGUID()
		name := trnName(chat, at)
		s.historyFile(s.topo.Share, "", img, name, at.Add(5*time.Second))
		s.historyFile(s.topo.CopyFolder, b.machine, img, name, at.Add(2*time.Minute))
		if at.After(disasterAt.Add(-restoreHistWin)) {
			restored := at.Add(5 * time.Minute)
			b.msdb.recordRestore(img, []string{joinPath(s.topo.CopyFolder, name)}, restored, chat, b.spec.AgentAccount, false, false)
			lastSet = b.msdb.backupsets[len(b.msdb.backupsets)-1]
		}
	}
	// The failover: the last log applied, then RESTORE DATABASE mgc WITH RECOVERY on the backup instance.
	recoveredAt := failoverAt.Add(-5 * time.Minute)
	if lastSet != nil {
		b.msdb.restores = append(b.msdb.restores, &restoreRow{id: b.msdb.nextRestore, date: recoveredAt, dest: chat,
			user: s.topo.Domain + `\dba`, backupSetID: lastSet.id, typ: 'D', recovery: true, deviceCount: 1})
		b.msdb.nextRestore++
	}
	bmgc.fork = s.newGUID()
	bmgc.pos++
	bmgc.hasBase, bmgc.logChainStart, bmgc.lastFullPos = true, bmgc.pos, bmgc.pos

	// Install-CsMirrorDatabase on the failover day: full and log backups to the mirror share, restored on the
	// backup mirror, mirroring started.
	installAt := failoverAt.Add(10 * time.Minute)
	bmMgc := s.mirrorHistory(b, bm, bmgc, installAt)
	bmComp := s.mirrorHistory(b, bm, bcomp, installAt.Add(6*time.Minute))

	// Since the failover the backup data center's servers write to the backup instance.
	writing := t0.Sub(failoverAt.Add(35*time.Minute)) / time.Second
	bmgc.pos += int64(writing) * int64(len(s.topo.BackupServers)) * chatWriteRate
	bmgc.content += int64(writing) * int64(len(s.topo.BackupServers))
	bcomp.pos += int64(writing) * int64(len(s.topo.BackupServers)) * compWriteRate
	bmgc.noteWrites(t0, int64(writing)*int64(len(s.topo.BackupServers)))
	bcomp.noteWrites(t0, int64(writing)*int64(len(s.topo.BackupServers)))
	for _, pair := range [][2]*database{{bmgc, bmMgc}, {bcomp, bmComp}} {
		pair[1].pos, pair[1].content, pair[1].redoPos = pair[0].pos, pair[0].content, pair[0].pos
	}

	// The rebuilt primary: mgc and mgccomp freshly created by Topology Builder, nobody connected, no backups.
	created := t0.Add(-18 * time.Hour).Truncate(time.Second)
	pmgc := s.userDB(p, chat, created, freshChatUsedMB, 256, pchatData, pchatLog)
	pmgc.pos = 34_000_000 + int64(s.rng.IntN(10_000))
	pmgc.logChainStart = pmgc.pos - 200
	p.addDB(pmgc)
	pcomp := s.userDB(p, comp, created.Add(time.Minute), freshCompUsedMB, 128, compData, compLog)
	pcomp.pos = 34_000_000 + int64(s.rng.IntN(10_000))
	pcomp.logChainStart = pcomp.pos - 200
	p.addDB(pcomp)

	// SQL Agent: the syspolicy job every instance has, the leftover alert job on the backup instance.
	for _, in := range []*instance{p, pm, b, bm} {
		s.policyJob(in)
	}
	b.msdb.agentSessions = []agentSession{{1, b.engineStart.Add(-200 * 24 * time.Hour)}, {2, b.engineStart.Add(-90 * 24 * time.Hour)}, {3, b.agentStart}}
	b.agentSession = 3
	bm.msdb.agentSessions = []agentSession{{1, bm.engineStart.Add(-200 * 24 * time.Hour)}, {2, bm.agentStart}}
	bm.agentSession = 2
	s.alertJobHistory(b, t0)
	for _, in := range []*instance{p, pm, b, bm} {
		in.rescheduleAll(t0)
	}
}

// userDB creates a user database with one data and one log file of the given sizes in MB.
func (s *Sim) userDB(in *instance, name string, created time.Time, usedMB, logMB int64, dataDir, logDir string) *database {
	used := usedMB * 128
	d := &database{
		name: name, created: created, state: stateOnline, recovery: recoveryFull, compat: 110,
		owner: s.topo.LyncAdmin, guid: s.newGUID(), family: s.newGUID(), fork: s.newGUID(),
		users: lyncUsers(s.topo.Domain, created),
		files: []dbFile{
			{fileID: 1, logical: name, physical: joinPath(dataDir, name+".mdf"), sizePages: used + used/10 + 128,
				usedPages: used, growth: 1280, guid: s.newGUID()},
			{fileID: 2, logical: name + "_log", physical: joinPath(logDir, name+".ldf"), log: true,
				sizePages: logMB * 128, usedPages: logMB * 16, growth: 10, percent: true, guid: s.newGUID()},
		},
	}
	d.firstFork = d.fork
	return d
}

// historyFile stores a backup image as a file of a folder (UNC when machine is "").
func (s *Sim) historyFile(dir, machine string, img *backupImage, name string, mod time.Time) {
	f := s.fs.folderAt(machine, dir)
	if f == nil {
		return
	}
	ms := img.mediaSet
	if ms == nil {
		ms = &mediaSet{guid: s.newGUID(), familyCount: 1, created: img.start, sets: []*backupImage{img}}
		ms.families = []*mediaFamily{{set: ms, seq: 1, guid: s.newGUID()}}
		img.mediaSet = ms
	}
	file := &fsFile{name: name, size: img.bytes, modTime: mod, family: ms.families[0]}
	f.files[strings.ToLower(name)] = file
}

// mirrorHistory records what Install-CsMirrorDatabase did for one database at at: a full and a log backup on
// the principal, both restored WITH NORECOVERY on the mirror, and the session it started. It returns the
// mirror's copy.
func (s *Sim) mirrorHistory(b, bm *instance, d *database, at time.Time) *database {
	stamp := at.Format("20060102150405")
	for i, kind := range []byte{'D', 'L'} {
		img := imageFromDB(b, d)
		img.kind, img.position, img.familyCount = kind, 1, 1
		img.userName = s.topo.LyncAdmin
		img.start = at.Add(time.Duration(i) * 3 * time.Minute)
		d.pos += 2
		if kind == 'D' {
			img.firstPos, img.checkpointPos, img.lastPos = d.pos-2, d.pos-2, d.pos
			img.dataPages, img.logPages = d.usedDataPages(), 3
			img.basePos = d.lastFullPos
			d.lastFullPos, d.hasBase = d.pos-2, true
		} else {
			img.firstPos, img.lastPos, img.checkpointPos = d.logChainStart, d.pos, d.lastFullPos
			img.logPages = 1 + (img.lastPos-img.firstPos)*logBytesPerPos/bytesPerPage
			d.logChainStart = d.pos
		}
		img.bytes = (img.dataPages+img.logPages)*bytesPerPage + mediaHeaderSize
		img.finish = img.start.Add(s.ioDuration(img.bytes))
		img.bsGUID = s.newGUID()
		img.content = d.content
		ext := ".bak"
		if kind == 'L' {
			ext = ".trn"
		}
		name := d.name + "_" + stamp + ext
		s.historyFile(s.topo.MirrorShare, "", img, name, img.finish)
		device := joinPath(s.topo.MirrorShare, name)
		b.msdb.recordBackup(img, []string{device})
		bm.msdb.recordRestore(img, []string{device}, img.finish.Add(2*time.Minute), d.name, s.topo.LyncAdmin, true, false)
	}
	md := s.userDB(bm, d.name, d.created, d.usedDataPages()/128, d.logFile().sizePages/128, pchatData, pchatLog)
	md.files = append([]dbFile(nil), d.files...)
	md.guid, md.family, md.fork, md.firstFork = d.guid, d.family, d.fork, d.firstFork
	md.state, md.owner, md.users = stateRestoring, s.topo.LyncAdmin, append([]dbUser(nil), d.users...)
	md.pos, md.content, md.redoPos, md.restoreOK = d.pos, d.content, d.pos, true
	md.hasBase, md.lastFullPos, md.logChainStart = true, d.lastFullPos, d.logChainStart
	bm.addDB(md)
	b.endpoint.exists, bm.endpoint.exists = true, true
	s.linkMirror(b, d, bm, md)
	return md
}

// policyJob creates syspolicy_purge_history (every SQL Server 2012 instance has it) with its daily schedule and
// the history of its recent runs.
func (s *Sim) policyJob(in *instance) {
	m := in.msdb
	created := in.engineStart.Add(-time.Hour)
	saved := s.now
	s.now = created
	j := s.newJob("syspolicy_purge_history", "No description available.", 0, "sa", jobSysPolicy, true)
	s.addStep(j, "Verify that automation is enabled.", "TSQL", "IF (msdb.dbo.fn_syspolicy_is_automation_enabled() != 1)\n        BEGIN\n            RAISERROR(34022, 16, 1)\n        END", "master")
	s.addStep(j, "Purge history.", "TSQL", "EXEC msdb.dbo.sp_syspolicy_purge_history", "msdb")
	s.addStep(j, "Erase Phantom System Health Records.", "PowerShell", "if ('$(ESCAPE_SQUOTE(INST))' -eq 'MSSQLSERVER') {$a = '\\DEFAULT'} ELSE {$a = ''};\n(Get-Item SQLSERVER:\\SQLPolicy\\$(ESCAPE_NONE(SRVR))$a).EraseSystemHealthPhantomRecords()", "")
	m.jobs = append(m.jobs, j)
	sc := s.newSchedule(m, "syspolicy_purge_history_schedule", "sa")
	sc.freqSubdayType, sc.activeStartTime = subdayAt, 20000
	sc.activeStartDate = dateInt(created)
	sc.jobs = append(sc.jobs, j)
	s.now = saved
	from := saved.Add(-time.Duration(policyRunsKept) * 24 * time.Hour)
	if from.Before(in.agentStart) {
		from = in.agentStart
	}
	for at, ok := sc.nextAfter(from); ok && at.Before(saved); at, ok = sc.nextAfter(at) {
		s.pastRun(in, j, at, invokedBySchedule(sc), time.Duration(4+s.rng.IntN(4))*time.Second, "")
	}
}

// alertJobHistory creates the backup instance's leftover LSAlert job and its recent successful runs.
func (s *Sim) alertJobHistory(b *instance, t0 time.Time) {
	saved := s.now
	s.now = b.engineStart.Add(-300 * 24 * time.Hour)
	j := s.addAlertJob(b, s.topo.Domain+`\dba`)
	s.now = saved
	sc := b.msdb.schedulesOf(j)[0]
	from := t0.Add(-time.Duration(alertRunsKept)*2*time.Minute - time.Second)
	for at, ok := sc.nextAfter(from); ok && at.Before(t0); at, ok = sc.nextAfter(at) {
		s.pastRun(b, j, at, invokedBySchedule(sc), time.Second, "")
	}
}

// pastRun records a successful run of a job that happened before the simulation started.
func (s *Sim) pastRun(in *instance, j *job, at time.Time, invokedBy string, dur time.Duration, msg string) {
	var rows []*historyRow
	for i := range j.steps {
		st := &j.steps[i]
		text := msg
		if text == "" {
			text = "Executed as user: " + in.spec.AgentAccount + ". The step succeeded."
		}
		st.lastOutcome, st.lastDuration, st.lastRunDate, st.lastRunTime = 1, durationInt(dur), dateInt(at), timeInt(at)
		rows = append(rows, &historyRow{jobID: j.id, stepID: st.id, stepName: st.name, message: text, status: 1,
			runDate: dateInt(at), runTime: timeInt(at), runDuration: durationInt(dur), server: in.spec.Server})
	}
	rows = append(rows, &historyRow{jobID: j.id, stepID: 0, stepName: "(Job outcome)", status: 1,
		message: "The job succeeded.  The Job was invoked by " + invokedBy + ".  The last step to run was step " +
			strconv.Itoa(len(j.steps)) + " (" + j.steps[len(j.steps)-1].name + ").",
		runDate: dateInt(at), runTime: timeInt(at), runDuration: durationInt(dur), server: in.spec.Server})
	in.msdb.addHistory(rows...)
	j.lastHistoryID = rows[len(rows)-1].id
	j.lastRequested, j.lastSource, j.lastStart, j.lastStop, j.lastOutcome = at, 1, at, at.Add(dur), 1
}
