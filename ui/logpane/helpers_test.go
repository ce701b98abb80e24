package logpane

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pcfailback/themes"
	"pcfailback/transcript"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// cet is the zone of the examples in the runbook; tests pin it so times render the same everywhere.
var cet = time.FixedZone("CET", 3600)

var t0 = time.Date(2026, 11, 27, 18, 21, 3, 0, cet)

func styles(t testing.TB, theme string) themes.Styles {
	t.Helper()
	p, err := themes.Lookup(theme)
	if err != nil {
		t.Fatal(err)
	}
	return themes.NewStyles(p)
}

func newPane(t testing.TB, capacity, w, h int) Model {
	t.Helper()
	m := New(capacity, styles(t, "no-color"), cet)
	m.SetSize(w, h)
	return m
}

// numbered returns n output lines "line 0" ... from SQLBACKUP, one second apart.
func numbered(from, n int) []transcript.Line {
	lines := make([]transcript.Line, n)
	for i := range lines {
		lines[i] = transcript.Line{At: t0.Add(time.Duration(from+i) * time.Second), Source: "SQLBACKUP", Step: "F3",
			Kind: transcript.Output, Text: fmt.Sprintf("line %d", from+i)}
	}
	return lines
}

// key builds the key press a terminal sends for a key name as written in the key map.
func keyPress(s string) tea.KeyPressMsg {
	named := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "enter": tea.KeyEnter, "esc": tea.KeyEscape,
		"backspace": tea.KeyBackspace,
	}
	if c, ok := named[s]; ok {
		return tea.KeyPressMsg{Code: c}
	}
	if strings.HasPrefix(s, "ctrl+") {
		return tea.KeyPressMsg{Code: rune(s[len(s)-1]), Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// press sends keys to the pane in order.
func press(m Model, keys ...string) Model {
	for _, k := range keys {
		m, _ = m.Update(keyPress(k))
	}
	return m
}

// typeText types s into the pane, one key per character.
func typeText(m Model, s string) Model {
	for _, r := range s {
		m, _ = m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// rows returns the view without styling, one string per row.
func rows(m Model) []string {
	return strings.Split(ansi.Strip(m.View()), "\n")
}

// body returns the rows between the title and the footer, without styling and without trailing blank rows.
func body(m Model) []string {
	r := rows(m)[1:]
	if m.hasFooter() {
		r = r[:len(r)-1]
	}
	for len(r) > 0 && strings.TrimSpace(r[len(r)-1]) == "" {
		r = r[:len(r)-1]
	}
	return r
}

func title(m Model) string { return rows(m)[0] }

// checkBounds fails when the view is not exactly h rows or any row is wider than w.
func checkBounds(t testing.TB, view string, w, h int) {
	t.Helper()
	if w <= 0 || h <= 0 {
		if view != "" {
			t.Fatalf("%dx%d pane rendered %q", w, h, view)
		}
		return
	}
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d pane rendered %d rows", w, h, len(lines))
	}
	for i, l := range lines {
		if cw := ansi.StringWidth(l); cw > w {
			t.Fatalf("%dx%d pane: row %d is %d cells wide: %q", w, h, i, cw, ansi.Strip(l))
		}
	}
}

// sample is a log with every kind of line, wide characters, a very long line, a multi-line statement and a line
// that tries to send terminal escapes.
func sample() []transcript.Line {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	return []transcript.Line{
		{At: at(0), Source: "console", Kind: transcript.Console, Text: "step F3 started: full backup of mgc on SQLBACKUP"},
		{At: at(1), Source: "SQLBACKUP", Step: "F3", Kind: transcript.Statement,
			Text: "BACKUP DATABASE [mgc]\r\n\tTO DISK = N'\\\\fs01\\pchat\\mgc_failback.bak'\r\n\tWITH INIT, STATS = 10;"},
		{At: at(2), Source: "SQLBACKUP", Step: "F3", Kind: transcript.Progress, Number: 3211, Text: "10 percent processed."},
		{At: at(3), Source: "SQLBACKUP", Step: "F3", Kind: transcript.Progress, Number: 3211, Text: "100 percent processed."},
		{At: at(4), Source: "SQLBACKUP", Step: "F3", Kind: transcript.Info, Number: 4035,
			Text: "Processed 51648 pages for database 'mgc', file 'mgc' on file 1."},
		{At: at(5), Source: "SQLBACKUP", Step: "F3", Kind: transcript.Info, Number: 3014,
			Text: "BACKUP DATABASE successfully processed 51650 pages in 3.588 seconds (112.461 MB/sec)."},
		{At: at(6), Source: "SQLPRIMARY", Step: "F4", Kind: transcript.Error, Number: 3201,
			Text: "Cannot open backup device '\\\\fs01\\pchat\\mgc_failback.bak'. Operating system error 5(Access is denied.)."},
		{At: at(7), Source: "SQLPRIMARY", Step: "F4", Kind: transcript.Error, Number: 3013,
			Text: "RESTORE DATABASE is terminating abnormally."},
		{At: at(8), Source: "lyncfe01.contoso.local", Step: "F6", Kind: transcript.Warning,
			Text: "WARNING: 東京のサーバー pchat-東京-01 は応答していません 👍🏽 — retrying"},
		{At: at(9), Source: "lyncfe01.contoso.local", Step: "F6", Kind: transcript.Output,
			Text: "Identity: service:atl-pchat-pool.contoso.local  PoolState: FailedOver  " +
				strings.Repeat("ActiveServers: {pchat01.contoso.local, pchat02.contoso.local} ", 6)},
		{At: at(10), Source: "SQLBACKUP", Step: "probe", Kind: transcript.Output, Text: "\x1b[2J\x1b]0;owned\x07evil\u202eoverride"},
		{At: at(11), Source: "console", Kind: transcript.Console, Text: "step F4 failed: Msg 3201 — fix the share rights and retry"},
	}
}

func themeStylesNoColor() themes.Styles {
	p, _ := themes.Lookup("no-color")
	return themes.NewStyles(p)
}
