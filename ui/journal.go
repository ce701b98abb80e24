package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"pcfailback/journal"
	"pcfailback/runbook"
	"pcfailback/transcript"
)

// record appends to the journal before the screen shows what the record says: the write (and its fsync) happens
// in Update on purpose, so that nothing the console has shown as done, skipped or confirmed can be missing from
// the journal after a crash. It returns false, with the reason in the status line and the log, when the journal
// cannot be written; callers then do not go on.
func (m *Model) record(r journal.Record) bool {
	if m.opt.Journal == nil {
		return true
	}
	if r.At.IsZero() {
		r.At = m.opt.Clock.Now()
	}
	if _, err := m.opt.Journal.Append(r); err != nil {
		m.status = "journal write failed: " + err.Error()
		m.opt.Sink.Write(transcript.Line{At: m.opt.Clock.Now(), Source: "console", Step: r.Step, Kind: transcript.Error,
			Text: fmt.Sprintf("journal: could not record %s %s: %v", r.Kind, r.Step, err)})
		return false
	}
	return true
}

// recordOutcome journals a step's verification: each postcondition, then the outcome.
func (m *Model) recordOutcome(e *runbook.Entry) {
	for _, r := range m.book.OutcomeRecords(e, m.opt.LogPath) {
		if !m.record(r) {
			return
		}
	}
}

// askNote asks for a note and journals it (and logs it), in any mode: notes change nothing on the servers.
func (m Model) askNote() (tea.Model, tea.Cmd) {
	cmd := m.askText("Note for the journal:", func(m *Model, text string) tea.Cmd {
		text = strings.TrimSpace(text)
		if !m.record(journal.Record{Kind: journal.KindNote, Text: text}) {
			return nil
		}
		m.status = "note recorded"
		return m.consoleLine("", transcript.Console, "note: "+text)
	})
	return m, cmd
}

// resumeLines say what the journal held: who ran last and how that run ended, then each step it changed.
func resumeLines(p journal.Progress, changed []string) []string {
	if p.LastStart == nil {
		return changed
	}
	s := p.LastStart
	head := fmt.Sprintf("resuming: last run by %s on %s started %s", s.User, s.Host, s.At.Format("2006-01-02 15:04:05"))
	switch {
	case p.LastExit != nil:
		head += fmt.Sprintf(", exited (%s) %s", p.LastExit.Reason, p.LastExit.At.Format("15:04:05"))
	default:
		head += ", never recorded its exit (killed, crashed or lost its terminal)"
	}
	if len(p.InFlight()) > 0 {
		head += fmt.Sprintf("; %d step(s) were in flight", len(p.InFlight()))
	}
	return append([]string{head}, changed...)
}
