//go:build unix

package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	writeFile(t, ca, "-----BEGIN CERTIFICATE-----\n", 0o644)
	pw := filepath.Join(dir, "dba.pw")
	writeFile(t, pw, secret, 0o600)
	good := replace(t, `password_env = "PCFAILBACK_DBA_PASSWORD"`, `password_file = "dba.pw"`)
	good = strings.Replace(good, `host = "sqlprimary.contoso.local"`, "host = \"sqlprimary.contoso.local\"\nca_file = \"ca.pem\"", 1)
	c, err := Parse(filepath.Join(dir, "config.toml"), []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.Auth["dba"].PasswordFile != pw || c.Instance(RolePrimary).CAFile != ca {
		t.Fatalf("relative files not resolved against the configuration's folder: %+v", c.Auth["dba"])
	}
	if err := c.CheckFiles(); err != nil {
		t.Errorf("good files: %v", err)
	}

	writeFile(t, pw, secret, 0o644)
	bad := strings.Replace(good, `ca_file = "ca.pem"`, `ca_file = "missing.pem"`, 1)
	bad = strings.Replace(bad, `host = "lyncfe01.contoso.local"`, "host = \"lyncfe01.contoso.local\"\nca_file = \"/\"", 1)
	path := filepath.Join(dir, "config.toml")
	c, err = Parse(path, []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckFiles()
	var es Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("want three problems, got %v", err)
	}
	if e := findError(t, es, "instances.primary.ca_file"); e.Line != lineOf(t, bad, "missing.pem") || !strings.Contains(e.Msg, "file not found") {
		t.Errorf("ca_file: %v", e)
	}
	if e := findError(t, es, "lync.ca_file"); !strings.Contains(e.Msg, "not a regular file") {
		t.Errorf("lync ca_file: %v", e)
	}
	if e := findError(t, es, "auth.dba.password_file"); e.Line != lineOf(t, bad, "password_file") || !strings.HasPrefix(e.Msg, pw+": has mode 0644") {
		t.Errorf("password_file: %v", e)
	}
	if strings.Contains(err.Error(), secret) {
		t.Error("CheckFiles shows the password")
	}
}
