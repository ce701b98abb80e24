package runbook

import (
	"fmt"
	"time"

	"pcfailback/journal"
	"pcfailback/probes"
	"pcfailback/steps"
)

// Resumed says what the journal claimed about a step when the console started: judged again, never trusted.
type Resumed struct {
	// State is the journal's state for the step (done, in flight, unknown).
	State journal.State
	// At is when the journal recorded it.
	At time.Time
	// Superseded is set when a later step is done in the journal too: that step's effects may legitimately have
	// replaced this one's (F6 fills the active server list F1 emptied), so a postcondition that no longer holds
	// does not make this step failed.
	Superseded steps.ID
}

// Text is how the checklist describes the step while it is judged.
func (r Resumed) Text() string {
	if r.State == journal.StateDone {
		return "re-verifying: the journal says done at " + r.At.Format("15:04:05")
	}
	return "reconciling from server state: the journal says " + string(r.State) + " since " + r.At.Format("15:04:05")
}

// Resume sets the book from a journal's progress. Done, in-flight and unknown steps are judged again against the
// next snapshots (their postconditions, with the file names and server clocks the journal kept), with until
// now+settle to come true; failed, cancelled and skipped steps keep the journal's state and reason. It returns one
// line per step it changed, for the log.
func (b *Book) Resume(p journal.Progress, now time.Time) []string {
	var lines []string
	later := steps.ID("")
	for i := len(b.entries) - 1; i >= 0; i-- {
		e := b.entries[i]
		sp, ok := p.Step(string(e.Step.ID))
		if !ok || sp.State == journal.StatePending {
			continue
		}
		switch sp.State {
		case journal.StateSkipped:
			e.Status, e.Reason = Skipped, "journal: "+reasonOf(sp.End)
			lines = append(lines, fmt.Sprintf("%s skipped (journal, %s): %s", e.Step.ID, sp.At.Format("15:04:05"), reasonOf(sp.End)))
		case journal.StateFailed, journal.StateCancelled:
			e.Status, e.Reason = Failed, fmt.Sprintf("journal: %s at %s: %s", sp.State, sp.At.Format("15:04:05"), errorOf(sp.End))
			lines = append(lines, fmt.Sprintf("%s %s (journal, %s): %s", e.Step.ID, sp.State, sp.At.Format("15:04:05"), errorOf(sp.End)))
		default:
			b.rejudge(e, sp, later, now)
			lines = append(lines, fmt.Sprintf("%s %s", e.Step.ID, e.Resumed.Text()))
		}
		if sp.State == journal.StateDone && later == "" {
			later = e.Step.ID
		}
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	return lines
}

// rejudge puts a step the journal says is done or in flight back into verification with the evidence the journal
// kept.
func (b *Book) rejudge(e *Entry, sp journal.StepProgress, later steps.ID, now time.Time) {
	plan := steps.Plan{Step: e.Step.ID}
	ev := &steps.Evidence{Succeeded: true}
	if s := sp.Start; s != nil {
		plan.Params, plan.Digest = s.Params, s.ScriptDigest
		ev.Started, ev.ServerStart, e.Started = s.At, ServerStarts(*s), s.At
	}
	ev.Plan = plan
	e.Status, e.Plan, e.Progress, e.EndSeq = Verifying, &plan, 1, 0
	e.Deadline = now.Add(max(e.Step.Settle, time.Minute))
	e.Resumed = &Resumed{State: sp.State, At: sp.At}
	if later != "" && sp.State == journal.StateDone {
		e.Resumed.Superseded = later
	}
	b.runs[e.Step.ID] = ev
}

// resumedOutcome settles a resumed step whose postconditions still fail at its deadline. A step a later done step
// may have superseded follows that step's live verdict: done when it is verified, failed when it is not, and not
// settled (false) while it is still being judged.
func (b *Book) resumedOutcome(e *Entry, failing steps.Check) (Status, string, bool) {
	r := e.Resumed
	if later := b.Entry(r.Superseded); later != nil {
		switch later.Status {
		case Done:
			return Done, fmt.Sprintf("journal: done at %s; %s, verified after it, has since changed what it checks (now: %s)",
				r.At.Format("15:04:05"), r.Superseded, describe(failing)), true
		case Verifying:
			return Verifying, "", false
		}
	}
	if r.State == journal.StateDone {
		return Failed, fmt.Sprintf("journal says done at %s, but now: %s", r.At.Format("15:04:05"), describe(failing)), true
	}
	return Failed, fmt.Sprintf("reconciled: was %s at %s and did not take effect: %s", r.State, r.At.Format("15:04:05"), describe(failing)), true
}

func reasonOf(r *journal.Record) string {
	if r == nil {
		return ""
	}
	return r.Reason
}

func errorOf(r *journal.Record) string {
	if r == nil || r.ErrorText == "" {
		return "no error recorded"
	}
	if r.ErrorNumber != 0 {
		return fmt.Sprintf("Msg %d: %s", r.ErrorNumber, r.ErrorText)
	}
	return r.ErrorText
}

// ServerStarts turns a step-start record's server clocks back into the evidence's form, for resume.
func ServerStarts(r journal.Record) map[probes.Role]time.Time {
	out := map[probes.Role]time.Time{}
	for k, t := range r.ServerStart {
		out[probes.Role(k)] = t
	}
	return out
}
