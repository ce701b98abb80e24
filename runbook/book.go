// Package runbook tracks the failback as it happens: each step's status (pending, running, verifying, done,
// failed, skipped), the evidence its scripts left, and the verdict line. Book is a plain state machine driven
// by the UI's update loop; Executor runs a plan's scripts through the runners. A step is done only when its
// postconditions hold against a probe taken after its scripts ended.
package runbook

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/steps"
)

// Status is a step's recorded status. Whether a pending step is blocked or ready is not recorded: it is derived
// from live preconditions every time it is shown.
type Status int

// Step statuses.
const (
	Pending Status = iota
	Running
	Verifying
	Done
	Failed
	Skipped
)

// String names the status as the checklist shows it.
func (s Status) String() string {
	return [...]string{"pending", "running", "verifying", "done", "failed", "skipped"}[s]
}

// Entry is one step's progress.
type Entry struct {
	Step   steps.Step
	Status Status
	// Reason says why a step failed or was skipped.
	Reason string
	// Plan is the plan being run or last run.
	Plan *steps.Plan
	// Progress is 0..1 while a script reports percentages, -1 when it does not.
	Progress       float64
	Started, Ended time.Time
	// EndSeq is the snapshot sequence number current when the scripts ended: postconditions are only judged on
	// later snapshots.
	EndSeq uint64
	// Deadline ends verification.
	Deadline time.Time
	// Post is the latest postcondition evaluation.
	Post     []steps.Check
	Attempts int
	// Resumed is set for a step the journal said was done or in flight when the console started.
	Resumed *Resumed

	// lost is set when the step failed because the connection broke (remote.ErrConnectionLost): its display then
	// adds what the latest probe shows of the server it ran on (afterLoss). serverStart is each target's clock
	// when the step started.
	lost        bool
	serverStart map[probes.Role]time.Time
}

// Book is the checklist's state.
type Book struct {
	entries []*Entry
	runs    map[steps.ID]*steps.Evidence
}

// New starts a book with every step pending.
func New(cat []steps.Step) *Book {
	b := &Book{runs: map[steps.ID]*steps.Evidence{}}
	for _, s := range cat {
		b.entries = append(b.entries, &Entry{Step: s, Progress: -1})
	}
	return b
}

// Entries returns the entries in procedure order. Callers must not modify them.
func (b *Book) Entries() []*Entry { return b.entries }

// Entry returns a step's entry, or nil.
func (b *Book) Entry(id steps.ID) *Entry {
	for _, e := range b.entries {
		if e.Step.ID == id {
			return e
		}
	}
	return nil
}

// Active returns the running or verifying entry, or nil.
func (b *Book) Active() *Entry {
	for _, e := range b.entries {
		if e.Status == Running || e.Status == Verifying {
			return e
		}
	}
	return nil
}

// Env completes a base environment with the evidence this book holds.
func (b *Book) Env(base steps.Env) steps.Env {
	base.Runs = b.runs
	return base
}

// Errors returned by the transitions.
var (
	ErrBusy    = errors.New("another step is running")
	ErrUnknown = errors.New("no such step")
)

// Begin marks a step running with the plan that is about to execute.
func (b *Book) Begin(id steps.ID, plan steps.Plan, now time.Time) error {
	e := b.Entry(id)
	switch {
	case e == nil:
		return ErrUnknown
	case b.Active() != nil:
		return fmt.Errorf("%w: %s", ErrBusy, b.Active().Step.ID)
	case e.Status == Skipped:
		return fmt.Errorf("%s is skipped; unskip it first", id)
	case plan.Step != id:
		return fmt.Errorf("plan for %s given to %s", plan.Step, id)
	}
	e.Status, e.Reason, e.Plan, e.Progress, e.Resumed = Running, "", &plan, -1, nil
	e.Started, e.Ended, e.Post, e.Deadline = now, time.Time{}, nil, time.Time{}
	e.Attempts++
	return nil
}

