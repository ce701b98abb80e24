package steps

import (
	"fmt"
	"strings"

	"pcfailback/probes"
	"pcfailback/pwsh"
	"pcfailback/quote"
)

// restorePrimary is F4 (article step 4): overwrite the rebuilt primary mgc with the failback backup, ready to use.
func restorePrimary() Step {
	return Step{
		ID: F4, Title: "Restore mgc on the primary", Source: "article step 4", Destructive: true,
		Changes: "replaces the rebuilt mgc on the primary with the failback backup (REPLACE, RECOVERY); sessions in it are disconnected",
		Notes: []string{
			"SSMS's \"Overwrite the existing database\" and \"Leave the database ready to use\" are REPLACE and RECOVERY.",
			"Added: SET SINGLE_USER WITH ROLLBACK IMMEDIATE first (else 3101 while anything is connected), all on one session from master (3102 otherwise).",
			"No tail-log backup: the rebuilt database holds nothing worth keeping (procedure.md §2 F4). Keep the .bak until normal operation is confirmed.",
		},
		Verify: []string{"mgc on the primary ONLINE, FULL, MULTI_USER", "restorehistory: newest restore of mgc is this file, REPLACE and RECOVERY"},
		plan: func(env Env) (Plan, error) {
			path := env.failbackBackup()
			if path == "" {
				return Plan{}, fmt.Errorf("no failback backup known yet (run F3)")
			}
			moves, err := env.moves(path)
			if err != nil {
				return Plan{}, err
			}
			return Plan{Params: map[string]string{ParamBackup: path}, Scripts: []Script{
				sqlOn(rP, "restore over the rebuilt database", restoreScript(env.Names.ChatDB, path, "RECOVERY", moves, !restoringPrimary(env))),
			}}, nil
		},
		confirm: func(env Env) string { return env.Names.ChatDB + "@" + env.name(rP) },
		pre: func(env Env) []Check {
			db := env.Names.ChatDB
			path := env.failbackBackup()
			cs := []Check{env.dbExists(rP, db), env.notMirrored(rP, db)}
			cs = append(cs, env.verifiedFile(path)...)
			return append(cs,
				env.fileVisible(rP, path),
				env.versionNotOlder(rP, rB),
				env.otherSessions(rP, db, "the restore disconnects them (ROLLBACK IMMEDIATE)"),
				env.unchangedSinceBackup(),
				env.interruptedRestore(),
			)
		},
		post: func(env Env) []Check {
			db := env.Names.ChatDB
			return []Check{
				env.dbState(rP, db, "ONLINE", "MULTI_USER"),
				env.dbRecoveryFull(rP, db),
				env.restored(F4, rP, ParamBackup, true),
			}
		},
	}
}

// verifiedFile requires F3b's verification of exactly this file, from both instances.
func (env Env) verifiedFile(path string) []Check {
	ev := env.Runs[F3b]
	if ev == nil || path == "" || !strings.EqualFold(ev.Plan.Params[ParamBackup], path) {
		return []Check{{Text: "the backup " + orDefault(path, "file") + " was verified (F3b)", Detail: "not verified in this session", Advice: "run F3b"}}
	}
	return env.verified(F3b)
}

// moves builds MOVE clauses when a file in the backup has a different physical path than the same logical file
// of the primary's rebuilt database (F3b's FILELISTONLY output against sys.master_files).
func (env Env) moves(path string) ([]string, error) {
	ev := env.Runs[F3b]
	if ev == nil || !strings.EqualFold(ev.Plan.Params[ParamBackup], path) {
		return nil, nil
	}
	current := map[string]string{}
	for _, f := range env.inst(rP).Database(env.Names.ChatDB).Files {
		current[strings.ToLower(f.Logical)] = f.Physical
	}
	var out []string
	for _, res := range ev.Scripts {
		if res.Target.Role != rP || res.Target.Lync {
			continue
		}
		for _, set := range res.Sets {
			li, pi := colIndex(set, "LogicalName"), colIndex(set, "PhysicalName")
			if li < 0 || pi < 0 || colIndex(set, "FileGroupName") < 0 {
				continue
			}
			for _, row := range set.Rows {
				logical, physical := cell(row, li), cell(row, pi)
				target, ok := current[strings.ToLower(logical)]
				if !ok {
					return nil, fmt.Errorf("the backup's file %q has no counterpart in %s on %s: restore needs a MOVE clause chosen by a DBA",
						logical, env.Names.ChatDB, env.name(rP))
				}
				if !strings.EqualFold(target, physical) {
					out = append(out, "MOVE "+quote.String(logical)+" TO "+quote.String(target))
				}
			}
		}
	}
	return out, nil
}

