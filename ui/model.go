// Package ui is the console: a thin root model that routes messages to its children (health panels, checklist,
// log pane, preview, help, prompts), turns their intents into commands, and lays them out. Probing and running
// happen in tea.Cmds; the root only holds state.
package ui

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"pcfailback/clock"
	"pcfailback/journal"
	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/themes"
	"pcfailback/transcript"
	"pcfailback/ui/checklist"
	"pcfailback/ui/health"
	"pcfailback/ui/logpane"
	"pcfailback/ui/preview"
)

// Mode is what the console may do.
type Mode int

// Console modes.
const (
	Training Mode = iota
	Live
	ReadOnly
)

// String is the mode's badge text.
func (m Mode) String() string { return [...]string{"TRAINING", "LIVE", "READ-ONLY"}[m] }

// Options wire the console to the estate.
type Options struct {
	Mode   Mode
	Names  steps.Names
	Prober *probes.Prober
	// Executor runs steps; it is nil in read-only mode, where nothing can run.
	Executor *runbook.Executor
	Sink     *transcript.Sink
	Clock    clock.Clock
	Styles   themes.Styles
	// Refresh is the wall-clock interval between probes.
	Refresh time.Duration
	// StaleAfter is how old (in Clock time) a probe may be before checks distrust it.
	StaleAfter time.Duration
	LogPath    string
	Scrollback int
	Location   *time.Location
	// Context is cancelled when the console stops; probes and steps use it.
	Context context.Context
	// Journal records what the operator saw, typed and ran (nil: nothing is recorded, as in tests).
	Journal runbook.Journal
	// Resume is what the environment's journal says about earlier runs; nil for a fresh start.
	Resume *journal.Progress
	// Banner are warnings shown under the header for the whole run, one line: a certificate that is not
	// verified, who holds control when this console is read-only because of it.
	Banner []string
}

type pane int

const (
	paneChecklist pane = iota
	paneLog
	paneHealth
	paneCount
)

// running is the step in flight.
type running struct {
	id       steps.ID
	cancel   context.CancelFunc
	progress *atomic.Uint64 // math.Float64bits of 0..1, or of -1
}

// Model is the root model.
type Model struct {
	opt  Options
	keys KeyMap
	st   themes.Styles

	width, height int
	focus         pane
	zoom          bool
	showHelp      bool
	// helpTop is the first help row shown when the help is taller than the screen.
	helpTop int

	health  health.Model
	list    checklist.Model
	log     logpane.Model
	preview *preview.Model
	prompt  *prompt

	book     *runbook.Book
	cat      []steps.Step
	snap     probes.Snapshot
	displays []runbook.Display
	verdict  runbook.Verdict

	probing    bool
	probeAgain bool
	// pending is a confirmed run waiting for a fresh probe (Seq >= pendingSeq) to re-check its preconditions.
	pending    *preview.RunMsg
	pendingSeq uint64
	run        *running
	status     string
	// stamp is the open preview's plan time: file names in its scripts are made from it.
	stamp time.Time
	// resumed are the log lines that say what the journal held at start.
	resumed []string
}

// New builds the console.
func New(opt Options) Model {
	if opt.Context == nil {
		opt.Context = context.Background()
	}
	if opt.Location == nil {
		opt.Location = time.Local
	}
	cat := steps.Catalog()
	m := Model{
		opt: opt, keys: DefaultKeyMap(), st: opt.Styles, cat: cat, book: runbook.New(cat),
		health: health.New(opt.Styles),
		list:   checklist.New(opt.Styles, checklist.DefaultKeyMap()),
		log:    logpane.New(opt.Scrollback, opt.Styles, opt.Location),
	}
	m.log.SetLogPath(opt.LogPath)
	if opt.Executor == nil {
		km := m.list.KeyMap()
		km.Skip.SetEnabled(false)
		km.Cancel.SetEnabled(false)
	}
	m.list.Focus()
	if opt.Resume != nil {
		m.resumed = resumeLines(*opt.Resume, m.book.Resume(*opt.Resume, opt.Clock.Now()))
	}
	// Init starts the first probe, and Init cannot record it (it does not return the model): a probe requested
	// before that one answers must wait for it rather than run alongside, and a confirmation made meanwhile
	// must not take it as fresh.
	m.probing = true
	m.recompute()
	return m
}

// Init starts the first probe, the refresh timer and the log listener.
func (m Model) Init() tea.Cmd {
	start := fmt.Sprintf("console started in %s mode on %s; first probe under way", m.opt.Mode, m.opt.Names.Environment)
	if m.opt.Executor == nil {
		start += "; read-only: no step can run"
	}
	cmds := []tea.Cmd{m.probeCmd(), m.tickCmd(), logpane.Listen(m.opt.Sink), m.consoleLine("", transcript.Console, start)}
	for _, l := range m.resumed {
		cmds = append(cmds, m.consoleLine("", transcript.Console, "journal: "+l))
	}
	return tea.Batch(cmds...)
}

// Book exposes the checklist state (tests assert on it).
func (m Model) Book() *runbook.Book { return m.book }

// Snapshot exposes the latest snapshot (tests assert on it).
func (m Model) Snapshot() probes.Snapshot { return m.snap }

// Verdict exposes the verdict line.
func (m Model) Verdict() runbook.Verdict { return m.verdict }

// env is the environment every check and plan is judged against right now.
func (m *Model) env() steps.Env {
	return m.book.Env(steps.Env{Names: m.opt.Names, Snap: m.snap, Now: m.opt.Clock.Now(), StaleAfter: m.opt.StaleAfter})
}

// recompute derives everything shown from the snapshot and the book: displays, verdict, rows, panels, preview.
func (m *Model) recompute() {
	env := m.env()
	m.displays = m.book.Displays(env)
	m.verdict = m.book.Verdict(m.displays, m.opt.Executor == nil)
	items := make([]checklist.Item, len(m.displays))
	for i, e := range m.book.Entries() {
		items[i] = checklist.Item{ID: e.Step.ID, Title: e.Step.Title, Destructive: e.Step.Destructive, ReadOnly: e.Step.ReadOnly, Display: m.displays[i]}
	}
	m.list.SetItems(items)
	m.health.SetInput(health.Input{Snap: m.snap, Names: m.opt.Names, Now: env.Now})
	if m.preview != nil {
		m.preview.Update(m.previewContent(m.preview.ID()))
	}
}
