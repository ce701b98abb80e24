package health

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

func keyPress(s string) tea.KeyPressMsg {
	switch s {
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

func press(m Model, keys ...string) Model {
	for _, k := range keys {
		m, _ = m.Update(keyPress(k))
	}
	return m
}

func firstRow(m Model) string {
	v := m.View()
	return ansi.Strip(strings.Split(v, "\n")[1])
}

// Scrolling stops at the ends: keys pressed past the last line are not stored up, so the first key back
// moves at once.
func TestScrollStopsAtTheEnds(t *testing.T) {
	in := drive(t, steps.F6b, nil)
	m := New(fixture.Styles(t, "no-color"))
	m.SetSize(100, 10, false)
	m.SetInput(in)
	m.Focus()
	for range 4 { // d until Full detail: more than fits
		if m.level() != Full {
			m = press(m, "d")
		}
	}
	if m.level() != Full {
		t.Fatalf("level %d after d, want Full", m.level())
	}
	maxScroll := m.maxScroll()
	if maxScroll == 0 {
		t.Fatal("full detail fits in 10 rows: the test needs it to scroll")
	}
	for range maxScroll + 20 {
		m = press(m, "j")
	}
	bottom := firstRow(m)
	m = press(m, "k")
	if firstRow(m) == bottom {
		t.Fatal("one k after scrolling past the end did not move the panels")
	}
	if m.scroll != maxScroll-1 {
		t.Fatalf("scroll %d, want %d", m.scroll, maxScroll-1)
	}
	m = press(m, "pgup", "pgup", "pgup", "pgup")
	if m.scroll != 0 {
		t.Fatalf("scroll %d after paging up past the top", m.scroll)
	}
	if !strings.Contains(ansi.Strip(m.View()), "↓ more") {
		t.Error("the title does not say there is more below")
	}
}

// d cycles the detail level from the one the size chose; keys do nothing without the focus.
func TestDetailKey(t *testing.T) {
	in := drive(t, "", nil)
	m := New(fixture.Styles(t, "no-color"))
	m.SetSize(139, 31, false)
	m.SetInput(in)
	auto := m.level()
	m = press(m, "d")
	if m.level() != auto {
		t.Fatal("d changed the level without the focus")
	}
	m.Focus()
	m = press(m, "d")
	if want := (auto + 1) % (Full + 1); m.level() != want {
		t.Fatalf("level %d after d from %d, want %d", m.level(), auto, want)
	}
	if !m.Focused() {
		t.Fatal("Focused is false after Focus")
	}
}

// The level is the richest that fits: more room, more detail.
func TestLevelFollowsSize(t *testing.T) {
	in := drive(t, steps.F6b, nil)
	m := New(fixture.Styles(t, "no-color"))
	m.SetInput(in)
	var prev Level = -1
	for _, h := range []int{4, 10, 20, 60} {
		m.SetSize(139, h, false)
		if l := m.level(); l < prev {
			t.Fatalf("height %d shows level %d, less than %d at a smaller height", h, l, prev)
		} else {
			prev = l
		}
	}
	if prev != Full {
		t.Fatalf("60 rows show level %d, want Full", prev)
	}
	m.SetSize(139, 4, false)
	m.SetZoom(true)
	if m.level() != Full {
		t.Fatal("zoomed panels do not show full detail")
	}
}

// Copies of the panels share the render cache but never each other's pictures: each draws its own data.
func TestCopiesDrawTheirOwnData(t *testing.T) {
	start, end := drive(t, "", nil), drive(t, steps.F6b, nil)
	m := New(fixture.Styles(t, "no-color"))
	m.SetSize(139, 31, false)
	m.SetInput(start)
	old := m
	before := old.View()
	m.SetInput(end)
	after := m.View()
	if after == before {
		t.Fatal("new data drew the old picture")
	}
	if again := old.View(); again != before {
		t.Fatal("a copy with the old data drew the new picture")
	}
	if m.View() != after {
		t.Fatal("drawing twice with nothing changed gave two pictures")
	}
}

// Sizes too small to draw anything draw nothing, without panicking.
func TestDegenerateSizes(t *testing.T) {
	in := drive(t, "", nil)
	for _, sz := range [][3]int{{0, 0, 0}, {1, 1, 0}, {1, 1, 1}, {3, 2, 0}, {-5, 10, 1}, {10, -1, 0}} {
		m := New(fixture.Styles(t, "dark"))
		m.SetSize(sz[0], sz[1], sz[2] == 1)
		m.SetInput(in)
		m.Focus()
		m = press(m, "j", "d", "pgdown", "k")
		v := m.View()
		if sz[0] <= 0 || sz[1] <= 0 {
			if v != "" {
				t.Errorf("%v drew %q", sz, v)
			}
			continue
		}
		if rows := len(strings.Split(v, "\n")); rows > sz[1] && sz[1] > 1 {
			t.Errorf("%v drew %d rows", sz, rows)
		}
	}
}
