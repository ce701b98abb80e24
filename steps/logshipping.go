package steps

import (
	"fmt"
	"strings"
	"time"

	"pcfailback/probes"
	"pcfailback/pwsh"
)

// defaultSettle bounds how long a step may stay "verifying" while mirroring synchronises.
const defaultSettle = 3 * time.Minute

// lsSettle covers one copy and one restore schedule (15 minutes each) plus slack: the copy job is started at
// once, the restore job runs at its next schedule.
const lsSettle = 40 * time.Minute

// lsPrimaryStep is F5c: the primary side of log shipping.
func lsPrimaryStep() Step {
	return Step{
		ID: F5c, Title: "Log shipping: primary side", Source: "article step 5 (procedure.md §2 F5c)",
		Changes: "creates the LSBackup job (every 15 minutes, to the share), the alert job and the log-shipping primary records on the primary, and takes the first log backup now",
		Notes:   []string{"@overwrite appears in Microsoft's scripted examples but not in the documented syntax (procedure.md §6 Q7)."},
		Verify:  []string{"log_shipping_monitor_primary row for mgc; the secondary is recorded", "LSBackup_mgc enabled and its first run succeeded"},
		Settle:  defaultSettle,
		plan: func(env Env) (Plan, error) {
			return Plan{Scripts: []Script{sqlOn(rP, "configure the log-shipping primary",
				lsPrimary(env.Names.ChatDB, env.Names.Share, env.serverName(rB), env.stamp(), true))}}, nil
		},
		pre: func(env Env) []Check {
			db := env.Names.ChatDB
			return []Check{
				env.dbState(rP, db, "ONLINE", "MULTI_USER"),
				env.dbRecoveryFull(rP, db),
				env.agentRunning(rP),
				env.shareVisible(rP),
				env.dbState(rB, db, "RESTORING", ""),
			}
		},
		post: func(env Env) []Check {
			db := env.Names.ChatDB
			return []Check{env.lsPrimaryRecorded(rP, rB), env.jobEnabled(rP, lsBackupJob(db)), env.jobSucceeded(rP, lsBackupJob(db))}
		},
	}
}

// lsPrimaryRecorded checks the log-shipping primary monitor row and the secondary record on an instance.
func (env Env) lsPrimaryRecorded(r, secondary probes.Role) Check {
	in := env.inst(r)
	db := env.Names.ChatDB
	c := Check{Text: fmt.Sprintf("%s is a log-shipping primary for %s, shipping to %s", env.name(r), db, env.name(secondary))}
	var prim bool
	for _, p := range in.LSPrimary {
		prim = prim || strings.EqualFold(p.Database, db)
	}
	var sec bool
	for _, s := range in.LSSecondaries {
		sec = sec || (strings.EqualFold(s.Database, db) && (sameServer(s.Server, env.serverName(secondary)) || sameServer(s.Server, env.name(secondary))))
	}
	switch {
	case !prim:
		c.Detail = "no log_shipping_monitor_primary row"
	case !sec:
		c.Detail = "the secondary is not recorded"
	default:
		c.OK, c.Detail = true, "configured"
	}
	return c
}

// lsSecondaryStep is F5d: the secondary side of log shipping on the backup.
func lsSecondaryStep() Step {
	return Step{
		ID: F5d, Title: "Log shipping: secondary side", Source: "article step 5 (procedure.md §2 F5d)",
		Changes: "creates the LSCopy and LSRestore jobs (every 15 minutes, restore WITH NORECOVERY, no delay) on the backup and starts the first copy",
		Notes: []string{
			"The copy job runs as the backup's Agent account: it must read the share and write " + "the copy folder (article IMPORTANT note).",
		},
		Verify: []string{"log_shipping_monitor_secondary row for mgc from the primary", "LSCopy and LSRestore enabled and have succeeded; a log backup restored"},
		Settle: lsSettle,
		plan: func(env Env) (Plan, error) {
			return Plan{Scripts: []Script{sqlOn(rB, "configure the log-shipping secondary",
				lsSecondary(env.Names.ChatDB, env.serverName(rP), env.Names.Share, env.Names.CopyFolder, env.stamp()))}}, nil
		},
		pre: func(env Env) []Check {
			return []Check{
				env.dbState(rB, env.Names.ChatDB, "RESTORING", ""),
				env.agentRunning(rB),
				env.lsPrimaryRecorded(rP, rB),
			}
		},
		post: func(env Env) []Check { return env.lsSecondaryHealthy() },
	}
}

