package journal

import (
	"sort"
	"time"
)

// State is where the journal says a step stands.
type State string

// States.
const (
	// StatePending: no outcome recorded (or a skip taken back with nothing before it).
	StatePending State = "pending"
	// StateDone, StateFailed, StateCancelled and StateUnknown are the outcome of the last step-end or reconcile.
	StateDone      State = "done"
	StateFailed    State = "failed"
	StateCancelled State = "cancelled"
	StateUnknown   State = "unknown"
	// StateSkipped: the operator skipped the step.
	StateSkipped State = "skipped"
	// StateInFlight: the step started and nothing recorded its end; reconcile it from server state.
	StateInFlight State = "in flight"
)

// StepProgress is what the journal says about one step.
type StepProgress struct {
	Step  string
	State State
	// At is when the step reached State.
	At time.Time
	// Start is the last step-start record, nil when the step never started.
	Start *Record
	// End is the record that settled State (step-end, reconcile or skip); nil when pending or in flight.
	End *Record
	// Preview and Confirm are the last preview shown and the last confirmation typed for the step.
	Preview, Confirm *Record
	// Checks are the postcondition results recorded since the last start.
	Checks []Record

	// beforeSkip is the state an unskip goes back to.
	beforeSkip *StepProgress
}

// Progress is what a journal says about a failback, for resume.
type Progress struct {
	// Steps are the steps the journal mentions, in step order (F0, F1, F2, F3, F3b, F4, F5a …).
	Steps []StepProgress
	// Notes are the operators' notes, in journal order.
	Notes []Record
	// Breaks are the break records: places where a console found the chain damaged.
	Breaks []Record
	// LastStart is the start record of the last run, nil when no run started.
	LastStart *Record
	// LastExit is that run's exit record, nil when it has none: it crashed, was killed or is still running.
	LastExit *Record
}

// Step returns what the journal says about one step.
func (p Progress) Step(id string) (StepProgress, bool) {
	for _, s := range p.Steps {
		if s.Step == id {
			return s, true
		}
	}
	return StepProgress{}, false
}

// InFlight are the steps that started and have no recorded end.
func (p Progress) InFlight() []StepProgress {
	var out []StepProgress
	for _, s := range p.Steps {
		if s.State == StateInFlight {
			out = append(out, s)
		}
	}
	return out
}

// ExitedCleanly reports whether the last run recorded its exit (any reason). With no run at all there is
// nothing to resume from and it reports true.
func (p Progress) ExitedCleanly() bool { return p.LastStart == nil || p.LastExit != nil }

// Replay reads records (in journal order) into each step's last known state.
func Replay(records []Record) Progress {
	var p Progress
	steps := map[string]*StepProgress{}
	step := func(id string) *StepProgress {
		s := steps[id]
		if s == nil {
			s = &StepProgress{Step: id, State: StatePending}
			steps[id] = s
		}
		return s
	}
	for i := range records {
		r := records[i] // a copy: Progress never aliases the caller's slice
		switch r.Kind {
		case KindStart:
			p.LastStart, p.LastExit = &r, nil
		case KindExit:
			if p.LastStart != nil && r.Run == p.LastStart.Run {
				p.LastExit = &r
			}
		case KindNote:
			p.Notes = append(p.Notes, r)
		case KindBreak:
			p.Breaks = append(p.Breaks, r)
		}
		if r.Step == "" {
			continue
		}
		switch r.Kind {
		case KindPreview:
			step(r.Step).Preview = &r
		case KindConfirm:
			step(r.Step).Confirm = &r
		case KindStepStart:
			s := step(r.Step)
			s.State, s.At, s.Start, s.End, s.Checks, s.beforeSkip = StateInFlight, r.At, &r, nil, nil, nil
		case KindStepEnd, KindReconcile:
			s := step(r.Step)
			s.State, s.At, s.End, s.beforeSkip = stateOf(r.Outcome), r.At, &r, nil
		case KindCheck:
			s := step(r.Step)
			s.Checks = append(s.Checks, r)
		case KindSkip:
			s := step(r.Step)
			if s.State != StateSkipped {
				before := *s
				s.beforeSkip = &before
			}
			s.State, s.At, s.End = StateSkipped, r.At, &r
		case KindUnskip:
			s := step(r.Step)
			if s.State == StateSkipped {
				if b := s.beforeSkip; b != nil {
					s.State, s.At, s.End = b.State, b.At, b.End
				}
				s.beforeSkip = nil
			}
		}
	}
	for _, s := range steps {
		p.Steps = append(p.Steps, *s)
	}
	sort.Slice(p.Steps, func(a, b int) bool { return stepLess(p.Steps[a].Step, p.Steps[b].Step) })
	return p
}

// stateOf maps a recorded outcome to a state; anything unexpected (a damaged file) is unknown, never done.
func stateOf(o Outcome) State {
	switch o {
	case OutcomeDone:
		return StateDone
	case OutcomeFailed:
		return StateFailed
	case OutcomeCancelled:
		return StateCancelled
	}
	return StateUnknown
}

// stepLess is naturalLess with ties ("F01", "F1") broken by the text, so that the order is total.
func stepLess(a, b string) bool {
	if naturalLess(a, b) || naturalLess(b, a) {
		return naturalLess(a, b)
	}
	return a < b
}

// naturalLess orders step ids as the checklist does: digit runs compare as numbers (F5a < F10), then text.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		ca, ra := chunk(a)
		cb, rb := chunk(b)
		if ca != cb {
			da, db := isDigit(ca[0]), isDigit(cb[0])
			switch {
			case da && db:
				na, nb := trimZeros(ca), trimZeros(cb)
				if len(na) != len(nb) {
					return len(na) < len(nb)
				}
				if na != nb {
					return na < nb
				}
			default:
				return ca < cb
			}
		}
		a, b = ra, rb
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// chunk splits s into its first run of digits or of non-digits and the rest.
func chunk(s string) (string, string) {
	d := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == d {
		i++
	}
	return s[:i], s[i:]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
