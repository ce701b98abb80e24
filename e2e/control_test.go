package e2e

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Two consoles against one estate, from two "jump hosts" (separate state directories, so nothing local is
// shared): the second starts read-only and names the holder; once the first is killed (-9), a third takes
// control.
func TestOneOperatorAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	bin := binary(t)
	config := simulator(t, bin, "--seed", "7")
	console := func(state string) *term {
		return start(t, 120, 30, []string{"NO_COLOR=1", "XDG_STATE_HOME=" + state}, bin, "--config", config, "--log-dir", t.TempDir())
	}
	stateA := t.TempDir()
	a := console(stateA)
	a.waitFor("safe to run F0", 30*time.Second)
	b := console(t.TempDir())
	screen := b.waitFor("READ-ONLY: control held by", 30*time.Second)
	if !contains(screen, "READ-ONLY") {
		t.Fatalf("the second console is not read-only:\n%s", screen)
	}
	b.keys("q")
	b.waitFor("CONSOLE-EXITED=0", 10*time.Second)

	pid := 0
	for _, r := range readJournal(t, filepath.Join(stateA, "pcfailback", "journal", "contoso-training-simulator.jsonl")) {
		if r.Kind == "start" {
			pid = r.PID
		}
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitExit(t, pid, 30*time.Second)
	c := console(t.TempDir())
	c.waitFor("safe to run F0", 30*time.Second)
	if s := c.screen(); contains(s, "READ-ONLY") {
		t.Fatalf("a crashed holder still blocks:\n%s", s)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
