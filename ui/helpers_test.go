package ui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"pcfailback/themes"
	"pcfailback/ui/internal/fixture"
)

// logPath is the log file the footer names; fixed so goldens do not depend on the machine.
const logPath = "/var/log/pcfailback/contoso/console-20261127-180000-4242.log"

func styles(t testing.TB, theme string) themes.Styles { return fixture.Styles(t, theme) }

// options wires the console to a fixture estate the way cli/console.go wires it to the training estate: the
// estate's clock, its prober and sink, and an executor unless the estate is read-only.
func options(t testing.TB, e *fixture.Estate, theme string, refresh time.Duration) Options {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	mode := Training
	if e.Executor == nil {
		mode = ReadOnly
	}
	return Options{
		Mode: mode, Names: e.Names, Prober: e.Prober, Executor: e.Executor, Sink: e.Sink, Clock: e.Clock,
		Styles: styles(t, theme), Refresh: refresh, StaleAfter: fixture.StaleAfter,
		LogPath: logPath, Scrollback: 10000, Location: fixture.Zone, Context: ctx,
	}
}

// keyPress builds the key press a terminal sends for a key name as written in the key maps.
func keyPress(s string) tea.KeyPressMsg {
	named := map[string]tea.Key{
		"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "pgup": {Code: tea.KeyPgUp},
		"pgdown": {Code: tea.KeyPgDown}, "enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape},
		"tab": {Code: tea.KeyTab}, "shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"backspace": {Code: tea.KeyBackspace}, "space": {Code: tea.KeySpace, Text: " "},
		"ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "ctrl+r": {Code: 'r', Mod: tea.ModCtrl},
	}
	if k, ok := named[s]; ok {
		return tea.KeyPressMsg(k)
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// plain is a view without its styling.
func plain(s string) string { return ansi.Strip(s) }
