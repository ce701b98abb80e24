package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

// fuzzKeys are the keys a fuzz input byte picks from: every key the console binds, some it does not, and two
// actions an operator takes between keys (typing the confirmation asked for, and letting a refresh go by).
var fuzzKeys = []string{
	"j", "k", "g", "G", "enter", "esc", "r", "s", "x", "y", "n", "tab", "shift+tab", "z", "?", "/", "f", "w", "d",
	"ctrl+r", "pgdown", "pgup", "space", "backspace", "up", "down", "N", "a", "1", "q", "ctrl+c",
	"<confirm>", "<refresh>", "<resize>",
}

// FuzzKeys drives the console with arbitrary key sequences at arbitrary sizes. Whatever the keys, nothing
// panics, every frame stays inside the terminal, no control character reaches it, and no destructive step runs
// without its exact confirmation having been typed.
func FuzzKeys(f *testing.F) {
	f.Add([]byte{4, 6, 32, 0, 4, 6, 32}, uint8(120), uint8(40))                                       // run F0, then F1
	f.Add([]byte{0, 0, 4, 6, 4, 31, 4, 32}, uint8(80), uint8(24))                                     // F2 before it is ready
	f.Add([]byte{11, 12, 13, 14, 5, 15, 27, 4, 26, 5, 16, 17, 18, 19, 20, 21}, uint8(100), uint8(30)) // every pane key
	f.Add([]byte{7, 4, 5, 8, 9, 33, 29}, uint8(12), uint8(5))                                         // skip, cancel, resize, quit
	f.Fuzz(fuzzKeys1)
}

// fuzzKeys1 is one FuzzKeys case.
func fuzzKeys1(t *testing.T, input []byte, w, h uint8) {
	if len(input) > 64 {
		input = input[:64]
	}
	width, height := max(1, int(w)), max(1, int(h))
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "dark", width, height)
	typed := map[steps.ID]bool{}
	for i, b := range input {
		if d.quit {
			return
		}
		switch k := fuzzKeys[int(b)%len(fuzzKeys)]; k {
		case "<confirm>":
			if p := d.m.preview; p != nil && p.Confirming() {
				step, _ := steps.Find(d.m.cat, p.ID())
				d.typeText(step.Confirmation(d.m.env()))
				typed[p.ID()] = true
			}
		case "<refresh>":
			d.tick()
		case "<resize>":
			width, height = max(1, int(input[(i+1)%len(input)])), max(1, int(input[(i+2)%len(input)])/2)
			d.send(tea.WindowSizeMsg{Width: width, Height: height})
		default:
			d.press(k)
		}
		checkFrame(t, d.m.View().Content, width, height)
	}
	for _, en := range d.m.Book().Entries() {
		if en.Step.Destructive && en.Attempts > 0 && !typed[en.Step.ID] {
			t.Fatalf("%s ran (%s) without its confirmation typed", en.Step.ID, en.Status)
		}
		if en.Status == runbook.Running && d.m.run == nil {
			t.Fatalf("%s shows running with nothing in flight", en.Step.ID)
		}
	}
}

// checkFrame fails when a frame sends the terminal anything but text and styles, or (from 4 rows up, the
// smallest the console lays out) does not fit the terminal.
func checkFrame(t *testing.T, v string, width, height int) {
	t.Helper()
	fixture.CheckNoControls(t, v)
	if height < 4 {
		return
	}
	lines := strings.Split(v, "\n")
	if len(lines) > height {
		t.Fatalf("%d rows in a %dx%d terminal", len(lines), width, height)
	}
	for _, l := range lines {
		if cw := ansi.StringWidth(l); cw > width {
			t.Fatalf("a %d-cell row in a %dx%d terminal: %q", cw, width, height, ansi.Strip(l))
		}
	}
}
