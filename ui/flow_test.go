package ui

import (
	"strings"
	"testing"
	"time"

	"pcfailback/runbook"
	"pcfailback/sim"
	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

// scriptRuns counts the batches and scripts the estate received with exactly the text of one of a step's
// scripts, resolved against the console's final state.
func scriptRuns(t *testing.T, m Model, e *fixture.Estate, id steps.ID) int {
	t.Helper()
	step, _ := steps.Find(m.cat, id)
	plan, err := step.Plan(m.env())
	if err != nil {
		t.Fatalf("%s plan: %v", id, err)
	}
	n := 0
	for _, x := range e.Sim.Executed() {
		for _, s := range plan.Scripts {
			if x.Text == s.Text {
				n++
				break
			}
		}
	}
	return n
}

func writes(e *fixture.Estate) []sim.Execution {
	var out []sim.Execution
	for _, x := range e.Sim.Executed() {
		if x.Writes {
			out = append(out, x)
		}
	}
	return out
}

// Enter on a step opens its preview — the script, the preconditions — and runs nothing.
func TestProgramEnterOpensPreview(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	p := startProgram(t, e, 120, 40)
	p.press("enter")
	p.waitFor("F0  Pre-flight checks")
	p.waitFor("r run · j/k scroll · esc close")
	m := p.final()
	if m.preview == nil || m.preview.ID() != steps.F0 {
		t.Fatal("no F0 preview open at the end")
	}
	if e := m.Book().Entry(steps.F0); e.Status != runbook.Pending || e.Attempts != 0 {
		t.Fatalf("F0 is %s after %d attempts: opening the preview ran it", e.Status, e.Attempts)
	}
	if n := scriptRuns(t, m, e, steps.F0); n != 0 {
		t.Fatalf("F0's scripts reached the estate %d times", n)
	}
}

// r in the preview of a step that changes nothing runs it once a fresh probe agrees, and the step ends done.
func TestProgramRunsStep(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	p := startProgram(t, e, 120, 40)
	p.press("enter")
	p.waitFor("r run · j/k scroll · esc close")
	p.press("r")
	p.waitFor("F0 done: every postcondition holds")
	m := p.final()
	if s := m.Book().Entry(steps.F0).Status; s != runbook.Done {
		t.Fatalf("F0 is %s", s)
	}
	if m.preview != nil {
		t.Error("the preview stayed open after the step started")
	}
	if n := scriptRuns(t, m, e, steps.F0); n != 3 {
		t.Fatalf("F0's three scripts reached the estate %d times", n)
	}
	if m.list.Selected() != steps.F1 {
		t.Errorf("cursor on %s after F0 was done, want F1", m.list.Selected())
	}
}

// A destructive step needs its target typed: r opens the typed confirmation, Enter alone and a wrong text run
// nothing, esc leaves it, and only the exact text runs the step.
func TestProgramTypedConfirmation(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	r := e.Start(t)
	r.Through(t, steps.F1)
	before := len(writes(e))
	p := startProgram(t, e, 120, 40)
	p.press("j", "j", "enter")
	p.waitFor("F2  Remove mirroring on the backup databases  ⚠ DESTRUCTIVE")
	p.waitFor("r then type mgc+mgccomp@SQLBACKUP + enter to run")
	p.press("r")
	p.waitFor("type mgc+mgccomp@SQLBACKUP to run:")

	p.press("enter")
	p.waitFor("Enter alone never confirms")
	p.typeText("mgc@SQLBACKUP")
	p.press("enter")
	p.waitFor(`"mgc@SQLBACKUP" does not match mgc+mgccomp@SQLBACKUP: not run`)
	p.typeText("mgc+mgccomp@SQLBACKUP")
	p.press("esc")
	p.waitFor("r then type mgc+mgccomp@SQLBACKUP + enter to run")
	if w := writes(e); len(w) != before {
		t.Fatalf("writes before the exact text was confirmed: %+v", w[before:])
	}

	p.press("r")
	p.waitFor("type mgc+mgccomp@SQLBACKUP to run:")
	p.typeText("mgc+mgccomp@SQLBACKUP")
	p.press("enter")
	p.waitFor("F2 done: every postcondition holds")
	m := p.final()
	if s := m.Book().Entry(steps.F2).Status; s != runbook.Done {
		t.Fatalf("F2 is %s", s)
	}
	alters := 0
	for _, x := range e.Sim.Executed() {
		if strings.Contains(x.Text, "SET PARTNER OFF") {
			alters++
		}
	}
	if alters != 1 {
		t.Fatalf("SET PARTNER OFF sent %d times, want once", alters)
	}
}

// esc backs out one level at a time: the typed confirmation, then the preview; the search prompt; the help.
func TestProgramEscBacksOut(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	r := e.Start(t)
	r.Through(t, steps.F1)
	before := len(writes(e))
	p := startProgram(t, e, 120, 40)
	p.press("j", "j", "enter", "r")
	p.waitFor("type mgc+mgccomp@SQLBACKUP to run:")
	p.press("esc")
	p.waitUntil("the preview without the confirmation", func(s string) bool {
		return strings.Contains(s, "not run") && strings.Contains(s, "r then type mgc+mgccomp@SQLBACKUP") &&
			!strings.Contains(s, "to run:")
	})
	p.press("esc")
	p.waitGone("⚠ DESTRUCTIVE")
	p.waitFor("▌Checklist")

	p.press("/")
	p.waitFor("search source, step, message number, text")
	p.press("esc")
	p.waitGone("search source, step, message number, text")

	p.press("?")
	p.waitFor("Step preview")
	p.press("esc")
	p.waitGone("Step preview")

	p.press("shift+tab", "s") // the search left the focus on the log
	p.waitFor("Skip F2 — reason:")
	p.typeText("not now")
	p.press("esc")
	p.waitFor("abandoned: nothing done")
	m := p.final()
	if m.preview != nil || m.showHelp || m.log.Capturing() || m.prompt != nil {
		t.Fatalf("something still open: preview %v, help %v, search %v, prompt %v", m.preview != nil, m.showHelp, m.log.Capturing(), m.prompt != nil)
	}
	if w := writes(e); len(w) != before {
		t.Fatalf("writes after backing out: %+v", w[before:])
	}
	if s := m.Book().Entry(steps.F2).Status; s != runbook.Pending {
		t.Fatalf("F2 is %s after the skip was abandoned", s)
	}
}

// s asks for a reason; an empty one is refused; the skipped step shows its reason; s again unskips it.
func TestProgramSkipNeedsReason(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	p := startProgram(t, e, 120, 40)
	p.press("s")
	p.waitFor("Skip F0 — reason:")
	p.press("enter")
	p.waitFor("an answer is needed (esc to cancel)")
	p.typeText("checked by hand with SSMS")
	p.press("enter")
	p.waitFor("↷ skipped")
	p.waitFor("F0 skipped: checked by hand with SSMS")
	p.waitFor("F0 skipped by the operator")
	m := p.final()
	if en := m.Book().Entry(steps.F0); en.Status != runbook.Skipped || en.Reason != "checked by hand with SSMS" {
		t.Fatalf("F0 is %s with reason %q", en.Status, en.Reason)
	}

	e2 := fixture.New(t, fixture.Options{Seed: 1})
	p = startProgram(t, e2, 120, 40)
	p.press("s")
	p.waitFor("Skip F0 — reason:")
	p.typeText("x")
	p.press("enter")
	p.waitFor("↷ skipped")
	p.press("s")
	p.waitFor("F0 unskipped")
	if s := p.final().Book().Entry(steps.F0).Status; s != runbook.Pending {
		t.Fatalf("F0 is %s after s on the skipped step", s)
	}
}

// backupRunning starts a console whose F3 BACKUP is in progress and stays so: the estate's clock holds every
// sleeper, and a BACKUP paces itself by sleeping.
func backupRunning(t *testing.T) (*program, *fixture.Gate) {
	t.Helper()
	g := fixture.NewGate()
	e := fixture.New(t, fixture.Options{Seed: 1, Clock: g})
	r := e.Start(t)
	r.Through(t, steps.F2)
	g.Advance(3 * time.Minute) // the Persistent Chat servers' sessions drain
	g.Hold()
	p := startProgram(t, e, 120, 40)
	p.press("j", "j", "j", "enter")
	p.waitFor("F3  Back up mgc on the backup to the share")
	p.press("r")
	<-g.Arrived()
	p.waitFor("▶ running")
	return p, g
}

// x on the running step asks y/N; No leaves it running; yes cancels it at the server and the step ends failed.
func TestProgramCancelRunningStep(t *testing.T) {
	p, g := backupRunning(t)
	p.press("x")
	p.waitFor("Cancel F3 at the server? Its effect is then unknown until the panels show it. [y/N]")
	p.press("n")
	p.waitFor("answered No: nothing done")
	if g.Waiting() != 1 {
		t.Fatal("the BACKUP stopped after the operator answered No")
	}
	p.press("x")
	p.waitFor("Cancel F3 at the server?")
	p.press("y")
	<-g.Left()
	p.waitFor("✗ FAILED")
	p.waitFor("F3 FAILED: cancelled by the operator")
	m := p.final()
	if en := m.Book().Entry(steps.F3); en.Status != runbook.Failed || !strings.Contains(en.Reason, "cancelled by the operator") {
		t.Fatalf("F3 is %s: %s", en.Status, en.Reason)
	}
	if m.run != nil {
		t.Fatal("the console still counts F3 as running")
	}
}

// q while a step runs asks first (No keeps both running); yes cancels the step at the server and quits.
func TestProgramQuitAsksWhileRunning(t *testing.T) {
	p, g := backupRunning(t)
	p.press("q")
	p.waitFor("F3 is running. Quit and cancel it at the server? [y/N]")
	p.press("n")
	p.waitFor("answered No: nothing done")
	p.press("ctrl+c")
	p.waitFor("F3 is running. Quit and cancel it at the server? [y/N]")
	p.press("y")
	m := p.ended()
	<-g.Left() // the BACKUP was told to stop
	if s := m.Book().Entry(steps.F3).Status; s != runbook.Running && s != runbook.Failed {
		t.Fatalf("F3 is %s after quitting during its BACKUP", s)
	}
}

// q with nothing running quits at once, with no question.
func TestProgramQuitsAtOnceWhenIdle(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	p := startProgram(t, e, 120, 40)
	m := p.final()
	if m.prompt != nil {
		t.Fatalf("quitting asked %q", m.prompt.question)
	}
}

// ? shows the help generated from the key maps; in read-only mode the keys that would change the estate are
// there, greyed, saying why.
func TestProgramHelp(t *testing.T) {
	for _, readOnly := range []bool{false, true} {
		t.Run(map[bool]string{false: "training", true: "read-only"}[readOnly], func(t *testing.T) {
			e := fixture.New(t, fixture.Options{Seed: 1, ReadOnly: readOnly})
			p := startProgram(t, e, 120, 40)
			p.press("?")
			p.waitFor("Step preview")
			screen, styled := p.screen(), p.styled()
			m := New(options(t, e, "dark", refresh))
			for _, section := range [][][2]string{
				{{"?", "help"}, {"tab", "next pane"}, {"ctrl+r", "refresh now"}, {"q", "quit (asks while a step runs)"}},
				{{"enter", "preview step"}, {"s", "skip/unskip step"}, {"x", "cancel running step"}},
				{{"/", "search"}, {"w", "wrap on/off"}, {"n", "next match"}},
				{{"d", "more/less detail"}},
				{{"r", "run this step"}, {"enter", "confirm what you typed"}, {"esc", "do not run"}},
			} {
				for _, kd := range section {
					if !strings.Contains(screen, pad(kd[0], 10)+kd[1]) {
						t.Errorf("help lacks %q %q", kd[0], kd[1])
					}
				}
			}
			for _, kd := range [][2]string{{"s", "skip/unskip step"}, {"x", "cancel running step"}, {"r", "run this step"}, {"enter", "confirm what you typed"}} {
				greyed := m.st.HelpDisabled.Render(pad(kd[0], 10)+kd[1]) + m.st.Muted.Render(" (read-only)")
				if got := strings.Contains(styled, greyed); got != readOnly {
					t.Errorf("%s %q greyed as read-only: %v", kd[0], kd[1], got)
				}
			}
			if !strings.Contains(screen, "next match (after a search)") {
				t.Error("n is not shown disabled until a search")
			}
			p.press("x") // any key closes the help, and does nothing else
			p.waitGone("Step preview")
			fm := p.final()
			if fm.showHelp || fm.status != "" {
				t.Fatalf("after closing the help: help %v, status %q", fm.showHelp, fm.status)
			}
		})
	}
}

// tab and shift+tab move the focus round the panes; at 80 columns the tab bar shows which one has it.
func TestProgramTabFocus(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1})
	p := startProgram(t, e, 80, 24)
	p.waitFor("▸ Checklist")
	p.press("tab")
	p.waitFor("▸ Log")
	p.press("tab")
	p.waitFor("▸ Health")
	p.press("tab")
	p.waitFor("▸ Checklist")
	p.press("shift+tab")
	p.waitFor("▸ Health")
	p.waitFor("▌Primary data center")
	m := p.final()
	if m.focus != paneHealth || !m.health.Focused() || m.list.Focused() || m.log.Focused() {
		t.Fatalf("focus %d; health %v, checklist %v, log %v", m.focus, m.health.Focused(), m.list.Focused(), m.log.Focused())
	}
}

