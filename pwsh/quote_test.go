package pwsh

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuote(t *testing.T) {
	cases := map[string]string{
		"":                                 "''",
		"pchat.contoso.local":              "'pchat.contoso.local'",
		"O'Brien":                          "'O''Brien'",
		"''":                               "''''''",
		"a\u2018b\u2019c\u201ad\u201be":    "'a\u2018\u2018b\u2019\u2019c\u201a\u201ad\u201b\u201be'",
		"$env:TEMP $(whoami)":              "'$env:TEMP $(whoami)'",
		"back`tick":                        "'back`tick'",
		"two\nlines\r\n":                   "'two\nlines\r\n'",
		`\\fs01.contoso.local\pchatls`:     `'\\fs01.contoso.local\pchatls'`,
		"\u201cdouble\u201d":               "'\u201cdouble\u201d'",
		"x'; Remove-Item C:\\ -Recurse; '": "'x''; Remove-Item C:\\ -Recurse; '''",
	}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}

// roundTrip runs Write-Output <Quote(s)> and returns what it printed.
func roundTrip(t *testing.T, s string) (string, int) {
	t.Helper()
	res := run(t, newFakeHost(), "Write-Output "+Quote(s))
	return strings.Join(res.out, "\n"), res.code
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{"", "a", "O'Brien", "'", "''", "\u2018", "\u2019\u2019", "a\u201bb", "$x",
		"$(Get-Date)", "`n", "``", "\"", "\"\"", "line1\nline2", "tab\there", "#not a comment", "<# x #>",
		"; exit 3", "| Out-Null", "-Force", "@{a=1}", "   spaced   ", "\u2013dash", "日本語"} {
		got, code := roundTrip(t, s)
		if code != 0 {
			t.Errorf("round trip of %q exited %d", s, code)
		}
		if want := strings.Join(splitLines(s), "\n"); got != want {
			t.Errorf("round trip of %q printed %q", s, got)
		}
	}
}

func TestQuoteInsideLargerScript(t *testing.T) {
	h := newFakeHost()
	var got []Param
	h.on("Set-Thing", func(_ context.Context, params []Param, _ []Value, _ Streams) ([]Value, error) {
		got = params
		return nil, nil
	})
	name := "it's \u2019quoted\u2019; $(evil)"
	res := run(t, h, "Set-Thing -Identity "+Quote(name)+" -Confirm:$false")
	if res.code != 0 {
		t.Fatalf("exit %d: %v", res.code, res.all)
	}
	if len(got) != 2 || got[0].Name != "Identity" || got[0].Value != name {
		t.Fatalf("params = %#v", got)
	}
}

func FuzzQuoteRoundTrip(f *testing.F) {
	for _, s := range []string{"", "x", "O'Brien", "\u2018\u2019\u201a\u201b", "$a`b\"c", "a\r\nb", "\x00", "#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			// A script reaches powershell.exe as UTF-16; bytes that are not UTF-8 have no meaning there.
			return
		}
		sc, err := Parse("Write-Output " + Quote(s))
		if err != nil {
			t.Fatalf("Parse(Quote(%q)): %v", s, err)
		}
		if len(sc.stmts) != 1 {
			t.Fatalf("Quote(%q) parsed into %d statements", s, len(sc.stmts))
		}
		got, code := roundTrip(t, s)
		if code != 0 {
			t.Fatalf("round trip of %q exited %d", s, code)
		}
		if want := strings.Join(splitLines(s), "\n"); got != want {
			t.Fatalf("round trip of %q printed %q", s, got)
		}
	})
}
