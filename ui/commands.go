package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/transcript"
)

type snapshotMsg struct{ snap probes.Snapshot }

type tickMsg struct{}

type stepDoneMsg struct {
	id  steps.ID
	ev  *steps.Evidence
	err error
}

// probeCmd refreshes the snapshot. The files to watch (the failback backup, the log-shipping initial backup)
// come from the plans and evidence at the time of the request.
func (m *Model) probeCmd() tea.Cmd {
	p, ctx, watch := m.opt.Prober, m.opt.Context, m.env().WatchedFiles()
	return func() tea.Msg {
		p.Watch(watch...)
		return snapshotMsg{snap: p.Refresh(ctx)}
	}
}

func (m *Model) tickCmd() tea.Cmd {
	return tea.Tick(m.opt.Refresh, func(time.Time) tea.Msg { return tickMsg{} })
}

// consoleLine writes a console event to the transcript (the log file and the pane) from a command, keeping file
// I/O out of Update.
func (m *Model) consoleLine(step string, kind transcript.Kind, text string) tea.Cmd {
	sink, line := m.opt.Sink, transcript.Line{At: m.opt.Clock.Now(), Source: "console", Step: step, Kind: kind, Text: text}
	return func() tea.Msg {
		sink.Write(line)
		return nil
	}
}

// logTransitions records instances and the Lync shell going down or coming back, once per change, not once per
// probe.
func (m *Model) logTransitions(prev probes.Snapshot) tea.Cmd {
	var lines []transcript.Line
	now := m.opt.Clock.Now()
	for _, r := range probes.Roles() {
		was, is := prev.Instance(r), m.snap.Instance(r)
		name := m.opt.Names.Instance(r).Name
		switch {
		case is.Reachable && !was.Reachable && prev.Seq > 0:
			lines = append(lines, transcript.Line{At: now, Source: name, Step: "probe", Kind: transcript.Console, Text: name + " answers again"})
		case !is.Reachable && (was.Reachable || prev.Seq == 0):
			lines = append(lines, transcript.Line{At: now, Source: name, Step: "probe", Kind: transcript.Error, Text: name + " unreachable: " + is.Err})
		case is.Err != was.Err && is.Err != "":
			lines = append(lines, transcript.Line{At: now, Source: name, Step: "probe", Kind: transcript.Warning, Text: is.Err})
		}
	}
	pw, pi := prev.Pool, m.snap.Pool
	switch {
	case !pi.Reachable && (pw.Reachable || prev.Seq == 0) && m.opt.Names.LyncHost != "":
		lines = append(lines, transcript.Line{At: now, Source: m.opt.Names.LyncHost, Step: "probe", Kind: transcript.Error, Text: "Lync shell unreachable: " + pi.Err})
	case pi.Reachable && pw.State != "" && pi.State != pw.State:
		lines = append(lines, transcript.Line{At: now, Source: m.opt.Names.LyncHost, Step: "probe", Kind: transcript.Console, Text: fmt.Sprintf("pool %s state %s → %s", pi.FQDN, pw.State, pi.State)})
	}
	if len(lines) == 0 {
		return nil
	}
	sink := m.opt.Sink
	return func() tea.Msg {
		sink.Write(lines...)
		return nil
	}
}

// verdictStyle maps the verdict to its glyph and word (never colour alone).
func verdictGlyph(k runbook.VerdictKind) string {
	switch k {
	case runbook.VerdictSafe:
		return "✓"
	case runbook.VerdictBlocked:
		return "⊘"
	case runbook.VerdictBusy:
		return "▶"
	}
	return "★"
}
