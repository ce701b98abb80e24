package journal

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// tampering is one way to damage a journal of the failback records, with what Verify must say about it.
type tampering struct {
	name   string
	damage func(t *testing.T, path string)
	// line is where the (first) problem is reported; 0 for the head.
	line int
	// text is part of the problem's sentence.
	text string
}

var tamperings = []tampering{
	{"edit a byte in the middle", func(t *testing.T, path string) {
		ls := lines(t, path)
		ls[4] = bytes.Replace(ls[4], []byte("SQLBACKUP"), []byte("SQLBACKUQ"), 1)
		rewrite(t, path, ls, true)
	}, 6, "does not chain to line 5"},
	{"delete a line", func(t *testing.T, path string) {
		ls := lines(t, path)
		rewrite(t, path, append(ls[:3:3], ls[4:]...), true)
	}, 4, "seq 5 follows seq 3"},
	{"reorder two lines", func(t *testing.T, path string) {
		ls := lines(t, path)
		ls[5], ls[6] = ls[6], ls[5]
		rewrite(t, path, ls, true)
	}, 6, "seq 7 follows seq 5"},
	{"truncate the tail", func(t *testing.T, path string) {
		ls := lines(t, path)
		rewrite(t, path, ls[:9], true)
	}, 0, "truncated: its head names seq 12 but the last record is seq 9"},
	{"truncate everything", func(t *testing.T, path string) {
		rewrite(t, path, nil, false)
	}, 0, "holds no record"},
	{"delete the journal", func(t *testing.T, path string) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}, 0, "holds no record"},
	{"torn last line", func(t *testing.T, path string) {
		ls := lines(t, path)
		ls[len(ls)-1] = ls[len(ls)-1][:40]
		rewrite(t, path, ls, false)
	}, 12, "the last line is incomplete"},
	{"garbage line in the middle", func(t *testing.T, path string) {
		ls := lines(t, path)
		ls = append(ls[:2:2], append([][]byte{[]byte("rm -rf /")}, ls[2:]...)...)
		rewrite(t, path, ls, true)
	}, 3, "not a journal record"},
	{"empty line", func(t *testing.T, path string) {
		ls := lines(t, path)
		ls = append(ls[:2:2], append([][]byte{nil}, ls[2:]...)...)
		rewrite(t, path, ls, true)
	}, 3, "empty"},
	{"first record removed", func(t *testing.T, path string) {
		rewrite(t, path, lines(t, path)[1:], true)
	}, 1, "starts at seq 2"},
	{"seq edited", func(t *testing.T, path string) {
		ls := lines(t, path)
		ls[11] = bytes.Replace(ls[11], []byte(`"seq":12`), []byte(`"seq":13`), 1)
		rewrite(t, path, ls, true)
	}, 12, "seq was altered"},
	{"head missing", func(t *testing.T, path string) {
		if err := os.Remove(HeadPath(path)); err != nil {
			t.Fatal(err)
		}
	}, 0, "head file is missing"},
	{"head names another last record", func(t *testing.T, path string) {
		ls := lines(t, path)
		ls[11] = bytes.Replace(ls[11], []byte(`"quit"`), []byte(`"error"`), 1)
		rewrite(t, path, ls, true)
	}, 0, "not the one the head names"},
	{"head damaged", func(t *testing.T, path string) {
		if err := os.WriteFile(HeadPath(path), []byte("12"), 0o600); err != nil {
			t.Fatal(err)
		}
	}, 0, "head file"},
	{"lines added by hand", func(t *testing.T, path string) {
		ls := lines(t, path)
		extra := Record{Seq: 13, At: at(99), Kind: KindNote, Run: "x", Prev: Digest(ls[11]), Text: "added"}
		line, err := encode(extra)
		if err != nil {
			t.Fatal(err)
		}
		extra2 := Record{Seq: 14, At: at(99), Kind: KindNote, Run: "x", Prev: Digest(line), Text: "added"}
		line2, _ := encode(extra2)
		rewrite(t, path, append(ls, line, line2), true)
	}, 0, "does not know of"},
}

