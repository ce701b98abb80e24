package checklist

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/themes"
	"pcfailback/ui/internal/fixture"
)

// items is a checklist with a step in every state the checklist shows, with the reasons the book gives.
func items() []Item {
	cat := steps.Catalog()
	ds := map[steps.ID]runbook.Display{
		steps.F0:  {Label: "done", Reason: "verified 18:00:12", Progress: 1},
		steps.F1:  {Label: "done", Reason: "verified 18:00:40", Progress: 1},
		steps.F2:  {Label: "skipped", Reason: "mirroring was removed by hand during the outage (change 4711)", Progress: -1},
		steps.F3:  {Label: "running", Reason: "full backup to the share", Progress: 0.42},
		steps.F3b: {Label: "running", Reason: "verify the backup from the backup instance", Progress: -1},
		steps.F4:  {Label: "verifying", Reason: "waiting: mgc on SQLPRIMARY is ONLINE MULTI_USER (RESTORING)", Progress: 1},
		steps.F5a: {Label: "failed", Reason: "Msg 1418, Level 16, State 1: The server network address \"TCP://sqlprimary-mir.contoso.local:5022\" can not be reached or does not exist.", Progress: -1},
		steps.F5b: {Label: "ready", Reason: "preconditions pass", Progress: -1},
		steps.F5c: {Label: "blocked", Reason: "mgc on SQLBACKUP is RESTORING (ONLINE)", Progress: -1},
	}
	var out []Item
	for _, s := range cat {
		d, ok := ds[s.ID]
		if !ok {
			d = runbook.Display{Label: "blocked", Reason: "log shipping from SQLPRIMARY is configured (no log-shipping primary)", Progress: -1}
		}
		d.ID = s.ID
		out = append(out, Item{ID: s.ID, Title: s.Title, Destructive: s.Destructive, ReadOnly: s.ReadOnly, Display: d})
	}
	return out
}

func press(m Model, keys ...string) (Model, []tea.Msg) {
	var msgs []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keyPress(k))
		if cmd != nil {
			msgs = append(msgs, cmd())
		}
	}
	return m, msgs
}

func keyPress(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

// views are the checklist states drawn as golden files.
var views = []struct {
	name  string
	w, h  int
	focus bool
	keys  []string
}{
	// Every state, the cursor on the running step with progress, as the wide layout shows the pane.
	{"states-wide", 60, 57, true, []string{"j", "j", "j"}},
	// The medium layout's pane, the cursor on the failed step: its reason wraps in the detail lines.
	{"failed-medium", 40, 17, true, []string{"G", "k", "k", "k", "k", "k", "k"}},
	// The narrow layout's full-width pane without the focus.
	{"skipped-narrow", 80, 20, false, []string{"j", "j"}},
	// Fewer rows than steps: the window follows the cursor to the end.
	{"scrolled", 56, 8, true, []string{"G"}},
}

func TestViewGolden(t *testing.T) {
	for _, v := range views {
		for _, theme := range themes.Names() {
			t.Run(fmt.Sprintf("%s/%s", v.name, theme), func(t *testing.T) {
				m := New(fixture.Styles(t, theme), DefaultKeyMap())
				m.SetSize(v.w, v.h)
				m.SetItems(items())
				m.Focus()
				m, _ = press(m, v.keys...)
				if !v.focus {
					m.Blur()
				}
				out := m.View()
				fixture.CheckBounds(t, out, v.w, v.h)
				if theme == "no-color" {
					fixture.CheckNoColor(t, out)
				}
				golden.RequireEqual(t, out)
			})
		}
	}
}
