package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"pcfailback/steps"
	"pcfailback/themes"
	"pcfailback/ui/internal/fixture"
)

// screens are the console states rendered as golden files, each at every size and in every theme. Each is
// reached from the keyboard on a fresh training estate.
var screens = []struct {
	name  string
	build func(d *driver)
}{
	// The first probe has answered: the estate as the failover left it, F0 ready.
	{"start", func(*driver) {}},
	// Halfway: the primary restored, the cursor on the next step, the log full of what the servers said.
	{"mid", func(d *driver) { d.through(steps.F4) }},
	// A destructive step's preview with its typed confirmation open and half typed.
	{"confirm", func(d *driver) {
		d.through(steps.F1)
		d.selectStep(steps.F2)
		d.press("enter", "r")
		d.typeText("mgc+")
	}},
	// Every step done, pool Normal on the primary data center.
	{"end", func(d *driver) { d.through(steps.F6b) }},
	// The help overlay, generated from the key maps.
	{"help", func(d *driver) { d.press("?") }},
}

var screenSizes = [][2]int{{80, 24}, {100, 30}, {120, 40}, {200, 60}}

// TestViewGolden renders each screen at every size in every theme. The state is built once per theme at the
// first size; the other sizes are reached by resizing, as a terminal does.
func TestViewGolden(t *testing.T) {
	for _, sc := range screens {
		for _, theme := range themes.Names() {
			t.Run(sc.name+"/"+theme, func(t *testing.T) {
				t.Parallel()
				e := fixture.New(t, fixture.Options{Seed: 1})
				d := newDriver(t, e, theme, screenSizes[0][0], screenSizes[0][1])
				sc.build(d)
				for _, size := range screenSizes {
					t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
						d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
						v := d.m.View()
						if !v.AltScreen {
							t.Error("the console does not use the alternate screen")
						}
						if !strings.Contains(v.WindowTitle, "TRAINING") {
							t.Errorf("window title %q does not name the mode", v.WindowTitle)
						}
						fixture.CheckBounds(t, v.Content, size[0], size[1])
						if theme == "no-color" {
							fixture.CheckNoColor(t, v.Content)
						}
						golden.RequireEqual(t, v.Content)
					})
				}
			})
		}
	}
}
