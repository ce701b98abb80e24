package ui

import "charm.land/bubbles/v2/key"

// KeyMap are the keys that work everywhere (unless a prompt or the search box has the keyboard).
type KeyMap struct {
	Help, Quit, Interrupt, NextPane, PrevPane, Zoom, Refresh, Search, Follow, Note key.Binding
}

// DefaultKeyMap returns the global keys with their help text; the help overlay is generated from it and from the
// components' key maps.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit (asks while a step runs)")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit (asks while a step runs)")),
		NextPane:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Zoom:      key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom pane")),
		Refresh:   key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "refresh now")),
		Search:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search the log")),
		Follow:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow the log")),
		Note:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add a note to the journal")),
	}
}

func (k KeyMap) short() []key.Binding {
	return []key.Binding{k.NextPane, k.Search, k.Follow, k.Zoom, k.Help, k.Quit}
}

func (k KeyMap) full() []key.Binding {
	return []key.Binding{k.Help, k.NextPane, k.PrevPane, k.Zoom, k.Refresh, k.Search, k.Follow, k.Note, k.Quit, k.Interrupt}
}
