package transcript

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var cet = time.FixedZone("CET", 3600)

// at is a fixed instant for formatting tests: 2026-11-27 18:21:03.412 CET.
func at(ms int) time.Time {
	return time.Date(2026, 11, 27, 18, 21, 3, 0, cet).Add(time.Duration(ms) * time.Millisecond)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func openTemp(t *testing.T) *File {
	t.Helper()
	f, err := OpenFile(filepath.Join(t.TempDir(), "pcfailback.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestFileLayout(t *testing.T) {
	f := openTemp(t)
	lines := []Line{
		{At: at(412), Source: "SQLBACKUP", Step: "F3", Kind: Info, Number: 3211, Text: "10 percent processed."},
		{At: at(500), Source: "SQLPRIMARY", Step: "F4", Kind: Error, Number: 3201,
			Text: `Cannot open backup device '\\fs01\pchat\mgc.bak'. Operating system error 5(Access is denied.).`},
		{At: at(600), Source: "console", Kind: Console, Text: "step F4 failed"},
		{At: at(700), Source: "lyncfe01.contoso.local", Step: "F6", Kind: Progress, Number: 3211, Text: "100 percent processed."},
		{At: at(800).UTC(), Source: "SQLBACKUP", Step: "probe", Kind: Output, Text: ""},
		{At: at(900), Source: "SQLBACKUP", Step: "F3", Kind: Kind(42), Number: 123456, Text: "unknown kind"},
	}
	if err := f.Write(lines); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"2026-11-27T18:21:03.412+01:00  SQLBACKUP      F3     info     3211  10 percent processed.\n" +
		"2026-11-27T18:21:03.500+01:00  SQLPRIMARY     F4     ERROR    3201  Cannot open backup device " +
		`'\\fs01\pchat\mgc.bak'. Operating system error 5(Access is denied.).` + "\n" +
		"2026-11-27T18:21:03.600+01:00  console        -      console  -     step F4 failed\n" +
		"2026-11-27T18:21:03.700+01:00  lyncfe01.contoso.local F6     progress 3211  100 percent processed.\n" +
		"2026-11-27T17:21:03.800Z  SQLBACKUP      probe  out      -\n" +
		"2026-11-27T18:21:03.900+01:00  SQLBACKUP      F3     ?        123456 unknown kind\n"
	if got := readFile(t, f.Path()); got != want {
		t.Fatalf("file content:\n%s\nwant:\n%s", got, want)
	}
}

func TestFileSplitsMultiLineTextsAndEscapes(t *testing.T) {
	f := openTemp(t)
	err := f.Write([]Line{
		{At: at(0), Source: "SQLPRIMARY", Step: "F4", Kind: Statement,
			Text: "RESTORE DATABASE [mgc]\r\n  FROM DISK = N'\\\\fs01\\pchat\\mgc.bak'\r\n\tWITH REPLACE, STATS = 10;\r\n"},
		{At: at(1), Source: "evil\x1b]0;x\x07 host", Step: "F\n3", Kind: Output, Text: "\x1b[2J\x1b[Hcleared\u009b?25l \u202e"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "" +
		"2026-11-27T18:21:03.000+01:00  SQLPRIMARY     F4     sent     -     RESTORE DATABASE [mgc]\n" +
		"2026-11-27T18:21:03.000+01:00  SQLPRIMARY     F4     sent     -       FROM DISK = N'\\\\fs01\\pchat\\mgc.bak'\n" +
		"2026-11-27T18:21:03.000+01:00  SQLPRIMARY     F4     sent     -     \tWITH REPLACE, STATS = 10;\n" +
		`2026-11-27T18:21:03.001+01:00  evil\x1b]0;x\x07\x20host F\x0a3 out      -     \x1b[2J\x1b[Hcleared\u009b?25l \u202e` + "\n"
	got := readFile(t, f.Path())
	if got != want {
		t.Fatalf("file content:\n%q\nwant:\n%q", got, want)
	}
	for _, rec := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		checkSafe(t, rec)
		if n := len(strings.Fields(rec)); n < 5 {
			t.Errorf("record has %d fields, want at least 5: %q", n, rec)
		}
	}
}

func TestFileCreatedPrivateAndAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pcfailback.log")
	f, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write([]Line{{At: at(0), Source: "console", Kind: Console, Text: "first run"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm&0o077 != 0 {
			t.Fatalf("log file mode %v is readable by others", perm)
		}
	}
	f, err = OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Write([]Line{{At: at(1), Source: "console", Kind: Console, Text: "second run"}}); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, path)
	if !strings.Contains(got, "first run\n") || !strings.HasSuffix(got, "second run\n") {
		t.Fatalf("reopening did not append:\n%s", got)
	}
}

func TestFileWriteIsOnDiskWhenWriteReturns(t *testing.T) {
	f := openTemp(t)
	for i := range 3 {
		if err := f.Write([]Line{{At: at(i), Source: "SQLBACKUP", Kind: Progress, Number: 3211, Text: "x"}}); err != nil {
			t.Fatal(err)
		}
		// Another reader sees every record at once: nothing waits in a buffer of the writer.
		if n := strings.Count(readFile(t, f.Path()), "\n"); n != i+1 {
			t.Fatalf("after write %d the file holds %d records", i+1, n)
		}
	}
}

func TestFileErrors(t *testing.T) {
	if _, err := OpenFile(filepath.Join(t.TempDir(), "missing", "dir", "x.log")); err == nil {
		t.Fatal("OpenFile in a missing directory succeeded")
	}
	f := openTemp(t)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := f.Write([]Line{{Text: "late"}}); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("Write after Close = %v, want os.ErrClosed", err)
	}
	if err := f.Write(nil); err != nil {
		t.Fatalf("empty Write after Close = %v, want nil", err)
	}
	var nilFile *File
	if err := nilFile.Write([]Line{{Text: "x"}}); !errors.Is(err, ErrNoFile) {
		t.Fatalf("nil File Write = %v", err)
	}
	if nilFile.Path() != "" || nilFile.Close() != nil {
		t.Fatal("nil File Path/Close misbehave")
	}
}

func TestFileDoesNotKeepHugeBuffers(t *testing.T) {
	f := openTemp(t)
	big := strings.Repeat("x", 2*maxKeptBuffer)
	if err := f.Write([]Line{{Text: big}}); err != nil {
		t.Fatal(err)
	}
	if cap(f.buf) > maxKeptBuffer {
		t.Fatalf("File kept a %d byte buffer after a huge batch", cap(f.buf))
	}
	if err := f.Write([]Line{{Text: "small"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(readFile(t, f.Path()), "small\n") {
		t.Fatal("small write after a huge one was lost")
	}
}

func FuzzRecord(f *testing.F) {
	f.Add("SQLBACKUP", "F3", int32(3211), uint8(0), "10 percent processed.")
	f.Add("", "", int32(0), uint8(5), "")
	f.Add("a b\tc", "F\n3", int32(-1), uint8(3), "x\r\ny\rz\n\n")
	f.Add("\x1b[31m", "\u202e", int32(2147483647), uint8(200), "\xff\x00\u009b")
	f.Fuzz(func(t *testing.T, source, step string, number int32, kind uint8, text string) {
		l := Line{At: at(0), Source: source, Step: step, Kind: Kind(kind), Number: number, Text: text}
		out := string(appendRecords(nil, l))
		if !strings.HasSuffix(out, "\n") {
			t.Fatalf("record does not end in a newline: %q", out)
		}
		recs := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		want := 0
		for range l.TextLines() {
			want++
		}
		if len(recs) != want {
			t.Fatalf("%d records for %d text lines: %q", len(recs), want, out)
		}
		for _, rec := range recs {
			checkSafe(t, rec)
			fields := strings.Fields(rec)
			if len(fields) < 5 {
				t.Fatalf("record has %d fields: %q", len(fields), rec)
			}
			if _, err := time.Parse(time.RFC3339Nano, fields[0]); err != nil {
				t.Fatalf("time column %q: %v", fields[0], err)
			}
			if fields[3] != Kind(kind).String() {
				t.Fatalf("kind column %q, want %q", fields[3], Kind(kind).String())
			}
		}
	})
}

func TestFileConcurrentBatchesStayWhole(t *testing.T) {
	f := openTemp(t)
	const writers, batches, size = 4, 200, 5
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				batch := make([]Line, size)
				for i := range batch {
					batch[i] = Line{At: at(i), Source: fmt.Sprintf("w%d", w), Step: fmt.Sprintf("b%d", b), Text: fmt.Sprint(i)}
				}
				if err := f.Write(batch); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	recs := strings.Split(strings.TrimSuffix(readFile(t, f.Path()), "\n"), "\n")
	if len(recs) != writers*batches*size {
		t.Fatalf("%d records, want %d", len(recs), writers*batches*size)
	}
	for i := 0; i < len(recs); i += size {
		head := strings.Fields(recs[i])
		for j := 0; j < size; j++ {
			f := strings.Fields(recs[i+j])
			if f[1] != head[1] || f[2] != head[2] || f[5] != fmt.Sprint(j) {
				t.Fatalf("batch starting at record %d was interleaved: %q", i, recs[i+j])
			}
		}
	}
}
