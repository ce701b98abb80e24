package steps

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"pcfailback/probes"
)

// The checks below are the vocabulary the step definitions are written in. Each says what it expects, what it
// saw, and (when it fails) what to do.

func (env Env) dbLabel(r probes.Role, db string) string { return db + " on " + env.name(r) }

func (env Env) dbExists(r probes.Role, db string) Check {
	d := env.inst(r).Database(db)
	c := Check{Text: env.dbLabel(r, db) + " exists", OK: d.Exists, Detail: fmt.Sprintf("database_id %d, %s", d.ID, d.State)}
	if !d.Exists {
		c.Detail = "sys.databases has no row for it"
		c.Advice = "the procedure assumes Topology Builder rebuilt and reinstalled the databases"
	}
	return c
}

// dbState checks state_desc and, when given, user access.
func (env Env) dbState(r probes.Role, db, state, access string) Check {
	d := env.inst(r).Database(db)
	want := state
	if access != "" {
		want += ", " + access
	}
	c := Check{Text: fmt.Sprintf("%s is %s", env.dbLabel(r, db), want)}
	switch {
	case !d.Exists:
		c.Detail = "the database does not exist"
	case !strings.EqualFold(d.State, state):
		c.Detail = "state " + d.State
	case access != "" && !strings.EqualFold(d.UserAccess, access):
		c.Detail = "user access " + d.UserAccess
	default:
		c.OK = true
		c.Detail = d.State + ", " + d.RecoveryModel + ", " + d.UserAccess
	}
	return c
}

func (env Env) dbRecoveryFull(r probes.Role, db string) Check {
	d := env.inst(r).Database(db)
	c := Check{Text: env.dbLabel(r, db) + " uses the FULL recovery model", OK: strings.EqualFold(d.RecoveryModel, "FULL")}
	c.Detail = "recovery model " + orNone(d.RecoveryModel)
	if !c.OK {
		c.Advice = "mirroring and log shipping need FULL: ALTER DATABASE ... SET RECOVERY FULL"
	}
	return c
}

func (env Env) notMirrored(r probes.Role, db string) Check {
	m := env.inst(r).Database(db).Mirroring
	c := Check{Text: env.dbLabel(r, db) + " is not mirrored", OK: !m.Mirrored()}
	if c.OK {
		c.Detail = "no mirroring session"
	} else {
		c.Detail = fmt.Sprintf("mirroring %s %s with %s", m.Role, m.State, orNone(m.PartnerInstance))
	}
	return c
}

func (env Env) mirroredAs(r probes.Role, db, role string, partner probes.Role) Check {
	m := env.inst(r).Database(db).Mirroring
	c := Check{Text: fmt.Sprintf("%s is the mirroring %s with %s", env.dbLabel(r, db), role, env.name(partner))}
	switch {
	case !m.Mirrored():
		c.Detail = "not mirrored"
	case !strings.EqualFold(m.Role, role):
		c.Detail = "role " + m.Role
	case !sameServer(m.PartnerInstance, env.serverName(partner)) && !sameServer(m.PartnerInstance, env.name(partner)):
		c.Detail = "partner " + m.PartnerInstance
	default:
		c.OK = true
		c.Detail = m.State
	}
	return c
}

func (env Env) synchronized(r probes.Role, db string) Check {
	m := env.inst(r).Database(db).Mirroring
	c := Check{Text: env.dbLabel(r, db) + " mirroring is SYNCHRONIZED", OK: strings.EqualFold(m.State, "SYNCHRONIZED")}
	c.Detail = "state " + orNone(m.State)
	return c
}

// noPChatSessions checks that no Persistent Chat server is connected to the database; other sessions are
// reported by a separate advisory check.
func (env Env) noPChatSessions(r probes.Role, db string) Check {
	pchat, _ := env.sessionSplit(env.inst(r).Database(db))
	c := Check{Text: "no Persistent Chat server is connected to " + env.dbLabel(r, db), OK: len(pchat) == 0}
	c.Detail = "Persistent Chat sessions: " + describeSessions(pchat)
	if !c.OK {
		c.Advice = "servers off the active list keep their connections for a while; wait for them to drain (F1 must be done)"
	}
	return c
}

// otherSessions is advisory: a step that takes exclusive access will disconnect them.
func (env Env) otherSessions(r probes.Role, db, consequence string) Check {
	_, other := env.sessionSplit(env.inst(r).Database(db))
	c := Check{Text: "no other sessions in " + env.dbLabel(r, db), OK: len(other) == 0, Warn: true}
	c.Detail = "other sessions: " + describeSessions(other)
	if !c.OK {
		c.Advice = consequence
	}
	return c
}

func (env Env) shareVisible(r probes.Role) Check {
	s := env.inst(r).Share
	c := Check{Text: fmt.Sprintf("%s's engine service account sees the share %s", env.name(r), env.Names.Share)}
	switch {
	case !s.Checked:
		c.Detail = "not checked yet"
	case s.IsDir:
		c.OK, c.Detail = true, "xp_fileexist: directory exists"
	default:
		c.Detail = "xp_fileexist: not visible"
		c.Advice = "grant the SQL Server service account read/write on the share (BACKUP/RESTORE fail with 3201, OS error 5)"
	}
	return c
}

