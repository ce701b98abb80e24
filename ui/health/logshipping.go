package health

import (
	"fmt"
	"path"
	"strings"
	"time"

	"pcfailback/probes"
	"pcfailback/steps"
	"pcfailback/themes"
)

// logShipping renders the instance's log-shipping role, last backup/copy/restore against thresholds, and the
// log-shipping jobs.
func logShipping(in Input, i *probes.Instance, level Level, st themes.Styles) []*line {
	var out []*line
	for _, p := range i.LSPrimary {
		l := &line{st: st}
		l.muted("  LS       ").add(st.P.Info, "primary")
		var to []string
		for _, s := range i.LSSecondaries {
			to = append(to, s.Server)
		}
		if len(to) > 0 {
			l.muted(" → " + strings.Join(to, ", "))
		}
		l.muted(" · last backup ")
		ageVsThreshold(l, st, i, p.LastBackup, p.ThresholdMin, in.Now)
		if level == Full && p.LastBackupFile != "" {
			l.muted(" " + base(p.LastBackupFile))
		}
		out = append(out, l)
	}
	for _, s := range i.LSSecondary {
		l := &line{st: st}
		l.muted("  LS       ").add(st.P.Info, "secondary").muted(" ← " + s.PrimaryServer + " · copy ")
		ageVsThreshold(l, st, i, s.LastCopied, 0, in.Now)
		l.muted(" · restore ")
		ageVsThreshold(l, st, i, s.LastRestored, s.ThresholdMin, in.Now)
		if level == Full {
			if s.LastRestoredFile != "" {
				l.muted(" " + base(s.LastRestoredFile))
			}
			l.muted(fmt.Sprintf(" latency %dm", s.LatencyMin))
		}
		out = append(out, l)
	}
	for _, j := range i.Jobs {
		if level == Compact || level != Full && !strings.HasPrefix(strings.ToUpper(j.Name), "LS") {
			continue
		}
		out = append(out, job(i, j, level, st))
	}
	return out
}

func job(i *probes.Instance, j probes.Job, level Level, st themes.Styles) *line {
	l := &line{st: st}
	l.muted("  job      ").txt(j.Name + " ")
	switch {
	case !j.Enabled:
		l.add(st.P.Muted, "disabled")
	case j.Running:
		l.add(st.P.Info, "▶ running")
	default:
		l.muted("idle")
	}
	switch j.LastOutcome {
	case "":
		l.muted(" · never ran")
	case "Succeeded":
		l.muted(" · ").add(st.P.Good, "✓ "+j.LastOutcome).muted(" " + j.LastRun.Format("15:04"))
	default:
		l.muted(" · ").add(st.P.Bad, "✗ "+j.LastOutcome).muted(" " + j.LastRun.Format("15:04"))
	}
	if level == Full && !j.NextRun.IsZero() {
		l.muted(" · next " + j.NextRun.Format("15:04"))
	}
	return l
}

// ageVsThreshold renders "4m ✓ ≤60m" or "75m ! >60m"; with no threshold, just the age.
func ageVsThreshold(l *line, st themes.Styles, i *probes.Instance, t time.Time, thresholdMin int, now time.Time) {
	if t.IsZero() {
		l.muted("never")
		return
	}
	age := i.Age(t, now)
	l.txt(steps.Ago(age))
	if thresholdMin <= 0 {
		return
	}
	limit := time.Duration(thresholdMin) * time.Minute
	if age <= limit {
		l.add(st.P.Good, fmt.Sprintf(" ✓≤%dm", thresholdMin))
	} else {
		l.add(st.P.Warn, fmt.Sprintf(" !>%dm", thresholdMin))
	}
}

func base(p string) string { return path.Base(strings.ReplaceAll(p, `\`, "/")) }

// servers renders the data center's Persistent Chat servers with their active state.
func servers(in Input, dc DC, st themes.Styles) *line {
	pool := in.Snap.Pool
	active := map[string]bool{}
	for _, s := range pool.Active {
		active[strings.ToLower(s)] = true
	}
	primary := map[string]bool{}
	for _, s := range in.Names.PrimaryServers {
		primary[strings.ToLower(s)] = true
	}
	var list []string
	if dc == PrimaryDC {
		list = in.Names.PrimaryServers
	} else {
		for _, s := range append(append([]string{}, pool.Active...), pool.Inactive...) {
			if !primary[strings.ToLower(s)] {
				list = append(list, s)
			}
		}
	}
	l := &line{st: st}
	l.muted("  PChat    ")
	if len(list) == 0 {
		l.muted("no servers known")
		return l
	}
	for k, s := range list {
		if k > 0 {
			l.muted(" · ")
		}
		name := s
		if dot := strings.IndexByte(s, '.'); dot > 0 {
			name = s[:dot]
		}
		var mark themes.Paint
		word := "○ inactive"
		mark = st.P.Muted
		switch {
		case pool.ProbedAt.IsZero():
			// The Lync host has not answered yet: whether the server is active is not known.
			word = "? unknown"
		case active[strings.ToLower(s)]:
			word, mark = "● active", st.P.Good
		}
		l.txt(name+" ").add(mark, word)
	}
	return l
}
