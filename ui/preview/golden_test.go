package preview

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"pcfailback/steps"
	"pcfailback/themes"
	"pcfailback/ui/internal/fixture"
)

// dialogs are the preview states drawn as golden files.
var dialogs = []struct {
	name  string
	build func(t *testing.T) (Content, func(m *Model))
}{
	// A step that only reads, at the start: its three scripts, its checks, r to run.
	{"read-step", func(t *testing.T) (Content, func(*Model)) { return content(t, "", steps.F0), nil }},
	// A destructive step with its typed confirmation open and the target half typed.
	{"destructive-confirm", func(t *testing.T) (Content, func(*Model)) {
		return content(t, steps.F1, steps.F2), func(m *Model) {
			press(m, "r")
			typeText(m, "mgc+mgc")
		}
	}},
	// A step whose plan cannot be resolved yet (no failback backup), its preconditions failing.
	{"unresolved", func(t *testing.T) (Content, func(*Model)) { return content(t, "", steps.F3b), nil }},
	// Read-only mode after r: nothing can run, and the preview says so.
	{"read-only", func(t *testing.T) (Content, func(*Model)) {
		c := content(t, "", steps.F0)
		c.ReadOnly = "read-only mode: this console cannot run steps (it shows what each would do and whether it would be allowed)"
		return c, func(m *Model) { press(m, "r") }
	}},
	// Scrolled to the end of a long script.
	{"scrolled", func(t *testing.T) (Content, func(*Model)) {
		return content(t, steps.F4, steps.F5c), func(m *Model) { press(m, "pgdown", "pgdown", "pgdown", "j") }
	}},
}

// screens are the terminal sizes the dialog is opened in (the root gives it the screen minus header, verdict
// and footer).
var screens = [][2]int{{80, 21}, {120, 37}, {200, 57}}

func TestViewGolden(t *testing.T) {
	for _, d := range dialogs {
		t.Run(d.name, func(t *testing.T) {
			c, then := d.build(t)
			for _, sz := range screens {
				for _, theme := range themes.Names() {
					t.Run(fmt.Sprintf("%dx%d/%s", sz[0], sz[1], theme), func(t *testing.T) {
						m := New(fixture.Styles(t, theme), DefaultKeyMap(), c, sz[0], sz[1])
						if then != nil {
							then(&m)
						}
						v := m.View()
						// The dialog is at most 120 wide and sits in the screen with a margin.
						fixture.CheckBounds(t, v, min(sz[0]-2, 120), sz[1]-3)
						if theme == "no-color" {
							fixture.CheckNoColor(t, v)
						}
						golden.RequireEqual(t, v)
					})
				}
			}
		})
	}
}
