package journal

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestChainRoundTrip(t *testing.T) {
	path := tempJournal(t)
	written := write(t, path, failback()...)
	for i, w := range written {
		if w.Seq != int64(i+1) {
			t.Errorf("record %d has seq %d", i, w.Seq)
		}
		if w.Run == "" || w.Run != written[0].Run {
			t.Errorf("record %d has run %q, want the run of the first (%q)", i, w.Run, written[0].Run)
		}
	}
	if written[0].Prev != "" {
		t.Errorf("the first record names a previous digest %q", written[0].Prev)
	}
	ls := lines(t, path)
	for i := 1; i < len(ls); i++ {
		if written[i].Prev != Digest(ls[i-1]) {
			t.Errorf("record %d: prev %s is not the digest of line %d", i+1, written[i].Prev, i)
		}
	}
	got, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(got) != len(written) {
		t.Fatalf("read %d records, wrote %d", len(got), len(written))
	}
	for i := range got {
		if !got[i].At.Equal(written[i].At) {
			t.Errorf("record %d: at %v read back as %v", i+1, written[i].At, got[i].At)
		}
		got[i].At, written[i].At = time.Time{}, time.Time{}
		got[i].Stamp, written[i].Stamp = got[i].Stamp.UTC(), written[i].Stamp.UTC()
		for k, v := range got[i].ServerStart {
			got[i].ServerStart[k] = v.UTC()
		}
		if !reflect.DeepEqual(got[i], written[i]) {
			t.Errorf("record %d read back differently:\n got %+v\nwant %+v", i+1, got[i], written[i])
		}
	}
	rep := mustVerify(t, path)
	if !rep.OK() || rep.Records != len(written) || !rep.First.Equal(at(0)) || !rep.Last.Equal(at(60)) {
		t.Errorf("report %+v\n%s", rep, problemTexts(rep.Problems))
	}
}

func TestEveryFieldSurvivesTheFile(t *testing.T) {
	// Fill every field by reflection, so a field added to Record without reaching the file fails here.
	var r Record
	v := reflect.ValueOf(&r).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(v.Type().Field(i).Name + " value")
		case reflect.Int, reflect.Int32, reflect.Int64:
			f.SetInt(int64(i + 1))
		case reflect.Slice:
			f.Set(reflect.ValueOf([]int{3, 4}))
		case reflect.Map:
			if f.Type().Elem() == reflect.TypeOf(time.Time{}) {
				f.Set(reflect.ValueOf(map[string]time.Time{"Backup": at(5).UTC()}))
			} else {
				f.Set(reflect.ValueOf(map[string]string{"k": "v"}))
			}
		case reflect.Struct:
			f.Set(reflect.ValueOf(at(i).UTC()))
		default:
			t.Fatalf("field %s of kind %s is not covered by this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	r.Kind = KindStepEnd
	line, err := encode(r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decode(line)
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, line)
	}
	back.At, r.At = back.At.UTC(), r.At.UTC()
	back.Stamp = back.Stamp.UTC()
	if !reflect.DeepEqual(back, r) {
		t.Errorf("round trip lost a field:\n got %+v\nwant %+v\nline %s", back, r, line)
	}
}

func TestTheLineIsPlainReadableJSON(t *testing.T) {
	path := tempJournal(t)
	write(t, path, Record{Kind: KindStepEnd, At: time.Date(2026, 3, 14, 9, 30, 5, 0, time.UTC), Step: "F4",
		Outcome: OutcomeDone, Duration: Duration(3*time.Minute + 12500*time.Millisecond)},
		Record{Kind: KindNote, At: at(1), Text: "<b> & \x1b[2J\u202eevil\u0085 \x7f"})
	ls := lines(t, path)
	first := string(ls[0])
	for _, want := range []string{`{"seq":1,"at":"2026-03-14T09:30:05.000000000Z","kind":"step-end","run":"`,
		`"prev":"",`, `"duration":"3m12.5s"`, `"outcome":"done"`} {
		if !strings.Contains(first, want) {
			t.Errorf("line %s lacks %s", first, want)
		}
	}
	if strings.Contains(first, "text") || strings.Contains(first, "error_number") {
		t.Errorf("empty fields are written: %s", first)
	}
	note := string(ls[1])
	if !strings.Contains(note, `<b> & \u001b[2J\u202eevil\u0085 \u007f`) {
		t.Errorf("a note's control characters are not escaped as \\uXXXX: %s", note)
	}
	var m map[string]any
	if err := json.Unmarshal(ls[1], &m); err != nil || m["text"] != "<b> & \x1b[2J\u202eevil\u0085 \x7f" {
		t.Errorf("escaped line does not decode to the note: %v %q", err, m["text"])
	}
}

