package journal

import (
	"slices"
	"testing"
)

func TestReplayGivesEachStepsLastOutcome(t *testing.T) {
	p := Replay(failback())
	want := map[string]State{"F2": StateDone, "F3": StateFailed, "F5e": StateSkipped}
	var order []string
	for _, s := range p.Steps {
		order = append(order, s.Step)
		if s.State != want[s.Step] {
			t.Errorf("%s: %s, want %s", s.Step, s.State, want[s.Step])
		}
	}
	if !slices.Equal(order, []string{"F2", "F3", "F5e"}) {
		t.Errorf("steps in order %v", order)
	}
	f2, _ := p.Step("F2")
	if f2.Preview == nil || f2.Confirm == nil || f2.Confirm.Typed != "mgc@SQLBACKUP" || len(f2.Checks) != 1 || f2.End.Kind != KindStepEnd {
		t.Errorf("F2 lacks its preview, confirmation, check or end: %+v", f2)
	}
	f3, _ := p.Step("F3")
	if f3.End.ErrorNumber != 3201 || !f3.At.Equal(at(45)) || f3.Start.Params["backup_file"] == "" {
		t.Errorf("F3: %+v", f3)
	}
	if len(p.Notes) != 1 || p.LastStart == nil || p.LastStart.User != "alice" || p.LastExit == nil || !p.ExitedCleanly() {
		t.Errorf("notes %d, last start %+v, exit %+v", len(p.Notes), p.LastStart, p.LastExit)
	}
	if _, ok := p.Step("F4"); ok {
		t.Error("F4 has progress though the journal never mentions it")
	}
}

func TestReplayFindsTheStepInFlightAfterACrash(t *testing.T) {
	rs := failback()
	rs = rs[:len(rs)-1] // no exit
	rs = append(rs,
		Record{Kind: KindStepStart, Run: "r1", At: at(70), Step: "F4", Target: "SQLPRIMARY"},
		Record{Kind: KindCheck, Run: "r1", At: at(71), Step: "F4", Check: "x", Outcome: OutcomeFail})
	for i := range rs {
		rs[i].Run = "r1"
	}
	p := Replay(rs)
	if p.ExitedCleanly() {
		t.Error("a run with no exit record exited cleanly")
	}
	inflight := p.InFlight()
	if len(inflight) != 1 || inflight[0].Step != "F4" || inflight[0].Start == nil || inflight[0].Start.Target != "SQLPRIMARY" || inflight[0].End != nil {
		t.Fatalf("in flight: %+v", inflight)
	}

	// The next run reconciles it from server state.
	rs = append(rs,
		Record{Kind: KindStart, Run: "r2", At: at(100), User: "bob"},
		Record{Kind: KindReconcile, Run: "r2", At: at(101), Step: "F4", Outcome: OutcomeDone, Detail: "restore_history row after the start"})
	p = Replay(rs)
	f4, _ := p.Step("F4")
	if f4.State != StateDone || f4.End.Kind != KindReconcile || len(p.InFlight()) != 0 {
		t.Errorf("after reconcile: %+v", f4)
	}
	if p.LastStart.User != "bob" || p.LastExit != nil || p.ExitedCleanly() {
		t.Errorf("the last run is bob's and still running: %+v", p.LastStart)
	}
}

func TestReplayUnskipRestoresTheStateBeforeTheSkip(t *testing.T) {
	rs := []Record{
		{Kind: KindStepEnd, Step: "F5e", Outcome: OutcomeFailed, At: at(1)},
		{Kind: KindSkip, Step: "F5e", Reason: "later", At: at(2)},
		{Kind: KindSkip, Step: "F5e", Reason: "again", At: at(3)},
		{Kind: KindUnskip, Step: "F5e", At: at(4)},
		{Kind: KindSkip, Step: "F6a", Reason: "x", At: at(5)},
		{Kind: KindUnskip, Step: "F6a", At: at(6)},
	}
	p := Replay(rs)
	if s, _ := p.Step("F5e"); s.State != StateFailed || !s.At.Equal(at(1)) {
		t.Errorf("F5e after unskip: %s at %v, want failed as before the skip", s.State, s.At)
	}
	if s, _ := p.Step("F6a"); s.State != StatePending || s.End != nil {
		t.Errorf("F6a after unskip: %s, want pending", s.State)
	}
}

func TestReplayNeverTakesAnUnexpectedOutcomeForDone(t *testing.T) {
	p := Replay([]Record{{Kind: KindStepEnd, Step: "F4", Outcome: "DONE"}, {Kind: KindStepEnd, Step: "F3"}})
	for _, s := range p.Steps {
		if s.State != StateUnknown {
			t.Errorf("%s: %s from a damaged outcome, want unknown", s.Step, s.State)
		}
	}
}

func TestReplayDoesNotAliasTheRecords(t *testing.T) {
	rs := failback()
	p := Replay(rs)
	rs[4].Target = "changed"
	if s, _ := p.Step("F2"); s.Start.Target != "SQLBACKUP" {
		t.Error("Progress changed with the caller's slice")
	}
}

func TestStepOrderIsTheChecklists(t *testing.T) {
	ids := []string{"F6b", "F10", "F3b", "F0", "F5a", "F3", "F6a", "F1", "F5e", "F01"}
	slices.SortFunc(ids, func(a, b string) int {
		switch {
		case stepLess(a, b):
			return -1
		case stepLess(b, a):
			return 1
		}
		return 0
	})
	want := []string{"F0", "F01", "F1", "F3", "F3b", "F5a", "F5e", "F6a", "F6b", "F10"}
	if !slices.Equal(ids, want) {
		t.Errorf("order %v, want %v", ids, want)
	}
}
