package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"pcfailback/tsql"
)

func init() {
	defineProc(&procDef{name: "sp_who2", params: []procParam{opt("@loginame", nil)}, run: runSpWho2})
	defineProc(&procDef{name: "sp_who", params: []procParam{opt("@loginame", nil)}, run: runSpWho})
	defineProc(&procDef{name: "xp_fileexist", positional: true, params: []procParam{req("@filename"), outp("@file_exists")}, run: runFileExist})
	defineProc(&procDef{name: "sp_help_log_shipping_monitor", params: []procParam{opt("@verbose", int64(0))}, run: runLSMonitor})
}

// whoFilter implements @loginame of sp_who/sp_who2: 'active', a spid, or a login name.
func whoFilter(c *procCall) func(x *session) bool {
	if c.isNull("@loginame") {
		return func(*session) bool { return true }
	}
	arg := strings.TrimSpace(c.text("@loginame"))
	if strings.EqualFold(arg, "active") {
		return func(x *session) bool { return x.kind != kindSystem && (x.running || x == c.ss) }
	}
	if n, err := strconv.Atoi(arg); err == nil {
		return func(x *session) bool { return x.spid == n }
	}
	return func(x *session) bool { return strings.EqualFold(x.login, arg) }
}

// whoStatus and whoCommand are the Status and Command columns of sp_who/sp_who2.
func whoStatus(viewer, x *session) string {
	switch {
	case x.kind == kindSystem:
		return "BACKGROUND"
	case x == viewer:
		return "RUNNABLE"
	case x.running && x.waitType != "":
		return "SUSPENDED"
	case x.running:
		return "RUNNABLE"
	}
	return "sleeping"
}

func whoCommand(viewer, x *session) string {
	switch {
	case x.kind == kindSystem:
		return x.systemTask
	case x == viewer:
		return "EXECUTE"
	case x.running:
		return x.command
	}
	return "AWAITING COMMAND"
}

func runSpWho2(c *procCall) (int, error) {
	keep := whoFilter(c)
	t := &tsql.Table{Columns: columns(`SPID char(5), Status varchar(30), Login nvarchar(128), HostName nvarchar(128),
		BlkBy char(5), DBName nvarchar(128), Command varchar(16), CPUTime int, DiskIO int, LastBatch varchar(14),
		ProgramName nvarchar(128), SPID char(5), REQUESTID int`)}
	for _, x := range c.ss.inst.sessions {
		if !keep(x) {
			continue
		}
		host, prog := "  .", ""
		if x.kind != kindSystem {
			host, prog = x.host, x.app
		}
		spid := fmt.Sprintf("%-5d", x.spid)
		t.Rows = append(t.Rows, []tsql.Value{spid, whoStatus(c.ss, x), x.login, host, "  .", x.db,
			whoCommand(c.ss, x), x.cpu, x.reads + x.writes, x.lastStart.Format("01/02 15:04:05"), prog, spid,
			int64(0)})
	}
	c.result(t)
	return 0, nil
}

func runSpWho(c *procCall) (int, error) {
	keep := whoFilter(c)
	t := &tsql.Table{Columns: columns(`spid smallint, ecid smallint, status nchar(30), loginame nchar(128),
		hostname nchar(128), blk char(5), dbname nchar(128), cmd nchar(16), request_id int`)}
	for _, x := range c.ss.inst.sessions {
		if !keep(x) {
			continue
		}
		host := ""
		if x.kind != kindSystem {
			host = x.host
		}
		t.Rows = append(t.Rows, []tsql.Value{i64(x.spid), int64(0), strings.ToLower(whoStatus(c.ss, x)), x.login,
			host, "0    ", x.db, whoCommand(c.ss, x), int64(0)})
	}
	c.result(t)
	return 0, nil
}

