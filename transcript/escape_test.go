package transcript

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain ASCII is kept", "10 percent processed.", "10 percent processed."},
		{"tab is kept", "a\tb", "a\tb"},
		{"UNC path keeps its backslashes", `\\fs01\pchat\mgc.bak`, `\\fs01\pchat\mgc.bak`},
		{"wide and accented text is kept", "Сервер 東京 café 👍", "Сервер 東京 café 👍"},
		{"ESC sequence is defused", "\x1b[2Jgone", `\x1b[2Jgone`},
		{"OSC title sequence is defused", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"line breaks are escaped", "a\r\nb", `a\x0d\x0ab`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 CSI is escaped", "x\u009b2Jy", `x\u009b2Jy`},
		{"bidi override is escaped", "abc\u202edcb", `abc\u202edcb`},
		{"bidi isolates and marks", "\u2066\u2069\u200e\u200f\u061c", `\u2066\u2069\u200e\u200f\u061c`},
		{"line separator is escaped", "a\u2028b", `a\u2028b`},
		{"invalid UTF-8 bytes", "a\xff\x9bb", `a\xff\x9bb`},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := string(AppendEscaped([]byte("p:"), tt.in)); got != "p:"+tt.want {
				t.Errorf("AppendEscaped(%q) = %q, want %q", tt.in, got, "p:"+tt.want)
			}
		})
	}
}

func TestEscapeDoesNotAllocateForSafeText(t *testing.T) {
	s := strings.Repeat("Processed 51648 pages for database 'mgc', file 'mgc' on file 1. ", 4)
	if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
		t.Fatalf("Escape allocated %v times for text that needs no escaping", n)
	}
}

// checkSafe fails when s still holds something Escape must remove.
func checkSafe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("escaped text is not valid UTF-8: %q", s)
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f || unsafeRune(r) {
			t.Fatalf("escaped text still holds %U: %q", r, s)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[31mred\x1b[0m", "\u009b1m", "\xff\xfe", "a\u202eb", "tab\there", `\\x1b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		checkSafe(t, e)
		if firstUnsafe(s) < 0 && e != s {
			t.Fatalf("safe text changed: %q -> %q", s, e)
		}
		// Escaping is a fixed point once applied: nothing it writes needs escaping again.
		if again := Escape(e); again != e {
			t.Fatalf("Escape is not idempotent: %q -> %q", e, again)
		}
	})
}