// / opens the log search from whichever pane has the focus.
func TestProgramSearchFromAnyPane(t *testing.T) {
	for _, tabs := range []int{0, 1, 2} {
		t.Run(paneNames[tabs], func(t *testing.T) {
			e := fixture.New(t, fixture.Options{Seed: 1})
			p := startProgram(t, e, 120, 40)
			for range tabs {
				p.press("tab")
			}
			p.press("/")
			p.waitFor("search source, step, message number, text")
			p.typeText("console")
			p.press("enter")
			p.waitFor("match 1/1")
			m := p.final()
			if m.focus != paneLog || !m.log.Focused() || m.list.Focused() || m.health.Focused() {
				t.Fatalf("focus %d after the search", m.focus)
			}
		})
	}
}

// Read-only mode: the preview says nothing can run, r runs nothing, and no key — every key of every pane and
// dialog, confirmations typed in full — sends the estate anything that writes.
func TestProgramReadOnly(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1, ReadOnly: true})
	p := startProgram(t, e, 120, 40)
	p.waitFor("READ-ONLY")
	p.press("enter")
	p.waitFor("read-only mode: this console cannot run steps")
	p.waitFor("j/k scroll · esc close")
	if strings.Contains(p.screen(), "r run") {
		t.Fatal("the read-only preview offers r to run")
	}
	p.press("r")
	p.waitFor("read-only mode: this console cannot run steps")
	p.press("esc")
	p.waitGone("esc close")

	confirm := map[steps.ID]string{steps.F2: "mgc+mgccomp@SQLBACKUP", steps.F4: "mgc@SQLPRIMARY", steps.F5a: "mgc@SQLPRIMARY-MIR", steps.F5b: "mgc@SQLBACKUP"}
	for i, id := range fixture.IDs() {
		if i > 0 {
			p.press("j")
		}
		p.press("enter", "r")
		p.typeText(confirm[id])
		p.press("enter", "y", "esc", "s", "x", "y", "esc")
	}
	for _, k := range []string{"tab", "k", "j", "g", "G", "pgup", "pgdown", "f", "w", "/", "F2", "enter", "n", "N", "esc",
		"tab", "j", "k", "d", "pgdown", "pgup", "ctrl+r", "z", "z", "?", "esc", "shift+tab", "shift+tab", "x", "y", "s", "y"} {
		p.press(k)
	}
	p.press("?")
	p.waitFor("Step preview")
	m := p.final()
	for _, en := range m.Book().Entries() {
		if en.Status != runbook.Pending || en.Attempts != 0 {
			t.Errorf("%s is %s after %d attempts in read-only mode", en.Step.ID, en.Status, en.Attempts)
		}
	}
	if w := writes(e); len(w) > 0 {
		t.Fatalf("read-only mode sent %d writes, first %q on %s", len(w), w[0].Text, w[0].Target)
	}
	if len(e.Sim.Executed()) == 0 {
		t.Fatal("the estate saw nothing at all: the probes did not run")
	}
}