func colIndex(set probes.ResultSet, name string) int {
	for i, c := range set.Columns {
		if strings.EqualFold(c, name) {
			return i
		}
	}
	return -1
}

// restored checks the newest restorehistory row of the chat database on r against a step's file.
func (env Env) restored(id ID, r probes.Role, param string, recovery bool) Check {
	db := env.Names.ChatDB
	path := ""
	if ev := env.Runs[id]; ev != nil {
		path = ev.Plan.Params[param]
	}
	mode := "NORECOVERY"
	if recovery {
		mode = "RECOVERY"
	}
	c := Check{Text: fmt.Sprintf("msdb on %s records the restore of %s from %s with REPLACE, %s", env.name(r), db, orNone(path), mode)}
	e := env.inst(r).Database(db).LastRestore
	switch {
	case e == nil:
		c.Detail = "no restore recorded"
	case !strings.EqualFold(e.Device, path):
		c.Detail = "newest restore is from " + e.Device
	case !e.Replace || e.Recovery != recovery:
		c.Detail = fmt.Sprintf("replace=%t recovery=%t", e.Replace, e.Recovery)
	case !since(e.Date, env.serverStart(id, r)):
		c.Detail = "restored " + e.Date.Format("2006-01-02 15:04") + ", before the step started"
	default:
		c.OK, c.Detail = true, "restored "+e.Date.Format("15:04:05")
	}
	return c
}

// mirrorPrimary is F5a (added, done first in F5): mirroring in the primary data center.
func mirrorPrimary() Step {
	return Step{
		ID: F5a, Title: "Mirror the primary databases (primary DC)", Source: "added (procedure.md §2 F5a, §5.6)", Destructive: true,
		Changes: "mirrors mgc and mgccomp from the primary to the primary mirror; -DropExistingDatabasesOnMirror drops any copies on the mirror",
		Notes: []string{
			"Ports 5022 (mirroring endpoints) must be open; 1418 means an endpoint cannot be reached, 1488 that the database is in single-user mode.",
			"The SQL Server and Agent service accounts of both instances need read/write on the mirroring file share.",
		},
		Verify: []string{"sys.database_mirroring on the primary: PRINCIPAL with the primary mirror, SYNCHRONIZED; the mirror's copies MIRROR"},
		Settle: defaultSettle,
		plan: func(env Env) (Plan, error) {
			p := env.Names.Instance(rP)
			lines := []string{}
			for _, typ := range []string{"PersistentChat", "PersistentChatCompliance"} {
				cmd := "Install-CsMirrorDatabase -SqlServerFqdn " + pwsh.Quote(p.Host)
				if p.SQLInstance != "" {
					cmd += " -SqlInstanceName " + pwsh.Quote(p.SQLInstance)
				}
				cmd += " -DatabaseType " + typ + " -FileShare " + pwsh.Quote(env.Names.MirrorShare) + " -DropExistingDatabasesOnMirror -Verbose -Confirm:$false"
				lines = append(lines, cmd)
			}
			return Plan{Scripts: []Script{psOnLync("mirror the primary databases", psScript(lines...))}}, nil
		},
		confirm: func(env Env) string { return env.Names.ChatDB + "@" + env.name(rPM) },
		pre: func(env Env) []Check {
			db := env.Names.ChatDB
			return []Check{
				env.dbState(rP, db, "ONLINE", "MULTI_USER"),
				env.dbRecoveryFull(rP, db),
				env.dbRecoveryFull(rP, env.Names.ComplianceDB),
				env.fresh(rPM),
				env.notMirrored(rP, db),
				env.primaryRestored(),
			}
		},
		post: func(env Env) []Check {
			var cs []Check
			for _, db := range []string{env.Names.ChatDB, env.Names.ComplianceDB} {
				cs = append(cs, env.mirroredAs(rP, db, "PRINCIPAL", rPM), env.mirroredAs(rPM, db, "MIRROR", rP), env.synchronized(rP, db))
			}
			return cs
		},
	}
}

