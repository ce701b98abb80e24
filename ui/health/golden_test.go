package health

import (
	"fmt"
	"sync"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"pcfailback/probes"
	"pcfailback/steps"
	"pcfailback/themes"
	"pcfailback/ui/internal/fixture"
)

// inputs are the snapshots the panels are rendered from, each read by the real prober from a simulated estate
// driven by the real executor.
var inputs = []struct {
	name  string
	build func(t *testing.T) Input
}{
	// As the failover left it: the pool on the backup data center, mirroring there, the primary rebuilt.
	{"start", func(t *testing.T) Input { return drive(t, "", nil) }},
	// The primary restored from the failback backup, mirroring and log shipping not yet rebuilt.
	{"mid", func(t *testing.T) Input { return drive(t, steps.F4, nil) }},
	// The failback complete: mirroring and log shipping from the primary, the pool Normal on it.
	{"end", func(t *testing.T) Input { return drive(t, steps.F6b, nil) }},
	// The backup pair and the Lync host stop answering: their last data stays, marked down and aged.
	{"unreachable", func(t *testing.T) Input {
		return drive(t, steps.F2, func(e *fixture.Estate, r *fixture.Run) {
			e.Down(true, probes.Backup, probes.BackupMirror)
			e.Virtual().Advance(fixture.Tick)
			r.Probe()
		})
	}},
	// Before the first probe has answered.
	{"empty", func(t *testing.T) Input {
		return Input{Names: fixture.New(t, fixture.Options{}).Names, Now: fixture.T0}
	}},
}

// driven holds the inputs of plain drives: a failback takes a while under the race detector, and the panels
// only read their input.
var driven sync.Map // steps.ID -> Input

// drive runs the failback through last ("" runs nothing), applies then, and returns the panels' input.
func drive(t *testing.T, last steps.ID, then func(*fixture.Estate, *fixture.Run)) Input {
	t.Helper()
	if then == nil {
		if in, ok := driven.Load(last); ok {
			return in.(Input)
		}
	}
	e := fixture.New(t, fixture.Options{Seed: 1})
	r := e.Start(t)
	if last != "" {
		r.Through(t, last)
	}
	if then != nil {
		then(e, r)
	}
	in := Input{Snap: r.Snap, Names: e.Names, Now: e.Clock.Now()}
	if then == nil {
		driven.Store(last, in)
	}
	return in
}

// layouts are the sizes the root gives the panels: stacked in a narrow terminal, side by side above the
// checklist and log, side by side on the left of a wide screen, stacked full-screen when zoomed.
var layouts = []struct {
	w, h    int
	stacked bool
}{
	{80, 20, true}, {100, 10, false}, {139, 31, false}, {200, 56, true},
}

func TestViewGolden(t *testing.T) {
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			input := in.build(t)
			for _, ly := range layouts {
				for _, theme := range themes.Names() {
					t.Run(fmt.Sprintf("%dx%d-%s/%s", ly.w, ly.h, map[bool]string{true: "stacked", false: "side"}[ly.stacked], theme), func(t *testing.T) {
						m := New(fixture.Styles(t, theme))
						m.SetSize(ly.w, ly.h, ly.stacked)
						m.SetInput(input)
						v := m.View()
						fixture.CheckBounds(t, v, ly.w, ly.h)
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

// TestLinesGolden renders each data center's panel at every detail level, so what each level adds is visible
// on its own.
func TestLinesGolden(t *testing.T) {
	input := drive(t, steps.F6b, nil)
	st := fixture.Styles(t, "no-color")
	for _, dc := range []DC{PrimaryDC, BackupDC} {
		for l := Tiny; l <= Full; l++ {
			t.Run(fmt.Sprintf("%s/level%d", map[DC]string{PrimaryDC: "primary", BackupDC: "backup"}[dc], l), func(t *testing.T) {
				lines := Lines(input, dc, l, st, 90)
				out := ""
				for _, line := range lines {
					out += line + "\n"
				}
				golden.RequireEqual(t, out)
			})
		}
	}
}
