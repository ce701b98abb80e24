package e2e

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// simulator runs `pcfailback sim` standalone (as a trainer does) and returns the configuration it wrote.
func simulator(t *testing.T, bin string, args ...string) (config string) {
	t.Helper()
	config, _ = simulatorIn(t, bin, args...)
	return config
}

// simulatorIn is simulator that also returns the directory of the simulator's files (its password files).
func simulatorIn(t *testing.T, bin string, args ...string) (config, dir string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "sim")
	cmd := exec.Command(bin, append([]string{"sim", "--dir", dir}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "pcfailback" && f[1] == "--config" {
			go func() { // keep draining so the simulator never blocks on its output
				for sc.Scan() {
				}
			}()
			return f[2], dir
		}
	}
	t.Fatalf("the simulator never printed its configuration: %v", sc.Err())
	return "", ""
}

// record is the part of a journal line the tests read.
type record struct {
	Kind, Step, Outcome, Reason, Detail string
	PID                                 int
}

func readJournal(t *testing.T, path string) []record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []record
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("journal line %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

// waitExit waits for a process to be gone (a hang guard bounds it).
func waitExit(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("pid %d still running", pid)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The SSH link drops (the terminal goes away: the tmux server is killed) in the middle of F4's RESTORE. The
// console must let the restore finish, verify it headless, record it and exit; a console started afterwards
// shows the journal's account, re-verified against the servers.
func TestHangupDuringRestoreFinishesIt(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	bin := binary(t)
	config, simDir := simulatorIn(t, bin, "--time-scale", "100", "--db-size-mb", "20480", "--seed", "7")
	state := t.TempDir()
	env := []string{"NO_COLOR=1", "XDG_STATE_HOME=" + state}
	logs := t.TempDir()
	args := []string{bin, "--config", config, "--log-dir", logs, "--refresh", "500ms"}
	tm := start(t, 100, 30, env, args...)
	for _, id := range []string{"F0", "F1", "F2", "F3", "F3b"} {
		tm.run(id)
		tm.waitDone(id, 3*time.Minute)
	}
	tm.run("F4")
	tm.waitFor("percent processed", 2*time.Minute) // the RESTORE is streaming its progress
	journalPath := filepath.Join(state, "pcfailback", "journal", "contoso-training-simulator.jsonl")
	recs := readJournal(t, journalPath)
	pid := 0
	for _, r := range recs {
		if r.Kind == "start" {
			pid = r.PID
		}
	}
	if pid == 0 {
		t.Fatal("no start record with the console's pid")
	}
	cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("tmux", "-S", tm.sock, "kill-server").Run(); err != nil {
		t.Fatal(err)
	}
	waitExit(t, pid, 3*time.Minute)

	recs = readJournal(t, journalPath)
	var started, ended, exited bool
	for _, r := range recs {
		switch {
		case r.Kind == "step-start" && r.Step == "F4":
			started = true
		case r.Kind == "step-end" && r.Step == "F4" && started:
			ended = r.Outcome == "done"
			if !ended {
				t.Errorf("F4 ended %s: %s", r.Outcome, r.Reason+r.Detail)
			}
		case r.Kind == "exit":
			exited = r.Reason == "hangup"
		}
	}
	if !started || !ended || !exited {
		t.Fatalf("journal: F4 started %v, ended done %v, exit on hangup %v:\n%+v", started, ended, exited, recs)
	}

	// The restore was still running when the terminal went: the console said so in its log, then verified it.
	logText := readLogs(t, logs)
	for _, want := range []string{"F4: no terminal; verifying headless before exit", "RESTORE DATABASE successfully processed"} {
		if !strings.Contains(logText, want) {
			t.Errorf("the log file lacks %q", want)
		}
	}

	// The restore really completed: the primary's mgc is online, as a fresh plan's probe shows.
	plan := exec.Command(bin, "plan", "--config", config)
	plan.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
	out, err := plan.CombinedOutput()
	if err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "SQLPRIMARY       primary         mgc ONLINE") {
		t.Errorf("after the hangup the primary's mgc is not online:\n%s", out)
	}

	// Reconnecting shows what happened: F4 done, re-verified from the journal.
	again := start(t, 100, 30, env, args...)
	again.waitFor("journal: resuming", 30*time.Second)
	again.waitDone("F4", time.Minute)
	again.keys("q")
	again.waitFor("CONSOLE-EXITED=0", 10*time.Second)

	// No secret anywhere: not in argv, the log files, the journal and its export, or on any screen.
	export := exec.Command(bin, "journal", "export", "--config", config)
	export.Env = append(os.Environ(), "XDG_STATE_HOME="+state)
	md, err := export.CombinedOutput()
	if err != nil {
		t.Fatalf("journal export: %v\n%s", err, md)
	}
	artifacts := map[string]string{
		"argv": string(cmdline), "log files": readLogs(t, logs), "journal and state": readLogs(t, state),
		"journal export": string(md), "screens": tm.seen.String() + again.seen.String(), "plan output": string(out),
	}
	for _, name := range []string{"sql.password", "winrm.password"} {
		pw, err := os.ReadFile(filepath.Join(simDir, name))
		if err != nil || len(pw) < 16 {
			t.Fatalf("%s: %v", name, err)
		}
		for what, text := range artifacts {
			if strings.Contains(text, string(pw)) {
				t.Errorf("the password of %s appears in the %s", name, what)
			}
		}
	}
	if _, err := os.Stat(journalPath); errors.Is(err, os.ErrNotExist) {
		t.Fatal("journal gone")
	}
}

// readLogs concatenates every log file under dir.
func readLogs(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		b.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// SIGTERM during a BACKUP cancels it at the server, records the cancellation and exits.
func TestTerminateCancelsTheRunningStep(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	bin := binary(t)
	config := simulator(t, bin, "--time-scale", "20", "--db-size-mb", "20480", "--seed", "7")
	state := t.TempDir()
	tm := start(t, 100, 30, []string{"NO_COLOR=1", "XDG_STATE_HOME=" + state}, bin, "--config", config, "--log-dir", t.TempDir(), "--refresh", "500ms")
	for _, id := range []string{"F0", "F1", "F2"} {
		tm.run(id)
		tm.waitDone(id, 3*time.Minute)
	}
	tm.run("F3")
	tm.waitFor("percent processed", 2*time.Minute)
	journalPath := filepath.Join(state, "pcfailback", "journal", "contoso-training-simulator.jsonl")
	pid := 0
	for _, r := range readJournal(t, journalPath) {
		if r.Kind == "start" {
			pid = r.PID
		}
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitExit(t, pid, time.Minute)
	var cancelled, terminated bool
	for _, r := range readJournal(t, journalPath) {
		cancelled = cancelled || (r.Kind == "step-end" && r.Step == "F3" && r.Outcome == "cancelled")
		terminated = terminated || (r.Kind == "exit" && r.Reason == "terminated")
	}
	if !cancelled || !terminated {
		t.Fatalf("journal: F3 cancelled %v, exit terminated %v", cancelled, terminated)
	}
	tm.waitFor("CONSOLE-EXITED=0", 10*time.Second)
}
