// Package e2e drives the real binary in a real terminal: a private tmux server, keys sent with send-keys, the
// screen read with capture-pane.
package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// term is one tmux server with one pane running the console.
type term struct {
	t    *testing.T
	sock string
	// seen is every screen captured, for tests that scan what the operator saw.
	seen strings.Builder
}

// binary builds pcfailback once per test binary run.
func binary(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the end-to-end tests (.ci/run installs it): ", err)
	}
	readSources(t)
	bin := filepath.Join(t.TempDir(), "pcfailback")
	cmd := exec.Command("go", "build", "-o", bin, "..")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

// readSources reads every file the binary is built from. The binary is built by a child process, whose reads
// go test cannot see; reading them here puts them in the test's cache key, so a changed source re-runs these tests
// instead of reusing a cached pass.
func readSources(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum") {
			_, err = os.ReadFile(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// start runs args in a fresh tmux server of w×h cells, with a clean environment for the console.
func start(t *testing.T, w, h int, env []string, args ...string) *term {
	t.Helper()
	dir := t.TempDir()
	tm := &term{t: t, sock: filepath.Join(dir, "tmux.sock")}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	// The pane keeps its last screen after the console exits, so a failure can still be read.
	shell := strings.Join(append(env, quoted...), " ") + "; echo CONSOLE-EXITED=$?; sleep 3600"
	cmd := exec.Command("tmux", "-S", tm.sock, "-f", "/dev/null", "new-session", "-d", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), shell)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tm.sock, "kill-server").Run() })
	return tm
}

// screen returns the pane's text.
func (tm *term) screen() string {
	out, err := exec.Command("tmux", "-S", tm.sock, "capture-pane", "-p", "-t", "0").Output()
	if err != nil {
		tm.t.Fatalf("capture-pane: %v", err)
	}
	tm.seen.Write(out)
	return string(out)
}

// keys sends tmux key names (Enter, Tab, Escape ...) or literal text with -l.
func (tm *term) keys(k ...string) {
	tm.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"-S", tm.sock, "send-keys", "-t", "0"}, k...)...).CombinedOutput(); err != nil {
		tm.t.Fatalf("send-keys %v: %v: %s", k, err, out)
	}
}

// text types literal text.
func (tm *term) text(s string) { tm.keys("-l", s) }

// waitMatch polls the screen until it matches re.
func (tm *term) waitMatch(re *regexp.Regexp, within time.Duration) string {
	tm.t.Helper()
	deadline := time.Now().Add(within)
	for {
		s := tm.screen()
		if re.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never matched %s; last screen:\n%s", re, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitChange polls until the screen differs from prev (a key has been handled and drawn).
func (tm *term) waitChange(prev string, within time.Duration) string {
	tm.t.Helper()
	deadline := time.Now().Add(within)
	for {
		if s := tm.screen(); s != prev {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen did not change; last screen:\n%s", prev)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor polls the screen until it contains want. Polling is how a terminal is read; the deadline only bounds a
// hang, it is not a timing assertion.
func (tm *term) waitFor(want string, within time.Duration) string {
	tm.t.Helper()
	deadline := time.Now().Add(within)
	for {
		s := tm.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never showed %q; last screen:\n%s", want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
