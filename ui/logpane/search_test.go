package logpane

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pcfailback/transcript"

	tea "charm.land/bubbletea/v2"
)

func TestSearchNextPrevWraps(t *testing.T) {
	m := newPane(t, 0, 100, 8)
	m.Append(sample(), 0)
	m = press(m, "g", "/")
	if !m.Capturing() {
		t.Fatal("/ did not open the prompt")
	}
	m = typeText(m, "3201")
	m = press(m, "enter")
	if m.Capturing() {
		t.Fatal("enter did not close the prompt")
	}
	// "3201" is the number of the error line and part of the console's failure line.
	if !strings.Contains(title(m), "match 1/2") {
		t.Fatalf("title %q", title(m))
	}
	current := func() string {
		for _, r := range body(m) {
			if strings.HasPrefix(r, "▸ ") {
				return r
			}
		}
		return ""
	}
	if !strings.Contains(current(), "Msg 3201 Cannot open") {
		t.Fatalf("current match row %q", current())
	}
	m = press(m, "n")
	if !strings.Contains(title(m), "match 2/2") || !strings.Contains(current(), "step F4 failed") {
		t.Fatalf("n: title %q, current %q", title(m), current())
	}
	m = press(m, "n")
	if !strings.Contains(title(m), "match 1/2") || !strings.Contains(rows(m)[7], "search wrapped") {
		t.Fatalf("n at the last match: title %q, footer %q", title(m), rows(m)[7])
	}
	m = press(m, "N")
	if !strings.Contains(title(m), "match 2/2") || !strings.Contains(rows(m)[7], "search wrapped") {
		t.Fatalf("N at the first match: title %q, footer %q", title(m), rows(m)[7])
	}
	m = press(m, "N")
	if !strings.Contains(title(m), "match 1/2") || m.hasFooter() {
		t.Fatal("the wrap message outlived the next key")
	}
	if m.Following() {
		t.Fatal("jumping to a match did not stop following")
	}
}

func TestSearchFieldsAndCase(t *testing.T) {
	m := newPane(t, 0, 120, 20)
	m.Append(sample(), 0)
	for term, want := range map[string]int{
		"LYNCFE01":        2, // source
		"probe":           1, // step
		"msg 3013":        1, // number as shown
		"[4035]":          1,
		"東京":              1,
		"ACCESS IS":       1,
		"\\\\fs01\\pchat": 2,
	} {
		m = press(m, "/")
		m = typeText(m, term)
		m = press(m, "enter")
		if got := len(m.data.search.hits); got != want {
			t.Errorf("search %q found %d lines, want %d", term, got, want)
		}
	}
	m = press(m, "/")
	m = typeText(m, "no such thing")
	m = press(m, "enter")
	if !strings.Contains(title(m), "no matches") {
		t.Fatalf("title after a fruitless search: %q", title(m))
	}
	if !strings.Contains(rows(m)[19], `no match for "no such thing"`) {
		t.Fatalf("footer %q", rows(m)[19])
	}
}

func TestSearchStartsAtTheView(t *testing.T) {
	m := newPane(t, 0, 60, 6) // 5 body rows
	lines := numbered(0, 30)
	for _, i := range []int{2, 12, 22} {
		lines[i].Text = fmt.Sprintf("needle %d", i)
	}
	m.Append(lines, 0)
	m = press(m, "g", "pgdown", "pgdown") // top at line 10
	m = press(m, "/")
	m = typeText(m, "needle")
	m = press(m, "enter")
	if !strings.Contains(title(m), "match 2/3") {
		t.Fatalf("search did not start at the top of the view: %q", title(m))
	}
	// The match was visible: the view did not move.
	if got := lastWords(body(m))[0]; got != "10" {
		t.Fatalf("view moved to %s for a visible match", got)
	}
	m = press(m, "n")
	if !strings.HasPrefix(findRow(body(m), "needle 22"), "▸ ") {
		t.Fatalf("n did not bring line 22 into view: %q", body(m))
	}
	// Searching below the last match wraps.
	m = press(m, "G", "/")
	m = typeText(m, "needle 2")
	m = press(m, "enter")
	// "needle 2" is in lines 2 and 22, both above the tail.
	if !strings.Contains(rows(m)[5], "search wrapped") || !strings.Contains(title(m), "match 1/2") {
		t.Fatalf("title %q footer %q", title(m), rows(m)[5])
	}
}