func (env Env) fileVisible(r probes.Role, path string) Check {
	f := env.inst(r).File(path)
	c := Check{Text: fmt.Sprintf("%s's engine service account sees %s", env.name(r), path)}
	switch {
	case path == "":
		// No probe will ever check a file nobody named: say what is missing instead of "waiting".
		c.Text = fmt.Sprintf("%s's engine service account sees the backup file", env.name(r))
		c.Detail = "no backup file known yet"
	case !f.Checked:
		c.Detail = "not checked yet (waiting for the next probe)"
	case f.Exists:
		c.OK, c.Detail = true, "xp_fileexist: file exists"
	case !f.ParentExists:
		c.Detail = "xp_fileexist: the folder is not visible to the service account"
		c.Advice = "grant the SQL Server service account read on the share"
	default:
		c.Detail = "xp_fileexist: no such file"
	}
	return c
}

func (env Env) agentRunning(r probes.Role) Check {
	s := env.inst(r).Service("Agent")
	c := Check{Text: "SQL Server Agent runs on " + env.name(r)}
	if s == nil {
		c.Detail = "sys.dm_server_services lists no Agent"
		return c
	}
	c.OK = strings.EqualFold(s.Status, "Running")
	c.Detail = s.Status + " as " + s.Account
	if !c.OK {
		c.Advice = "log shipping jobs run in SQL Server Agent: start it"
	}
	return c
}

func (env Env) poolState(want string) Check {
	p := env.Snap.Pool
	c := Check{Text: "pool " + env.Names.PoolFQDN + " is " + want, OK: strings.EqualFold(p.State, want)}
	c.Detail = "PoolState " + orNone(p.State)
	return c
}

func (env Env) activeServers(want []string) Check {
	got := env.Snap.Pool.Active
	text := "the active server list is empty"
	if len(want) > 0 {
		text = "the active servers are " + strings.Join(want, ", ")
	}
	c := Check{Text: text, OK: sameSet(got, want)}
	c.Detail = "active: " + orNone(strings.Join(got, ", "))
	if f := env.poolFresh(); !f.OK {
		// A list the Lync probe did not just read is a guess: an empty one must not pass for "cleared".
		c.OK, c.Detail, c.Advice = false, "not known: "+f.Detail, f.Advice
	}
	return c
}

// versionNotOlder checks that a backup from `from` can be restored on `to` (3169 otherwise).
func (env Env) versionNotOlder(to, from probes.Role) Check {
	a, b := env.inst(to).Version, env.inst(from).Version
	c := Check{Text: fmt.Sprintf("%s runs the same or a newer SQL Server version than %s", env.name(to), env.name(from))}
	c.Detail = fmt.Sprintf("%s vs %s", orNone(a), orNone(b))
	c.OK = a != "" && b != "" && compareVersions(a, b) >= 0
	if !c.OK && a != "" && b != "" {
		c.Advice = "RESTORE fails with 3169 on an older version; upgrade the target first"
	}
	return c
}

func (env Env) jobSucceeded(r probes.Role, job string) Check {
	j := env.inst(r).Job(job)
	c := Check{Text: fmt.Sprintf("job %s on %s has run and succeeded", job, env.name(r))}
	switch {
	case j == nil:
		c.Detail = "no such job"
	case !j.Enabled:
		c.Detail = "job is disabled"
	case j.LastOutcome == "":
		c.Detail = "has not run yet" + nextRun(j)
	case j.LastOutcome != "Succeeded":
		c.Detail = "last outcome " + j.LastOutcome + ": " + firstSentence(j.LastMessage)
	default:
		c.OK = true
		c.Detail = "last run " + j.LastRun.Format("15:04:05") + nextRun(j)
	}
	return c
}

func (env Env) jobEnabled(r probes.Role, job string) Check {
	j := env.inst(r).Job(job)
	c := Check{Text: fmt.Sprintf("job %s exists on %s and is enabled", job, env.name(r))}
	switch {
	case j == nil:
		c.Detail = "no such job"
	case !j.Enabled:
		c.Detail = "disabled"
	default:
		c.OK, c.Detail = true, "enabled"+nextRun(j)
	}
	return c
}

// since checks that a server time lies after the step started on that server.
func since(t, start time.Time) bool {
	return !t.IsZero() && !start.IsZero() && !t.Before(start.Add(-time.Second))
}

func nextRun(j *probes.Job) string {
	if j.NextRun.IsZero() {
		return ""
	}
	return ", next run " + j.NextRun.Format("15:04:05")
}

func firstSentence(s string) string {
	if i := strings.Index(s, ".  "); i > 0 {
		return s[:i+1]
	}
	return s
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func sameServer(a, b string) bool {
	return a != "" && strings.EqualFold(short(a), short(b))
}

func sameSet(a, b []string) bool {
	norm := func(xs []string) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = strings.ToLower(x)
		}
		sort.Strings(out)
		return out
	}
	x, y := norm(a), norm(b)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// compareVersions compares dotted version strings numerically.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