func TestEveryTamperingIsDetected(t *testing.T) {
	for _, tc := range tamperings {
		t.Run(tc.name, func(t *testing.T) {
			path := tempJournal(t)
			write(t, path, failback()...)
			tc.damage(t, path)
			rep := mustVerify(t, path)
			if rep.OK() {
				t.Fatal("Verify reports the damaged journal intact")
			}
			if p := rep.Problems[0]; p.Line != tc.line || !strings.Contains(p.Text, tc.text) || p.Recorded {
				t.Errorf("first problem %+v; want line %d saying %q\nall:\n%s", p, tc.line, tc.text, problemTexts(rep.Problems))
			}
			_, err := Read(path)
			var ce *ChainError
			if !errors.As(err, &ce) || len(ce.Problems) != len(rep.Problems) {
				t.Errorf("Read: %v; want a ChainError with the %d problems", err, len(rep.Problems))
			}
		})
	}
}

func TestOpenOnABrokenChainRecordsABreakAndCarriesOn(t *testing.T) {
	for _, tc := range tamperings {
		t.Run(tc.name, func(t *testing.T) {
			path := tempJournal(t)
			write(t, path, failback()...)
			tc.damage(t, path)
			before := mustVerify(t, path)

			j, err := Open(path)
			var ce *ChainError
			if !errors.As(err, &ce) || j == nil {
				t.Fatalf("Open: journal %v, error %v; want both the journal and a ChainError", j, err)
			}
			if ce.Path != path || len(ce.Problems) != len(before.Problems) || !strings.Contains(ce.Error(), tc.text) {
				t.Errorf("ChainError %q; want the %d problems Verify found", ce, len(before.Problems))
			}
			r, err := j.Append(Record{Kind: KindNote, Text: "carrying on"})
			if err != nil {
				t.Fatalf("Append after the break: %v", err)
			}
			j.Close()

			records, err := Read(path)
			if err != nil {
				t.Fatalf("the break did not record the damage: %v", err)
			}
			brk := records[len(records)-2]
			if brk.Kind != KindBreak || !strings.Contains(brk.Detail, tc.text) || r.Prev == "" || r.Seq != brk.Seq+1 {
				t.Errorf("break %+v, then %+v", brk, r)
			}
			if again, err := Open(path); err != nil {
				t.Errorf("Open after the break was recorded: %v", err)
			} else {
				again.Close()
			}
			// The damage is evidence: Verify still reports it, and the break, as recorded.
			after := mustVerify(t, path)
			if after.OK() || len(unrecorded(after.Problems)) != 0 {
				t.Errorf("after the break: %s", problemTexts(after.Problems))
			}
			var sawBreak bool
			for _, p := range after.Problems {
				sawBreak = sawBreak || strings.Contains(p.Text, "started a new segment")
			}
			if !sawBreak {
				t.Errorf("Verify does not report the break:\n%s", problemTexts(after.Problems))
			}
		})
	}
}

