package health

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"pcfailback/themes"
)

// KeyMap are the panel's keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Detail key.Binding
}

// DefaultKeyMap returns the panel's keys with their help.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Detail:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "more/less detail")),
	}
}

// Model is the two data-center panels, side by side or stacked.
type Model struct {
	st      themes.Styles
	keys    KeyMap
	in      Input
	width   int
	height  int
	stacked bool
	focused bool
	scroll  int
	// forced is the detail level the operator chose with d; -1 lets the size decide.
	forced Level
	// cache holds the rendered body until the input or size changes: View runs after every message, and the
	// log flood must not pay for re-rendering the panels.
	cache string
}

// New returns the panels.
func New(st themes.Styles) Model { return Model{st: st, keys: DefaultKeyMap(), forced: -1} }

// SetInput gives the panels new data.
func (m *Model) SetInput(in Input) { m.in, m.cache = in, "" }

// SetSize sets the panels' outer size; stacked puts the data centers one above the other.
func (m *Model) SetSize(w, h int, stacked bool) {
	if w != m.width || h != m.height || stacked != m.stacked {
		m.width, m.height, m.stacked, m.cache = w, h, stacked, ""
	}
}

// Focus gives the panels the keyboard.
func (m *Model) Focus() { m.focused, m.cache = true, "" }

// Blur takes it away.
func (m *Model) Blur() { m.focused, m.cache = false, "" }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Down, m.keys.Up, m.keys.Detail} }

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Detail}}
}

// Update handles scrolling keys when focused.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.focused {
		return m, nil
	}
	switch {
	case key.Matches(k, m.keys.Down):
		m.scroll++
	case key.Matches(k, m.keys.Up):
		m.scroll--
	case key.Matches(k, m.keys.PageDown):
		m.scroll += m.height - 1
	case key.Matches(k, m.keys.PageUp):
		m.scroll -= m.height - 1
	case key.Matches(k, m.keys.Detail):
		m.forced = (m.level() + 1) % (Full + 1)
	default:
		return m, nil
	}
	m.cache = ""
	return m, nil
}

// level picks the richest detail whose content fits, unless the operator chose one.
func (m Model) level() Level {
	if m.forced >= 0 {
		return m.forced
	}
	for l := Full; l > Tiny; l-- {
		if m.contentHeight(l) <= m.bodyHeight() {
			return l
		}
	}
	return Tiny
}

func (m Model) colWidth() int {
	if m.stacked {
		return m.width
	}
	return (m.width - 1) / 2
}

func (m Model) bodyHeight() int {
	if m.stacked {
		return m.height - 2
	}
	return m.height - 1
}

func (m Model) contentHeight(l Level) int {
	a := len(Lines(m.in, PrimaryDC, l, m.st, m.colWidth()))
	b := len(Lines(m.in, BackupDC, l, m.st, m.colWidth()))
	if m.stacked {
		return a + b
	}
	return max(a, b)
}

// View renders both panels in exactly width × height cells.
func (m *Model) View() string {
	if m.cache != "" {
		return m.cache
	}
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	l := m.level()
	w := m.colWidth()
	left := Lines(m.in, PrimaryDC, l, m.st, w)
	right := Lines(m.in, BackupDC, l, m.st, w)
	title := m.st.Title
	if m.focused {
		title = m.st.TitleFocused
	}
	var out string
	if m.stacked {
		body := append([]string{title.Width(w).Render(clip("▌"+PrimaryDC.Title(), w))}, left...)
		body = append(body, title.Width(w).Render(clip("▌"+BackupDC.Title(), w)))
		body = append(body, right...)
		out = m.window(body, m.height)
	} else {
		n := m.bodyHeight()
		maxScroll := max(0, max(len(left), len(right))-n)
		m.scroll = min(max(m.scroll, 0), maxScroll)
		lcol := pad(left, m.scroll, n, w)
		rcol := pad(right, m.scroll, n, w)
		sep := strings.TrimSuffix(strings.Repeat(m.st.Separator.Render("│")+"\n", n), "\n")
		head := title.Width(w).Render(clip("▌"+PrimaryDC.Title()+more(m.scroll, maxScroll), w)) + " " +
			title.Width(m.width-w-1).Render(clip("▌"+BackupDC.Title(), m.width-w-1))
		out = head + "\n" + lipgloss.JoinHorizontal(lipgloss.Top, lcol, sep, rcol)
	}
	m.cache = out
	return out
}

// window scrolls a stacked body to fit height.
func (m *Model) window(lines []string, height int) string {
	maxScroll := max(0, len(lines)-height)
	m.scroll = min(max(m.scroll, 0), maxScroll)
	return pad(lines, m.scroll, height, m.width)
}

func pad(lines []string, from, n, w int) string {
	out := make([]string, n)
	for i := range out {
		if from+i < len(lines) {
			out[i] = lines[from+i]
		}
		out[i] = lipgloss.NewStyle().Width(w).MaxWidth(w).Render(out[i])
	}
	return strings.Join(out, "\n")
}

func more(scroll, maxScroll int) string {
	switch {
	case maxScroll == 0:
		return ""
	case scroll < maxScroll:
		return " ↓ more"
	}
	return " ↑"
}

func clip(s string, w int) string {
	if lipgloss.Width(s) > w {
		r := []rune(s)
		for len(r) > 0 && lipgloss.Width(string(r)) > w-1 {
			r = r[:len(r)-1]
		}
		return string(r) + "…"
	}
	return s
}
