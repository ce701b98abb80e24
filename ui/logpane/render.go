package logpane

import (
	"strings"

	"pcfailback/themes"
)

// span is a run of text in one paint, with its width in cells.
type span struct {
	s string
	p themes.Paint
	w int
}

// rowBuf collects the spans of one row and renders them cut to the pane's width.
type rowBuf struct {
	spans []span
}

func (r *rowBuf) reset() { r.spans = r.spans[:0] }

func (r *rowBuf) add(p themes.Paint, s string) {
	if s != "" {
		r.spans = append(r.spans, span{s: s, p: p, w: cells(s)})
	}
}

// addW adds s whose width w is already known.
func (r *rowBuf) addW(p themes.Paint, s string, w int) {
	if s != "" {
		r.spans = append(r.spans, span{s: s, p: p, w: w})
	}
}

func (r *rowBuf) spaces(n int) {
	const blanks = "                                "
	for n > 0 {
		k := min(n, len(blanks))
		r.spans = append(r.spans, span{s: blanks[:k], w: k})
		n -= k
	}
}

// addMarked adds s (which starts at byte offset off of the string the ranges refer to) in base, with the parts
// inside ranges in hl.
func (r *rowBuf) addMarked(base, hl themes.Paint, s string, off int, ranges [][2]int) {
	end := off + len(s)
	at := off
	for _, rg := range ranges {
		a, b := max(rg[0], at), min(rg[1], end)
		if a >= b {
			continue
		}
		r.add(base, s[at-off:a-off])
		r.add(hl, s[a-off:b-off])
		at = b
	}
	r.add(base, s[at-off:])
}

// render writes the row into b, never wider than width: a row that does not fit is cut at a grapheme boundary
// and ends with "…".
func (r *rowBuf) render(b *strings.Builder, width int) {
	if width <= 0 {
		return
	}
	total := 0
	for _, sp := range r.spans {
		total += sp.w
	}
	if total <= width {
		for _, sp := range r.spans {
			sp.p.Write(b, sp.s)
		}
		return
	}
	budget := width - 1
	for _, sp := range r.spans {
		if sp.w <= budget {
			sp.p.Write(b, sp.s)
			budget -= sp.w
			continue
		}
		cut, _ := cutCells(sp.s, budget)
		sp.p.Write(b, cut+"…")
		return
	}
	// Only reached when every span fitted the budget, i.e. the last cell is all that was missing.
	b.WriteString("…")
}

// fitField cuts or pads a column value to exactly w cells; cut values end in "…".
func fitField(s string, w int) (shown string, pad int) {
	c := cells(s)
	if c <= w {
		return s, w - c
	}
	cut, cw := cutCells(s, w-1)
	return cut + "…", w - 1 - cw
}

// renderRows writes rows of the entry seq, starting at its row from, at most n of them.
func (m *Model) renderRows(f *frame, ly layout, seq int64, from, n int) {
	d := m.data
	e := d.ring.at(seq)
	l := &e.line
	p := m.paints
	s := &d.search
	hl := p.match
	current := s.isCurrent(seq)
	if current {
		hl = p.current
	}
	var marks [][2]int
	if s.active() {
		marks = s.m.ranges(l.Text, d.hl[:0])
		d.hl = marks
	}
	first, _, indent, wraps := ly.textArea(e)
	d.scratch = append(d.scratch[:0], 0)
	if wraps {
		d.scratch = wrapText(l.Text, first, ly.width-indent, d.scratch)
	}
	breaks := d.scratch
	// A cut line hides a match beyond the pane's edge; the current match's line is shifted left to show it.
	shift := 0
	if !wraps && current && len(marks) > 0 {
		shift = shiftFor(l.Text, marks[0], first)
	}
	row := &d.row
	for r := from; r < len(breaks) && r < from+n; r++ {
		row.reset()
		if r == 0 {
			m.prefix(row, ly, e, current, hl)
		} else {
			row.spaces(indent)
		}
		a, b := breaks[r], len(l.Text)
		if shift > 0 {
			row.add(p.kind(l.Kind), "…")
			a = shift
		}
		if r+1 < len(breaks) {
			b = breaks[r+1]
		}
		if a == 0 && b == len(l.Text) && len(marks) == 0 {
			row.addW(p.kind(l.Kind), l.Text, e.width)
		} else {
			row.addMarked(p.kind(l.Kind), hl, l.Text[a:b], a, marks)
		}
		f.row()
		row.render(&f.b, ly.width)
	}
}

// prefix adds the columns before the text: current-match marker, time, source, step, kind tag, message number.
func (m *Model) prefix(row *rowBuf, ly layout, e *entry, current bool, hl themes.Paint) {
	p := m.paints
	s := &m.data.search
	l := &e.line
	if ly.marker {
		if current {
			row.addW(p.marker, matchMarker, markerCells)
			row.spaces(1)
		} else {
			row.spaces(markerCells + 1)
		}
	}
	var tb [8]byte
	row.add(p.time, string(l.At.In(m.loc).AppendFormat(tb[:0], "15:04:05")))
	row.spaces(1)
	field := func(fp themes.Paint, v string, w int) {
		shown, pad := fitField(v, w)
		row.addMarked(fp, hl, shown, 0, s.m.ranges(shown, nil))
		row.spaces(pad + 2)
	}
	if ly.srcW > 0 {
		field(p.source, l.Source, ly.srcW)
	}
	if ly.stepW > 0 {
		field(p.step, l.Step, ly.stepW)
	}
	kp := p.kind(l.Kind)
	if t, w := kindTag(l.Kind); t != "" {
		row.addW(kp, t, w)
		row.spaces(1)
	}
	if n := numberLabel(l.Kind, l.Number); n != "" {
		row.addMarked(kp, hl, n, 0, s.m.ranges(n, nil))
		row.spaces(1)
	}
}

// shiftFor returns the byte offset a cut line's text should start at so that the match at mark is visible in a
// text area of avail cells, with a third of the area of context before it, or 0 when no shift is needed. The
// shifted text is drawn after a "…", which the computation allows for.
func shiftFor(text string, mark [2]int, avail int) int {
	if avail < 4 || cells(text) <= avail {
		return 0
	}
	end := cells(text[:mark[1]])
	if end <= avail-1 {
		return 0
	}
	want := max(cells(text[:mark[0]])-avail/3, end+2-avail, 1)
	used := 0
	for i := 0; i < len(text); {
		if used >= want {
			return i
		}
		n, w := cluster(text[i:])
		used += w
		i += n
	}
	return 0
}
