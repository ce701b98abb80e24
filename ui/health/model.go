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
	zoomed  bool
	focused bool
	scroll  int
	// forced is the detail level the operator chose with d; -1 lets the size decide.
	forced Level
	// gen counts SetInput calls, so the cache knows the data changed.
	gen uint64
	// cache holds the rendered panels until something they depend on changes: View runs after every message,
	// and the log flood must not pay for re-rendering the panels.
	cache *viewCache
}

// New returns the panels.
func New(st themes.Styles) Model {
	return Model{st: st, keys: DefaultKeyMap(), forced: -1, cache: &viewCache{}}
}

// SetInput gives the panels new data.
func (m *Model) SetInput(in Input) { m.in, m.gen = in, m.gen+1 }

// SetSize sets the panels' outer size; stacked puts the data centers one above the other.
func (m *Model) SetSize(w, h int, stacked bool) {
	if w != m.width || h != m.height || stacked != m.stacked {
		m.width, m.height, m.stacked = w, h, stacked
	}
}

// SetZoom says the panels fill the screen: they then show full detail and scroll, rather than the richest
// level that fits.
func (m *Model) SetZoom(z bool) {
	if z != m.zoomed {
		m.zoomed = z
	}
}

// Focus gives the panels the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes it away.
func (m *Model) Blur() { m.focused = false }

// Focused reports focus.
func (m Model) Focused() bool { return m.focused }

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
	// Kept in range here, not only when drawn: View draws a copy, so a clamp there would not stick, and keys
	// pressed past the end would have to be undone one by one.
	m.scroll = min(max(m.scroll, 0), m.maxScroll())
	return m, nil
}

// level picks the richest detail whose content fits, unless the operator chose one.
func (m Model) level() Level {
	l, _, _ := m.content()
	return l
}

// content is the level shown and both panels' lines at it. Finding the level renders the panels at each level
// tried, so the lines found are kept rather than rendered again.
func (m Model) content() (Level, []string, []string) {
	w := m.colWidth()
	at := func(l Level) (Level, []string, []string) {
		return l, Lines(m.in, PrimaryDC, l, m.st, w), Lines(m.in, BackupDC, l, m.st, w)
	}
	switch {
	case m.forced >= 0:
		return at(m.forced)
	case m.zoomed:
		return at(Full)
	}
	for l := Full; l > Tiny; l-- {
		if _, left, right := at(l); m.contentHeight(left, right) <= m.bodyHeight() {
			return l, left, right
		}
	}
	return at(Tiny)
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

func (m Model) contentHeight(left, right []string) int {
	if m.stacked {
		return len(left) + len(right)
	}
	return max(len(left), len(right))
}

// View renders both panels in exactly width × height cells.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	key := m.viewKey()
	if m.cache != nil && m.cache.ok && m.cache.key == key {
		return m.cache.out
	}
	_, left, right := m.content()
	w := m.colWidth()
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
		// The right column takes what is left, so an even width is filled to the last cell like the titles.
		rcol := pad(right, m.scroll, n, m.width-w-1)
		sep := strings.TrimSuffix(strings.Repeat(m.st.Separator.Render("│")+"\n", n), "\n")
		head := title.Width(w).Render(clip("▌"+PrimaryDC.Title()+more(m.scroll, maxScroll), w)) + " " +
			title.Width(m.width-w-1).Render(clip("▌"+BackupDC.Title(), m.width-w-1))
		out = head + "\n" + lipgloss.JoinHorizontal(lipgloss.Top, lcol, sep, rcol)
	}
	if m.cache != nil {
		*m.cache = viewCache{key: key, out: out, ok: true}
	}
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
		out[i] = fitCells(out[i], w)
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
