package preview

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

func open(t *testing.T, c Content) *Model {
	t.Helper()
	m := New(fixture.Styles(t, "no-color"), DefaultKeyMap(), c, 120, 37)
	return &m
}

func screen(m *Model) string { return ansi.Strip(m.View()) }

// r on a step that changes nothing asks to run exactly the previewed text: its digest and its time stamp.
func TestRunNonDestructive(t *testing.T) {
	c := content(t, "", steps.F0)
	m := open(t, c)
	if got := press(m, "enter"); len(got) != 0 {
		t.Fatalf("enter in the preview sent %v: the key that opens the preview must not run it", got)
	}
	got := press(m, "r")
	if len(got) != 1 {
		t.Fatalf("r sent %v", got)
	}
	run := got[0].(RunMsg)
	if run.ID != steps.F0 || run.Digest != c.Plan.Digest || run.Digest == "" || !run.Stamp.Equal(c.Env.Stamp) || run.Typed != "" {
		t.Fatalf("run intent %+v, plan digest %s", run, c.Plan.Digest)
	}
}

// A destructive step runs only on the exact confirmation text: Enter alone and a wrong text are refused and
// say why, esc leaves without running, and the exact text (surrounding spaces aside) runs it.
func TestTypedConfirmation(t *testing.T) {
	c := content(t, steps.F1, steps.F2)
	if c.Confirm != "mgc+mgccomp@SQLBACKUP" {
		t.Fatalf("F2 confirmation %q", c.Confirm)
	}
	m := open(t, c)
	if got := press(m, "r"); len(got) != 0 || !m.Confirming() {
		t.Fatalf("r on a destructive step sent %v, confirming %v", got, m.Confirming())
	}
	if got := press(m, "enter"); len(got) != 0 {
		t.Fatalf("Enter alone sent %v", got)
	}
	if !strings.Contains(screen(m), "Enter alone never confirms") {
		t.Fatal("Enter alone is refused without saying so")
	}
	typeText(m, "MGC+MGCCOMP@SQLBACKUP")
	if got := press(m, "enter"); len(got) != 0 {
		t.Fatalf("a confirmation in another case sent %v", got)
	}
	if !strings.Contains(screen(m), "does not match mgc+mgccomp@SQLBACKUP: not run") {
		t.Fatal("a wrong text is refused without saying so")
	}
	typeText(m, "mgc+mgccomp@SQLBACKUP")
	press(m, "esc")
	if m.Confirming() || !strings.Contains(screen(m), "not run") {
		t.Fatal("esc did not leave the confirmation")
	}
	press(m, "r")
	if strings.Contains(screen(m), "mgc+mgccomp@SQLBACKUP to run: mgc") {
		t.Fatal("the confirmation reopened with the text typed before esc")
	}
	typeText(m, "  mgc+mgccomp@SQLBACKUP ")
	got := press(m, "enter")
	if len(got) != 1 {
		t.Fatalf("the exact text sent %v", got)
	}
	if run := got[0].(RunMsg); run.Typed != c.Confirm || run.Digest != c.Plan.Digest || run.ID != steps.F2 {
		t.Fatalf("run intent %+v", run)
	}
	if m.Confirming() {
		t.Fatal("the confirmation stayed open after it was given")
	}
}

// Keys typed into the confirmation are text, not commands: q, j and r do not close, scroll or run.
func TestConfirmationTakesEveryKey(t *testing.T) {
	m := open(t, content(t, steps.F1, steps.F2))
	press(m, "r")
	if got := press(m, "q", "j", "r", "k"); len(got) != 0 {
		t.Fatalf("keys in the confirmation sent %v", got)
	}
	if !strings.Contains(screen(m), "to run: qjrk") {
		t.Fatalf("typed keys are not in the input:\n%s", screen(m))
	}
}

// A new plan text (a probe changed what the step would send) abandons a confirmation in progress.
func TestChangedPlanAbandonsConfirmation(t *testing.T) {
	c := content(t, steps.F1, steps.F2)
	m := open(t, c)
	press(m, "r")
	typeText(m, "mgc+mgccomp@SQLBACK")
	changed := c
	changed.Plan.Digest = "0000"
	m.Update(changed)
	if m.Confirming() {
		t.Fatal("still confirming after the script changed")
	}
	if !strings.Contains(screen(m), "the script changed with the latest probe: read it again") {
		t.Fatal("the change is not explained")
	}
	same := changed
	m.Update(same)
	press(m, "r")
	typeText(m, "mgc+mgccomp@SQLBACKUP")
	if got := press(m, "enter"); len(got) != 1 || got[0].(RunMsg).Digest != "0000" {
		t.Fatalf("the run intent does not carry the plan now shown: %v", got)
	}
}

// r refuses, saying why, in read-only mode, on a plan that cannot be resolved, while another step runs, and
// when a precondition fails.
func TestRunRefused(t *testing.T) {
	readOnly := content(t, "", steps.F0)
	readOnly.ReadOnly = "read-only mode: this console cannot run steps"
	busy := content(t, "", steps.F0)
	busy.Busy = "F3"
	cases := []struct {
		name string
		c    Content
		want string
	}{
		{"read-only", readOnly, "read-only mode: this console cannot run steps"},
		{"unresolved", content(t, "", steps.F3b), "cannot run: F3b: no failback backup known yet"},
		{"busy", busy, "F3 is running: one step at a time"},
		{"precondition", content(t, "", steps.F2), "cannot run: the active server list is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := open(t, tc.c)
			if got := press(m, "r", "enter"); len(got) != 0 {
				t.Fatalf("r sent %v", got)
			}
			if m.Confirming() {
				t.Fatal("the confirmation opened")
			}
			if !strings.Contains(screen(m), tc.want) {
				t.Fatalf("no %q on screen:\n%s", tc.want, screen(m))
			}
		})
	}
	if strings.Contains(screen(open(t, readOnly)), "r run") {
		t.Fatal("a read-only preview offers r")
	}
}

// esc and q close the preview; j/k and the page keys scroll it, stopping at the ends.
func TestCloseAndScroll(t *testing.T) {
	m := open(t, content(t, steps.F4, steps.F5c))
	top := screen(m)
	press(m, "j")
	if screen(m) == top {
		t.Fatal("j did not scroll")
	}
	press(m, "k", "k", "k")
	if screen(m) != top {
		t.Fatal("k past the top did not stop at the top")
	}
	press(m, "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
	if !strings.Contains(screen(m), "script text sha256 "+m.c.Plan.Digest[:16]) {
		t.Fatalf("the end of the preview is not the script's digest:\n%s", screen(m))
	}
	press(m, "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup")
	if screen(m) != top {
		t.Fatal("paging up did not return to the top")
	}
	for _, k := range []string{"esc", "q"} {
		if got := press(m, k); len(got) != 1 || got[0] != (CloseMsg{}) {
			t.Fatalf("%s sent %v", k, got)
		}
	}
}

// Sizes too small for the dialog draw without panicking.
func TestTinyScreens(t *testing.T) {
	c := content(t, steps.F1, steps.F2)
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {4, 3}, {12, 5}, {30, 8}} {
		m := New(fixture.Styles(t, "dark"), DefaultKeyMap(), c, sz[0], sz[1])
		press(&m, "j", "pgdown", "r")
		typeText(&m, "mgc")
		_ = m.View()
		m.SetSize(sz[1], sz[0])
		_ = m.View()
	}
}