// runFileExist is xp_fileexist: it looks at the path as the Database Engine service account, which is exactly
// what BACKUP and RESTORE will do.
func runFileExist(c *procCall) (int, error) {
	in := c.ss.inst
	path := strings.TrimSpace(c.text("@filename"))
	exists, isDir, parent := c.ss.sim.fileExist(in, path)
	if _, ok := c.outIdx["@file_exists"]; ok {
		c.set("@file_exists", boolInt(exists))
		return 0, nil
	}
	c.result(&tsql.Table{
		Columns: columns("File Exists int, File is a Directory int, Parent Directory Exists int"),
		Rows:    [][]tsql.Value{{boolInt(exists), boolInt(isDir), boolInt(parent)}},
	})
	return 0, nil
}

// fileExist answers xp_fileexist for the engine account of in.
func (s *Sim) fileExist(in *instance, path string) (exists, isDir, parent bool) {
	if path == "" {
		return false, false, false
	}
	full := in.resolveDevice(path)
	account := in.spec.EngineAccount
	if dir := s.fs.folderAt(in.machine, full); dir != nil {
		if !dir.allows(account, permRead) {
			return false, false, false
		}
		return false, true, true
	}
	f, name, code := s.fs.folderOf(in.machine, full)
	if code != errNone || f == nil || name == "" || !f.allows(account, permRead) {
		return false, false, false
	}
	return f.file(name) != nil, false, true
}

// runLSMonitor is sp_help_log_shipping_monitor: one row per log-shipping primary and secondary database known
// on this server, with the status the monitor computes from the thresholds.
func runLSMonitor(c *procCall) (int, error) {
	in, now := c.ss.inst, c.ss.sim.now
	t := &tsql.Table{Columns: columns(`status bit, is_primary bit, server sysname, database_name sysname,
		time_since_last_backup int, last_backup_file nvarchar(500), backup_threshold int,
		is_backup_alert_enabled bit, time_since_last_copy int, last_copied_file nvarchar(500),
		time_since_last_restore int, last_restored_file nvarchar(500), last_restored_latency int,
		restore_threshold int, is_restore_alert_enabled bit`)}
	since := func(t0 time.Time) tsql.Value {
		if t0.IsZero() {
			return nil
		}
		return int64(now.Sub(t0) / time.Minute)
	}
	for _, p := range in.msdb.lsMonPrimary {
		ref := p.lastBackupDate
		if ref.IsZero() {
			ref = p.created
		}
		bad := !ref.IsZero() && int(now.Sub(ref)/time.Minute) > p.backupThreshold
		if pd := in.msdb.primaryFor(p.primaryDatabase); pd != nil {
			if j := in.msdb.jobByID(pd.backupJobID); j != nil && j.lastOutcome == 0 {
				bad = true
			}
		}
		t.Rows = append(t.Rows, []tsql.Value{bit(bad), bit(true), p.primaryServer, p.primaryDatabase,
			since(p.lastBackupDate), nstr(p.lastBackupFile), i64(p.backupThreshold), bit(p.alertEnabled), nil, nil,
			nil, nil, nil, nil, nil})
	}
	for _, m := range in.msdb.lsMonSecs {
		ref := m.lastRestoredDate
		if ref.IsZero() {
			ref = m.created
		}
		bad := !ref.IsZero() && int(now.Sub(ref)/time.Minute) > m.restoreThreshold
		if sec := in.msdb.secondaryByID(m.secondaryID); sec != nil {
			for _, id := range []tsql.GUID{sec.copyJobID, sec.restoreJobID} {
				if j := in.msdb.jobByID(id); j != nil && j.lastOutcome == 0 {
					bad = true
				}
			}
		}
		var latency tsql.Value
		if !m.lastRestoredDate.IsZero() {
			latency = int64(m.latency)
		}
		t.Rows = append(t.Rows, []tsql.Value{bit(bad), bit(false), m.secondaryServer, m.secondaryDatabase, nil, nil,
			nil, nil, since(m.lastCopiedDate), nstr(m.lastCopiedFile), since(m.lastRestoredDate),
			nstr(m.lastRestoredFile), latency, i64(m.restoreThreshold), bit(m.alertEnabled)})
	}
	c.result(t)
	return 0, nil
}
