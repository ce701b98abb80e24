package logpane

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// View renders the pane: a title bar, the visible window of the scrollback and, when there is something to say,
// a footer (the search prompt, a search message or a log-file error). The result is exactly the pane's height in
// rows and no row is wider than its width; only visible lines are laid out.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	m.ensure()
	var f frame
	// Styled rows run about twice their width in bytes; growing once avoids copying the frame as it builds.
	f.b.Grow(m.width * m.height * 2)
	f.row()
	m.titleView(&f.b)
	if bodyH := m.bodyHeight(); bodyH > 0 {
		m.bodyView(&f, bodyH)
	}
	if m.hasFooter() && m.height > 1 {
		f.row()
		m.footerView(&f.b)
	}
	return f.b.String()
}

// frame is the view being built: rows written one after another into one buffer.
type frame struct {
	b    strings.Builder
	rows int
}

// row starts a new row.
func (f *frame) row() {
	if f.rows > 0 {
		f.b.WriteByte('\n')
	}
	f.rows++
}

// bodyView writes bodyH rows of log lines, blank rows below the last line.
func (m *Model) bodyView(f *frame, bodyH int) {
	d := m.data
	ly := m.layout()
	want := f.rows + bodyH
	t := m.viewTop(ly, bodyH)
	for seq := t.seq; seq < d.ring.end() && f.rows < want; seq++ {
		from := 0
		if seq == t.seq {
			from = t.sub
		}
		m.renderRows(f, ly, seq, from, want-f.rows)
	}
	for f.rows < want {
		f.row()
	}
}

// titleView is the title bar: what the pane is, whether it follows the tail, how much of the log it holds, the
// search position and where the full log is. A path too long for the bar loses its beginning, not its file name.
func (m *Model) titleView(b *strings.Builder) {
	d := m.data
	parts := []string{"log"}
	if m.follow {
		parts = append(parts, "following")
	} else {
		parts = append(parts, "paused — f to follow")
	}
	if m.wrap {
		parts = append(parts, "wrap")
	}
	n := int64(d.ring.len() - d.notes)
	switch {
	case d.total > n:
		parts = append(parts, commas(n)+" of "+commas(d.total)+" lines kept")
	case n == 1:
		parts = append(parts, "1 line")
	default:
		parts = append(parts, commas(n)+" lines")
	}
	if s := &d.search; s.active() {
		switch c, ok := s.current(); {
		case len(s.hits) == 0:
			parts = append(parts, "no matches")
		case ok:
			_ = c
			parts = append(parts, "match "+commas(int64(s.cur+1))+"/"+commas(int64(len(s.hits))))
		default:
			parts = append(parts, commas(int64(len(s.hits)))+" matches")
		}
	}
	text := strings.Join(parts, " · ")
	inner := m.width - 2
	if m.logPath != "" {
		const label = " · full log: "
		room := inner - cells(text) - cells(label)
		if room >= 8 {
			path := m.logPath
			if cells(path) > room {
				path = ansi.TruncateLeft(path, cells(path)-room+1, "…")
			}
			text += label + path
		}
	}
	text = truncate(text, inner)
	line := " " + text + strings.Repeat(" ", max(inner-cells(text), 0)) + " "
	line = truncate(line, m.width)
	p := m.paints.title
	if m.focused {
		p = m.paints.titleFocused
	}
	p.Write(b, line)
}

// hasFooter reports whether the footer row is shown.
func (m *Model) hasFooter() bool {
	return m.prompting || m.status != "" || m.fileErr != nil
}

// footerView is the search prompt while it is open, else the latest search message, else a log-file error,
// which stays until cleared because the record on disk is incomplete.
func (m *Model) footerView(b *strings.Builder) {
	switch {
	case m.prompting:
		b.WriteString(ansi.Truncate(m.prompt.View(), m.width, ""))
	case m.status != "":
		p := m.paints.statusInfo
		if m.statusBad {
			p = m.paints.warn
		}
		p.Write(b, truncate(m.status, m.width))
	default:
		msg := "✗ ERROR log file: " + m.fileErr.Error() + " — lines are missing from the file"
		m.paints.err.Write(b, truncate(strings.ReplaceAll(sanitize(msg), "\t", " "), m.width))
	}
}

// truncate cuts plain display text to width cells, ending in "…" when cut.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if cells(s) <= width {
		return s
	}
	cut, _ := cutCells(s, width-1)
	return cut + "…"
}
