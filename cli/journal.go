package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/adrg/xdg"

	"pcfailback/journal"
	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/transcript"
	"pcfailback/ui"
)

// openJournal opens the environment's journal, reads what earlier runs left for resume, and records this run's
// start. A damaged chain does not stop the console (the journal records the break) but is shown for the whole run.
func (s *session) openJournal(logPath string) (*journal.Journal, *journal.Progress, []string, error) {
	path := journal.PathFor(xdg.StateHome, s.estate.Names.Environment)
	j, err := journal.Open(path)
	var notices []string
	var chain *journal.ChainError
	switch {
	case errors.As(err, &chain) && j != nil:
		notices = append(notices, "journal chain damaged ("+chain.Error()+"): run pcfailback journal verify")
	case err != nil:
		return nil, nil, nil, fmt.Errorf("journal: %w", err)
	}
	progress := journal.Replay(j.Records())
	var resume *journal.Progress
	// An in-process simulator is a fresh estate at every start: what earlier training runs did is history in
	// the journal, not state to resume.
	if s.lab == nil && progress.LastStart != nil {
		resume = &progress
	}
	start := journal.NewStart()
	start.At, start.Environment, start.Mode = s.estate.Clock.Now(), s.estate.Names.Environment, journalMode(s.mode)
	start.Version, start.LogFile = Version(), logPath
	switch {
	case s.cfg != nil:
		start.ConfigDigest = s.cfg.Digest()
	case s.estateCfg != nil:
		start.ConfigDigest = s.estateCfg.Digest() // the configuration the in-process simulator wrote
	}
	if _, err := j.Append(start); err != nil {
		_ = j.Close()
		return nil, nil, nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return j, resume, notices, nil
}

// finishHeadless runs after the terminal is gone (or the operator quit): a step still being sent is waited for,
// and a step whose scripts succeeded is verified against fresh probes until its postconditions hold or its
// settle time runs out, so that the journal holds its outcome when the process exits.
func (s *session) finishHeadless(x *runbook.Executor, final tea.Model, reason string, prober *probes.Prober, sink *transcript.Sink, j *journal.Journal, logPath string) {
	m, ok := final.(ui.Model)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), headlessLimit)
	defer cancel()
	fin, err := x.Wait(ctx)
	book := m.Book()
	e := book.Active()
	// Only a step this run sent is finished here, and not when the operator quit: quitting cancelled it, and a
	// step left verifying is reconciled by the next start.
	if err != nil || e == nil || e.Resumed != nil || reason == journal.ExitQuit {
		return
	}
	clock := s.estate.Clock
	note := func(text string) {
		sink.Write(transcript.Line{At: clock.Now(), Source: "console", Step: string(e.Step.ID), Kind: transcript.Console, Text: text})
	}
	if e.Status == runbook.Running {
		if fin == nil || fin.Plan.Step != e.Step.ID {
			return
		}
		book.Finish(e.Step.ID, fin.Evidence, fin.Err, prober.Last().Seq, clock.Now())
		if fin.Err != nil {
			return // the executor recorded the failure
		}
	}
	note(fmt.Sprintf("%s: no terminal; verifying headless before exit", e.Step.ID))
	for e.Status == runbook.Verifying && ctx.Err() == nil {
		snap := prober.Refresh(ctx)
		env := book.Env(s.env(snap))
		for _, changed := range book.Observe(env) {
			for _, r := range book.OutcomeRecords(changed, logPath) {
				r.At = clock.Now()
				if _, err := j.Append(r); err != nil {
					note("journal: " + err.Error())
				}
			}
			note(fmt.Sprintf("%s %s (verified headless): %s", changed.Step.ID, changed.Status, changed.Reason))
		}
		if e.Status == runbook.Verifying {
			select {
			case <-ctx.Done():
			case <-time.After(s.refresh):
			}
		}
	}
}

// journalMode names the console's mode in the journal.
func journalMode(m ui.Mode) journal.Mode {
	switch m {
	case ui.Live:
		return journal.ModeLive
	case ui.ReadOnly:
		return journal.ModeReadOnly
	}
	return journal.ModeTraining
}
