package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"pcfailback/sim"
	"pcfailback/ui/internal/fixture"
)

// everyKey is every key an operator can press: each printable character, and the named keys the key maps use.
func everyKey() []string {
	keys := []string{"enter", "esc", "tab", "shift+tab", "up", "down", "pgup", "pgdown", "space", "backspace", "ctrl+r"}
	for r := '!'; r <= '~'; r++ {
		keys = append(keys, string(r))
	}
	return keys
}

// cmdlet finds the commands a PowerShell script invokes (Verb-Noun at the start of a statement or pipeline
// element, or in a sub-expression).
var cmdlet = regexp.MustCompile(`(?m)(?:^|[|;({]\s*)([A-Za-z]+-[A-Za-z]+)\b`)

// readOnlyCmdlet says whether a command may be sent by a read-only console: any Get-*; besides those, only
// commands that act inside the remote PowerShell process itself: loading the Lync module, shaping the pipeline's
// output, and the local COM object the probe reads the share's free space through.
func readOnlyCmdlet(name string) bool {
	if strings.HasPrefix(strings.ToLower(name), "get-") {
		return true
	}
	for _, local := range []string{"Import-Module", "New-Object", "ForEach-Object", "Where-Object", "Select-Object"} {
		if strings.EqualFold(name, local) {
			return true
		}
	}
	return false
}

// Read-only mode, proven against the simulator: every key pressed on every step, in every pane, with every
// prompt answered, and the simulator saw only reads — no statement that changes anything, no cmdlet but Get-*.
func TestReadOnlyModeNeverWrites(t *testing.T) {
	e := fixture.New(t, fixture.Options{Seed: 1, ReadOnly: true})
	d := newDriver(t, e, "dark", 160, 48)
	if d.m.opt.Executor != nil {
		t.Fatal("read-only mode has an executor")
	}
	answer := func() { // whatever opened, answered as an operator trying to make something happen would
		if d.m.prompt != nil && d.m.prompt.text {
			d.typeText("because")
			d.press("enter")
		}
		if d.m.prompt != nil {
			d.press("y")
		}
		if d.m.preview != nil && d.m.preview.Confirming() {
			d.typeText("mgc@SQLPRIMARY")
			d.press("enter")
		}
	}
	for _, id := range fixture.IDs() {
		for pane := range paneCount {
			for _, k := range everyKey() {
				// Each key from the pane, then each key in the step's preview.
				d.m.setFocus(pane)
				d.m.list.Select(id)
				d.press(k)
				answer()
				d.press("esc", "esc")
				d.m.setFocus(paneChecklist)
				d.m.list.Select(id)
				d.press("enter", k)
				answer()
				d.press("esc", "esc")
			}
			d.tick()
		}
	}
	d.send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	sawSQL, sawPS := false, false
	for _, x := range e.Sim.Executed() {
		if x.Writes {
			t.Errorf("a write reached %s: %.120q", x.Target, x.Text)
		}
		if x.Kind == sim.ExecPowerShell {
			sawPS = true
			for _, m := range cmdlet.FindAllStringSubmatch(x.Text, -1) {
				if !readOnlyCmdlet(m[1]) {
					t.Errorf("cmdlet %s sent in read-only mode: %.120q", m[1], x.Text)
				}
			}
		} else {
			sawSQL = true
		}
	}
	if !sawSQL || !sawPS {
		t.Fatalf("the probes never reached the simulator (SQL %v, PowerShell %v): the test proves nothing", sawSQL, sawPS)
	}
	for _, id := range fixture.IDs() {
		if st := d.entry(id).Status; st.String() != "pending" {
			t.Errorf("%s is %s in read-only mode", id, st)
		}
	}
}
