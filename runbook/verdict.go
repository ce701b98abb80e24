package runbook

import (
	"fmt"

	"pcfailback/steps"
)

// Display is how a step looks right now: its recorded status, or for a pending step whether its live
// preconditions make it blocked or ready.
type Display struct {
	ID    steps.ID
	Label string // blocked, ready, running, verifying, done, failed, skipped
	// Reason is the one line shown next to the state: the first failing check, the failure, the skip reason.
	Reason   string
	Progress float64
	// Pre holds the live preconditions of a pending or failed step.
	Pre []steps.Check
}

// Ready reports whether the step may be started now.
func (d Display) Ready() bool { return d.Label == "ready" }

// Displays computes every step's display against env.
func (b *Book) Displays(env steps.Env) []Display {
	env = b.Env(env)
	out := make([]Display, len(b.entries))
	for i, e := range b.entries {
		out[i] = b.display(e, env)
	}
	return out
}

func (b *Book) display(e *Entry, env steps.Env) Display {
	d := Display{ID: e.Step.ID, Progress: e.Progress}
	switch e.Status {
	case Running:
		d.Label = "running"
		if e.Plan != nil && len(e.Plan.Scripts) > 0 {
			d.Reason = e.Plan.Scripts[0].Purpose
		}
	case Verifying:
		d.Label = "verifying"
		d.Reason = "checking postconditions against a fresh probe"
		if e.Resumed != nil {
			d.Reason = e.Resumed.Text()
		}
		if f := steps.Failing(e.Post); len(f) > 0 {
			d.Reason = "waiting: " + describe(f[0])
		}
	case Done:
		d.Label = "done"
		d.Reason = "verified " + e.Ended.Format("15:04:05")
	case Skipped:
		d.Label, d.Reason = "skipped", e.Reason
	case Failed, Pending:
		d.Pre = e.Step.Pre(env)
		switch {
		case e.Status == Failed:
			d.Label, d.Reason = "failed", e.Reason+afterLoss(e, env)
		case b.failedBefore(e) != nil:
			// A failed step is settled by running it again or skipping it with a reason, not by going past it.
			f := b.failedBefore(e)
			d.Label = "blocked"
			d.Reason = fmt.Sprintf("%s failed: run %s again or skip it with a reason first", f.Step.ID, f.Step.ID)
		case steps.Pass(d.Pre):
			d.Label, d.Reason = "ready", "preconditions pass"
		default:
			d.Label, d.Reason = "blocked", describe(steps.Failing(d.Pre)[0])
		}
	}
	return d
}

// VerdictKind classifies the verdict line.
type VerdictKind int

// Verdict kinds.
const (
	VerdictSafe VerdictKind = iota
	VerdictBlocked
	VerdictBusy
	VerdictComplete
)

// Verdict is the one-line answer to "what can I do now?".
type Verdict struct {
	Kind VerdictKind
	Step steps.ID
	Text string
}

// Verdict derives the line from the displays: the running step, else the first step that is not done or
// skipped, judged by its live preconditions.
func (b *Book) Verdict(ds []Display, readOnly bool) Verdict {
	would := ""
	if readOnly {
		would = "read-only: would be "
	}
	for i, d := range ds {
		if d.Label == "running" || d.Label == "verifying" {
			v := Verdict{Kind: VerdictBusy, Step: d.ID, Text: fmt.Sprintf("%s %s — %s", d.Label, d.ID, b.entries[i].Step.Title)}
			if d.Label == "running" && d.Progress >= 0 {
				v.Text += fmt.Sprintf(" (%d%%)", int(d.Progress*100))
			}
			if d.Label == "verifying" {
				v.Text += ": " + d.Reason
			}
			return v
		}
	}
	for i, d := range ds {
		title := b.entries[i].Step.Title
		switch d.Label {
		case "done", "skipped":
			continue
		case "ready":
			return Verdict{Kind: VerdictSafe, Step: d.ID, Text: fmt.Sprintf("%ssafe to run %s — %s", orEmpty(readOnly, "read-only: "), d.ID, title)}
		case "failed":
			return Verdict{Kind: VerdictBlocked, Step: d.ID, Text: fmt.Sprintf("%sblocked: %s failed — %s; fix the cause and run it again, or skip it with a reason", would, d.ID, d.Reason)}
		default:
			text := fmt.Sprintf("%sblocked: %s — %s", would, d.ID, d.Reason)
			if f := steps.Failing(d.Pre); len(f) > 0 && f[0].Advice != "" {
				text += "; " + f[0].Advice
			}
			return Verdict{Kind: VerdictBlocked, Step: d.ID, Text: text}
		}
	}
	return Verdict{Kind: VerdictComplete, Text: "failback complete: every step is done or skipped — watch log shipping and the pool on the panels"}
}

func orEmpty(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

// failedBefore returns the first failed step before e in procedure order, nil when there is none.
func (b *Book) failedBefore(e *Entry) *Entry {
	for _, x := range b.entries {
		if x == e {
			return nil
		}
		if x.Status == Failed {
			return x
		}
	}
	return nil
}
