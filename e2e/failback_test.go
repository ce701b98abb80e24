package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCompleteFailback performs the whole training failback from the keyboard at 100×30, typed confirmations
// included, then reads the target state off the health panels.
func TestCompleteFailback(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: runs the binary for about a minute")
	}
	bin := binary(t)
	logs := t.TempDir()
	tm := start(t, 100, 30, []string{"NO_COLOR=1", "XDG_STATE_HOME=" + t.TempDir()}, bin, "--log-dir", logs, "--time-scale", "300", "--db-size-mb", "2048", "--refresh", "500ms", "--seed", "7")
	tm.waitFor("safe to run F0", 30*time.Second)

	for _, id := range []string{"F0", "F1", "F2", "F3", "F3b", "F4", "F5a", "F5b", "F5c", "F5d", "F5e", "F6a", "F6b"} {
		tm.run(id)
		// The checklist row shows the step done only once its postconditions held on a fresh probe.
		tm.waitDone(id, 3*time.Minute)
	}
	tm.waitFor("failback complete", 30*time.Second)

	// Zoom the health panels (stacked, full width, full detail) and read both data centers.
	tm.keys("Tab", "Tab", "z")
	screen := tm.waitFor("Agent Running as", 10*time.Second) // full detail: the zoom is drawn
	// Page down until the end of the panels is on screen; each page is read once it has been drawn.
	for page := tm.screen(); !strings.Contains(page, "pc03 "); {
		tm.keys("PageDown")
		page = tm.waitChange(page, 10*time.Second)
		screen += page
	}
	header := strings.SplitN(screen, "\n", 2)[0]
	if !strings.Contains(header, "pool pchat.contoso.local Normal") {
		t.Errorf("header does not show the pool Normal: %q", header)
	}
	primary, backup := sections(screen)
	want := []struct {
		where, text string
		re          string
	}{
		{"primary", primary, `SQLPRIMARY primary ✓ up`},
		{"primary", primary, `(?m)^  mgc +ONLINE FULL MULTI_USER · PRINCIPAL`},
		{"primary", primary, `pc01 ● active · pc02 ● active`},
		{"backup", backup, `(?m)^SQLBACKUP backup ✓ up`},
		{"backup", backup, `(?m)^  mgc +RESTORING FULL MULTI_USER · not mirrored`},
		{"backup", backup, `(?m)^  mgccomp +ONLINE FULL MULTI_USER · not mirrored`},
		{"backup", backup, `LS +secondary ← SQLPRIMARY`},
		{"backup", backup, `LSCopy_SQLPRIMARY_mgc \S+ · ✓ Succeeded`},
		{"backup", backup, `LSRestore_SQLPRIMARY_mgc \S+ · ✓ Succeeded`},
		{"backup", backup, `pc03 ○ inactive · pc04 ○ inactive`},
	}
	for _, w := range want {
		if !regexp.MustCompile(w.re).MatchString(w.text) {
			t.Errorf("%s data center panel lacks %q:\n%s", w.where, w.re, w.text)
		}
	}
	if strings.Contains(backup, "PRINCIPAL") || strings.Contains(backup, "MIRROR ") {
		t.Errorf("mirroring left on the backup databases:\n%s", backup)
	}
	tm.keys("q")
	tm.waitFor("CONSOLE-EXITED=0", 10*time.Second)
}

// confirmations are what each destructive step asks the operator to type.
var confirmations = map[string]string{
	"F2": "mgc+mgccomp@SQLBACKUP", "F4": "mgc@SQLPRIMARY", "F5a": "mgc@SQLPRIMARY-MIR", "F5b": "mgc@SQLBACKUP",
}

// run waits until the verdict offers the step, opens its preview and runs it, typing the confirmation of a
// destructive step (after checking that Enter alone does not confirm).
func (tm *term) run(id string) {
	tm.t.Helper()
	tm.waitFor("safe to run "+id+" ", 2*time.Minute)
	tm.keys("Enter")
	tm.waitFor("esc close", 10*time.Second)
	tm.keys("r")
	if target, ok := confirmations[id]; ok {
		tm.waitFor("type "+target+" to run", 10*time.Second)
		tm.keys("Enter")
		tm.waitFor("Enter alone never confirms", 10*time.Second)
		tm.text(target)
		tm.keys("Enter")
	}
}

// waitDone waits for the checklist row of id to show done.
func (tm *term) waitDone(id string, within time.Duration) {
	tm.t.Helper()
	tm.waitMatch(regexp.MustCompile(`(?m)^[ ▸] `+id+`\s.*✓ done`), within)
}

// sections splits captured screens into the primary and backup data center panel text.
func sections(screen string) (primary, backup string) {
	var cur *strings.Builder
	var p, b strings.Builder
	for _, line := range strings.Split(screen, "\n") {
		switch {
		case strings.Contains(line, "Primary data center"):
			cur = &p
		case strings.Contains(line, "Backup data center"):
			cur = &b
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	return p.String(), b.String()
}
