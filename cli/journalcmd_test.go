package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"pcfailback/journal"
)

// stateHome points $XDG_STATE_HOME (and an empty $XDG_CONFIG_HOME) at fresh directories for one test.
func stateHome(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	return dir
}

// seedJournal writes a short journal for environment under the state directory and returns its path.
func seedJournal(t *testing.T, state, environment string) string {
	t.Helper()
	path := journal.PathFor(state, environment)
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	start := journal.NewStart()
	start.Environment, start.Mode = environment, journal.ModeTraining
	for _, r := range []journal.Record{start,
		{Kind: journal.KindNote, Text: "bridge open | DBA on call"},
		{Kind: journal.KindSkip, Step: "F5e", Reason: "no mirror"},
		{Kind: journal.KindExit, Reason: journal.ExitQuit}} {
		if _, err := j.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestJournalVerifyFindsTheTrainingJournal(t *testing.T) {
	state := stateHome(t)
	path := seedJournal(t, state, "Contoso (training simulator)")
	code, out, errOut := run(t, "journal", "verify")
	if code != 0 || !strings.Contains(out, path) || !strings.Contains(out, "4 records") || !strings.Contains(out, "chain intact") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestJournalVerifyExits1OnADamagedJournal(t *testing.T) {
	state := stateHome(t)
	path := seedJournal(t, state, "Contoso (training simulator)")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ls := strings.SplitAfter(string(data), "\n")
	if err := os.WriteFile(path, []byte(ls[0]+ls[2]), 0o600); err != nil { // line 2 deleted, 4 cut off
		t.Fatal(err)
	}
	code, out, _ := run(t, "journal", "verify", "--file", path)
	if code != 1 || !strings.Contains(out, "chain broken") || !strings.Contains(out, "line 2 (seq 3)") || !strings.Contains(out, "truncated") {
		t.Fatalf("exit %d, want 1 naming line 2 and the truncation:\n%s", code, out)
	}
}

func TestJournalVerifyOfAMissingJournalSaysWhere(t *testing.T) {
	stateHome(t)
	missing := filepath.Join(t.TempDir(), "none.jsonl")
	if code, _, errOut := run(t, "journal", "verify", "--file", missing); code != 1 || !strings.Contains(errOut, missing) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestJournalExportToStdoutAndToAPrivateFile(t *testing.T) {
	state := stateHome(t)
	seedJournal(t, state, "Contoso (training simulator)")
	code, out, errOut := run(t, "journal", "export")
	if code != 0 || !strings.Contains(out, "# Failback journal: Contoso (training simulator)") ||
		!strings.Contains(out, `**NOTE**: bridge open \| DBA on call`) || !strings.Contains(out, "| F5e | skipped: no mirror |") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	dest := filepath.Join(t.TempDir(), "timeline.md")
	if err := os.WriteFile(dest, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out2, errOut := run(t, "journal", "export", "--out", dest)
	if code != 0 || out2 != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out2, errOut)
	}
	st, err := os.Stat(dest)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("--out file: %v, mode %v", err, st.Mode())
	}
	if written, _ := os.ReadFile(dest); string(written) != out {
		t.Error("--out wrote something else than stdout shows")
	}
}

func TestJournalExportOfADamagedJournalWarns(t *testing.T) {
	state := stateHome(t)
	path := seedJournal(t, state, "Contoso (training simulator)")
	if err := os.Remove(journal.HeadPath(path)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "journal", "export")
	if code != 0 || !strings.Contains(out, "## Chain problems") || !strings.Contains(errOut, "1 problem") {
		t.Fatalf("exit %d\n%s\nstderr %s", code, out, errOut)
	}
}

func TestJournalFollowsTheConfigurationsEnvironment(t *testing.T) {
	state := stateHome(t)
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PCFAILBACK_DBA_PASSWORD", "x")
	rehearsal := seedJournal(t, state, "Contoso production (training simulator)")
	live := seedJournal(t, state, "Contoso production")
	if code, out, errOut := run(t, "journal", "verify", "--sim", "--config", cfg); code != 0 || !strings.Contains(out, rehearsal) {
		t.Errorf("--sim --config: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := run(t, "journal", "verify", "--config", cfg); code != 0 || !strings.Contains(out, live) {
		t.Errorf("--config: exit %d\n%s%s", code, out, errOut)
	}
}
