package logpane

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"pcfailback/transcript"

	"github.com/charmbracelet/x/ansi"
)

func TestRingOverflowKeepsNewestLines(t *testing.T) {
	m := newPane(t, 5, 60, 12)
	m.Append(numbered(0, 7), 0)
	m.Append(numbered(7, 5), 0)
	if m.Len() != 5 || m.Total() != 12 {
		t.Fatalf("Len %d Total %d, want 5 and 12", m.Len(), m.Total())
	}
	if got, want := lastWords(body(m)), seqRange(7, 11); !slices.Equal(got, want) {
		t.Fatalf("pane shows %v, want %v", got, want)
	}
	if !strings.Contains(title(m), "5 of 12 lines kept") {
		t.Fatalf("title %q does not say lines fell off", title(m))
	}
	// A batch larger than the ring.
	m.Append(numbered(12, 13), 0)
	if got, want := lastWords(body(m)), seqRange(20, 24); !slices.Equal(got, want) {
		t.Fatalf("after a large batch the pane shows %v, want %v", got, want)
	}
}

func TestTitleCountsBeforeOverflow(t *testing.T) {
	m := newPane(t, 0, 80, 6)
	if !strings.Contains(title(m), "· 0 lines") {
		t.Fatalf("empty pane title %q", title(m))
	}
	m.Append(numbered(0, 1), 0)
	if !strings.Contains(title(m), "· 1 line ") {
		t.Fatalf("title %q", title(m))
	}
	m.Append(numbered(1, 1233), 0)
	if !strings.Contains(title(m), "1,234 lines") || strings.Contains(title(m), "kept") {
		t.Fatalf("title %q", title(m))
	}
}

func TestDroppedLinesAreShownWhereTheyWere(t *testing.T) {
	m := newPane(t, 0, 80, 10)
	m.Append(numbered(0, 2), 0)
	m.Append(numbered(1502, 2), 1500)
	got := body(m)
	if len(got) != 5 || !strings.Contains(got[2], "! WARN 1,500 lines skipped (see log file)") {
		t.Fatalf("pane shows %q", got)
	}
	if !strings.Contains(got[2], "console") {
		t.Fatalf("the skipped-lines note is not from the console: %q", got[2])
	}
	if m.Total() != 1504 || m.Len() != 5 {
		t.Fatalf("Total %d Len %d, want 1504 and 5", m.Total(), m.Len())
	}
	if !strings.Contains(title(m), "4 of 1,504 lines kept") {
		t.Fatalf("title %q", title(m))
	}
	// Without lines in the batch the note takes the time of the last line.
	m.Append(nil, 3)
	if got := body(m); !strings.Contains(got[len(got)-1], "18:46:06") || !strings.Contains(got[len(got)-1], "3 lines skipped") {
		t.Fatalf("note without a batch: %q", got[len(got)-1])
	}
}

func TestMultiLineTextsBecomeSeveralLines(t *testing.T) {
	m := newPane(t, 0, 80, 10)
	m.Append([]transcript.Line{{At: t0, Source: "SQLPRIMARY", Step: "F4", Kind: transcript.Statement,
		Text: "RESTORE DATABASE [mgc]\r\nFROM DISK = N'x'\r\nWITH REPLACE;\r\n"}}, 0)
	if m.Len() != 3 {
		t.Fatalf("Len %d, want 3", m.Len())
	}
	got := body(m)
	for i, want := range []string{"RESTORE DATABASE [mgc]", "FROM DISK = N'x'", "WITH REPLACE;"} {
		if !strings.HasSuffix(got[i], "> "+want) || !strings.Contains(got[i], "SQLPRIMARY") {
			t.Fatalf("row %d is %q", i, got[i])
		}
	}
}

func TestEveryKindIsMarkedWithoutColour(t *testing.T) {
	m := newPane(t, 0, 120, 20)
	m.Append(sample(), 0)
	v := strings.Join(body(m), "\n")
	for _, want := range []string{
		"● step F3 started", "> BACKUP DATABASE [mgc]", "» [3211] 10 percent processed.",
		"[4035] Processed 51648 pages", "✗ ERROR Msg 3201 Cannot open backup device",
		"! WARN WARNING: 東京のサーバー", "18:21:03 console",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("pane lacks %q:\n%s", want, v)
		}
	}
}

func TestTerminalEscapesInTextAreDefused(t *testing.T) {
	m := newPane(t, 0, 120, 6)
	m.Append([]transcript.Line{{At: t0, Source: "SQL\x1b[31mX", Step: "F\x07", Kind: transcript.Output,
		Text: "\x1b[2J\x1b]0;owned\x07\u009b31m\u202etxt\tend"}}, 0)
	v := m.View()
	for _, bad := range []string{"\x1b[2J", "\x1b]0", "\x07", "\u009b", "\u202e", "\x1b[31mX", "\t"} {
		if strings.Contains(v, bad) {
			t.Fatalf("view passes %q to the terminal: %q", bad, v)
		}
	}
	if !strings.Contains(ansi.Strip(v), `\x1b[2J\x1b]0;owned\x07\u009b31m\u202etxt `) || !strings.HasSuffix(body(m)[0], " end") {
		t.Fatalf("escaped text not shown: %q", ansi.Strip(v))
	}
}

