// Package health renders the data-center panels: for each SQL instance its reachability and staleness, the
// chat and compliance databases (state, recovery, access, mirroring, backups, restores, sessions), log shipping
// and its jobs, services, and the data center's Persistent Chat servers. Rendering is a pure function of a
// snapshot, so it is tested as golden files; the component adds focus and scrolling.
package health

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"pcfailback/probes"
	"pcfailback/steps"
	"pcfailback/themes"
	"pcfailback/transcript"
)

// DC is one data center's panel.
type DC int

// The two panels.
const (
	PrimaryDC DC = iota
	BackupDC
)

// Roles are the instances shown in a data center's panel.
func (dc DC) Roles() []probes.Role {
	if dc == PrimaryDC {
		return []probes.Role{probes.Primary, probes.PrimaryMirror}
	}
	return []probes.Role{probes.Backup, probes.BackupMirror}
}

// Title is the panel's title.
func (dc DC) Title() string {
	if dc == PrimaryDC {
		return "Primary data center"
	}
	return "Backup data center"
}

// Level is how much detail a panel shows; the component picks the richest that fits.
type Level int

// Detail levels.
const (
	// Tiny is one line per instance.
	Tiny Level = iota
	// Compact adds a line per database and the log-shipping role.
	Compact
	// Normal adds backup ages and the log-shipping jobs.
	Normal
	// Full shows everything: services, backup files, restores, session hosts, every job.
	Full
)

// Input is what the panels are rendered from.
type Input struct {
	Snap  probes.Snapshot
	Names steps.Names
	// Now is the console clock (simulated in training); ages are computed from it.
	Now time.Time
}

type line struct {
	st  themes.Styles
	buf strings.Builder
}

// add appends text in a style. Text comes from the servers (names, states, errors, job names), so anything in
// it that could steer the terminal is shown escaped rather than sent.
func (l *line) add(p themes.Paint, text string) *line {
	// Tabs would move the cursor past cells the panel accounts for.
	p.Write(&l.buf, strings.ReplaceAll(transcript.Escape(text), "\t", " "))
	return l
}
func (l *line) txt(text string) *line   { return l.add(l.st.P.Text, text) }
func (l *line) muted(text string) *line { return l.add(l.st.P.Muted, text) }

// Lines renders a panel's content (without its title) at a level, each line cut to width.
func Lines(in Input, dc DC, level Level, st themes.Styles, width int) []string {
	var lines []string
	emit := func(l *line) { lines = append(lines, ansi.Truncate(l.buf.String(), width, "…")) }
	for _, r := range dc.Roles() {
		for _, l := range instance(in, r, level, st) {
			emit(l)
		}
	}
	emit(servers(in, dc, st))
	return lines
}

func instance(in Input, r probes.Role, level Level, st themes.Styles) []*line {
	i := in.Snap.Instance(r)
	name := in.Names.Instance(r).Name
	head := &line{st: st}
	head.add(st.P.Bold, name).muted(" " + r.Label() + " ")
	switch {
	case i.Reachable:
		head.add(st.P.Good, "✓ up").muted(" " + steps.Ago(in.Now.Sub(i.ProbedAt)))
	case i.ProbedAt.IsZero() && i.Err == "":
		head.add(st.P.Muted, "… probing")
	default:
		head.add(st.P.Bad, "✗ DOWN")
		if !i.ProbedAt.IsZero() {
			head.muted(" data " + steps.Ago(in.Now.Sub(i.ProbedAt)) + " old")
		}
	}
	if i.Err != "" {
		head.muted(" ").add(st.P.Bad, i.Err)
	}
	if i.ProbedAt.IsZero() {
		// Never answered: nothing is known about its databases, and "absent" would say something false.
		return []*line{head}
	}
	if level == Tiny {
		for _, db := range []string{in.Names.ChatDB, in.Names.ComplianceDB} {
			head.muted(" · ").txt(db+" ").add(dbStyle(st, i.Database(db)), dbWord(i.Database(db)))
		}
		return []*line{head}
	}
	if level == Full && i.Version != "" {
		head.muted(" · " + i.Version)
	}
	out := []*line{head}
	if level == Full {
		out = append(out, services(i, st))
	}
	for _, db := range []string{in.Names.ChatDB, in.Names.ComplianceDB} {
		out = append(out, database(in, i, db, level, st)...)
	}
	out = append(out, logShipping(in, i, level, st)...)
	return out
}

func dbWord(d *probes.Database) string {
	if !d.Exists {
		return "absent"
	}
	return d.State
}

