package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	cases := []struct {
		e    Error
		want string
	}{
		{Error{File: "/c.toml", Line: 14, Field: "instances.backup.port", Msg: "70000 is not a TCP port (1-65535)"},
			"/c.toml:14: instances.backup.port: 70000 is not a TCP port (1-65535)"},
		{Error{File: "/c.toml", Field: "environment", Msg: "required key is missing"}, "/c.toml: environment: required key is missing"},
		{Error{File: "/c.toml", Line: 3, Column: 9, Msg: "unterminated string"}, "/c.toml:3:9: unterminated string"},
		{Error{File: "/c.toml", Msg: "configuration file not found"}, "/c.toml: configuration file not found"},
	}
	for _, tc := range cases {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q want %q", got, tc.want)
		}
	}
}

func TestManyProblemsReportedAtOnceInFileOrder(t *testing.T) {
	doc := `environment = 1
refresh_interval = "1h"
pool_fqdn = "pchat"
share = 'C:\x'
copy_folder = 'x'
mirror_share = 'y'
primary_servers = []
colour = "blue"
[instances.primary]
host = "bad host"
port = 0
auth = "nobody"
`
	es := parseErrors(t, doc, Options{})
	if len(es) <= MaxShownErrors {
		t.Fatalf("want more than %d problems, got %d:\n%v", MaxShownErrors, len(es), es)
	}
	last := 0
	seenUnlined := false
	for _, e := range es {
		if e.File != testFile {
			t.Errorf("problem without the file: %v", e)
		}
		switch {
		case e.Line == 0:
			seenUnlined = true
		case seenUnlined:
			t.Errorf("problem with a line after one without: %v", es)
		case e.Line < last:
			t.Errorf("problems out of order:\n%v", es)
		}
		last = e.Line
	}
	text := es.Error()
	if got := strings.Count(text, "\n") + 1; got != MaxShownErrors+1 {
		t.Errorf("Error() has %d lines, want %d shown problems and a summary:\n%s", got, MaxShownErrors+1, text)
	}
	if want := fmt.Sprintf("(%d more problems not shown)", len(es)-MaxShownErrors); !strings.HasSuffix(text, want) {
		t.Errorf("summary missing, want %q in:\n%s", want, text)
	}
	// Unknown keys and semantic problems come together: the unknown key does not hide the rest.
	findError(t, es, "colour")
	findError(t, es, "instances.primary.port")
}

func TestErrorsUnwrap(t *testing.T) {
	es := parseErrors(t, replace(t, `environment = "Lab"`, `environment = 1`), Options{})
	var e *Error
	if !errors.As(error(es), &e) || e.Field != "environment" {
		t.Errorf("errors.As did not reach the problem: %v", e)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := t.TempDir() + "/absent.toml"
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("want fs.ErrNotExist, got %v", err)
	}
	if want := path + ": configuration file not found"; err.Error() != want {
		t.Errorf("got %q want %q", err.Error(), want)
	}
}
