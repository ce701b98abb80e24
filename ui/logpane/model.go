// Package logpane is the console's log pane: a bounded scrollback of everything the servers said and the console
// did, which the operator reads, follows, scrolls and searches.
//
// Lines reach it in batches: the root model runs Listen, which waits on the transcript.Sink for the first line and
// drains what is queued behind it into one LinesMsg; the root calls Append and runs Listen again. Only the visible
// window is laid out on each View, so the pane keeps up with a flood of server messages.
package logpane

import (
	"time"

	"pcfailback/themes"
	"pcfailback/transcript"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// DefaultCapacity is the scrollback kept when New is given no capacity.
const DefaultCapacity = 10000

const (
	// maxSourceCells caps the source column; instance names and host FQDNs beyond it are cut with "…".
	maxSourceCells = 20
	// maxStepCells caps the step column (steps are short: F3, F5a, probe).
	maxStepCells = 8
	// contextDivisor sets how much of the view stays above a search match the pane jumps to: a third of it.
	contextDivisor = 3
)

// Model is the log pane. It is a value like other Bubble Tea components, but the scrollback itself is shared
// between copies: keep the Model that Update returns and drop the old one.
type Model struct {
	paints *paints
	loc    *time.Location
	keys   KeyMap

	width, height int
	focused       bool

	follow bool
	wrap   bool
	top    pos // first visible row when not following

	data *store

	prompt    textinput.Model
	prompting bool
	status    string // one-shot message ("search wrapped"), cleared by the next key
	statusBad bool

	logPath string
	fileErr error
}

// store is the part of the pane that grows with the log; it lives behind a pointer so copying the Model (as
// Update does) does not copy the scrollback.
type store struct {
	ring    ring
	total   int64 // lines received, including those the sink dropped
	skipped int64 // lines the sink dropped before they reached the pane
	srcW    int   // widest source seen, in cells
	stepW   int   // widest step seen, in cells
	search  search
	notes   int   // entries in the ring that are the pane's own notes (skipped-lines warnings), not log lines
	scratch []int // wrap break offsets, reused between rows
	hl      [][2]int
	row     rowBuf
}

// New returns an empty, focused log pane that keeps capacity lines (DefaultCapacity when capacity <= 0), draws
// with st, and shows times in loc (the local zone when nil).
func New(capacity int, st themes.Styles, loc *time.Location) Model {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	if loc == nil {
		loc = time.Local
	}
	m := Model{
		paints:  newPaints(st),
		loc:     loc,
		keys:    DefaultKeyMap(),
		focused: true,
		follow:  true,
		data:    newStore(capacity),
		prompt:  newPrompt(st),
	}
	return m
}

func newStore(capacity int) *store {
	return &store{ring: ring{capacity: capacity}, search: search{cur: -1}}
}

// ensure makes the zero Model usable.
func (m *Model) ensure() {
	if m.data == nil {
		m.data = newStore(DefaultCapacity)
	}
	if m.paints == nil {
		m.paints = &paints{}
	}
	if m.loc == nil {
		m.loc = time.Local
	}
}

// Init implements the component contract; the pane starts nothing (the root runs Listen).
func (m Model) Init() tea.Cmd { return nil }

// SetSize sets the pane's outer size in cells, title and prompt included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	m.prompt.SetWidth(max(m.width-3, 1))
}

// Width is the pane's width in cells.
func (m Model) Width() int { return m.width }

// Height is the pane's height in cells.
func (m Model) Height() int { return m.height }

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away; an open search prompt is cancelled, so the root stops routing every key here.
func (m *Model) Blur() {
	m.focused = false
	m.closePrompt()
}

// Focused reports whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// Capturing reports whether the search prompt is open: the root then sends the pane every key, including the
// ones it would otherwise handle itself (q, ?, tab).
func (m Model) Capturing() bool { return m.prompting }

// Following reports whether new lines keep the tail in view.
func (m Model) Following() bool { return m.follow }

// Wrapping reports whether long lines wrap instead of being cut with "…".
func (m Model) Wrapping() bool { return m.wrap }

// Len is the number of lines in the scrollback, at most its capacity; the pane's notes of skipped lines count.
func (m Model) Len() int {
	if m.data == nil {
		return 0
	}
	return m.data.ring.len()
}

// Total is the number of lines the pane has been told about, including those that fell off the scrollback and
// those the sink skipped.
func (m Model) Total() int64 {
	if m.data == nil {
		return 0
	}
	return m.data.total
}

// SetLogPath sets the path of the full log file the title points to.
func (m *Model) SetLogPath(path string) { m.logPath = transcript.Escape(path) }

// SetFileError shows that writing the log file failed (nil clears it); the pane then says the file is incomplete.
func (m *Model) SetFileError(err error) { m.fileErr = err }

// SetStyles redraws the pane with another theme.
func (m *Model) SetStyles(st themes.Styles) {
	m.paints = newPaints(st)
	m.prompt.SetStyles(promptStyles(st))
}

// KeyMap returns the pane's key bindings.
func (m Model) KeyMap() KeyMap { return m.keys }

// SetKeyMap replaces the pane's key bindings (remapped keys from the configuration).
func (m *Model) SetKeyMap(k KeyMap) { m.keys = k }
