package logpane

import (
	"slices"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFocusAndBlur(t *testing.T) {
	m := newPane(t, 0, 60, 8)
	m.Append(numbered(0, 30), 0)
	focusedTitle := m.View()
	m.Blur()
	if m.Focused() {
		t.Fatal("Blur did not blur")
	}
	if m = press(m, "k"); !m.Following() {
		t.Fatal("a blurred pane handled a key")
	}
	if m.View() == focusedTitle {
		t.Fatal("focus is not visible in the title")
	}
	m.Focus()
	m = press(m, "/")
	m.Blur()
	if m.Capturing() {
		t.Fatal("Blur left the prompt capturing keys")
	}
}

func TestTinyAndZeroSizes(t *testing.T) {
	for _, size := range [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {2, 1}, {1, 3}, {3, 2}, {5, 3}, {12, 4}, {30, 2}} {
		m := newPane(t, 0, size[0], size[1])
		m.SetLogPath("/var/log/pcfailback/failback.log")
		m.Append(sample(), 5)
		checkBounds(t, m.View(), size[0], size[1])
		m = press(m, "w", "k", "/")
		m = typeText(m, "mgc")
		checkBounds(t, m.View(), size[0], size[1])
		m = press(m, "enter", "n", "N", "G")
		checkBounds(t, m.View(), size[0], size[1])
	}
}

func TestZeroModelIsUsable(t *testing.T) {
	var m Model
	if m.View() != "" || m.Len() != 0 || m.Total() != 0 {
		t.Fatal("zero model")
	}
	m.Append(numbered(0, 3), 1)
	m.SetSize(40, 5)
	m.Focus()
	m = press(m, "k", "/", "x", "enter")
	checkBounds(t, m.View(), 40, 5)
	if m.Len() != 4 {
		t.Fatalf("Len %d", m.Len())
	}
}

func TestHelpFollowsState(t *testing.T) {
	m := newPane(t, 0, 60, 8)
	enabled := func(h []string) []string { return h }
	names := func(m Model) []string {
		var out []string
		for _, b := range m.ShortHelp() {
			if b.Enabled() {
				out = append(out, b.Help().Key)
			}
		}
		return enabled(out)
	}
	if got := names(m); !slices.Equal(got, []string{"/", "f", "w"}) {
		t.Fatalf("short help without a search: %v", got)
	}
	m.Append(numbered(0, 5), 0)
	m = press(m, "/")
	if got := names(m); !slices.Equal(got, []string{"enter", "esc"}) {
		t.Fatalf("short help with the prompt open: %v", got)
	}
	m = typeText(m, "line")
	m = press(m, "enter")
	if got := names(m); !slices.Equal(got, []string{"/", "n", "N", "f", "w"}) {
		t.Fatalf("short help with matches: %v", got)
	}
	if len(m.FullHelp()) != 4 || len(DefaultKeyMap().FullHelp()) != 4 || len(DefaultKeyMap().ShortHelp()) != 5 {
		t.Fatal("full help groups")
	}
}

func TestSetStylesAndKeyMap(t *testing.T) {
	m := newPane(t, 0, 60, 5)
	m.Append(sample(), 0)
	before := m.View()
	m.SetStyles(styles(t, "dark"))
	if m.View() == before || ansi.Strip(m.View()) != ansi.Strip(before) {
		t.Fatal("changing the theme should change colours only")
	}
	k := DefaultKeyMap()
	k.Follow.SetKeys("s") // k9s's key for autoscroll
	m.SetKeyMap(k)
	m = press(m, "f")
	if !m.Following() {
		t.Fatal("the old key still works after remapping")
	}
	m = press(m, "s")
	if m.Following() {
		t.Fatal("the remapped key does not work")
	}
	if m.KeyMap().Follow.Keys()[0] != "s" {
		t.Fatal("KeyMap does not return the remapped keys")
	}
}

func TestCommas(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 52311: "52,311", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q, want %q", n, got, want)
		}
	}
}
