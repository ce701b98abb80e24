package config

import (
	"strings"
	"testing"
)

func TestRoles(t *testing.T) {
	want := []Role{"primary", "primary_mirror", "backup", "backup_mirror"}
	got := Roles()
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] || !got[i].Valid() {
			t.Errorf("role %d: got %q want %q", i, got[i], want[i])
		}
	}
	if Role("secondary").Valid() || Role("").Valid() {
		t.Error("an unknown role is valid")
	}
	// The returned slice is the caller's: changing it must not change the next call.
	got[0] = "x"
	if Roles()[0] != RolePrimary {
		t.Error("Roles shares its slice")
	}
}

func TestTypeNamesInMessages(t *testing.T) {
	for value, want := range map[string]string{
		`1979-05-27`:           "got a date/time",
		`1979-05-27T07:32:00Z`: "got a date/time",
		`07:32:00`:             "got a date/time",
		`true`:                 "got a boolean",
		`1.5`:                  "got a float",
		`{ name = "x" }`:       "got a table",
		`["a"]`:                "got an array",
	} {
		doc := replace(t, `environment = "Lab"`, `environment = `+value)
		e := findError(t, parseErrors(t, doc, Options{}), "environment")
		if !strings.Contains(e.Msg, "expected a string, "+want) || e.Line != 1 {
			t.Errorf("%s: %v", value, e)
		}
	}
}

func TestLongUnknownKeyIsShortenedInMessages(t *testing.T) {
	key := strings.Repeat("k", 5000)
	es := parseErrors(t, after(t, `environment = "Lab"`, key+` = 1`), Options{})
	if len(es) != 1 || len(es[0].Error()) > 300 || es[0].Line != 2 {
		t.Errorf("got %d problems, first %d bytes: %.300s", len(es), len(es[0].Error()), es[0].Error())
	}
}

func TestHostForms(t *testing.T) {
	good := []string{"sql01", "sql01.contoso.local", "SQL-01.Contoso.Local", "10.1.2.3", "::1", "fd00::15", "fe80::1%eth0", "xn--bcher-kva.example"}
	for _, h := range good {
		if p := hostProblem(h); p != "" {
			t.Errorf("%q refused: %s", h, p)
		}
	}
	bad := []string{"", "sql 01", "sql_01", "sql01.", ".sql01", "sql..01", "-sql", "sql-", "10.0.0.256", "1.2.3",
		"[::1]", "sql01:1433", "fe80::1%e th0", "s\u00e9rver", strings.Repeat("a", 64), strings.Repeat("a.", 127) + "ab"}
	for _, h := range bad {
		if hostProblem(h) == "" {
			t.Errorf("%q accepted", h)
		}
	}
}

func TestClosestSuggestsTyposOnly(t *testing.T) {
	keys := []string{"host", "port", "instance", "auth", "encrypt", "ca_file"}
	for in, want := range map[string]string{"hots": "host", "prot": "port", "instanse": "instance", "Encrypt": "encrypt",
		"cafile": "ca_file", "colour": "", "x": "", strings.Repeat("z", 1000): ""} {
		if got := closest(in, keys); got != want {
			t.Errorf("closest(%.20q) = %q want %q", in, got, want)
		}
	}
}