// initSecondary is F5b: a fresh full backup of the primary restored WITH NORECOVERY over the backup's mgc.
func initSecondary() Step {
	return Step{
		ID: F5b, Title: "Initialise the backup as log-shipping secondary", Source: "article step 5 (procedure.md §2 F5b)", Destructive: true,
		Changes: "replaces the backup's mgc (the former production copy) with the primary's, left RESTORING; the failback .bak is kept",
		Notes:   []string{"What SSMS's \"Yes, generate a full backup of the primary database and restore it into the secondary database\" does."},
		Verify:  []string{"a new full backup of mgc on the primary", "mgc on the backup RESTORING, restored from it WITH NORECOVERY"},
		plan: func(env Env) (Plan, error) {
			db := env.Names.ChatDB
			path := backupPath(env.Names.Share, db, "lsinit", env.stamp())
			return Plan{Params: map[string]string{ParamLSInit: path}, Scripts: []Script{
				sqlOn(rP, "full backup of the primary to the share", backupDatabase(db, path, db+"-Full LS init", "Log shipping initialisation, "+env.Names.Environment)),
				sqlOn(rB, "restore it on the backup WITH NORECOVERY", restoreDatabase(db, path, "NORECOVERY", nil)),
			}}, nil
		},
		confirm: func(env Env) string { return env.Names.ChatDB + "@" + env.name(rB) },
		pre: func(env Env) []Check {
			db := env.Names.ChatDB
			return []Check{
				env.dbState(rP, db, "ONLINE", "MULTI_USER"),
				env.primaryRestored(),
				env.notMirrored(rB, db),
				env.noPChatSessions(rB, db),
				env.otherSessions(rB, db, "the restore disconnects them (ROLLBACK IMMEDIATE)"),
				env.shareVisible(rP),
				env.shareVisible(rB),
				env.unchangedSinceBackup(),
			}
		},
		post: func(env Env) []Check {
			return []Check{env.dbState(rB, env.Names.ChatDB, "RESTORING", ""), env.restored(F5b, rB, ParamLSInit, false)}
		},
	}
}

// primaryRestored is the live form of "F4 is done", for the steps after it: the primary's newest restore of the
// chat database is a full restore WITH RECOVERY of the failback backup. It reads msdb rather than this session's
// evidence, so it also holds after the console was restarted, and it fails for the rebuilt, empty database.
func (env Env) primaryRestored() Check {
	db, path := env.Names.ChatDB, env.failbackBackup()
	c := Check{Text: fmt.Sprintf("%s on %s was restored from the failback backup (F4)", db, env.name(rP))}
	e := env.inst(rP).Database(db).LastRestore
	switch {
	case path == "":
		c.Detail = "no failback backup known yet"
	case e == nil:
		c.Detail = "no restore recorded: the primary still holds the rebuilt database"
	case e.Type != "D" || !e.Recovery || !strings.EqualFold(e.Device, path):
		c.Detail = fmt.Sprintf("newest restore: type %s, recovery %t, from %s", e.Type, e.Recovery, e.Device)
	default:
		c.OK, c.Detail = true, "restored "+e.Date.Format("2006-01-02 15:04:05")
	}
	if !c.OK {
		c.Advice = "run F4 first: the pool must never point at the rebuilt, empty database"
	}
	return c
}
