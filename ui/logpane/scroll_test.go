package logpane

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// lastWords returns the last field of each row ("line 17" rows give "17").
func lastWords(rows []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		f := strings.Fields(r)
		if len(f) > 0 {
			out[i] = f[len(f)-1]
		}
	}
	return out
}

// seqRange returns the numbers from..to as strings, to compare with lastWords.
func seqRange(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprint(i))
	}
	return out
}

func TestFollowTransitions(t *testing.T) {
	m := newPane(t, 0, 60, 7) // title + 6 body rows
	m.Append(numbered(0, 20), 0)
	if !m.Following() || !strings.Contains(title(m), "following") {
		t.Fatal("a new pane does not follow")
	}
	if got := lastWords(body(m)); !slices.Equal(got, seqRange(14, 19)) {
		t.Fatalf("following shows %v", got)
	}
	// Moving down while following changes nothing.
	m = press(m, "j", "pgdown", "ctrl+d")
	if !m.Following() || !slices.Equal(lastWords(body(m)), seqRange(14, 19)) {
		t.Fatal("moving down while following left the tail")
	}
	// Scrolling up pauses, and new lines no longer move the view.
	m = press(m, "k")
	if m.Following() || !strings.Contains(title(m), "paused — f to follow") {
		t.Fatalf("k did not pause: title %q", title(m))
	}
	if got := lastWords(body(m)); !slices.Equal(got, seqRange(13, 18)) {
		t.Fatalf("after k the pane shows %v", got)
	}
	m.Append(numbered(20, 5), 0)
	if got := lastWords(body(m)); !slices.Equal(got, seqRange(13, 18)) {
		t.Fatalf("new lines moved a paused view: %v", got)
	}
	// Scrolling down to the tail does not resume following by itself.
	m = press(m, "pgdown", "pgdown")
	if m.Following() {
		t.Fatal("reaching the tail turned following on")
	}
	if got := lastWords(body(m)); !slices.Equal(got, seqRange(19, 24)) {
		t.Fatalf("page down did not stop at the tail: %v", got)
	}
	m.Append(numbered(25, 1), 0)
	if got := lastWords(body(m)); !slices.Equal(got, seqRange(19, 24)) {
		t.Fatalf("a paused view at the tail moved: %v", got)
	}
	// G and End go to the tail and follow.
	m = press(m, "G")
	if !m.Following() || !slices.Equal(lastWords(body(m)), seqRange(20, 25)) {
		t.Fatal("G did not resume following")
	}
	m = press(m, "g")
	if m.Following() || !slices.Equal(lastWords(body(m)), seqRange(0, 5)) {
		t.Fatalf("g did not go to the top: %v", lastWords(body(m)))
	}
	m = press(m, "end")
	if !m.Following() {
		t.Fatal("End did not resume following")
	}
	m = press(m, "home")
	if m.Following() || lastWords(body(m))[0] != "0" {
		t.Fatal("Home did not go to the top")
	}
	// f toggles; turning it off keeps the view where it is.
	m = press(m, "f")
	if !m.Following() || lastWords(body(m))[5] != "25" {
		t.Fatal("f did not follow")
	}
	m = press(m, "f")
	m.Append(numbered(26, 3), 0)
	if m.Following() || lastWords(body(m))[5] != "25" {
		t.Fatalf("f off did not freeze the view: %v", lastWords(body(m)))
	}
}

func TestPageAndHalfPageMoves(t *testing.T) {
	m := newPane(t, 0, 60, 11) // 10 body rows
	m.Append(numbered(0, 100), 0)
	m = press(m, "pgup")
	if got := lastWords(body(m))[0]; got != "80" {
		t.Fatalf("pgup: top is line %s, want 80", got)
	}
	m = press(m, "ctrl+u")
	if got := lastWords(body(m))[0]; got != "75" {
		t.Fatalf("ctrl+u: top is line %s, want 75", got)
	}
	m = press(m, "ctrl+d", "up", "up", "down")
	if got := lastWords(body(m))[0]; got != "79" {
		t.Fatalf("ctrl+d up up down: top is line %s, want 79", got)
	}
	m = press(m, "g", "k", "up", "pgup")
	if got := lastWords(body(m))[0]; got != "0" {
		t.Fatalf("scrolling above the top moved to %s", got)
	}
}

func TestLinesFallingOffAPausedView(t *testing.T) {
	m := newPane(t, 10, 60, 5)
	m.Append(numbered(0, 10), 0)
	m = press(m, "g")
	m.Append(numbered(10, 4), 0)
	if got := lastWords(body(m)); got[0] != "4" {
		t.Fatalf("the view kept a line that fell off: %v", got)
	}
}
