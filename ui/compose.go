package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// columns lays blocks side by side, row by row. Every block must already be exactly its width on every row
// (the panes render to their exact size; padRows evens out one that does not): measuring the width of every cell
// of every row again, as a general join does, was most of the cost of drawing a frame.
func columns(blocks ...string) string {
	split := make([][]string, len(blocks))
	rows := 0
	size := 0
	for i, b := range blocks {
		split[i] = strings.Split(b, "\n")
		rows = max(rows, len(split[i]))
		size += len(b)
	}
	var out strings.Builder
	out.Grow(size + rows)
	for r := range rows {
		if r > 0 {
			out.WriteByte('\n')
		}
		for _, lines := range split {
			if r < len(lines) {
				out.WriteString(lines[r])
			}
		}
	}
	return out.String()
}

// padRows pads every row of s with spaces to w cells, for a block whose rows end where their text does.
func padRows(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if n := ansi.StringWidth(l); n < w {
			lines[i] = l + strings.Repeat(" ", w-n)
		}
	}
	return strings.Join(lines, "\n")
}

// fit cuts s to w cells and pads it to exactly w.
func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// clip cuts s to h rows of exactly w cells, padding short rows and missing ones.
func clip(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return strings.Join(lines, "\n")
}
