package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pcfailback/config"
)

func configWith(t *testing.T, dba, lync string) *config.Config {
	t.Helper()
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	doc = strings.Replace(doc, "password_env = \"PCFAILBACK_DBA_PASSWORD\"\npassword_file = \"\"\npassword_prompt = false", dba, 1)
	doc = strings.Replace(doc, "user = 'CONTOSO\\lyncadmin'\npassword_prompt = true", "user = 'CONTOSO\\lyncadmin'\n"+lync, 1)
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "config.toml"), []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestPasswordsFromEachSource(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "dba.pw")
	if err := os.WriteFile(pwFile, []byte("file-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := configWith(t, "password_file = '"+pwFile+"'", "password_prompt = true")
	asked := 0
	got, err := passwords(cfg, func(label string) (string, error) {
		asked++
		if !strings.Contains(label, `CONTOSO\lyncadmin`) || strings.Contains(label, "secret") {
			t.Errorf("prompt label %q", label)
		}
		return "typed-secret", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got["dba"] != "file-secret" || got["lyncadmin"] != "typed-secret" || asked != 1 {
		t.Fatalf("passwords %v, asked %d times", got, asked)
	}
}

func TestPasswordErrorsNeverShowTheSecret(t *testing.T) {
	t.Setenv("PCFAILBACK_DBA_PASSWORD", "")
	cfg := configWith(t, "password_env = \"PCFAILBACK_DBA_PASSWORD\"", "password_prompt = true")
	_, err := passwords(cfg, func(string) (string, error) { return "typed-secret", nil })
	if err == nil || !strings.Contains(err.Error(), "PCFAILBACK_DBA_PASSWORD") {
		t.Fatalf("empty variable: %v", err)
	}
	t.Setenv("PCFAILBACK_DBA_PASSWORD", "env-secret")
	_, err = passwords(cfg, func(string) (string, error) { return "", errors.New("no terminal") })
	if err == nil || strings.Contains(err.Error(), "env-secret") {
		t.Fatalf("prompt failure: %v", err)
	}
}
