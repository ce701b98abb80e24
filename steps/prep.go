package steps

import (
	"fmt"
	"strings"
	"time"

	"pcfailback/probes"
	"pcfailback/pwsh"
	"pcfailback/quote"
)

// preflight is F0 (added): read-only checks of the state the failover left, before anything changes.
func preflight() Step {
	return Step{
		ID: F0, Title: "Pre-flight checks", Source: "added (procedure.md §2 F0)", ReadOnly: true,
		Changes: "nothing: reads versions, database sizes, share visibility, services and the pool state",
		Verify: []string{
			"backup databases ONLINE; primary mgc rebuilt and not mirrored",
			"share visible to both engine accounts; free space on the share above the size of mgc",
			"primary's SQL Server version not older than the backup's (3169)",
			"SQL Server Agent running on both; pool state FailedOver",
		},
		plan: func(env Env) (Plan, error) {
			q := func(r probes.Role) string {
				dbIDs := "DB_ID(" + quote.String(env.Names.ChatDB) + "), DB_ID(" + quote.String(env.Names.ComplianceDB) + ")"
				return sqlScript(
					"SELECT @@SERVERNAME AS server_name, SERVERPROPERTY('ProductVersion') AS product_version;",
					"SELECT DB_NAME(database_id) AS db, name, physical_name, size / 128 AS size_mb FROM sys.master_files WHERE database_id IN ("+dbIDs+");",
					"EXEC master.dbo.xp_fileexist "+quote.String(env.Names.Share)+";",
					"SELECT servicename, status_desc, service_account FROM sys.dm_server_services;",
				)
			}
			p := Plan{Scripts: []Script{
				sqlOn(rB, "versions, sizes, share and services on the backup", q(rB)),
				sqlOn(rP, "versions, sizes, share and services on the primary", q(rP)),
				psOnLync("pool state and free space on the share", psScript(
					"Get-CsPersistentChatState",
					"(New-Object -ComObject Scripting.FileSystemObject).GetDrive("+pwsh.Quote(env.Names.Share)+").AvailableSpace",
				)),
			}}
			if list := failedOverList(env.Snap.Pool); list != "" {
				p.Params = map[string]string{ParamFailedOverActive: list}
			}
			return p, nil
		},
		pre: func(Env) []Check { return nil },
		post: func(env Env) []Check {
			cs := []Check{
				env.dbState(rB, env.Names.ChatDB, "ONLINE", ""),
				env.dbState(rB, env.Names.ComplianceDB, "ONLINE", ""),
				env.dbExists(rP, env.Names.ChatDB),
				warn(env.notMirrored(rP, env.Names.ChatDB), "F4 would fail with 3104: remove mirroring on the primary first (ALTER DATABASE ... SET PARTNER OFF)"),
				env.shareVisible(rB),
				env.shareVisible(rP),
				env.versionNotOlder(rP, rB),
				env.freeSpace(),
				env.agentRunning(rB),
				env.agentRunning(rP),
				env.agentAccountNote(),
				warn(env.poolState("FailedOver"), "the pool does not run on the backup databases; check before going on"),
				env.otherSessions(rP, env.Names.ChatDB, "F4 disconnects them (SET SINGLE_USER WITH ROLLBACK IMMEDIATE)"),
				env.otherSessions(rB, env.Names.ChatDB, backupWritersAdvice),
				env.poolIdentityKnown(),
				env.primaryServersInPrimaryDC(),
			}
			return cs
		},
	}
}

// backupWritersAdvice is what to do about other clients of the backup's mgc before the failback backup.
const backupWritersAdvice = "whatever they write after the failback backup is in no backup (procedure.md §5.2): stop them before F3"

// warn turns a check into an advisory one with advice.
func warn(c Check, advice string) Check {
	c.Warn = true
	if !c.OK {
		c.Advice = advice
	}
	return c
}