func TestOpenCreatesPrivateFiles(t *testing.T) {
	path := tempJournal(t)
	write(t, path, Record{Kind: KindNote, Text: "x"})
	for name, want := range map[string]os.FileMode{dirOf(path): 0o700, path: 0o600, HeadPath(path): 0o600} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&^want != 0 {
			t.Errorf("%s has mode %v, want at most %v", name, st.Mode().Perm(), want)
		}
	}
	var h head
	b, _ := os.ReadFile(HeadPath(path))
	if err := json.Unmarshal(b, &h); err != nil || h.Seq != 1 || h.Digest != Digest(lines(t, path)[0]) {
		t.Errorf("head %s does not name the last record", b)
	}
}

func TestAppendFillsAtAndOnlyTheJournalWritesBreaks(t *testing.T) {
	j, err := Open(tempJournal(t))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	before := time.Now()
	r, err := j.Append(Record{Kind: KindNote, Text: "now"})
	if err != nil || r.At.Before(before) || r.At.After(time.Now()) {
		t.Errorf("At not filled with now: %v %v", r.At, err)
	}
	for _, k := range []Kind{KindBreak, "", "delete"} {
		if _, err := j.Append(Record{Kind: k}); err == nil {
			t.Errorf("a record of kind %q was appended", k)
		}
	}
	if _, err := j.Append(Record{Kind: KindNote, Text: strings.Repeat("x", MaxLine)}); err == nil {
		t.Error("a record longer than MaxLine was appended")
	}
	if rep := mustVerify(t, j.Path()); !rep.OK() || rep.Records != 1 {
		t.Errorf("refused records reached the file: %+v", rep)
	}
}

func TestAppendAfterCloseIsAnError(t *testing.T) {
	j, err := Open(tempJournal(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append(Record{Kind: KindNote}); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close: %v, want ErrClosed", err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	path := tempJournal(t)
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, each = 8, 25
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				if _, err := j.Append(Record{Kind: KindNote, Text: strconv.Itoa(g) + "/" + strconv.Itoa(i)}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	j.Close()
	rep := mustVerify(t, path)
	if !rep.OK() || rep.Records != goroutines*each {
		t.Fatalf("%d records, problems:\n%s", rep.Records, problemTexts(rep.Problems))
	}
}

func TestTwoConsolesOnOneJournalInterleave(t *testing.T) {
	// A read-only console alongside the controlling one: two open journals on one file, as two processes.
	path := tempJournal(t)
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := range 5 {
		ra, err := a.Append(Record{Kind: KindNote, Text: "a"})
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.Append(Record{Kind: KindNote, Text: "b"})
		if err != nil {
			t.Fatalf("the second console's append: %v", err)
		}
		if ra.Seq != int64(2*i+1) || rb.Seq != int64(2*i+2) || ra.Run == rb.Run {
			t.Fatalf("seqs %d, %d and runs %s, %s", ra.Seq, rb.Seq, ra.Run, rb.Run)
		}
	}
	if rep := mustVerify(t, path); !rep.OK() || rep.Records != 10 {
		t.Fatalf("%d records:\n%s", rep.Records, problemTexts(rep.Problems))
	}
}

func TestOpenReturnsTheRecordsForResume(t *testing.T) {
	path := tempJournal(t)
	write(t, path, failback()...)
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if _, err := j.Append(Record{Kind: KindNote, Text: "after"}); err != nil {
		t.Fatal(err)
	}
	got := j.Records()
	if len(got) != len(failback()) || got[len(got)-1].Kind != KindExit {
		t.Errorf("Records() = %d records ending %s; want the %d read at Open", len(got), got[len(got)-1].Kind, len(failback()))
	}
}

func TestOpenRefusesWhatIsNotAJournal(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); err == nil {
		t.Error("Open on a directory succeeded")
	}
	big := dir + "/big.jsonl"
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFile + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Open(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("Open on an oversized file: %v", err)
	}
	if _, err := Verify(dir + "/none.jsonl"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Verify of a missing journal: %v, want ErrNotExist", err)
	}
}
