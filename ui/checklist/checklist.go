// Package checklist is the procedure as a list: every step with its live state (blocked with the reason, ready,
// running with progress, verifying, done, failed, skipped with the operator's reason). It sends intents
// (preview, skip, cancel) as messages; the root decides what they do.
package checklist

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

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
	// gen counts SetItems calls, so the cache knows the rows changed.
	gen uint64
	// cache holds the rendered pane, shared by every copy of the Model: the root draws a copy, and a cache kept
	// in the copy would be dropped after every frame.
	cache *viewCache
}

// New returns an empty checklist.
func New(st themes.Styles, keys KeyMap) Model { return Model{st: st, keys: keys, cache: &viewCache{}} }

// SetItems replaces the rows, keeping the cursor on the same step.
func (m *Model) SetItems(items []Item) {
	m.items, m.gen = items, m.gen+1
	m.cursor = min(m.cursor, max(0, len(items)-1))
	m.scrollToCursor()
}

// SetSize sets the pane's outer size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.scrollToCursor()
}

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
	m.scrollToCursor()
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
	m.scrollToCursor()
	return m, nil
}
