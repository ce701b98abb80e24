package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"pcfailback/runbook"
	"pcfailback/ui/preview"
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
		state = m.st.Warn.Render(p.State)
	case p.Err != "":
		state = m.st.Bad.Render("✗ Lync shell unreachable")
	}
	refreshed := m.st.Muted.Render("probing…")
	if !m.snap.At.IsZero() {
		refreshed = m.st.Muted.Render("refreshed ") + m.st.Text.Render(m.snap.At.In(m.opt.Location).Format("15:04:05"))
	}
	left := badge.Render(m.opt.Mode.String()) + " " + m.st.Bold.Render(m.opt.Names.Environment) +
		m.st.Muted.Render(" · pool ") + m.st.Text.Render(m.opt.Names.PoolFQDN) + " " + state
	right := refreshed + m.st.Muted.Render("  ? help")
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return fit(left+" "+right, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
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
	return fit(style.Render(verdictGlyph(v.Kind)+" "+v.Text), m.width)
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
		line = m.st.Warn.Render(m.status) + m.st.Muted.Render("  │  ") + line
	}
	return fit(line, m.width)
}

// helpView is the help overlay, generated from the key maps; disabled keys stay visible, greyed, with why.
func (m *Model) helpView(h int) string {
	sections := []struct {
		title string
		binds []key.Binding
	}{
		{"Global", m.keys.full()},
		{"Checklist", flatten(m.list.FullHelp())},
		{"Log", flatten(m.log.FullHelp())},
		{"Health panels", flatten(m.health.FullHelp())},
		{"Step preview", previewHelp()},
	}
	var cols []string
	for _, s := range sections {
		lines := []string{m.st.HelpSection.Render(s.title)}
		for _, b := range s.binds {
			hb := b.Help()
			if hb.Key == "" {
				continue
			}
			if !b.Enabled() {
				lines = append(lines, m.st.HelpDisabled.Render(pad(hb.Key, 10)+hb.Desc)+m.st.Muted.Render(" (read-only)"))
				continue
			}
			lines = append(lines, m.st.HelpKey.Render(pad(hb.Key, 10))+m.st.HelpDesc.Render(hb.Desc))
		}
		cols = append(cols, strings.Join(lines, "\n"))
	}
	var rows []string
	var row []string
	width := 0
	for _, c := range cols {
		cw := lipgloss.Width(c) + 4
		if width+cw > m.width && len(row) > 0 {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, width = nil, 0
		}
		row = append(row, lipgloss.NewStyle().PaddingRight(4).Render(c))
		width += cw
	}
	rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	body := strings.Join(rows, "\n\n")
	return lipgloss.NewStyle().Width(m.width).Height(h).MaxHeight(h).Padding(0, 1).Render(body)
}

func previewHelp() []key.Binding {
	k := previewKeys()
	return []key.Binding{k.Run, k.Submit, k.Abandon, k.Down, k.Up, k.PageDown, k.PageUp, k.Close}
}

func flatten(groups [][]key.Binding) []key.Binding {
	var out []key.Binding
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func pad(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s + " "
}

func previewKeys() preview.KeyMap { return preview.DefaultKeyMap() }