// freeSpace compares the share's free space (from the Lync host's probe) with the size of the chat database.
func (env Env) freeSpace() Check {
	size := env.inst(rB).Database(env.Names.ChatDB).SizeMB()
	c := Check{Text: fmt.Sprintf("the share has room for a full backup of %s (%s)", env.Names.ChatDB, mb(size))}
	p := env.Snap.Pool
	free := p.ShareFree / (1 << 20)
	switch {
	case p.ShareFree < 0 || !p.Reachable:
		c.Detail = "free space not known: " + orNone(p.ShareErr)
	case size == 0:
		c.Detail = fmt.Sprintf("%s free; size of %s unknown", mb(free), env.Names.ChatDB)
	case free < size+size/5:
		c.Detail = fmt.Sprintf("%s free", mb(free))
		c.Advice = "free space on the share or the backup fails with 3202 (OS error 112)"
	default:
		c.OK = true
		c.Detail = fmt.Sprintf("%s free", mb(free))
	}
	return c
}

// roomForBackup is freeSpace as F3's precondition (procedure.md §2 F3): it blocks when the share is known to be
// too small, and only advises when the free space or the size is unknown (the Lync host may not see the share,
// which says nothing about the backup instance).
func (env Env) roomForBackup() Check {
	c := env.freeSpace()
	p := env.Snap.Pool
	if p.ShareFree < 0 || !p.Reachable || env.inst(rB).Database(env.Names.ChatDB).SizeMB() == 0 {
		c.Warn = true
	}
	return c
}

// agentAccountNote carries the article's IMPORTANT note: the console cannot read share ACLs from SQL, so it
// shows the account the operator must check.
func (env Env) agentAccountNote() Check {
	acct := "unknown"
	if s := env.inst(rB).Service("Agent"); s != nil {
		acct = s.Account
	}
	return Check{
		Text: "the backup's SQL Server Agent account can read the share and write " + env.Names.CopyFolder,
		OK:   false, Warn: true, Detail: "account " + acct + " (cannot be checked from SQL; verify the ACLs)",
		Advice: "article, IMPORTANT: the Agent on the secondary must run under an account with read access to the share and write access to the copy folder",
	}
}

func mb(n int64) string {
	if n >= 1024 {
		return fmt.Sprintf("%.1f GB", float64(n)/1024)
	}
	return fmt.Sprintf("%d MB", n)
}

// clearActive is F1 (article step 1).
func clearActive() Step {
	return Step{
		ID: F1, Title: "Clear the active server list", Source: "article step 1",
		Changes: "no Persistent Chat server accepts new clients; connected ones stay until they drain",
		Notes: []string{
			"IMPORTANT (article): the SQL Server Agent on the backup back end must run under an account that can read the log-shipping share and write the local copy folder " +
				"(F0 shows the account).",
			"Identity: the console passes back the identity Get-CsPersistentChatState reports (Lync 2013 help uses \"global\"; procedure.md §6 Q1).",
			"Reversible: add the servers back with -ActiveServers @{Add=...}.",
		},
		Verify: []string{"Get-CsService -PersistentChatServer lists no active server"},
		plan: func(env Env) (Plan, error) {
			id, err := env.poolIdentity()
			if err != nil {
				return Plan{}, err
			}
			return Plan{Scripts: []Script{psOnLync("clear the active server list", psScript(
				"Set-CsPersistentChatActiveServer -Identity "+pwsh.Quote(id)+" -ActiveServers $null -Confirm:$false",
			))}}, nil
		},
		pre: func(env Env) []Check {
			return []Check{warn(env.poolState("FailedOver"), "the pool is not failed over; clearing the list stops service"), env.poolIdentityKnown()}
		},
		post: func(env Env) []Check { return []Check{env.activeServers(nil)} },
	}
}

