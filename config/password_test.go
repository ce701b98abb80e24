//go:build unix

package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// secret is the password used throughout; no error message may ever contain it.
const secret = "Tr0ub4dor&3-correct-horse"

func TestPasswordFromEnvironment(t *testing.T) {
	a := Auth{Name: "dba", PasswordEnv: "PCFAILBACK_TEST_PASSWORD"}
	t.Setenv("PCFAILBACK_TEST_PASSWORD", secret)
	if got, err := a.Password(); err != nil || got != secret {
		t.Errorf("got %q, %v", got, err)
	}
	t.Setenv("PCFAILBACK_TEST_PASSWORD", "")
	_, err := a.Password()
	if err == nil || err.Error() != "auth.dba: environment variable PCFAILBACK_TEST_PASSWORD (password_env) is empty" {
		t.Errorf("empty: %v", err)
	}
	os.Unsetenv("PCFAILBACK_TEST_PASSWORD")
	_, err = a.Password()
	if err == nil || err.Error() != "auth.dba: environment variable PCFAILBACK_TEST_PASSWORD (password_env) is not set" {
		t.Errorf("unset: %v", err)
	}
}

func TestPasswordFromOwnerOnlyFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content string }{
		{"plain", secret},
		{"newline", secret + "\n"},
		{"crlf", secret + "\r\n"},
	} {
		path := filepath.Join(dir, tc.name)
		writeFile(t, path, tc.content, 0o600)
		got, err := Auth{Name: "dba", PasswordFile: path}.Password()
		if err != nil || got != secret {
			t.Errorf("%s: got %q, %v", tc.name, got, err)
		}
	}
	// Only one line end is removed: a password may end in spaces or a newline of its own.
	path := filepath.Join(dir, "two-newlines")
	writeFile(t, path, secret+" \n\n", 0o400)
	if got, err := (Auth{Name: "dba", PasswordFile: path}).Password(); err != nil || got != secret+" \n" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestPasswordFileRefusals(t *testing.T) {
	dir := t.TempDir()
	readable := filepath.Join(dir, "readable")
	writeFile(t, readable, secret, 0o644)
	groupOnly := filepath.Join(dir, "group")
	writeFile(t, groupOnly, secret, 0o640)
	empty := filepath.Join(dir, "empty")
	writeFile(t, empty, "\n", 0o600)
	big := filepath.Join(dir, "big")
	writeFile(t, big, strings.Repeat(secret, 5000), 0o600)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ path, want string }{
		{readable, "auth.dba: password_file " + readable + ": has mode 0644, so other users can read it; it must be readable only by its owner (chmod 600 " + readable + ")"},
		{groupOnly, "has mode 0640"},
		{empty, "is empty"},
		{big, "is larger than 65536 bytes"},
		{dir, "is not a regular file"},
		{fifo, "is not a regular file"},
		{filepath.Join(dir, "absent"), "no such file or directory"},
	}
	for _, tc := range cases {
		got, err := Auth{Name: "dba", PasswordFile: tc.path}.Password()
		if err == nil || got != "" {
			t.Errorf("%s: got %q, %v", tc.path, got, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "auth.dba: password_file") {
			t.Errorf("%s: got %q, want %q", tc.path, err, tc.want)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:8]) {
			t.Errorf("%s: the error shows the password: %q", tc.path, err)
		}
	}
}

func TestPasswordFileOwnedBySomeoneElse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pw")
	writeFile(t, path, secret, 0o600)
	if err := os.Chown(path, os.Geteuid()+4242, -1); err != nil {
		t.Skipf("cannot give the file away here: %v", err)
	}
	_, err := Auth{Name: "dba", PasswordFile: path}.Password()
	if err == nil || !strings.Contains(err.Error(), "not by the user running the console") {
		t.Errorf("got %v", err)
	}
}

func TestPasswordPromptAndNone(t *testing.T) {
	_, err := Auth{Name: "lync", PasswordPrompt: true}.Password()
	if !errors.Is(err, ErrPromptNeeded) || !strings.HasPrefix(err.Error(), "auth.lync: ") {
		t.Errorf("prompt: %v", err)
	}
	_, err = Auth{Name: "krb", Method: MethodKerberos, Krb5CCache: "/tmp/cc"}.Password()
	if !errors.Is(err, ErrNoPassword) || !strings.HasPrefix(err.Error(), "auth.krb: ") {
		t.Errorf("none: %v", err)
	}
	_, err = Auth{Name: "x", PasswordEnv: "A", PasswordPrompt: true}.Password()
	if err == nil || !strings.Contains(err.Error(), "more than one password source") {
		t.Errorf("two sources: %v", err)
	}
}

func TestPasswordFromParsedConfiguration(t *testing.T) {
	t.Setenv("PCFAILBACK_DBA_PASSWORD", secret)
	c := mustParse(t, validDoc)
	if got, err := c.Instance(RoleBackup).Auth.Password(); err != nil || got != secret {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := c.Lync.Auth.Password(); !errors.Is(err, ErrPromptNeeded) {
		t.Errorf("lync: %v", err)
	}
}

func TestSecretNeverInParseErrors(t *testing.T) {
	// Every way an operator might paste the password into the file.
	docs := []string{
		after(t, `[auth.dba]`, `password = "`+secret+`"`),
		after(t, `[auth.dba]`, `Password = '`+secret+`'`),
		after(t, `[auth.dba]`, `pwd = """`+secret+`"""`),
		after(t, `environment = "Lab"`, `password = "`+secret+`"`),
		after(t, `host = "sqlprimary.contoso.local"`, `password = "`+secret+`"`),
		after(t, `[auth.dba]`, `password = "`+secret),
		after(t, `[auth.dba]`, `password = "`+secret+`" junk`),
		after(t, `[auth.dba]`, `password = ["`+secret+`"]`),
		after(t, `[auth.dba]`, `password = `+secret),
		after(t, `[auth.dba]`, `password = { value = "`+secret+`" }`),
		replace(t, `password_env = "PCFAILBACK_DBA_PASSWORD"`, `password_env = "`+secret+`"`),
		replace(t, `password_env = "PCFAILBACK_DBA_PASSWORD"`, `password_env = "`+secret+`"`+"\npassword = \""+secret+`"`),
	}
	for i, doc := range docs {
		_, err := Parse(testFile, []byte(doc))
		if err == nil {
			t.Errorf("doc %d accepted", i)
			continue
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:8]) {
			t.Errorf("doc %d: the error shows the password:\n%v", i, err)
		}
	}
}
