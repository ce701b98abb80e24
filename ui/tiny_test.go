package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

// Small and odd terminal sizes draw every screen without panicking and, from 4 rows up, within the terminal.
func TestSmallTerminals(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "dark", 120, 40)
	d.through(steps.F1)
	screens := map[string]func(){
		"body":    func() {},
		"zoom":    func() { d.press("z") },
		"preview": func() { d.selectStep(steps.F2); d.press("enter", "r") },
		"help":    func() { d.press("?") },
		"prompt":  func() { d.press("s") },
	}
	for name, open := range screens {
		open()
		for _, size := range [][2]int{{1, 1}, {2, 2}, {10, 3}, {12, 4}, {20, 6}, {39, 12}, {45, 8}, {99, 23}, {100, 23}, {159, 24}, {160, 24}, {300, 100}} {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size[0], size[1]), func(t *testing.T) {
				d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				v := d.m.View().Content
				if size[1] < 4 {
					return
				}
				lines := strings.Split(v, "\n")
				if len(lines) > size[1] {
					t.Errorf("%d rows in a %d-row terminal", len(lines), size[1])
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Fatalf("row %d is %d cells in a %d-column terminal: %q", i, w, size[0], ansi.Strip(l))
					}
				}
			})
		}
		d.press("esc", "esc")
		d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		if d.m.preview != nil || d.m.showHelp || d.m.prompt != nil {
			t.Fatalf("%s: still open after esc", name)
		}
		if d.m.zoom {
			d.press("z")
		}
	}
}