// removeMirroring is F2 (article step 2): SET PARTNER OFF on the backup databases that are mirrored.
func removeMirroring() Step {
	mirrored := func(env Env) []string {
		var dbs []string
		for _, db := range []string{env.Names.ChatDB, env.Names.ComplianceDB} {
			if env.inst(rB).Database(db).Mirroring.Mirrored() {
				dbs = append(dbs, db)
			}
		}
		return dbs
	}
	return Step{
		ID: F2, Title: "Remove mirroring on the backup databases", Source: "article step 2", Destructive: true,
		Changes: "breaks the backup pair's mirroring for good: the backup mirror's copies stay RESTORING and must be re-seeded to mirror again",
		Notes:   []string{"1416 (not configured for mirroring) means it is already removed: the console only sends SET PARTNER OFF for databases that are still mirrored."},
		Verify:  []string{"sys.database_mirroring: mirroring_guid NULL for mgc and mgccomp on the backup", "both stay ONLINE"},
		plan: func(env Env) (Plan, error) {
			dbs := mirrored(env)
			if len(dbs) == 0 {
				return Plan{}, fmt.Errorf("neither %s nor %s is mirrored on %s", env.Names.ChatDB, env.Names.ComplianceDB, env.name(rB))
			}
			lines := []string{"USE [master];"}
			for _, db := range dbs {
				lines = append(lines, "ALTER DATABASE "+quote.Ident(db)+" SET PARTNER OFF;")
			}
			return Plan{Scripts: []Script{sqlOn(rB, "remove mirroring", sqlScript(lines...))}}, nil
		},
		confirm: func(env Env) string { return strings.Join(mirrored(env), "+") + "@" + env.name(rB) },
		pre: func(env Env) []Check {
			cs := []Check{env.activeServers(nil)}
			for _, db := range mirrored(env) {
				cs = append(cs, env.mirroredAs(rB, db, "PRINCIPAL", rBM))
			}
			return cs
		},
		post: func(env Env) []Check {
			return []Check{
				env.notMirrored(rB, env.Names.ChatDB), env.notMirrored(rB, env.Names.ComplianceDB),
				env.dbState(rB, env.Names.ChatDB, "ONLINE", ""), env.dbState(rB, env.Names.ComplianceDB, "ONLINE", ""),
			}
		},
	}
}

// backupFailback is F3 (article step 3).
func backupFailback() Step {
	return Step{
		ID: F3, Title: "Back up mgc on the backup to the share", Source: "article step 3",
		Changes: "writes a new backup file on the share (a unique name: nothing existing is overwritten); the database is not changed",
		Notes: []string{
			"The file is written by the backup instance's SQL Server service account, not the Agent account (3201 / OS error 5 if it lacks write access).",
			"Anything written to the backup mgc after this backup is lost at F5b: F1 must have drained the Persistent Chat servers.",
		},
		Verify: []string{"msdb.dbo.backupset: a new full backup of mgc with checksums, finished after the step started, on this file", "the file is visible on the share"},
		plan: func(env Env) (Plan, error) {
			db := env.Names.ChatDB
			path := backupPath(env.Names.Share, db, "failback", env.stamp())
			p := Plan{Params: map[string]string{ParamBackup: path}}
			p.Scripts = []Script{sqlOn(rB, "full backup to the share", backupDatabase(db, path, failbackName(db),
				"Persistent Chat failback, "+env.Names.Environment))}
			return p, nil
		},
		pre: func(env Env) []Check {
			return []Check{
				env.activeServers(nil),
				env.dbState(rB, env.Names.ChatDB, "ONLINE", ""),
				env.notMirrored(rB, env.Names.ChatDB),
				env.noPChatSessions(rB, env.Names.ChatDB),
				env.shareVisible(rB),
				env.roomForBackup(),
				env.otherSessions(rB, env.Names.ChatDB, backupWritersAdvice),
			}
		},
		post: func(env Env) []Check {
			ev := env.Runs[F3]
			path := ""
			if ev != nil {
				path = ev.Plan.Params[ParamBackup]
			}
			b := env.inst(rB).Database(env.Names.ChatDB).LastFull
			c := Check{Text: "msdb on " + env.name(rB) + " records the new full backup with checksums"}
			switch {
			case b == nil:
				c.Detail = "no full backup recorded"
			case !strings.EqualFold(b.Device, path):
				c.Detail = "newest full backup is " + b.Device
			case !b.Checksums:
				c.Detail = "backup has no checksums"
			case !since(b.Finish, env.serverStart(F3, rB)):
				c.Detail = "finished " + b.Finish.Format(time.DateTime) + ", before the step started"
			default:
				c.OK, c.Detail = true, "finished "+b.Finish.Format("15:04:05")
			}
			return []Check{c, env.fileVisible(rB, path)}
		},
	}
}

