package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
	"pcfailback/ui/logpane"
	"pcfailback/ui/preview"
)

// confirm hands the console a confirmed run of the plan its preview would show now, without running the
// commands the confirmation returns (the probe it asks for is delivered by the test).
func confirm(d *driver, id steps.ID, digest string) {
	d.t.Helper()
	next, _ := d.m.Update(preview.RunMsg{ID: id, Digest: digest, Stamp: d.e.Clock.Now()})
	d.m = next.(Model)
}

func planOf(d *driver, id steps.ID) steps.Plan {
	d.t.Helper()
	step, _ := steps.Find(d.m.cat, id)
	plan, err := step.Plan(d.m.env())
	if err != nil {
		d.t.Fatalf("%s plan: %v", id, err)
	}
	return plan
}

// A confirmed run waits for a probe that started after the confirmation: a snapshot already known, or one
// whose probe was under way, does not count.
func TestRunWaitsForFreshProbe(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "no-color", 120, 40)
	confirm(d, steps.F0, planOf(d, steps.F0).Digest)
	if d.m.pending == nil {
		t.Fatal("the confirmation was not kept for the fresh probe")
	}
	d.send(snapshotMsg{snap: d.m.snap})
	if got := d.entry(steps.F0).Attempts; got != 0 || d.m.pending == nil {
		t.Fatalf("F0 started on the snapshot it was confirmed against (attempts %d)", got)
	}
	d.send(snapshotMsg{snap: e.Prober.Refresh(context.Background())})
	if d.m.pending != nil || d.entry(steps.F0).Attempts != 1 {
		t.Fatal("F0 did not start on the fresh probe")
	}
	d.until("F0 done", func() bool { return d.entry(steps.F0).Status == runbook.Done })
}

// The fresh probe re-checks the run: a plan whose text changed, or a precondition that no longer holds, is
// refused with the reason, and nothing is sent.
func TestRunRecheckedOnFreshProbe(t *testing.T) {
	t.Run("plan changed", func(t *testing.T) {
		e := fixture.New(t, fixture.Options{Seed: 1})
		d := newDriver(t, e, "no-color", 120, 40)
		confirm(d, steps.F0, "a digest of some other text")
		d.send(snapshotMsg{snap: e.Prober.Refresh(context.Background())})
		if d.entry(steps.F0).Attempts != 0 {
			t.Fatal("F0 ran a plan other than the one confirmed")
		}
		if !strings.Contains(d.m.status, "F0 not run: the script changed with the latest probe") {
			t.Fatalf("status %q", d.m.status)
		}
	})
	t.Run("precondition", func(t *testing.T) {
		e := fixture.New(t, fixture.Options{Seed: 1})
		r := e.Start(t)
		r.Through(t, steps.F1)
		d := newDriver(t, e, "no-color", 120, 40)
		before := len(writes(e))
		confirm(d, steps.F2, planOf(d, steps.F2).Digest)
		e.Down(false, probes.Backup)
		d.send(snapshotMsg{snap: e.Prober.Refresh(context.Background())})
		if d.entry(steps.F2).Attempts != 0 || len(writes(e)) != before {
			t.Fatal("F2 ran with its target unreachable")
		}
		if !strings.Contains(d.m.status, "F2 not run: precondition failed on the fresh probe: SQLBACKUP answers its health probe") {
			t.Fatalf("status %q", d.m.status)
		}
		if !strings.Contains(plain(d.m.render()), "F2 not run: precondition failed") {
			t.Fatal("the refusal is not on screen")
		}
	})
}

// Until the first probe answers, a refresh waits for it instead of probing alongside it.
func TestFirstProbeCountsAsInFlight(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	m := New(options(t, e, "dark", fixture.Tick))
	next, _ := m.Update(tickMsg{})
	if m := next.(Model); !m.probeAgain {
		t.Fatal("a refresh before the first probe answered started a second probe")
	}
}

