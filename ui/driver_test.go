package ui

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
	"pcfailback/ui/logpane"
)

// driver runs the root model without a program: it delivers each message, runs the commands Update returns in
// the order a program would start them, one at a time, and feeds the transcript to the log pane after each
// message. On a virtual clock every probe and every step finishes inside the command that starts it, so the
// screen it arrives at is the same on every run — which a golden of a real program's screen would not be (its
// commands run concurrently and log lines land in any order).
type driver struct {
	t    testing.TB
	e    *fixture.Estate
	m    Model
	quit bool
}

// waiting names the commands that wait for time to pass or for lines to arrive: the refresh timer (the driver
// moves time itself with tick), the log listener (the driver drains the sink after every message) and the
// cursor blink. They are recognised by the function that built them; the compiler may inline that function
// into its caller, which puts the caller's name in front, so only the tail is matched.
var waiting = []string{".Tick.func", ".Listen.func", ".Blink.func"}

func newDriver(t testing.TB, e *fixture.Estate, theme string, w, h int) *driver {
	t.Helper()
	d := &driver{t: t, e: e, m: New(options(t, e, theme, fixture.Tick))}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.exec(d.m.Init())
	d.drain()
	return d
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	next, cmd := d.m.Update(msg)
	d.m = next.(Model)
	d.exec(cmd)
	d.drain()
}

func (d *driver) exec(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, w := range waiting {
		if strings.Contains(name, w) {
			return
		}
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.exec(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		// tea.Sequence's message is unexported: a slice of commands, run in order.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			for i := range v.Len() {
				d.exec(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		d.send(msg)
	}
}

// drain delivers what the sink holds, as the listener would.
func (d *driver) drain() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // take what is queued, never wait
	lines, dropped, ok := d.e.Sink.Receive(ctx, logpane.MaxBatch)
	if !ok {
		return
	}
	next, _ := d.m.Update(logpane.LinesMsg{Lines: lines, Dropped: dropped})
	d.m = next.(Model)
	d.drain()
}

// press sends keys by name.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyPress(k))
	}
}

// typeText types s one character at a time.
func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// tick moves the virtual clock by a refresh interval and lets the refresh timer fire.
func (d *driver) tick() {
	d.t.Helper()
	d.e.Virtual().Advance(fixture.Tick)
	d.send(tickMsg{})
}

// entry is a step's checklist entry.
func (d *driver) entry(id steps.ID) *runbook.Entry { return d.m.Book().Entry(id) }

// display is how the checklist shows a step.
func (d *driver) display(id steps.ID) runbook.Display {
	for _, ds := range d.m.displays {
		if ds.ID == id {
			return ds
		}
	}
	d.t.Fatalf("no display for %s", id)
	return runbook.Display{}
}

// until ticks until ok holds.
func (d *driver) until(what string, ok func() bool) {
	d.t.Helper()
	for range 400 {
		if ok() {
			return
		}
		d.tick()
	}
	d.t.Fatalf("%s: not after 400 refreshes\n%s", what, plain(d.m.render()))
}

// run performs a step from the keyboard as an operator does: select it, open the preview, r, type the
// confirmation of a destructive step, then wait until the checklist shows it done.
func (d *driver) run(id steps.ID) {
	d.t.Helper()
	d.until(string(id)+" ready", func() bool { return d.display(id).Ready() })
	d.m.list.Select(id)
	d.press("enter")
	if d.m.preview == nil || d.m.preview.ID() != id {
		d.t.Fatalf("enter on %s opened no preview", id)
	}
	d.press("r")
	if want := d.m.preview; want != nil && want.Confirming() {
		step, _ := steps.Find(d.m.cat, id)
		d.typeText(step.Confirmation(d.m.env()))
		d.press("enter")
	}
	d.until(string(id)+" done", func() bool {
		if e := d.entry(id); e.Status == runbook.Failed {
			d.t.Fatalf("%s failed: %s", id, e.Reason)
		}
		return d.entry(id).Status == runbook.Done
	})
}

// through runs the steps in order up to and including last.
func (d *driver) through(last steps.ID) {
	d.t.Helper()
	for _, id := range fixture.IDs() {
		if d.entry(id).Status != runbook.Done {
			d.run(id)
		}
		if id == last {
			return
		}
	}
}

// selectStep moves the checklist cursor with the keyboard (g, then j) onto a step.
func (d *driver) selectStep(id steps.ID) {
	d.t.Helper()
	d.press("g")
	for d.m.list.Selected() != id {
		before := d.m.list.Selected()
		d.press("j")
		if d.m.list.Selected() == before {
			d.t.Fatalf("no step %s in the checklist", id)
		}
	}
}
