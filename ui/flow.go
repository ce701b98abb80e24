package ui

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"pcfailback/journal"
	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/transcript"
	"pcfailback/ui/preview"
)

// onSnapshot takes a finished probe: judge verifying steps, start a confirmed run whose fresh probe this is,
// and probe again at once if someone asked for a probe while this one was in flight.
func (m Model) onSnapshot(msg snapshotMsg) (tea.Model, tea.Cmd) {
	prev := m.snap
	m.snap = msg.snap
	m.probing = false
	var cmds []tea.Cmd
	cmds = append(cmds, m.logTransitions(prev))
	for _, e := range m.book.Observe(m.env()) {
		m.recordOutcome(e)
		cmds = append(cmds, m.logStepEnd(e))
		if e.Status == runbook.Done && m.list.Selected() == e.Step.ID {
			m.advanceCursor(e.Step.ID)
		}
	}
	if m.pending != nil && m.snap.Seq >= m.pendingSeq {
		cmds = append(cmds, m.startPending())
	}
	if m.probeAgain || (m.book.Active() != nil && m.book.Active().Status == runbook.Verifying && m.needsFreshVerify()) {
		m.probeAgain = false
		cmds = append(cmds, m.requestProbe())
	}
	m.recompute()
	return m, tea.Batch(cmds...)
}

// needsFreshVerify is true when a verifying step has not yet seen a snapshot taken after its scripts ended.
func (m *Model) needsFreshVerify() bool {
	e := m.book.Active()
	return e != nil && m.snap.Seq <= e.EndSeq
}

// requestProbe starts a probe, or marks that another is wanted after the one in flight.
func (m *Model) requestProbe() tea.Cmd {
	if m.probing {
		m.probeAgain = true
		return nil
	}
	m.probing = true
	return m.probeCmd()
}

// nextFreshSeq is the first snapshot sequence number that is guaranteed to start after now.
func (m *Model) nextFreshSeq() uint64 {
	if m.probing {
		return m.snap.Seq + 2
	}
	return m.snap.Seq + 1
}

func (m Model) openPreview(id steps.ID) (tea.Model, tea.Cmd) {
	m.stamp = m.opt.Clock.Now()
	c := m.previewContent(id)
	pv := preview.New(m.st, preview.DefaultKeyMap(), c, m.width, m.bodyHeight())
	m.preview = &pv
	if c.Error == nil {
		m.record(journal.Record{Kind: journal.KindPreview, Step: string(id), Target: c.Plan.Targets(m.opt.Names),
			ScriptDigest: c.Plan.Digest, Stamp: m.stamp, Params: c.Plan.Params})
	}
	return m, nil
}

// previewContent resolves a step against the current snapshot for the preview.
func (m *Model) previewContent(id steps.ID) preview.Content {
	step, _ := steps.Find(m.cat, id)
	env := m.env()
	env.Stamp = m.stamp
	c := preview.Content{Step: step, Env: env, Confirm: step.Confirmation(env)}
	c.Plan, c.Error = step.Plan(env)
	c.Pre = step.Pre(env)
	if m.opt.Executor == nil {
		c.ReadOnly = "read-only mode: this console cannot run steps (it shows what each would do and whether it would be allowed)"
	}
	if a := m.book.Active(); a != nil {
		c.Busy = string(a.Step.ID)
	}
	return c
}

// confirmRun takes a confirmed run intent. Nothing is sent yet: a fresh probe must first show that the
// preconditions still hold and that the plan still resolves to the text the operator read.
func (m Model) confirmRun(msg preview.RunMsg) (tea.Model, tea.Cmd) {
	if m.opt.Executor == nil {
		return m, nil
	}
	if !m.record(journal.Record{Kind: journal.KindConfirm, Step: string(msg.ID), Typed: msg.Typed, ScriptDigest: msg.Digest, Stamp: msg.Stamp}) {
		if m.preview != nil {
			m.preview.SetStatus("not run: " + m.status)
		}
		return m, nil
	}
	m.pending = &msg
	m.pendingSeq = m.nextFreshSeq()
	if m.preview != nil {
		m.preview.SetStatus("checking preconditions against a fresh probe…")
	}
	step, _ := steps.Find(m.cat, msg.ID)
	line := fmt.Sprintf("%s confirmed (text sha256 %.12s)", msg.ID, msg.Digest)
	if step.Destructive {
		line = fmt.Sprintf("%s confirmed by typing %q (text sha256 %.12s)", msg.ID, msg.Typed, msg.Digest)
	}
	return m, tea.Batch(m.consoleLine(string(msg.ID), transcript.Console, line), m.requestProbe())
}