// SetProgress records a running step's progress (0..1).
func (b *Book) SetProgress(id steps.ID, p float64) {
	if e := b.Entry(id); e != nil && e.Status == Running {
		e.Progress = p
	}
}

// Finish records the end of a step's scripts. With err nil the step goes on to verification against snapshots
// newer than seq; otherwise it has failed (a cancelled step has failed too: its effect is unknown until checked).
func (b *Book) Finish(id steps.ID, ev *steps.Evidence, err error, seq uint64, now time.Time) {
	e := b.Entry(id)
	if e == nil || e.Status != Running {
		return
	}
	e.Ended, e.EndSeq = now, seq
	if err != nil {
		e.Status, e.Reason = Failed, failReason(err, e.Plan)
		e.lost = errors.Is(err, remote.ErrConnectionLost)
		if ev != nil {
			e.serverStart = ev.ServerStart
		}
		return
	}
	if ev != nil {
		b.runs[id] = ev
	}
	e.Status, e.Progress = Verifying, 1
	e.Deadline = now.Add(e.Step.Settle)
}

// Observe judges verifying steps against a snapshot: done when every postcondition holds, failed when the
// settle time is over and one still does not, otherwise still verifying. It returns the steps that changed.
func (b *Book) Observe(env steps.Env) []*Entry {
	env = b.Env(env)
	var changed []*Entry
	for _, e := range b.entries {
		if e.Status != Verifying || env.Snap.Seq <= e.EndSeq {
			continue
		}
		if e.Plan != nil {
			if f := steps.Failing(steps.Reachable(env, *e.Plan)); len(f) > 0 {
				e.Post = f // shown as what verification waits for
				continue
			}
		}
		e.Post = e.Step.Post(env)
		switch {
		case steps.Pass(e.Post):
			e.Status, e.Reason = Done, ""
			if e.Resumed != nil {
				e.Ended = env.Now
			}
		case !env.Now.Before(e.Deadline) && e.Resumed != nil:
			status, reason, settled := b.resumedOutcome(e, steps.Failing(e.Post)[0])
			if !settled {
				continue
			}
			e.Status, e.Reason = status, reason
		case !env.Now.Before(e.Deadline):
			e.Status = Failed
			e.Reason = "postcondition failed: " + describe(steps.Failing(e.Post)[0])
		default:
			continue
		}
		changed = append(changed, e)
	}
	return changed
}

func describe(c steps.Check) string {
	s := c.Text
	if c.Detail != "" {
		s += " (" + c.Detail + ")"
	}
	return s
}

// Skip marks a pending or failed step as skipped with the operator's reason.
func (b *Book) Skip(id steps.ID, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := b.CanSkip(id, reason); err != nil {
		return err
	}
	e := b.Entry(id)
	e.Status, e.Reason = Skipped, reason
	return nil
}

// CanSkip says whether Skip would accept the step and reason, so the skip can be journaled before it is made.
func (b *Book) CanSkip(id steps.ID, reason string) error {
	e := b.Entry(id)
	switch {
	case e == nil:
		return ErrUnknown
	case strings.TrimSpace(reason) == "":
		return errors.New("a skip needs a reason")
	case e.Status == Running || e.Status == Verifying:
		return fmt.Errorf("%s is %s", id, e.Status)
	}
	return nil
}

// Unskip returns a skipped step to pending.
func (b *Book) Unskip(id steps.ID) error {
	e := b.Entry(id)
	if e == nil || e.Status != Skipped {
		return fmt.Errorf("%s is not skipped", id)
	}
	e.Status, e.Reason = Pending, ""
	return nil
}

// errCancelled marks a cancellation requested by the operator.
var errCancelled = errors.New("cancelled")

// Cancelled wraps a context error so the book words it as an operator's cancellation.
func Cancelled(err error) error { return fmt.Errorf("%w: %v", errCancelled, err) }
