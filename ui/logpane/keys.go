package logpane

import "charm.land/bubbles/v2/key"

// KeyMap is the pane's key bindings. The help text on each binding feeds the help overlay and the cheat sheet.
type KeyMap struct {
	// Up and Down scroll one row; PageUp and PageDown a screenful; HalfUp and HalfDown half of one.
	Up, Down, PageUp, PageDown, HalfUp, HalfDown key.Binding
	// Top shows the oldest line; Bottom the newest, and follows.
	Top, Bottom key.Binding
	// Follow toggles following the tail; Wrap toggles wrapping long lines.
	Follow, Wrap key.Binding
	// Search opens the search prompt; Next and Prev move between matches.
	Search, Next, Prev key.Binding
	// Submit runs the search typed in the prompt; CancelSearch closes the prompt.
	Submit, CancelSearch key.Binding
}

// DefaultKeyMap returns the pane's standard keys: vi-style and arrow movement, f to follow, w to wrap, / to
// search with n/N for the next and previous match.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "scroll up")),
		Down:         key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "scroll down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		HalfUp:       key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
		HalfDown:     key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
		Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "oldest line")),
		Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "newest line, follow")),
		Follow:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow on/off")),
		Wrap:         key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wrap on/off")),
		Search:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Next:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		Prev:         key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Submit:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "find")),
		CancelSearch: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel search")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Search, k.Next, k.Prev, k.Follow, k.Wrap}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown},
		{k.HalfUp, k.HalfDown, k.Top, k.Bottom},
		{k.Follow, k.Wrap},
		{k.Search, k.Next, k.Prev},
	}
}

// ShortHelp implements help.KeyMap for the pane's current state: while the search prompt is open only enter and
// esc mean anything, and n/N are disabled until a search has found something.
func (m Model) ShortHelp() []key.Binding {
	k := m.stateKeys()
	if m.prompting {
		return []key.Binding{k.Submit, k.CancelSearch}
	}
	return k.ShortHelp()
}

// FullHelp implements help.KeyMap for the pane's current state.
func (m Model) FullHelp() [][]key.Binding {
	k := m.stateKeys()
	if m.prompting {
		return [][]key.Binding{{k.Submit, k.CancelSearch}}
	}
	return k.FullHelp()
}

func (m *Model) stateKeys() KeyMap {
	k := m.keys
	hits := m.data != nil && len(m.data.search.hits) > 0
	k.Next.SetEnabled(hits && k.Next.Enabled())
	k.Prev.SetEnabled(hits && k.Prev.Enabled())
	return k
}