// startPending re-checks a confirmed run on the fresh snapshot and starts it, or explains why not.
func (m *Model) startPending() tea.Cmd {
	req := *m.pending
	m.pending = nil
	step, _ := steps.Find(m.cat, req.ID)
	env := m.env()
	env.Stamp = req.Stamp
	plan, err := step.Plan(env)
	refuse := func(why string) tea.Cmd {
		if m.preview != nil && m.preview.ID() == req.ID {
			m.preview.SetStatus("not run: " + why)
		}
		m.status = fmt.Sprintf("%s not run: %s", req.ID, why)
		return m.consoleLine(string(req.ID), transcript.Warning, m.status)
	}
	switch {
	case err != nil:
		return refuse(err.Error())
	case plan.Digest != req.Digest:
		return refuse("the script changed with the latest probe; review the preview again")
	case !steps.Pass(step.Pre(env)):
		f := steps.Failing(step.Pre(env))[0]
		return refuse("precondition failed on the fresh probe: " + f.Text + " (" + f.Detail + ")")
	}
	if err := m.book.Begin(req.ID, plan, env.Now); err != nil {
		return refuse(err.Error())
	}
	ctx, cancel := context.WithCancel(m.opt.Context)
	prog := &atomic.Uint64{}
	prog.Store(math.Float64bits(-1))
	m.run = &running{id: req.ID, cancel: cancel, progress: prog}
	m.preview = nil
	m.status = ""
	x, snap := m.opt.Executor, m.snap
	return func() tea.Msg {
		ev, err := x.Run(ctx, plan, snap, func(p float64) { prog.Store(math.Float64bits(p)) })
		return stepDoneMsg{id: req.ID, ev: ev, err: err}
	}
}

// onStepDone records the end of a step's scripts and asks for the fresh probe that verifies it.
func (m Model) onStepDone(msg stepDoneMsg) (tea.Model, tea.Cmd) {
	if m.run != nil && m.run.id == msg.id {
		m.run.cancel()
		m.run = nil
	}
	m.book.Finish(msg.id, msg.ev, msg.err, m.nextFreshSeq()-1, m.opt.Clock.Now())
	var cmds []tea.Cmd
	if e := m.book.Entry(msg.id); e != nil && e.Status == runbook.Failed {
		cmds = append(cmds, m.logStepEnd(e))
	}
	cmds = append(cmds, m.requestProbe())
	m.recompute()
	return m, tea.Batch(cmds...)
}

func (m *Model) logStepEnd(e *runbook.Entry) tea.Cmd {
	switch e.Status {
	case runbook.Done:
		return m.consoleLine(string(e.Step.ID), transcript.Console, fmt.Sprintf("%s done: every postcondition holds", e.Step.ID))
	case runbook.Failed:
		return m.consoleLine(string(e.Step.ID), transcript.Error, fmt.Sprintf("%s FAILED: %s", e.Step.ID, e.Reason))
	}
	return nil
}

// advanceCursor moves the checklist to the step after id that is not done or skipped, as a runbook does when a
// step succeeds.
func (m *Model) advanceCursor(id steps.ID) {
	after := false
	for _, e := range m.book.Entries() {
		if after && e.Status != runbook.Done && e.Status != runbook.Skipped {
			m.list.Select(e.Step.ID)
			return
		}
		after = after || e.Step.ID == id
	}
}