// verifyFailback is F3b (added): VERIFYONLY, HEADERONLY and FILELISTONLY from both instances.
func verifyFailback() Step {
	return Step{
		ID: F3b, Title: "Verify the backup from both instances", Source: "added (procedure.md §2 F3b)", ReadOnly: true,
		Changes: "nothing: reads the backup file",
		Notes:   []string{"Running VERIFYONLY on the primary proves the primary's service account can read the file (F4 needs it). VERIFYONLY does not check data structure (DBCC CHECKDB does)."},
		Verify:  []string{"3262 \"The backup set on file 1 is valid.\" from both", "HEADERONLY: DatabaseName mgc, BackupType 1, HasBackupChecksums 1"},
		plan: func(env Env) (Plan, error) {
			path := env.failbackBackup()
			if path == "" {
				return Plan{}, fmt.Errorf("no failback backup known yet (run F3)")
			}
			return Plan{Params: map[string]string{ParamBackup: path}, Scripts: []Script{
				sqlOn(rB, "verify the backup from the backup instance", verifyBackup(path)),
				sqlOn(rP, "verify the backup from the primary", verifyBackup(path)),
			}}, nil
		},
		pre: func(env Env) []Check {
			path := env.failbackBackup()
			return []Check{env.fileVisible(rB, path), env.fileVisible(rP, path)}
		},
		post: func(env Env) []Check { return env.verified(F3b) },
	}
}

// verified reads the verification evidence of a step's run: one check per target.
func (env Env) verified(id ID) []Check {
	ev := env.Runs[id]
	var cs []Check
	for _, r := range []probes.Role{rB, rP} {
		c := Check{Text: "the backup verifies from " + env.name(r)}
		var res *ScriptResult
		if ev != nil {
			for i := range ev.Scripts {
				if !ev.Scripts[i].Target.Lync && ev.Scripts[i].Target.Role == r {
					res = &ev.Scripts[i]
				}
			}
		}
		switch {
		case res == nil || !res.Ran:
			c.Detail = "not verified in this session"
		case res.Err != "":
			c.Detail = res.Err
		default:
			c.OK, c.Detail = headerMatches(res, env.Names.ChatDB)
		}
		cs = append(cs, c)
	}
	return cs
}

// headerMatches checks VERIFYONLY's 3262 and the HEADERONLY row.
func headerMatches(res *ScriptResult, db string) (bool, string) {
	valid := false
	for _, m := range res.Messages {
		if m.Number == 3262 {
			valid = true
		}
	}
	if !valid {
		return false, "no 3262 \"The backup set on file 1 is valid.\""
	}
	for _, set := range res.Sets {
		idx := map[string]int{}
		for i, c := range set.Columns {
			idx[strings.ToLower(c)] = i
		}
		di, okD := idx["databasename"]
		ti, okT := idx["backuptype"]
		if !okD || !okT || len(set.Rows) == 0 {
			continue
		}
		row := set.Rows[0]
		name, typ := cell(row, di), cell(row, ti)
		if !strings.EqualFold(name, db) || typ != "1" {
			return false, fmt.Sprintf("HEADERONLY: DatabaseName %s, BackupType %s", name, typ)
		}
		if ci, ok := idx["hasbackupchecksums"]; ok && cell(row, ci) != "1" && cell(row, ci) != "true" {
			return false, "HEADERONLY: the backup has no checksums"
		}
		return true, "valid; HEADERONLY " + name + ", full database backup"
	}
	return false, "no HEADERONLY result"
}

// cell renders one value of a result row; a row shorter than its columns (a runner's bug) reads as empty rather
// than crashing the console.
func cell(row []any, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return fmt.Sprint(row[i])
}
