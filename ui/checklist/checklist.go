// Package checklist is the procedure as a list: every step with its live state (blocked with the reason, ready,
// running with progress, verifying, done, failed, skipped with the operator's reason). It sends intents
// (preview, skip, cancel) as messages; the root decides what they do.
package checklist

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/themes"
)

// Item is one row.
type Item struct {
	ID          steps.ID
	Title       string
	Destructive bool
	ReadOnly    bool
	Display     runbook.Display
}

// PreviewMsg asks the root to open a step's preview.
type PreviewMsg struct{ ID steps.ID }

// SkipMsg asks the root to skip (or unskip) a step.
type SkipMsg struct{ ID steps.ID }

// CancelMsg asks the root to cancel the running step.
type CancelMsg struct{ ID steps.ID }

// KeyMap are the checklist's keys.
type KeyMap struct {
	Up, Down, Top, Bottom, Preview, Skip, Cancel key.Binding
}

// DefaultKeyMap returns the checklist's keys with their help.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:      key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "previous step")),
		Down:    key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "next step")),
		Top:     key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first step")),
		Bottom:  key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last step")),
		Preview: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "preview step")),
		Skip:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "skip/unskip step")),
		Cancel:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel running step")),
	}
}

// Model is the checklist pane.
type Model struct {
	st      themes.Styles
	keys    KeyMap
	items   []Item
	cursor  int
	offset  int
	width   int
	height  int
	focused bool
}

// New returns an empty checklist.
func New(st themes.Styles, keys KeyMap) Model { return Model{st: st, keys: keys} }

// SetItems replaces the rows, keeping the cursor on the same step.
func (m *Model) SetItems(items []Item) {
	m.items = items
	m.cursor = min(m.cursor, max(0, len(items)-1))
}

// SetSize sets the pane's outer size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Focus gives the checklist the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes it away.
func (m *Model) Blur() { m.focused = false }

// Focused reports focus.
func (m Model) Focused() bool { return m.focused }

// Selected is the step under the cursor.
func (m Model) Selected() steps.ID {
	if m.cursor < len(m.items) {
		return m.items[m.cursor].ID
	}
	return ""
}

// Select moves the cursor to a step.
func (m *Model) Select(id steps.ID) {
	for i, it := range m.items {
		if it.ID == id {
			m.cursor = i
		}
	}
}

// KeyMap returns the keys (the root disables some in read-only mode).
func (m *Model) KeyMap() *KeyMap { return &m.keys }

// ShortHelp implements help.KeyMap.
func (m Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Down, m.keys.Up, m.keys.Preview, m.keys.Skip, m.keys.Cancel}
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Top, m.keys.Bottom}, {m.keys.Preview, m.keys.Skip, m.keys.Cancel}}
}

// Update moves the cursor and turns keys into intents.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.focused || len(m.items) == 0 {
		return m, nil
	}
	id := m.Selected()
	switch {
	case key.Matches(k, m.keys.Down):
		m.cursor = min(m.cursor+1, len(m.items)-1)
	case key.Matches(k, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, m.keys.Top):
		m.cursor = 0
	case key.Matches(k, m.keys.Bottom):
		m.cursor = len(m.items) - 1
	case key.Matches(k, m.keys.Preview):
		return m, func() tea.Msg { return PreviewMsg{ID: id} }
	case key.Matches(k, m.keys.Skip):
		return m, func() tea.Msg { return SkipMsg{ID: id} }
	case key.Matches(k, m.keys.Cancel):
		return m, func() tea.Msg { return CancelMsg{ID: id} }
	}
	return m, nil
}

// View renders the pane in exactly width × height cells: a title, the rows, and the selected step's reason.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	title := m.st.Title
	if m.focused {
		title = m.st.TitleFocused
	}
	done := 0
	for _, it := range m.items {
		if it.Display.Label == "done" || it.Display.Label == "skipped" {
			done++
		}
	}
	lines := []string{title.Width(m.width).Render(ansi.Truncate(fmt.Sprintf("▌Checklist %d/%d", done, len(m.items)), m.width, "…"))}
	detail := m.detail()
	rows := max(1, m.height-1-len(detail))
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = min(m.offset, max(0, len(m.items)-rows))
	for i := m.offset; i < len(m.items) && i < m.offset+rows; i++ {
		lines = append(lines, m.row(i))
	}
	for len(lines) < m.height-len(detail) {
		lines = append(lines, "")
	}
	lines = append(lines, detail...)
	for i, l := range lines {
		lines[i] = lipgloss.NewStyle().Width(m.width).MaxWidth(m.width).Render(l)
	}
	return strings.Join(lines[:min(len(lines), m.height)], "\n")
}

// state renders a step's state with its glyph and word, never colour alone.
func (m Model) state(d runbook.Display) string {
	switch d.Label {
	case "blocked":
		return m.st.Warn.Render("⊘ blocked")
	case "ready":
		return m.st.Accent.Render("○ ready")
	case "running":
		if d.Progress >= 0 {
			return m.st.Info.Render("▶ " + bar(d.Progress, 8) + fmt.Sprintf(" %3d%%", int(d.Progress*100)))
		}
		return m.st.Info.Render("▶ running")
	case "verifying":
		return m.st.Info.Render("… verifying")
	case "done":
		return m.st.Good.Render("✓ done")
	case "failed":
		return m.st.Bad.Render("✗ FAILED")
	case "skipped":
		return m.st.Muted.Render("↷ skipped")
	}
	return d.Label
}

func bar(p float64, w int) string {
	n := int(p*float64(w) + 0.5)
	n = min(max(n, 0), w)
	return strings.Repeat("█", n) + strings.Repeat("░", w-n)
}

func (m Model) row(i int) string {
	it := m.items[i]
	cursor := "  "
	if i == m.cursor {
		cursor = "▸ "
	}
	mark := " "
	if it.Destructive {
		mark = m.st.Warn.Render("!")
	}
	state := m.state(it.Display)
	id := fmt.Sprintf("%-4s", it.ID)
	room := m.width - lipgloss.Width(cursor) - 5 - 1 - lipgloss.Width(state) - 1
	title := ansi.Truncate(it.Title, max(room, 0), "…")
	gap := max(1, m.width-lipgloss.Width(cursor)-5-1-lipgloss.Width(title)-lipgloss.Width(state))
	left := cursor + id + mark + " " + title
	if i == m.cursor && m.focused {
		left = m.st.Selected.Render(left)
	} else if i == m.cursor {
		left = m.st.Bold.Render(left)
	}
	return left + strings.Repeat(" ", gap) + state
}

// detail is the selected step's reason, wrapped, at most three lines.
func (m Model) detail() []string {
	if len(m.items) == 0 || m.height < 6 {
		return nil
	}
	it := m.items[m.cursor]
	text := fmt.Sprintf("%s %s: %s", it.ID, it.Display.Label, it.Display.Reason)
	wrapped := strings.Split(ansi.Wrap(text, m.width, " "), "\n")
	if len(wrapped) > 3 {
		wrapped = wrapped[:3]
		wrapped[2] = ansi.Truncate(wrapped[2], m.width-1, "") + "…"
	}
	out := []string{m.st.Separator.Render(strings.Repeat("─", m.width))}
	for _, l := range wrapped {
		out = append(out, m.st.Muted.Render(l))
	}
	return out
}