// lsSecondaryHealthy is the end state of log shipping on the backup.
func (env Env) lsSecondaryHealthy() []Check {
	db, prim := env.Names.ChatDB, env.serverName(rP)
	c := Check{Text: fmt.Sprintf("%s restores log backups of %s from %s", env.name(rB), db, env.name(rP))}
	var row *probes.LSSecondary
	for i, s := range env.inst(rB).LSSecondary {
		if strings.EqualFold(s.Database, db) {
			row = &env.inst(rB).LSSecondary[i]
		}
	}
	switch {
	case row == nil:
		c.Detail = "no log_shipping_monitor_secondary row"
	case !sameServer(row.PrimaryServer, prim) && !sameServer(row.PrimaryServer, env.name(rP)):
		c.Detail = "ships from " + row.PrimaryServer
	case row.LastRestoredFile == "":
		c.Detail = "nothing restored yet"
	default:
		c.OK, c.Detail = true, "last restored "+baseName(row.LastRestoredFile)
	}
	return []Check{
		c,
		env.dbState(rB, db, "RESTORING", ""),
		env.jobSucceeded(rB, lsCopyJob(prim, db)),
		env.jobSucceeded(rB, lsRestoreJob(prim, db)),
	}
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// lsMirrorSide is F5e: the primary mirror configured as a dormant log-shipping primary, done by failing mgc over
// to the mirror, running the primary-side script there and failing back.
func lsMirrorSide() Step {
	return Step{
		ID: F5e, Title: "Log shipping from the primary mirror", Source: "article step 5 (procedure.md §2 F5e)",
		Changes: "fails mgc over to the primary mirror for a moment, records the same log-shipping primary settings there, fails it back",
		Notes: []string{
			"SSMS supports one primary per configuration: the script is the primary-side part only (up to \"End: Script to be run at Primary\").",
			"The last script fails the database back even when the second one fails.",
			"While the mirror is the mirror, its backup job skips and reports success (procedure.md §2 F5e).",
		},
		Verify: []string{"the primary is the principal again", "the primary mirror records log shipping to the backup"},
		Settle: defaultSettle,
		plan: func(env Env) (Plan, error) {
			fo := func(to string) string {
				return "Invoke-CsDatabaseFailover -PoolFqdn " + pwsh.Quote(env.Names.PoolFQDN) + " -DatabaseType PersistentChat -NewPrincipal " + to + " -Confirm:$false"
			}
			back := psOnLync("fail mgc back to the primary", psScript(fo("Primary")))
			back.Always = true
			return Plan{Scripts: []Script{
				psOnLync("fail mgc over to the primary mirror", psScript(fo("Mirror"))),
				sqlOn(rPM, "record the log-shipping primary on the mirror", lsPrimary(env.Names.ChatDB, env.Names.Share, env.serverName(rB), env.stamp(), false)),
				back,
			}}, nil
		},
		pre: func(env Env) []Check {
			db := env.Names.ChatDB
			return []Check{
				env.mirroredAs(rP, db, "PRINCIPAL", rPM),
				env.synchronized(rP, db),
				env.lsPrimaryRecorded(rP, rB),
				env.activeServers(nil),
			}
		},
		post: func(env Env) []Check {
			db := env.Names.ChatDB
			return []Check{env.mirroredAs(rP, db, "PRINCIPAL", rPM), env.lsPrimaryRecorded(rPM, rB), env.jobEnabled(rPM, lsBackupJob(db))}
		},
	}
}
