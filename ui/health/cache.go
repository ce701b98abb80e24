package health

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// viewCache keeps the last rendered panels. It lives behind a pointer shared by every copy of the Model: the
// root model's View works on a copy, so a cache stored in the copy would be dropped after every frame and the
// panels re-rendered after every message (the log flood included).
type viewCache struct {
	key viewKey
	out string
	ok  bool
}

// viewKey is everything the rendering depends on; gen changes with every SetInput.
type viewKey struct {
	gen                      uint64
	width, height, scroll    int
	stacked, zoomed, focused bool
	forced                   Level
}

func (m *Model) viewKey() viewKey {
	return viewKey{gen: m.gen, width: m.width, height: m.height, scroll: m.scroll,
		stacked: m.stacked, zoomed: m.zoomed, focused: m.focused, forced: m.forced}
}

// maxScroll is how far the panels can scroll at the current size and level.
func (m Model) maxScroll() int {
	_, l, r := m.content()
	left, right := len(l), len(r)
	if m.stacked {
		return max(0, 2+left+right-m.height)
	}
	return max(0, max(left, right)-m.bodyHeight())
}

// fitCells cuts s to w cells and pads it to exactly w, without a style's full layout pass: it runs for every
// row of both panels.
func fitCells(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}
