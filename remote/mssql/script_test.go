package mssql

import (
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		name   string
		script string
		want   []Batch
	}{
		{"no GO is one batch, byte for byte", "SELECT 'a\\\nb'\r\n  -- GO\n", []Batch{{"SELECT 'a\\\nb'\r\n  -- GO\n", 1, 1}}},
		{"empty", "", []Batch{{"", 1, 1}}},
		{"two batches", "PRINT 1\nGO\nPRINT 2\n", []Batch{{"PRINT 1\n", 1, 1}, {"PRINT 2\n", 1, 3}}},
		{"lower case, CRLF, trailing GO", "PRINT 1\r\ngo\r\nPRINT 2\r\nGo", []Batch{{"PRINT 1\r\n", 1, 1}, {"PRINT 2\r\n", 1, 3}}},
		{"indented, count and comment", "PRINT 1\n  GO 3 -- thrice\nPRINT 2", []Batch{{"PRINT 1\n", 3, 1}, {"PRINT 2", 1, 3}}},
		{"backslash-newline kept in a later batch", "PRINT 1\nGO\nPRINT 'a\\\nb' + N'cdefghijklmnop'",
			[]Batch{{"PRINT 1\n", 1, 1}, {"PRINT 'a\\\nb' + N'cdefghijklmnop'", 1, 3}}},
		{"GO inside a string", "SELECT 'x\nGO\ny'\nGO\nPRINT 2", []Batch{{"SELECT 'x\nGO\ny'\n", 1, 1}, {"PRINT 2", 1, 5}}},
		{"GO inside nested comments", "/* a /* b */\nGO\n*/ PRINT 1\nGO\nPRINT 2",
			[]Batch{{"/* a /* b */\nGO\n*/ PRINT 1\n", 1, 1}, {"PRINT 2", 1, 5}}},
		{"GO inside a bracketed name with a quote", "SELECT [it's\nGO\n]]x]\nGO\nPRINT 2",
			[]Batch{{"SELECT [it's\nGO\n]]x]\n", 1, 1}, {"PRINT 2", 1, 5}}},
		{"GO inside a quoted identifier", "SELECT \"a\nGO\n\"\"\"\nGO\nX", []Batch{{"SELECT \"a\nGO\n\"\"\"\n", 1, 1}, {"X", 1, 5}}},
		{"escaped quotes", "SELECT 'it''s'\nGO\nX", []Batch{{"SELECT 'it''s'\n", 1, 1}, {"X", 1, 3}}},
		{"a line comment hides a quote", "-- don't\nGO\nX", []Batch{{"-- don't\n", 1, 1}, {"X", 1, 3}}},
		{"GOTO and GO; are T-SQL", "GOTO done\nGO;\ndone: PRINT 1", []Batch{{"GOTO done\nGO;\ndone: PRINT 1", 1, 1}}},
		{"blank batches dropped", "GO\n\nGO\nPRINT 1\nGO\n  \n", []Batch{{"PRINT 1\n", 1, 4}}},
		{"only GO lines", "GO\nGO", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Split(c.script)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("%d batches %+v, want %d", len(got), got, len(c.want))
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("batch %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestSplitRefusesBadCounts(t *testing.T) {
	for _, s := range []string{"PRINT 1\nGO 0\n", "PRINT 1\nGO 1001", "PRINT 1\nGO 99999999999999999999999"} {
		if _, err := Split(s); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// FuzzSplit: any input splits without a panic; every batch is an exact slice of the script, in order, and a script
// without separators comes back whole.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "GO", "PRINT 1\nGO\nPRINT 2", "'\nGO\n'", "/*/*\nGO\n*/*/\nGO 2\nx", "[\nGO\n]]\n]",
		"GO 5 -- c\r\nx\r\n", "\"\"\"\nGO", "go\n\ngo 1000\nx", "--'\nGO\n'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		batches, err := Split(script)
		if err != nil {
			return
		}
		at := 0
		for _, b := range batches {
			if b.Count < 1 || b.Count > MaxRepeat || b.Line < 1 {
				t.Fatalf("batch %+v", b)
			}
			i := strings.Index(script[at:], b.Text)
			if i < 0 {
				t.Fatalf("batch %q is not a slice of the script after offset %d", b.Text, at)
			}
			at += i + len(b.Text)
		}
		if len(batches) == 1 && batches[0].Text == script {
			return // no separator: the script as given
		}
		for _, b := range batches {
			if strings.TrimSpace(b.Text) == "" {
				t.Fatalf("a blank batch in %+v", batches)
			}
		}
	})
}