// findRow returns the first row holding s, or "".
func findRow(rows []string, s string) string {
	for _, r := range rows {
		if strings.Contains(r, s) {
			return r
		}
	}
	return ""
}

func TestSearchAfterOverflow(t *testing.T) {
	m := newPane(t, 10, 100, 12)
	mk := func(from, n int, needles ...int) []transcript.Line {
		lines := numbered(from, n)
		for _, i := range needles {
			lines[i-from].Text = fmt.Sprintf("needle %d", i)
		}
		return lines
	}
	m.Append(mk(0, 10, 1, 4, 8), 0)
	m = press(m, "/")
	m = typeText(m, "needle")
	m = press(m, "enter", "n") // line 4
	if !strings.Contains(title(m), "match 2/3") {
		t.Fatalf("title %q", title(m))
	}
	// Lines 0-2 fall off (with the first match); new lines bring two more matches.
	m.Append(mk(10, 3, 11, 12), 0)
	if !strings.Contains(title(m), "match 1/4") {
		t.Fatalf("after overflow the title is %q, want match 1/4 (line 4 is now the first match)", title(m))
	}
	if got := m.data.search.hits; !slices.Equal(got, []int64{4, 8, 11, 12}) {
		t.Fatalf("hits %v", got)
	}
	m = press(m, "n")
	if !strings.Contains(findRow(body(m), "▸"), "needle 8") {
		t.Fatalf("n after overflow went to %q", findRow(body(m), "▸"))
	}
	// The current match falls off: n continues with the oldest remaining match.
	m.Append(mk(13, 7, 15), 0)
	if !strings.Contains(title(m), "· 3 matches") {
		t.Fatalf("title %q once the current match fell off", title(m))
	}
	m = press(m, "n")
	if !strings.Contains(findRow(body(m), "▸"), "needle 11") || !strings.Contains(title(m), "match 1/3") {
		t.Fatalf("n after the current match fell off: %q, %q", findRow(body(m), "▸"), title(m))
	}
	// Everything falls off.
	m.Append(numbered(20, 10), 0)
	m = press(m, "n")
	if !strings.Contains(title(m), "no matches") || !strings.Contains(rows(m)[11], `no match for "needle"`) {
		t.Fatalf("title %q footer %q", title(m), rows(m)[11])
	}
}

func TestSearchPromptCapturesKeys(t *testing.T) {
	m := newPane(t, 0, 60, 8)
	m.Append(numbered(0, 30), 0)
	m = press(m, "/")
	m = typeText(m, "jkgGfwq")
	if !m.Following() || m.Wrapping() {
		t.Fatal("keys typed into the prompt reached the pane")
	}
	if got := m.prompt.Value(); got != "jkgGfwq" {
		t.Fatalf("prompt holds %q", got)
	}
	if !strings.Contains(rows(m)[7], "/jkgGfwq") {
		t.Fatalf("footer %q", rows(m)[7])
	}
	m = press(m, "backspace", "esc")
	if m.Capturing() || m.data.search.active() {
		t.Fatal("esc searched or left the prompt open")
	}
	// The prompt opens empty, and an empty search clears the last one.
	m = press(m, "/")
	m = typeText(m, "line 1")
	m = press(m, "enter")
	if !m.data.search.active() {
		t.Fatal("no search")
	}
	m = press(m, "/")
	if m.prompt.Value() != "" {
		t.Fatal("the prompt did not open empty")
	}
	m = press(m, "enter")
	if m.data.search.active() || strings.Contains(title(m), "match") || strings.HasPrefix(body(m)[0], "  ") {
		t.Fatal("an empty search did not clear the last one")
	}
}

func TestPasteIntoTheSearchPrompt(t *testing.T) {
	m := newPane(t, 0, 80, 8)
	m.Append(sample(), 0)
	m, _ = m.Update(tea.PasteMsg{Content: "ERROR"}) // no prompt: ignored
	m = press(m, "/")
	m, _ = m.Update(tea.PasteMsg{Content: "mgc_failback"})
	m = press(m, "enter")
	if got := len(m.data.search.hits); got != 2 {
		t.Fatalf("pasted search found %d lines, want 2", got)
	}
	if m.Init() != nil {
		t.Fatal("Init started something")
	}
}