func TestLongAndWideLinesAreCutToTheWidth(t *testing.T) {
	for _, w := range []int{20, 41, 80, 81} {
		m := newPane(t, 0, w, 6)
		m.Append([]transcript.Line{
			{At: t0, Source: "SQLBACKUP", Kind: transcript.Output, Text: strings.Repeat("東京", 100)},
			{At: t0, Source: "SQLBACKUP", Kind: transcript.Output, Text: strings.Repeat("ab", 100)},
			{At: t0, Source: "SQLBACKUP", Kind: transcript.Output, Text: strings.Repeat("👍🏽e\u0301", 50)},
		}, 0)
		checkBounds(t, m.View(), w, 6)
		for _, r := range body(m) {
			if !strings.HasSuffix(r, "…") {
				t.Fatalf("width %d: a cut row does not end in …: %q", w, r)
			}
			// A wide character that does not fit leaves at most one cell unused.
			if cw := ansi.StringWidth(r); cw < w-1 {
				t.Fatalf("width %d: cut row is only %d cells: %q", w, cw, r)
			}
		}
	}
}

func TestWrapShowsWholeLines(t *testing.T) {
	m := newPane(t, 0, 60, 30)
	long := strings.Repeat("backup chain ok; ", 12)
	m.Append([]transcript.Line{
		{At: t0, Source: "SQLBACKUP", Step: "F3", Kind: transcript.Info, Text: long},
		{At: t0, Source: "SQLBACKUP", Step: "F3", Kind: transcript.Info, Text: strings.Repeat("東京", 60)},
	}, 0)
	m = press(m, "w")
	if !m.Wrapping() || !strings.Contains(title(m), "wrap") {
		t.Fatal("w did not turn wrapping on")
	}
	v := m.View()
	checkBounds(t, v, 60, 30)
	plain := strings.Join(body(m), "")
	if strings.Contains(plain, "…") {
		t.Fatal("a wrapped line was cut")
	}
	flat := strings.ReplaceAll(plain, " ", "")
	if !strings.Contains(flat, strings.ReplaceAll(long, " ", "")) || !strings.Contains(flat, strings.Repeat("東京", 60)) {
		t.Fatalf("wrapped text lost characters:\n%s", strings.Join(body(m), "\n"))
	}
	if n := len(body(m)); n < 6 {
		t.Fatalf("wrapped lines take %d rows", n)
	}
	m = press(m, "w")
	if len(body(m)) != 2 {
		t.Fatal("w did not turn wrapping off")
	}
}

func TestWrappedScrollingByRows(t *testing.T) {
	m := newPane(t, 0, 40, 5) // 4 body rows
	lines := numbered(0, 3)
	lines[1].Text = strings.Repeat("x", 100) // several rows
	m.Append(lines, 0)
	m = press(m, "w", "g")
	first := body(m)
	m = press(m, "j")
	second := body(m)
	if first[1] != second[0] {
		t.Fatalf("j did not move by one row:\n%q\n%q", first, second)
	}
	m = press(m, "G", "k")
	if m.Following() {
		t.Fatal("k while wrapped did not pause")
	}
	checkBounds(t, m.View(), 40, 5)
}

func TestFileErrorIsShown(t *testing.T) {
	m := newPane(t, 0, 80, 6)
	m.SetFileError(errors.New("write /var/log/x.log: no space left on device\x1b[2J"))
	f := rows(m)[5]
	if !strings.Contains(f, "✗ ERROR log file: write /var/log/x.log: no space left on device") || strings.Contains(m.View(), "\x1b[2J") {
		t.Fatalf("footer %q", f)
	}
	m.SetFileError(nil)
	if m.hasFooter() {
		t.Fatal("clearing the error kept the footer")
	}
}

func TestVeryLongLineIsCappedInThePane(t *testing.T) {
	m := newPane(t, 0, 80, 6)
	m.Append([]transcript.Line{{At: t0, Source: "SQLBACKUP", Kind: transcript.Output, Text: strings.Repeat("é", 1<<20)}}, 0)
	e := m.data.ring.at(0)
	if len(e.line.Text) > maxTextBytes+64 {
		t.Fatalf("pane keeps %d bytes of one line", len(e.line.Text))
	}
	if !strings.HasSuffix(e.line.Text, "bytes in the log file]") {
		t.Fatalf("capped text does not say so: %q", e.line.Text[len(e.line.Text)-60:])
	}
	m = press(m, "w")
	checkBounds(t, m.View(), 80, 6)
}
