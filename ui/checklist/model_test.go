package checklist

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

func newList(t *testing.T, w, h int) Model {
	t.Helper()
	m := New(fixture.Styles(t, "no-color"), DefaultKeyMap())
	m.SetSize(w, h)
	m.SetItems(items())
	m.Focus()
	return m
}

// The keys move the cursor within the list and turn into intents for the step under it; nothing happens
// without the focus.
func TestKeys(t *testing.T) {
	m := newList(t, 60, 20)
	m, msgs := press(m, "j", "down", "k", "j")
	if m.Selected() != steps.F2 || len(msgs) != 0 {
		t.Fatalf("cursor on %s with intents %v, want F2 and none", m.Selected(), msgs)
	}
	m, msgs = press(m, "enter", "s", "x")
	want := []any{PreviewMsg{ID: steps.F2}, SkipMsg{ID: steps.F2}, CancelMsg{ID: steps.F2}}
	if len(msgs) != len(want) {
		t.Fatalf("intents %v, want %v", msgs, want)
	}
	for i := range want {
		if msgs[i] != want[i] {
			t.Errorf("intent %d is %#v, want %#v", i, msgs[i], want[i])
		}
	}
	m, _ = press(m, "G", "j", "j")
	if m.Selected() != steps.F6b {
		t.Fatalf("cursor on %s after G and more j, want the last step", m.Selected())
	}
	m, _ = press(m, "g", "k")
	if m.Selected() != steps.F0 {
		t.Fatalf("cursor on %s after g and k, want the first step", m.Selected())
	}
	m.Blur()
	m, msgs = press(m, "j", "enter")
	if m.Selected() != steps.F0 || len(msgs) != 0 {
		t.Fatal("the checklist acted on keys without the focus")
	}
	if m.Focused() {
		t.Fatal("Focused after Blur")
	}
}

// Keys that would act on the running step are disabled in read-only mode and then do nothing.
func TestDisabledKeys(t *testing.T) {
	m := newList(t, 60, 20)
	m.KeyMap().Skip.SetEnabled(false)
	m.KeyMap().Cancel.SetEnabled(false)
	if _, msgs := press(m, "s", "x"); len(msgs) != 0 {
		t.Fatalf("disabled keys sent %v", msgs)
	}
}

// rowsShown is the step IDs visible, top to bottom.
func rowsShown(m Model) []string {
	var ids []string
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n")[1:] {
		if strings.HasPrefix(l, "─") {
			break // the selected step's detail follows
		}
		f := strings.Fields(strings.TrimPrefix(l, "▸"))
		if len(f) > 0 && strings.HasPrefix(f[0], "F") && len(f[0]) <= 3 {
			ids = append(ids, f[0])
		}
	}
	return ids
}

// The window scrolls only when the cursor would leave it, and remembers where it is between frames: moving
// up from the bottom moves the cursor, not the window.
func TestWindowFollowsCursor(t *testing.T) {
	m := newList(t, 56, 10) // 6 rows of steps under the title, 3 of detail
	m, _ = press(m, "G")
	bottom := rowsShown(m)
	if bottom[len(bottom)-1] != "F6b" {
		t.Fatalf("after G the window shows %v", bottom)
	}
	m, _ = press(m, "k", "k")
	if got := rowsShown(m); strings.Join(got, " ") != strings.Join(bottom, " ") {
		t.Fatalf("moving up inside the window moved it: %v, was %v", got, bottom)
	}
	for range len(bottom) {
		m, _ = press(m, "k")
	}
	if got := rowsShown(m); got[0] != string(m.Selected()) {
		t.Fatalf("cursor %s above the window %v", m.Selected(), got)
	}
	m, _ = press(m, "g")
	if got := rowsShown(m); got[0] != "F0" {
		t.Fatalf("after g the window shows %v", got)
	}
}

// Copies share the render cache but each draws its own state.
func TestCopiesDrawTheirOwnState(t *testing.T) {
	m := newList(t, 60, 20)
	old := m
	before := old.View()
	m, _ = press(m, "j")
	after := m.View()
	if after == before {
		t.Fatal("moving the cursor drew the same picture")
	}
	if old.View() != before {
		t.Fatal("a copy drew another copy's cursor")
	}
	changed := items()
	changed[0].Display.Label = "failed"
	m.SetItems(changed)
	if m.View() == after {
		t.Fatal("new rows drew the old picture")
	}
}

// An empty checklist and degenerate sizes draw without panicking, within their bounds.
func TestEmptyAndTiny(t *testing.T) {
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {5, 2}, {20, 5}, {-3, 4}} {
		for _, its := range [][]Item{nil, items()} {
			m := New(fixture.Styles(t, "dark"), DefaultKeyMap())
			m.SetSize(sz[0], sz[1])
			m.SetItems(its)
			m.Focus()
			m, _ = press(m, "j", "G", "enter", "k")
			v := m.View()
			if sz[0] <= 0 || sz[1] <= 0 {
				if v != "" {
					t.Errorf("%v drew %q", sz, v)
				}
				continue
			}
			fixture.CheckBounds(t, v, sz[0], sz[1])
		}
	}
}