func TestATornLineStaysAsEvidence(t *testing.T) {
	path := tempJournal(t)
	write(t, path, failback()...)
	torn := []byte(`{"seq":13,"at":"2026-03-14T09:31:00.000000000+01:00","kind":"no`)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(torn)
	f.Close()
	j, err := Open(path)
	if err == nil {
		t.Fatal("Open did not report the torn line")
	}
	if _, err := j.Append(Record{Kind: KindNote, Text: "next"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	ls := lines(t, path)
	if !bytes.Equal(ls[12], torn) || len(ls) != 15 {
		t.Fatalf("the torn line was not kept on a line of its own: %q", ls[12:])
	}
	records, err := Read(path)
	if err != nil || len(records) != 14 || records[12].Seq != 13 || records[12].Prev != Digest(ls[11]) {
		t.Fatalf("the break does not follow the last good record: %v %+v", err, records[12])
	}
}

func TestALineMissingOnlyItsLineEndIsKept(t *testing.T) {
	path := tempJournal(t)
	write(t, path, failback()...)
	ls := lines(t, path)
	rewrite(t, path, ls, false)
	// The head still names the last record: nothing was lost.
	if rep := mustVerify(t, path); !rep.OK() {
		t.Fatalf("%s", problemTexts(rep.Problems))
	}
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append(Record{Kind: KindNote, Text: "next"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	if rep := mustVerify(t, path); !rep.OK() || rep.Records != 13 {
		t.Fatalf("%d records: %s", rep.Records, problemTexts(rep.Problems))
	}
}

func TestTheHeadMayLagByOneRecord(t *testing.T) {
	// A crash between syncing a record and replacing the head loses nothing and is not damage.
	path := tempJournal(t)
	write(t, path, failback()[:3]...)
	headBefore, err := os.ReadFile(HeadPath(path))
	if err != nil {
		t.Fatal(err)
	}
	write(t, path, Record{Kind: KindNote, Text: "the head did not follow"})
	if err := os.WriteFile(HeadPath(path), headBefore, 0o600); err != nil {
		t.Fatal(err)
	}
	if rep := mustVerify(t, path); !rep.OK() {
		t.Fatalf("%s", problemTexts(rep.Problems))
	}
	// The first record, written before any head: same.
	first := tempJournal(t)
	write(t, first, Record{Kind: KindNote})
	os.Remove(HeadPath(first))
	if rep := mustVerify(t, first); !rep.OK() {
		t.Fatalf("%s", problemTexts(rep.Problems))
	}
}

func TestDamageWhileOpenIsRecordedAtTheNextAppend(t *testing.T) {
	path := tempJournal(t)
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for _, r := range failback() {
		if _, err := j.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	rewrite(t, path, lines(t, path)[:5], true)
	r, err := j.Append(Record{Kind: KindNote, Text: "after the cut"})
	var ce *ChainError
	if !errors.As(err, &ce) || r.Seq != 7 || !strings.Contains(ce.Error(), "truncated") {
		t.Fatalf("append after the file was cut: %+v, %v", r, err)
	}
	records, err := Read(path)
	if err != nil || records[5].Kind != KindBreak {
		t.Fatalf("no break recorded: %v", err)
	}
}

func TestAJournalRemovedOrReplacedWhileOpenIsFollowed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string)
		text   string
	}{
		{"removed", func(t *testing.T, path string) { os.Remove(path) }, "holds no record"},
		{"removed with its head", func(t *testing.T, path string) { os.Remove(path); os.Remove(HeadPath(path)) }, "wrote up to seq 12"},
		{"replaced by a rename", func(t *testing.T, path string) {
			ls := lines(t, path)
			tmp := path + ".new"
			if err := os.WriteFile(tmp, append(bytes.Join(ls[:4], []byte("\n")), '\n'), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tempJournal(t)
			j, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			for _, r := range failback() {
				if _, err := j.Append(r); err != nil {
					t.Fatal(err)
				}
			}
			tc.damage(t, path)
			r, err := j.Append(Record{Kind: KindNote, Text: "still here"})
			var ce *ChainError
			if !errors.As(err, &ce) || !strings.Contains(ce.Error(), tc.text) || r.Seq == 0 {
				t.Fatalf("append after the file went: %+v, %v", r, err)
			}
			records, err := Read(path)
			if err != nil || len(records) < 2 || records[len(records)-1].Text != "still here" || records[len(records)-2].Kind != KindBreak {
				t.Fatalf("the record and its break are not in the file at the path: %v %+v", err, records)
			}
		})
	}
}

func TestAHeavilyDamagedJournalStillOpens(t *testing.T) {
	path := tempJournal(t)
	write(t, path, failback()...)
	junk := bytes.Repeat([]byte("garbage line\n"), 3*maxBreakLines)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(junk)
	f.Close()
	for range 2 {
		j, err := Open(path)
		var ce *ChainError
		if !errors.As(err, &ce) {
			t.Fatalf("Open: %v", err)
		}
		j.Close()
	}
	// Two breaks have recorded 2 × maxBreakLines lines; the third open records the rest and the fourth is clean.
	j, err := Open(path)
	if err == nil {
		t.Fatal("the third open found nothing left to record")
	}
	j.Close()
	if j, err = Open(path); err != nil {
		t.Fatalf("fourth open: %v", err)
	}
	j.Close()
}
