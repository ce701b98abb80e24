package e2e

import (
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// The connection to the primary drops in the middle of F4's RESTORE (over the wire: the simulator's TDS server
// closes the socket). F4 is failed, never done, with what the server state is now; nothing after it is unlocked;
// the journal records the failure.
func TestRestoreConnectionLost(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	bin := binary(t)
	state := t.TempDir()
	tm := start(t, 120, 40, []string{"NO_COLOR=1", "XDG_STATE_HOME=" + state}, bin, "--log-dir", t.TempDir(),
		"--time-scale", "300", "--db-size-mb", "2048", "--refresh", "500ms", "--seed", "7", "--scenario", "restore-connection-lost")
	for _, id := range []string{"F0", "F1", "F2", "F3", "F3b"} {
		tm.run(id)
		tm.waitDone(id, 3*time.Minute)
	}
	tm.run("F4")
	screen := tm.waitMatch(regexp.MustCompile(`(?mi)^[ ▸] F4\s.*✗ failed`), 2*time.Minute)
	if regexp.MustCompile(`(?m)^[ ▸] F5a\s.*ready`).MatchString(screen) {
		t.Errorf("F5a unlocked after F4 failed:\n%s", screen)
	}
	if !regexp.MustCompile(`(?i)connection`).MatchString(screen) {
		t.Errorf("the screen does not say the connection was lost:\n%s", screen)
	}
	failed := false
	for _, r := range readJournal(t, filepath.Join(state, "pcfailback", "journal", "contoso-training-simulator.jsonl")) {
		failed = failed || (r.Kind == "step-end" && r.Step == "F4" && r.Outcome == "failed")
	}
	if !failed {
		t.Error("the journal does not record F4 failed")
	}
	tm.keys("q")
	tm.waitFor("CONSOLE-EXITED=0", 10*time.Second)
}
