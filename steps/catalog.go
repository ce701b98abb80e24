package steps

import (
	"strings"
	"time"

	"pcfailback/probes"
)

// Short role names keep the step definitions readable.
const (
	rP  = probes.Primary
	rPM = probes.PrimaryMirror
	rB  = probes.Backup
	rBM = probes.BackupMirror
)

// Catalog returns the procedure's steps in order: procedure.md §2, F0 to F6, with the added pre-flight, the
// backup verification and the F5 sub-steps, and F6 split so pool state Normal comes before active servers.
func Catalog() []Step {
	return []Step{
		preflight(), clearActive(), removeMirroring(), backupFailback(), verifyFailback(),
		restorePrimary(), mirrorPrimary(), initSecondary(), lsPrimaryStep(), lsSecondaryStep(), lsMirrorSide(),
		poolNormal(), setActive(),
	}
}

// Find returns a step of the catalog by ID.
func Find(cat []Step, id ID) (Step, bool) {
	for _, s := range cat {
		if s.ID == id {
			return s, true
		}
	}
	return Step{}, false
}

func sqlOn(r probes.Role, purpose, text string) Script {
	return Script{Target: Target{Role: r}, Lang: TSQL, Database: "master", Text: text, Purpose: purpose}
}

func psOnLync(purpose, text string) Script {
	return Script{Target: Target{Lync: true}, Lang: PowerShell, Text: text, Purpose: purpose}
}

// failbackBackup is the file F3 wrote: from this session's F3 run, else the backup instance's newest full
// backup of the chat database when it is a failback backup (named as F3 names it, so a backup taken by F3 before
// a restart of the console is found, and the failover day's mirroring backup is not).
func (env Env) failbackBackup() string {
	if ev := env.Runs[F3]; ev != nil && ev.Plan.Params[ParamBackup] != "" {
		return ev.Plan.Params[ParamBackup]
	}
	if b := env.inst(rB).Database(env.Names.ChatDB).LastFull; b != nil && strings.EqualFold(b.Name, failbackName(env.Names.ChatDB)) {
		return b.Device
	}
	return ""
}

// lsInitBackup is the file F5b wrote.
func (env Env) lsInitBackup() string {
	if ev := env.Runs[F5b]; ev != nil {
		return ev.Plan.Params[ParamLSInit]
	}
	return ""
}

// WatchedFiles are the backup files the probes should look for from every instance.
func (env Env) WatchedFiles() []string {
	var out []string
	for _, p := range []string{env.failbackBackup(), env.lsInitBackup()} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// serverStart is a target's clock at the step's start (zero when unknown).
func (env Env) serverStart(id ID, r probes.Role) time.Time {
	if ev := env.Runs[id]; ev != nil {
		return ev.ServerStart[r]
	}
	return time.Time{}
}

// failbackName is the backup set name F3 gives the failback backup.
func failbackName(db string) string { return db + "-Full Failback" }