func dbStyle(st themes.Styles, d *probes.Database) themes.Paint {
	switch {
	case !d.Exists:
		return st.P.Muted
	case d.State == "ONLINE":
		return st.P.Good
	case d.State == "RESTORING":
		return st.P.Info
	}
	return st.P.Bad
}

func services(i *probes.Instance, st themes.Styles) *line {
	l := &line{st: st}
	l.muted("  ")
	if a := i.Service("Agent"); a != nil {
		s := st.P.Good
		if a.Status != "Running" {
			s = st.P.Bad
		}
		l.muted("Agent ").add(s, a.Status).muted(" as " + a.Account)
	} else {
		l.muted("Agent ?")
	}
	if e := i.Service("SQL Server ("); e != nil {
		l.muted(" · engine as " + e.Account)
	}
	l.muted(" · share ")
	switch {
	case !i.Share.Checked:
		l.muted("?")
	case i.Share.IsDir:
		l.add(st.P.Good, "✓ visible")
	default:
		l.add(st.P.Bad, "✗ not visible")
	}
	return l
}

func database(in Input, i *probes.Instance, name string, level Level, st themes.Styles) []*line {
	d := i.Database(name)
	l := &line{st: st}
	l.txt(fmt.Sprintf("  %-8s ", name))
	if !d.Exists {
		l.muted("absent")
		return []*line{l}
	}
	l.add(dbStyle(st, d), d.State)
	access := d.UserAccess
	if level != Full {
		access = strings.TrimSuffix(access, "_USER")
	}
	l.muted(" " + d.RecoveryModel + " " + access)
	if d.ReadOnly {
		l.add(st.P.Warn, " READ_ONLY")
	}
	m := d.Mirroring
	switch {
	case m.Mirrored():
		l.muted(" · ").add(st.P.Info, m.Role).muted(" " + m.State + " ⇄ " + m.PartnerInstance)
		if level == Full && m.Witness != "" {
			l.muted(" witness " + m.Witness + " " + m.WitnessState)
		}
	default:
		l.muted(" · not mirrored")
	}
	if n := d.SessionCount(); n > 0 {
		l.muted(fmt.Sprintf(" · %d sess", n))
	}
	out := []*line{l}
	if level == Compact {
		return out
	}
	if level != Full {
		if name == in.Names.ChatDB && (d.LastFull != nil || d.LastLog != nil) {
			b := &line{st: st}
			b.muted("           ")
			if d.LastFull != nil {
				b.muted("full ").txt(steps.Ago(i.Age(d.LastFull.Finish, in.Now))).muted(" ago")
			}
			if d.LastLog != nil {
				b.muted(" · log ").txt(steps.Ago(i.Age(d.LastLog.Finish, in.Now))).muted(" ago")
			}
			out = append(out, b)
		}
		return out
	}
	for _, b := range []*probes.BackupSet{d.LastFull, d.LastLog} {
		if b == nil {
			continue
		}
		kind := "full"
		if b.Type == "L" {
			kind = "log "
		}
		bl := &line{st: st}
		bl.muted("           " + kind + " ").txt(path.Base(strings.ReplaceAll(b.Device, `\`, "/"))).
			muted(" " + b.Finish.Format("01-02 15:04") + " (" + steps.Ago(i.Age(b.Finish, in.Now)) + ")")
		if b.Checksums {
			bl.add(st.P.Good, " ✓chk")
		} else {
			bl.add(st.P.Warn, " no chk")
		}
		out = append(out, bl)
	}
	if r := d.LastRestore; r != nil {
		rl := &line{st: st}
		mode := "NORECOVERY"
		if r.Recovery {
			mode = "RECOVERY"
		}
		rl.muted("           restore " + r.Date.Format("01-02 15:04") + " " + restoreKind(r.Type) + " " + mode + " ").
			txt(path.Base(strings.ReplaceAll(r.Device, `\`, "/")))
		out = append(out, rl)
	}
	if len(d.Sessions) > 0 {
		sl := &line{st: st}
		sl.muted("           sessions ")
		var parts []string
		for _, g := range d.Sessions {
			parts = append(parts, fmt.Sprintf("%s ×%d", g.Host, g.Count))
		}
		sl.txt(strings.Join(parts, ", "))
		out = append(out, sl)
	}
	return out
}

func restoreKind(t string) string {
	switch t {
	case "D":
		return "full"
	case "L":
		return "log"
	}
	return t
}
