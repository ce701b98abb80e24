package runbook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"sync"
	"time"

	"pcfailback/journal"
	"pcfailback/remote"
	"pcfailback/steps"
	"pcfailback/transcript"
)

// Journal is where the executor records each step it sends, before sending it, and each failure, before
// reporting it: a record is on disk before the console shows what it records.
type Journal interface {
	Append(journal.Record) (journal.Record, error)
}

// WithJournal makes the executor record its steps in j; logPath is the log file the steps' output goes to.
func (x *Executor) WithJournal(j Journal, logPath string) *Executor {
	x.journal, x.logPath = j, logPath
	return x
}

// WithGuard makes the executor ask guard before sending each step (this console still holds control); a step
// the guard refuses is not sent.
func (x *Executor) WithGuard(guard func(context.Context) error) *Executor {
	x.guard = guard
	return x
}

// Finished is a step run that ended: what ran, what it printed, and its error.
type Finished struct {
	Plan     steps.Plan
	Evidence *steps.Evidence
	Err      error
}

// runs tracks the step runs in flight, so that a console that loses its terminal can wait for the running step
// to finish before it exits.
type runs struct {
	mu     sync.Mutex
	n      int
	idle   chan struct{} // closed while nothing runs
	last   *Finished
	output hash.Hash // the running step's output, as written to the log
}

func (r *runs) begin() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 {
		r.idle = make(chan struct{})
	}
	r.n++
	r.output = sha256.New()
}

func (r *runs) end(f Finished) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n--
	r.last = &f
	if r.n == 0 {
		close(r.idle)
	}
}

// Wait blocks until no step runs (or ctx ends) and returns the last run that finished, nil when none has.
func (x *Executor) Wait(ctx context.Context) (*Finished, error) {
	x.runs.mu.Lock()
	idle := x.runs.idle
	x.runs.mu.Unlock()
	if idle != nil {
		select {
		case <-idle:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	x.runs.mu.Lock()
	defer x.runs.mu.Unlock()
	return x.runs.last, nil
}

// Running reports whether a step is being sent.
func (x *Executor) Running() bool {
	x.runs.mu.Lock()
	defer x.runs.mu.Unlock()
	return x.runs.n > 0
}

// write sends lines to the log and adds them to the running step's output digest.
func (x *Executor) write(lines ...transcript.Line) {
	x.runs.mu.Lock()
	if h := x.runs.output; h != nil {
		for _, l := range lines {
			h.Write([]byte(l.Source + "\t" + l.Kind.String() + "\t" + l.Text + "\n"))
		}
	}
	x.runs.mu.Unlock()
	x.sink.Write(lines...)
}

// outputDigest is the digest of the running step's output so far.
func (x *Executor) outputDigest() string {
	x.runs.mu.Lock()
	defer x.runs.mu.Unlock()
	if x.runs.output == nil {
		return ""
	}
	return hex.EncodeToString(x.runs.output.Sum(nil))
}

// recordStart journals a step about to be sent; the step is not sent when that fails.
func (x *Executor) recordStart(plan steps.Plan, ev *steps.Evidence) error {
	if x.journal == nil {
		return nil
	}
	starts := map[string]time.Time{}
	for r, t := range ev.ServerStart {
		starts[string(r)] = t
	}
	_, err := x.journal.Append(journal.Record{
		At: x.clock.Now(), Kind: journal.KindStepStart, Step: string(plan.Step), Target: plan.Targets(x.names), ScriptDigest: plan.Digest,
		Params: plan.Params, ServerStart: starts, LogFile: x.logPath,
	})
	if err != nil {
		return &JournalError{Err: err}
	}
	return nil
}

// recordFailure journals a step whose scripts failed or were cancelled.
func (x *Executor) recordFailure(plan steps.Plan, ev *steps.Evidence, err error) {
	if x.journal == nil {
		return
	}
	r := journal.Record{
		At: x.clock.Now(), Kind: journal.KindStepEnd, Step: string(plan.Step), Target: plan.Targets(x.names), Outcome: journal.OutcomeFailed,
		ErrorText: err.Error(), LogFile: x.logPath, OutputDigest: ev.OutputDigest,
		Duration: journal.Duration(ev.Ended.Sub(ev.Started)),
	}
	if errors.Is(err, errCancelled) {
		r.Outcome = journal.OutcomeCancelled
	}
	var sqlErr *remote.SQLError
	if errors.As(err, &sqlErr) {
		r.ErrorNumber = sqlErr.Number
	}
	if _, jerr := x.journal.Append(r); jerr != nil {
		x.console(string(plan.Step), transcript.Error, "journal: the failure of "+string(plan.Step)+" could not be recorded: "+jerr.Error())
	}
}

// JournalError is a step refused because the journal could not record its start.
type JournalError struct{ Err error }

func (e *JournalError) Error() string {
	return "not sent: the journal could not record the start (" + e.Err.Error() + ")"
}

func (e *JournalError) Unwrap() error { return e.Err }

// OutcomeRecords are the journal records of a verified step: one check record per postcondition, then the step's
// end (done, or failed with the reason), with the output digest and duration of the run the book holds.
func (b *Book) OutcomeRecords(e *Entry, logPath string) []journal.Record {
	id := string(e.Step.ID)
	ev := b.runs[e.Step.ID]
	var out []journal.Record
	for _, c := range e.Post {
		r := journal.Record{Kind: journal.KindCheck, Step: id, Check: c.Text, Detail: c.Detail, Outcome: journal.OutcomePass}
		if !c.OK {
			r.Outcome = journal.OutcomeFail
		}
		out = append(out, r)
	}
	end := journal.Record{Kind: journal.KindStepEnd, Step: id, Outcome: journal.OutcomeDone, LogFile: logPath}
	if e.Status != Done {
		end.Outcome, end.ErrorText = journal.OutcomeFailed, e.Reason
	}
	if r := e.Resumed; r != nil {
		// Judged after a restart: a reconcile of what the journal said, with the live checks as evidence.
		found := "postconditions hold"
		if e.Reason != "" {
			found = e.Reason
		}
		end.Kind, end.ErrorText, end.Detail = journal.KindReconcile, "", r.Text()+": "+found
		return append(out, end)
	}
	if ev != nil {
		end.OutputDigest, end.Duration = ev.OutputDigest, journal.Duration(ev.Ended.Sub(ev.Started))
	}
	return append(out, end)
}