// A log file that cannot be written is shown in the log pane.
func TestLogFileErrorShown(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "no-color", 120, 40)
	next, _ := d.m.Update(logpane.LinesMsg{Err: errors.New("write console.log: no space left on device")})
	d.m = next.(Model)
	if !strings.Contains(plain(d.m.render()), "✗ ERROR log file: write console.log: no space left on device") {
		t.Fatalf("the log file error is not shown:\n%s", plain(d.m.render()))
	}
}

// A help taller than the screen scrolls with j/k and the page keys; any other key closes it, and q quits.
func TestHelpScrolls(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "no-color", 80, 24)
	d.press("?")
	if !d.m.showHelp || !d.m.helpOverflows() {
		t.Fatal("at 80x24 the help should be open and taller than the screen")
	}
	if strings.Contains(plain(d.m.render()), "Step preview") {
		t.Fatal("the last section is on the first page: nothing to scroll to")
	}
	d.press("space", "space", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j")
	screen := plain(d.m.render())
	if !strings.Contains(screen, "Step preview") || !strings.Contains(screen, "confirm what you typed") {
		t.Fatalf("scrolled to the end, the preview's keys are not shown:\n%s", screen)
	}
	if !strings.Contains(screen, "any other key closes the help") {
		t.Fatal("the footer does not say how to scroll and close")
	}
	d.press("k")
	if !d.m.showHelp {
		t.Fatal("k closed the help instead of scrolling")
	}
	d.press("x")
	if d.m.showHelp || d.quit {
		t.Fatal("x did not just close the help")
	}
	if d.m.status != "" {
		t.Fatalf("the key that closed the help also acted: %q", d.m.status)
	}
	d.press("?", "q")
	if !d.quit {
		t.Fatal("q in the help did not quit")
	}
}

// z zooms the focused pane to the whole body and back; tab moves the zoom with the focus.
func TestZoom(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "no-color", 120, 40)
	d.press("z")
	screen := plain(d.m.render())
	if strings.Contains(screen, "Primary data center") || !strings.Contains(screen, "▌Checklist") {
		t.Fatalf("zoomed checklist:\n%s", screen)
	}
	d.press("tab", "tab")
	screen = plain(d.m.render())
	if !strings.Contains(screen, "▌Primary data center") || !strings.Contains(screen, "▌Backup data center") || strings.Contains(screen, "▌Checklist") {
		t.Fatalf("zoomed health:\n%s", screen)
	}
	d.press("z")
	screen = plain(d.m.render())
	if !strings.Contains(screen, "▌Checklist") || !strings.Contains(screen, "Primary data center") {
		t.Fatalf("unzoomed:\n%s", screen)
	}
}

// x on a step that is not running says so, and asks nothing.
func TestCancelIdleStep(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "no-color", 120, 40)
	d.press("x")
	if d.m.prompt != nil || d.m.status != "F0 is not running" {
		t.Fatalf("prompt %v, status %q", d.m.prompt != nil, d.m.status)
	}
}

// Window size changes before and after the first frame lay every pane out again.
func TestResize(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "no-color", 200, 60)
	for _, size := range screenSizes {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		fixture.CheckBounds(t, d.m.View().Content, size[0], size[1])
	}
}

// The help lists every key of every key map — global, checklist, log, panels, preview — with its description.
func TestHelpListsEveryKey(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	d := newDriver(t, e, "no-color", 200, 60)
	help := plain(strings.Join(d.m.helpLines(), "\n"))
	var all []key.Binding
	all = append(all, d.m.keys.full()...)
	all = append(all, flatten(d.m.list.FullHelp())...)
	all = append(all, flatten(d.m.log.FullHelp())...)
	all = append(all, flatten(d.m.health.FullHelp())...)
	all = append(all, d.m.previewHelp()...)
	for _, b := range all {
		h := b.Help()
		if !strings.Contains(help, pad(h.Key, 10)+h.Desc) {
			t.Errorf("the help lacks %q %q", h.Key, h.Desc)
		}
	}
}
