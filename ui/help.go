package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pcfailback/ui/preview"
)

// helpSection is one block of the help: its keys, and why its disabled keys are disabled.
type helpSection struct {
	title string
	binds []key.Binding
	why   string
}

// helpLines is the whole help overlay, generated from the key maps; disabled keys stay visible, greyed, with why.
// Sections are laid out left to right and wrap to a new band when the screen is too narrow.
func (m *Model) helpLines() []string {
	readOnly := ""
	if m.opt.Executor == nil {
		readOnly = "read-only"
	}
	sections := []helpSection{
		{"Global", m.keys.full(), ""},
		{"Checklist", flatten(m.list.FullHelp()), readOnly},
		{"Log", flatten(m.log.FullHelp()), "after a search"},
		{"Health panels", flatten(m.health.FullHelp()), ""},
		{"Step preview", m.previewHelp(), readOnly},
	}
	width := max(1, m.width-2) // the overlay's padding
	var cols []string
	for _, s := range sections {
		lines := []string{m.st.HelpSection.Render(s.title)}
		for _, b := range s.binds {
			hb := b.Help()
			if hb.Key == "" {
				continue
			}
			if !b.Enabled() {
				lines = append(lines, m.st.HelpDisabled.Render(pad(hb.Key, 10)+hb.Desc)+m.st.Muted.Render(" ("+s.why+")"))
				continue
			}
			lines = append(lines, m.st.HelpKey.Render(pad(hb.Key, 10))+m.st.HelpDesc.Render(hb.Desc))
		}
		cols = append(cols, strings.Join(lines, "\n"))
	}
	var bands []string
	var band []string
	used := 0
	for _, c := range cols {
		cw := lipgloss.Width(c) + 4
		if used+cw > width && len(band) > 0 {
			bands = append(bands, lipgloss.JoinHorizontal(lipgloss.Top, band...))
			band, used = nil, 0
		}
		band = append(band, lipgloss.NewStyle().PaddingRight(4).Render(c))
		used += cw
	}
	bands = append(bands, lipgloss.JoinHorizontal(lipgloss.Top, band...))
	return strings.Split(strings.Join(bands, "\n\n"), "\n")
}

// helpView is the part of the help that fits in h rows, from the operator's scroll position.
func (m *Model) helpView(h int) string {
	lines := m.helpLines()
	top := min(max(m.helpTop, 0), max(0, len(lines)-h))
	lines = lines[top:min(len(lines), top+h)]
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fit(" "+l, m.width)
	}
	return strings.Join(lines, "\n")
}

// helpOverflows reports whether the help is taller than the screen, so it scrolls.
func (m *Model) helpOverflows() bool { return len(m.helpLines()) > m.bodyHeight() }

// helpKeys scroll a help taller than the screen.
var helpKeys = struct{ Up, Down, PageUp, PageDown key.Binding }{
	Up:       key.NewBinding(key.WithKeys("k", "up")),
	Down:     key.NewBinding(key.WithKeys("j", "down")),
	PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u")),
	PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space")),
}

// onHelpKey scrolls a help taller than the screen; any other key closes it (q and ctrl+c still quit).
func (m Model) onHelpKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd, bool) {
	maxTop := max(0, len(m.helpLines())-m.bodyHeight())
	page := max(1, m.bodyHeight()-1)
	hk := helpKeys
	switch {
	case maxTop > 0 && key.Matches(k, hk.Down):
		m.helpTop = min(m.helpTop+1, maxTop)
	case maxTop > 0 && key.Matches(k, hk.Up):
		m.helpTop = max(m.helpTop-1, 0)
	case maxTop > 0 && key.Matches(k, hk.PageDown):
		m.helpTop = min(m.helpTop+page, maxTop)
	case maxTop > 0 && key.Matches(k, hk.PageUp):
		m.helpTop = max(m.helpTop-page, 0)
	default:
		m.showHelp, m.helpTop = false, 0
		return m, nil, key.Matches(k, m.keys.Quit, m.keys.Interrupt)
	}
	return m, nil, false
}

// previewHelp is the preview's keys; in read-only mode the keys that run a step are shown disabled.
func (m *Model) previewHelp() []key.Binding {
	k := preview.DefaultKeyMap()
	if m.opt.Executor == nil {
		k.Run.SetEnabled(false)
		k.Submit.SetEnabled(false)
	}
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
