package journal

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// The fuzzers run on bytes in memory; TestEveryTamperingIsDetected and the Open tests cover the files.

// seedJournal is a valid journal's bytes and its head, for the fuzzers' seed corpora.
func seedJournal(f *testing.F) ([]byte, []byte) {
	dir := f.TempDir()
	path := filepath.Join(dir, "j.jsonl")
	j, err := Open(path)
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range incident() {
		r.Seq, r.Prev, r.Run = 0, "", ""
		if r.Kind == KindBreak {
			continue
		}
		if _, err := j.Append(r); err != nil {
			f.Fatal(err)
		}
	}
	j.Close()
	data, _ := os.ReadFile(path)
	head, _ := os.ReadFile(HeadPath(path))
	return data, head
}

// terminalSafe reports whether s can be printed to a terminal as is.
func terminalSafe(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || needsEscape(r) })
}

// FuzzVerify reads arbitrary journal and head bytes. Whatever they hold, verifying must not panic, its
// problems must be printable and placed on real lines, and one record appended the way Open appends must chain
// without adding a problem.
func FuzzVerify(f *testing.F) {
	data, headSeed := seedJournal(f)
	ls := bytes.Split(data, []byte("\n"))
	f.Add(data, headSeed)
	f.Add(data[:len(data)-7], headSeed)
	f.Add(bytes.Join(append(ls[:3:3], ls[4:]...), []byte("\n")), headSeed)
	f.Add(bytes.Join([][]byte{ls[1], ls[0], ls[2]}, []byte("\n")), []byte("{}"))
	f.Add([]byte("\n\n{\"seq\":1}\n"), []byte(nil))
	f.Add([]byte(`{"seq":9223372036854775807,"at":"2026-01-01T00:00:00Z","kind":"note","prev":""}`+"\n"), headSeed)
	f.Add([]byte(`{"seq":1,"at":"2026-01-01T00:00:00Z","kind":"note","prev":"\u001b[2J"}`), headSeed)
	f.Fuzz(func(t *testing.T, data, headBytes []byte) {
		// Load's work, in memory: the chain, then the head against it.
		c := scan(data)
		problems := c.problems
		var h *head
		var hp *Problem
		if headBytes != nil {
			h, hp = parseHead(headBytes)
		}
		if hp == nil {
			hp = checkHead(c, h)
		}
		if hp != nil {
			problems = append(problems, *hp)
		}
		nlines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range problems {
			if p.Line < 0 || p.Line > nlines || p.Text == "" || !terminalSafe(p.String()) {
				t.Fatalf("problem %q at line %d of %d", p.String(), p.Line, nlines)
			}
		}
		if len(c.records) != len(c.lines) {
			t.Fatalf("%d records on %d lines", len(c.records), len(c.lines))
		}

		if c.lastSeq == 1<<63-1 {
			return
		}
		next, err := encode(Record{Seq: c.lastSeq + 1, Prev: c.lastDigest, Kind: KindNote, At: t0, Text: "next"})
		if err != nil {
			t.Fatal(err)
		}
		more := append([]byte(nil), data...)
		if c.open {
			more = append(more, '\n')
		}
		more = append(append(more, next...), '\n')
		c2 := scan(more)
		if len(c2.records) != len(c.records)+1 || len(c2.problems) != len(c.problems) {
			t.Fatalf("appending a chained record changed the findings: %d→%d records, problems\n%s\nthen\n%s",
				len(c.records), len(c2.records), problemTexts(c.problems), problemTexts(c2.problems))
		}
	})
}

// FuzzDecode: a line that decodes re-encodes to a line that decodes to the same record, and the encoding is
// stable and terminal-safe.
func FuzzDecode(f *testing.F) {
	data, _ := seedJournal(f)
	for _, l := range bytes.Split(data, []byte("\n")) {
		f.Add(l)
	}
	f.Add([]byte(`{"seq":1,"at":"2026-01-01T00:00:00+01:00","kind":"note","text":"\u0085\u202e\u001b","lines":[1,2]}`))
	f.Add([]byte(`{"seq":1,"at":"2026-01-01T00:00:00Z","kind":"step-end","duration":"-5m","server_start":{"a":"2026-01-01T00:00:00Z"}}`))
	f.Add([]byte(`{"seq":1,"at":"bad","kind":"note"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		r, err := decode(line)
		if err != nil {
			return
		}
		enc, err := encode(r)
		if err != nil {
			if strings.Contains(err.Error(), "at most") {
				return // escaping made it longer than a line may be
			}
			t.Fatalf("encode of a decoded record: %v", err)
		}
		if !terminalSafe(string(enc)) {
			t.Fatalf("encoded line is not terminal-safe: %q", enc)
		}
		r2, err := decode(enc)
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, enc)
		}
		enc2, err := encode(r2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", enc, enc2)
		}
	})
}

// FuzzMd: any text stays on one line, terminal-safe, with every pipe escaped.
func FuzzMd(f *testing.F) {
	f.Add(hostile)
	f.Add(`\|`)
	f.Add("a\\\n|b")
	f.Fuzz(func(t *testing.T, s string) {
		out := md(s)
		if strings.ContainsAny(out, "\n\r") || !terminalSafe(out) {
			t.Fatalf("md(%q) = %q", s, out)
		}
		for i := 0; i < len(out); i++ {
			if out[i] != '|' && out[i] != '<' && out[i] != '`' {
				continue
			}
			n := 0
			for j := i - 1; j >= 0 && out[j] == '\\'; j-- {
				n++
			}
			if n%2 == 0 {
				t.Fatalf("md(%q) = %q: %c at %d is not escaped", s, out, out[i], i)
			}
		}
	})
}
