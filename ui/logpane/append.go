package logpane

import (
	"time"

	"pcfailback/transcript"
)

// Append adds a batch of lines. dropped is how many lines the sink skipped before this batch because the pane
// fell behind; the pane puts a warning line where they would have been, pointing at the log file, which has them.
// Texts with line breaks become one pane line per physical line, as in the file.
func (m *Model) Append(lines []transcript.Line, dropped int) {
	m.ensure()
	d := m.data
	if dropped > 0 {
		at := time.Time{}
		switch {
		case len(lines) > 0:
			at = lines[0].At
		case d.ring.len() > 0:
			at = d.ring.at(d.ring.end() - 1).line.At
		}
		note := newEntry(transcript.Line{At: at, Source: "console", Kind: transcript.Warning},
			commas(int64(dropped))+" lines skipped (see log file)")
		note.note = true
		d.push(note)
		d.total += int64(dropped)
		d.skipped += int64(dropped)
	}
	for _, l := range lines {
		for text := range l.TextLines() {
			d.push(newEntry(l, text))
		}
	}
	d.search.prune(d.ring.first)
	if !m.follow && m.top.seq < d.ring.first {
		m.top = pos{seq: d.ring.first}
	}
}

// push adds one entry and keeps the column widths and the search results up to date.
func (d *store) push(e entry) {
	seq := d.ring.end()
	if w := cells(e.line.Source); w > d.srcW {
		d.srcW = w
	}
	if w := cells(e.line.Step); w > d.stepW {
		d.stepW = w
	}
	if old, ok := d.ring.push(e); ok && old.note {
		d.notes--
	}
	if e.note {
		d.notes++
	} else {
		d.total++
	}
	if !d.search.m.empty() && d.search.matches(&e) {
		d.search.hits = append(d.search.hits, seq)
	}
}
