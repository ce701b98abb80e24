package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pcfailback/runbook"
	"pcfailback/transcript"
)

// header: mode badge, environment, pool and its state, last refresh.
func (m *Model) header() string {
	badge := m.st.ModeTraining
	switch m.opt.Mode {
	case Live:
		badge = m.st.ModeLive
	case ReadOnly:
		badge = m.st.ModeReadOnly
	}
	p := m.snap.Pool
	state := m.st.Muted.Render("state ?")
	switch {
	case p.Reachable && p.State == "Normal":
		state = m.st.Good.Render(p.State)
	case p.Reachable:
		state = m.st.Warn.Render(transcript.Escape(p.State))
	case p.Err != "":
		state = m.st.Bad.Render("✗ Lync shell unreachable")
	}
	refreshed := m.st.Muted.Render("probing…")
	if !m.snap.At.IsZero() {
		refreshed = m.st.Muted.Render("refreshed ") + m.st.Text.Render(m.snap.At.In(m.opt.Location).Format("15:04:05"))
	}
	left := badge.Render(m.opt.Mode.String()) + " " + m.st.Bold.Render(transcript.Escape(m.opt.Names.Environment)) +
		m.st.Muted.Render(" · pool ") + m.st.Text.Render(transcript.Escape(m.opt.Names.PoolFQDN)) + " " + state
	right := refreshed + m.st.Muted.Render("  ? help")
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return fit(left+" "+right, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// bannerLine shows the run's standing warnings, escaped (they quote configuration and server text).
func (m *Model) bannerLine() string {
	return fit(m.st.Bad.Render("⚠ "+transcript.Escape(strings.Join(m.opt.Banner, " · "))), m.width)
}

// NoticeMsg is a standing warning that arrives while the console runs (control of the estate was lost): it joins
// the banner for the rest of the run and goes into the log.
type NoticeMsg struct{ Text string }

func (m Model) onNotice(msg NoticeMsg) (tea.Model, tea.Cmd) {
	m.opt.Banner = append(append([]string(nil), msg.Text), m.opt.Banner...)
	m.layout()
	return m, m.consoleLine("", transcript.Error, msg.Text)
}

// verdictLine is the one-line verdict with its glyph.
func (m *Model) verdictLine() string {
	v := m.verdict
	style := m.st.Good
	switch v.Kind {
	case runbook.VerdictBlocked:
		style = m.st.Warn
	case runbook.VerdictBusy:
		style = m.st.Info
	}
	// The verdict quotes checks, which quote servers: escaped, like everything from them.
	return fit(style.Render(verdictGlyph(v.Kind)+" "+transcript.Escape(v.Text)), m.width)
}

// footer shows the prompt, a status message, or the keys that work now.
func (m *Model) footer() string {
	if m.prompt != nil {
		if m.prompt.text {
			return fit(m.st.Warn.Render(m.prompt.input.View()), m.width)
		}
		return fit(m.st.Warn.Render(m.prompt.question), m.width)
	}
	var binds []key.Binding
	switch {
	case m.showHelp && m.helpOverflows():
		return fit(m.st.HelpKey.Render("↓/j ↑/k pgdn pgup")+m.st.Muted.Render(" scroll · any other key closes the help"), m.width)
	case m.showHelp:
		return fit(m.st.Muted.Render("any key closes the help"), m.width)
	case m.preview != nil:
		binds = nil
	case m.focus == paneChecklist:
		binds = m.list.ShortHelp()
	case m.focus == paneLog:
		binds = m.log.ShortHelp()
	case m.focus == paneHealth:
		binds = m.health.ShortHelp()
	}
	binds = append(binds, m.keys.short()...)
	var parts []string
	for _, b := range binds {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		parts = append(parts, m.st.HelpKey.Render(h.Key)+" "+m.st.Muted.Render(h.Desc))
	}
	line := strings.Join(parts, m.st.Muted.Render(" · "))
	if m.status != "" {
		line = m.st.Warn.Render(transcript.Escape(m.status)) + m.st.Muted.Render("  │  ") + line
	}
	return fit(line, m.width)
}
