package sim

import (
	"strconv"
	"strings"
	"time"
)

// Paths of an instance's machine.
const (
	pchatData = `D:\CsData\PersistentChatStore\(default)\DbPath`
	pchatLog  = `D:\CsData\PersistentChatStore\(default)\LogPath`
	compData  = `D:\CsData\PersistentChatComplianceStore\(default)\DbPath`
	compLog   = `D:\CsData\PersistentChatComplianceStore\(default)\LogPath`
)

// sqlRoot is the instance directory of a default instance of the given major version.
func sqlRoot(version string) string {
	major, minor, _ := parseVersion(version)
	id := "MSSQL11"
	switch {
	case major == 10 && minor == 50:
		id = "MSSQL10_50"
	case major == 10:
		id = "MSSQL10"
	case major >= 12:
		id = "MSSQL" + strconv.Itoa(major)
	}
	return `C:\Program Files\Microsoft SQL Server\` + id + `.MSSQLSERVER\MSSQL`
}

// titleCase upper-cases the first letter and lower-cases the rest ("CONTOSO" -> "Contoso").
func titleCase(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
}

// upperShort is the first label of a host name in upper case (host_name as Windows clients send it).
func upperShort(fqdn string) string {
	short, _, _ := strings.Cut(fqdn, ".")
	return strings.ToUpper(short)
}

// buildEstate creates the four instances, the file server, the Lync pool and the history that tells the story
// of the failover (procedure.md §1).
func (s *Sim) buildEstate() {
	t0 := s.now
	topo := s.topo
	s.insts = []*instance{
		s.newInstance(rolePrimary, topo.Primary, t0.Add(-20*time.Hour)),
		s.newInstance(rolePrimaryMirror, topo.PrimaryMirror, t0.Add(-19*time.Hour)),
		s.newInstance(roleBackup, topo.Backup, t0.Add(-41*24*time.Hour)),
		s.newInstance(roleBackupMirror, topo.BackupMirror, t0.Add(-41*24*time.Hour)),
	}
	s.buildFileSystem()
	s.lync = &lyncState{
		poolState: poolFailedOver,
		active:    map[string]bool{},
		identity:  "service:" + topo.PoolFQDN,
		prefixes:  []string{"service:", "PersistentChatServer:"},
		siteID:    "Site:" + titleCase(topo.Domain),
	}
	for _, fqdn := range topo.BackupServers {
		s.lync.active[strings.ToLower(fqdn)] = true
	}
	for i, fqdn := range s.poolServers() {
		dc := rolePrimary
		if i >= len(topo.PrimaryServers) {
			dc = roleBackup
		}
		s.pcs = append(s.pcs, &pcServer{
			fqdn: fqdn, short: upperShort(fqdn), dc: dc,
			account: topo.Domain + `\` + upperShort(fqdn) + "$",
			phase:   time.Duration(s.rng.IntN(30)) * time.Second,
		})
	}
	s.buildHistory(t0)
	// The backup data center's servers have been connected to the backup instance since the failover.
	b := s.instanceByRole(roleBackup)
	for i, pc := range s.pcs {
		if pc.dc != roleBackup {
			continue
		}
		s.now = t0.Add(-47*time.Hour + time.Duration(i)*7*time.Second)
		s.pcPoll(pc)
		for _, ss := range pc.sessions {
			ss.lastStart, ss.lastEnd = t0.Add(-time.Duration(1+s.rng.IntN(50))*time.Second), t0
		}
		pc.target = b
	}
	s.now = t0
}

// newInstance creates an instance with its system databases, logins, background sessions and SQL Agent.
func (s *Sim) newInstance(role string, spec InstanceSpec, started time.Time) *instance {
	in := &instance{
		role: role, spec: spec, machine: strings.ToUpper(spec.Server), msdb: newMSDB(),
		engineStart: started, agentRunning: true, agentStart: started.Add(40 * time.Second),
		endpoint: endpoint{port: 5022, reachable: true}, deniedLogins: map[string]bool{}, dirs: map[string]bool{},
	}
	root := sqlRoot(spec.Version)
	in.backupDir = root + `\Backup`
	for _, d := range []string{root + `\DATA`, in.backupDir, pchatData, pchatLog, compData, compLog} {
		in.dirs[strings.ToLower(d)] = true
	}
	s.addLogins(in, started)
	master := s.systemDB(in, "master", 1, recoverySimple, time.Date(2003, 4, 8, 9, 13, 36, 390e6, started.Location()), 560, 128)
	tempdb := s.systemDB(in, "tempdb", 2, recoverySimple, started, 1024, 64)
	model := s.systemDB(in, "model", 3, recoveryFull, time.Date(2003, 4, 8, 9, 13, 36, 390e6, started.Location()), 296, 96)
	msdbDB := s.systemDB(in, "msdb", 4, recoverySimple, started.Add(-time.Hour), 2344, 784)
	in.dbs = []*database{master, tempdb, model, msdbDB}
	tasks := []string{"LOG WRITER", "RECOVERY WRITER", "LAZY WRITER", "SIGNAL HANDLER", "LOCK MONITOR",
		"XE TIMER", "XE DISPATCHER", "BRKR TASK", "TASK MANAGER", "CHECKPOINT", "RESOURCE MONITOR", "TASK MANAGER",
		"BRKR EVENT HNDLR", "TASK MANAGER"}
	for i, task := range tasks {
		in.sessions = append(in.sessions, &session{sim: s, inst: in, spid: i + 1, kind: kindSystem, login: "sa",
			db: "master", loginTime: started, lastStart: started, lastEnd: started, systemTask: task, isSysadmin: true})
	}
	in.agentSession = 1
	in.msdb.agentSessions = []agentSession{{id: 1, start: in.agentStart}}
	for _, prog := range []string{"SQLAgent - Generic Refresher", "SQLAgent - Job invocation engine"} {
		saved := s.now
		s.now = in.agentStart
		ss := s.newSession(in, kindAgent, spec.AgentAccount, prog, in.machine, "msdb")
		s.now = saved
		in.addSession(ss)
	}
	return in
}

// systemDB creates a system database.
func (s *Sim) systemDB(in *instance, name string, id int, rec recoveryModel, created time.Time, dataPages, logPages int64) *database {
	root := sqlRoot(in.spec.Version) + `\DATA\`
	file := name
	logName := name + "log"
	switch name {
	case "master":
		logName = "mastlog"
	case "tempdb":
		file, logName = "tempdev", "templog"
	case "model":
		file, logName = "modeldev", "modellog"
	case "msdb":
		file, logName = "MSDBData", "MSDBLog"
	}
	phys := map[string][2]string{
		"master": {"master.mdf", "mastlog.ldf"}, "tempdb": {"tempdb.mdf", "templog.ldf"},
		"model": {"model.mdf", "modellog.ldf"}, "msdb": {"MSDBData.mdf", "MSDBLog.ldf"},
	}[name]
	return &database{
		id: id, name: name, system: true, created: created, state: stateOnline, recovery: rec, compat: 110,
		owner: "sa", guid: s.newGUID(), family: s.newGUID(), fork: s.newGUID(), pos: 30_000_000 + int64(id)*1000,
		files: []dbFile{
			{fileID: 1, logical: file, physical: root + phys[0], sizePages: dataPages, usedPages: dataPages * 3 / 4, growth: 10, percent: true, guid: s.newGUID()},
			{fileID: 2, logical: logName, physical: root + phys[1], log: true, sizePages: logPages, usedPages: logPages / 4, growth: 10, percent: true, guid: s.newGUID()},
		},
	}
}

// addLogins creates the server principals of an instance.
func (s *Sim) addLogins(in *instance, created time.Time) {
	install := time.Date(2003, 4, 8, 9, 10, 42, 0, created.Location())
	in.logins = []serverLogin{
		{name: "sa", id: 1, sid: "0x01", typ: "S", created: install, sysadmin: true},
		{name: "public", id: 2, sid: "0x02", typ: "R", created: install},
		{name: "sysadmin", id: 3, sid: "0x03", typ: "R", created: install},
		{name: "securityadmin", id: 4, sid: "0x04", typ: "R", created: install},
		{name: "serveradmin", id: 5, sid: "0x05", typ: "R", created: install},
		{name: "setupadmin", id: 6, sid: "0x06", typ: "R", created: install},
		{name: "processadmin", id: 7, sid: "0x07", typ: "R", created: install},
		{name: "diskadmin", id: 8, sid: "0x08", typ: "R", created: install},
		{name: "dbcreator", id: 9, sid: "0x09", typ: "R", created: install},
		{name: "bulkadmin", id: 10, sid: "0x0A", typ: "R", created: install},
	}
	d := s.topo.Domain + `\`
	names := []string{`NT SERVICE\SQLWriter`, `NT SERVICE\Winmgmt`, `NT Service\MSSQLSERVER`, `NT AUTHORITY\SYSTEM`,
		`NT SERVICE\SQLSERVERAGENT`, d + "SQL Admins", d + "RTCUniversalServerAdmins", d + "RTCComponentUniversalServices",
		d + "RTCHSUniversalServices", in.spec.EngineAccount, in.spec.AgentAccount}
	for i, n := range names {
		typ := "U"
		if isGroup(n) {
			typ = "G"
		}
		in.logins = append(in.logins, serverLogin{name: n, id: 256 + i, sid: sidOf(n), typ: typ, created: created,
			sysadmin: i < 6 || n == in.spec.EngineAccount || n == in.spec.AgentAccount})
	}
}

// buildFileSystem creates the file server's shares and the instances' local folders with their ACLs.
func (s *Sim) buildFileSystem() {
	fs := s.fs
	topo := s.topo
	for _, share := range []string{topo.Share, topo.MirrorShare} {
		host, _, _ := strings.Cut(strings.TrimPrefix(normalizePath(share), `\\`), `\`)
		canon := strings.ToLower(host)
		fs.hosts[canon] = canon
		short, _, _ := strings.Cut(canon, ".")
		fs.hosts[short] = canon
	}
	rw := map[string]perm{strings.ToLower(topo.LyncAdmin): permRW, strings.ToLower(topo.Domain + `\SQL Admins`): permRW}
	for _, in := range s.insts {
		rw[strings.ToLower(in.spec.EngineAccount)] = permRW
		rw[strings.ToLower(in.spec.AgentAccount)] = permRW
	}
	clone := func(m map[string]perm) map[string]perm {
		out := map[string]perm{}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	shareVol := &volume{capacity: 500 * gigabyte, free: 200 * gigabyte}
	fs.addFolder("", topo.Share, shareVol, clone(rw))
	mirrorVol := &volume{capacity: 500 * gigabyte, free: 200 * gigabyte}
	fs.addFolder("", topo.MirrorShare, mirrorVol, clone(rw))
	for _, in := range s.insts {
		local := map[string]perm{strings.ToLower(in.spec.EngineAccount): permRW, strings.ToLower(in.spec.AgentAccount): permRW,
			strings.ToLower(topo.Domain + `\SQL Admins`): permRW}
		vol := &volume{capacity: 200 * gigabyte, free: 150 * gigabyte}
		fs.addFolder(in.machine, in.backupDir, vol, local)
		if in.role == roleBackup {
			acl := map[string]perm{strings.ToLower(in.spec.AgentAccount): permRW, strings.ToLower(in.spec.EngineAccount): permRead,
				strings.ToLower(topo.Domain + `\SQL Admins`): permRW}
			fs.addFolder(in.machine, topo.CopyFolder, &volume{capacity: 300 * gigabyte, free: 250 * gigabyte}, acl)
			in.dirs[strings.ToLower(normalizePath(topo.CopyFolder))] = true
		}
	}
}
