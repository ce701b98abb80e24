package logpane

import "pcfailback/transcript"

// timeCells is the width of the time column ("15:04:05") and its gap.
const timeCells = 9

// layout is what decides where things go on a row; it is derived from the Model for each frame or scroll.
type layout struct {
	width  int
	marker bool // reserve the column for the current-match marker (while a search is active)
	srcW   int
	stepW  int
	wrap   bool
}

func (m *Model) layout() layout {
	d := m.data
	return layout{
		width:  m.width,
		marker: d.search.active(),
		srcW:   min(d.srcW, maxSourceCells, max(m.width/6, 8)),
		stepW:  min(d.stepW, maxStepCells),
		wrap:   m.wrap,
	}
}

// fixedCells is the width of the columns every row has: marker, time, source, step.
func (ly layout) fixedCells() int {
	w := timeCells
	if ly.marker {
		w += markerCells + 1
	}
	if ly.srcW > 0 {
		w += ly.srcW + 2
	}
	if ly.stepW > 0 {
		w += ly.stepW + 2
	}
	return w
}

// prefixCells is the width of everything before the text of e: the fixed columns, the kind tag and the number.
func (ly layout) prefixCells(e *entry) int {
	return ly.fixedCells() + tagCells(e.line.Kind, e.line.Number)
}

func tagCells(k transcript.Kind, n int32) int {
	w := 0
	if t, tw := kindTag(k); t != "" {
		w += tw + 1
	}
	if l := numberLabel(k, n); l != "" {
		w += len(l) + 1
	}
	return w
}

// textArea returns the text width of the first row and of continuation rows, the indent of continuation rows,
// and whether e is wrapped at all. Continuation rows line up with the text when the prefix leaves room for it;
// in a narrow pane they start near the left edge instead. A text area under two cells cannot hold a wide
// character, so such lines are cut instead of wrapped.
func (ly layout) textArea(e *entry) (first, rest, indent int, wraps bool) {
	p := ly.prefixCells(e)
	first = ly.width - p
	indent = p
	if 2*p > ly.width {
		indent = min(2, ly.width)
	}
	rest = ly.width - indent
	return first, rest, indent, ly.wrap && first >= 2 && rest >= 2
}

// breaks appends to dst the byte offsets at which each row of e's text starts (the first is 0).
func (ly layout) breaks(e *entry, dst []int) []int {
	first, rest, _, wraps := ly.textArea(e)
	if !wraps {
		return append(dst[:0], 0)
	}
	return wrapText(e.line.Text, first, rest, dst)
}

// rows is how many rows e takes.
func (d *store) rows(ly layout, e *entry) int {
	if !ly.wrap {
		return 1
	}
	d.scratch = ly.breaks(e, d.scratch)
	return len(d.scratch)
}

// wrapText breaks s into rows of first cells, then rest cells, at grapheme boundaries. It prefers to break after
// a space when that keeps at least half of the row filled and the carried word fits the next row, so words are
// not cut without need. Both widths must be at least 2, the widest a cluster can be.
func wrapText(s string, first, rest int, dst []int) []int {
	dst = append(dst[:0], 0)
	avail, used := first, 0
	rowStart := 0
	space, usedAtSpace := -1, 0 // byte offset just after the last space of this row, and the row width there
	for i := 0; i < len(s); {
		n, w := cluster(s[i:])
		if used+w > avail && i > rowStart {
			brk, carried := i, 0
			if space > rowStart && 2*usedAtSpace >= avail && used-usedAtSpace <= rest {
				brk, carried = space, used-usedAtSpace
			}
			dst = append(dst, brk)
			rowStart, avail, used = brk, rest, carried
			space = -1
			continue
		}
		if s[i] == ' ' {
			space, usedAtSpace = i+1, used+w
		}
		used += w
		i += n
	}
	return dst
}
