package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pcfailback/lab"
	"pcfailback/probes"
)

func run(t *testing.T, args ...string) (code int, out, errOut string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // no configuration: training
	t.Setenv("PCFAILBACK_CONFIG", "")
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return code, o.String(), e.String()
}

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := run(t, "--version"); code != 0 || strings.TrimSpace(out) == "" {
		t.Fatalf("--version: exit %d, output %q", code, out)
	}
	code, out, _ := run(t, "--help")
	if code != 0 || !strings.Contains(out, "plan") || !strings.Contains(out, "--read-only") {
		t.Fatalf("--help: exit %d, output %q", code, out)
	}
}

func TestCheckPassesOnTheTrainingEstate(t *testing.T) {
	code, out, errOut := run(t, "check")
	if code != 0 || !strings.Contains(out, "all pre-flight checks pass") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestCheckFailsWhenTheShareIsTooSmall(t *testing.T) {
	code, out, _ := run(t, "check", "--scenario", "share-full")
	if code != 1 || !strings.Contains(out, "✗ the share has room for a full backup of mgc") {
		t.Fatalf("exit %d, want 1 with the free-space check failing:\n%s", code, out)
	}
}

func TestPlanPrintsEveryStepAndSaysNothingRan(t *testing.T) {
	code, out, errOut := run(t, "plan")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Nothing was run", "F0  Pre-flight checks", "F4  Restore mgc on the primary  [DESTRUCTIVE: confirm by typing mgc@SQLPRIMARY]",
		"RESTORE DATABASE [mgc]", "F6b  Active servers", "@{Replace='pc01.contoso.local','pc02.contoso.local'}"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q", want)
		}
	}
	// F4 restores the file F3 would write, not a placeholder.
	f3 := strings.Index(out, `mgc_failback_`)
	if f3 < 0 || strings.Count(out, out[f3:f3+len("mgc_failback_20060102_150405.bak")]) < 3 {
		t.Errorf("F3, F3b and F4 do not name the same failback file")
	}
}

func TestBadInputSaysWhatAndWhere(t *testing.T) {
	if code, _, errOut := run(t, "check", "--scenario", "nope"); code != 1 || !strings.Contains(errOut, "share-engine-denied") {
		t.Errorf("unknown scenario: exit %d, stderr %q (want the known scenarios listed)", code, errOut)
	}
	if code, _, errOut := run(t, "--theme", "pink"); code != 2 || !strings.Contains(errOut, "high-contrast") {
		t.Errorf("bad theme: exit %d, stderr %q", code, errOut)
	}
	bad := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(bad, []byte("environment = \"x\"\nrefresh_intervall = \"5s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "check", "--config", bad)
	if code != 1 || !strings.Contains(errOut, bad+":2") || !strings.Contains(errOut, "refresh_intervall") {
		t.Errorf("bad configuration: exit %d, stderr %q (want file:line and the key)", code, errOut)
	}
	if code, _, errOut := run(t, "check", "--config", filepath.Join(t.TempDir(), "missing.toml")); code != 1 || !strings.Contains(errOut, "missing.toml") {
		t.Errorf("missing explicit configuration: exit %d, stderr %q", code, errOut)
	}
}

// A configuration reaches its servers through the production runners: here the configuration a standalone
// simulator writes, as a trainee's console uses it.
func TestLiveModeReachesTheServersOfItsConfiguration(t *testing.T) {
	l, err := lab.Start(lab.Options{Seed: 3, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	code, out, errOut := run(t, "check", "--config", l.ConfigPath)
	if code != 0 || !strings.Contains(out, "SQLBACKUP answers its health probe") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if stats := l.Stats()[probes.Backup]; stats.Logins == 0 || stats.Batches == 0 {
		t.Fatalf("the backup instance saw no login or batch: %+v", stats)
	}
}

func TestPasswordsThatCannotBeAskedForAreAClearError(t *testing.T) {
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PCFAILBACK_DBA_PASSWORD", "x")
	code, _, errOut := run(t, "check", "--config", cfg)
	if code != 1 || !strings.Contains(errOut, "password prompt") || !strings.Contains(errOut, "password_env or password_file") {
		t.Fatalf("exit %d, stderr %q: want the prompt refusal with the alternatives", code, errOut)
	}
	// The same configuration rehearses on the simulator with its own names.
	code, out, errOut := run(t, "check", "--sim", "--config", cfg)
	if code != 0 || !strings.Contains(out, "Contoso production (training simulator)") {
		t.Fatalf("--sim --config: exit %d\n%s%s", code, out, errOut)
	}
}
