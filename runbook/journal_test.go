package runbook_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"pcfailback/internal/simtest"
	"pcfailback/journal"
	"pcfailback/runbook"
	"pcfailback/steps"
)

// recorder is a journal that keeps records in memory and notes how many statements the simulator had seen when
// each record was appended.
type recorder struct {
	mu      sync.Mutex
	h       *simtest.Harness
	records []journal.Record
	seen    []int
	fail    error
}

func (r *recorder) Append(rec journal.Record) (journal.Record, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return rec, r.fail
	}
	r.records = append(r.records, rec)
	r.seen = append(r.seen, len(r.h.Sim.Executed()))
	return rec, nil
}

// readyForF3 is an estate where F0–F2 are done and F3 may run.
func readyForF3(t *testing.T, scenario string) *simtest.Harness {
	t.Helper()
	h := simtest.New(t, simtest.Options{Scenario: scenario})
	upTo(t, h, steps.F3)
	h.Advance(3 * time.Minute)
	return h
}

// A step's start is on record before anything reaches the server, with what resume needs to judge it again.
func TestTheStartIsRecordedBeforeTheStepIsSent(t *testing.T) {
	t.Parallel()
	h := readyForF3(t, "")
	rec := &recorder{h: h}
	x := executorWith(h, nil).WithJournal(rec, "/var/log/pcfailback/console.log")
	plan := h.Plan(steps.F3)
	before := len(h.Sim.Executed())
	if _, err := x.Run(context.Background(), plan, h.Snap, nil); err != nil {
		t.Fatal(err)
	}
	if len(rec.records) != 1 {
		t.Fatalf("records %+v: want only the start (the outcome is recorded after verification)", rec.records)
	}
	r := rec.records[0]
	if r.Kind != journal.KindStepStart || r.Step != "F3" || r.ScriptDigest != plan.Digest || r.Target != "SQLBACKUP" ||
		r.Params[steps.ParamBackup] != plan.Params[steps.ParamBackup] || r.ServerStart["backup"].IsZero() ||
		r.LogFile != "/var/log/pcfailback/console.log" {
		t.Errorf("start record %+v", r)
	}
	if rec.seen[0] != before {
		t.Errorf("%d statements reached the server before the start was recorded", rec.seen[0]-before)
	}
	if got := runbook.ServerStarts(r); !got["backup"].Equal(r.ServerStart["backup"]) {
		t.Errorf("ServerStarts %v", got)
	}
}

// A journal that cannot record the start stops the step: nothing is sent.
func TestAStepTheJournalCannotRecordIsNotSent(t *testing.T) {
	t.Parallel()
	h := readyForF3(t, "")
	rec := &recorder{h: h, fail: errors.New("no space left on device")}
	x := executorWith(h, nil).WithJournal(rec, "")
	before := len(h.Sim.Executed())
	_, err := x.Run(context.Background(), h.Plan(steps.F3), h.Snap, nil)
	var jerr *runbook.JournalError
	if !errors.As(err, &jerr) {
		t.Fatalf("Run = %v: want a JournalError", err)
	}
	if n := len(h.Sim.Executed()) - before; n != 0 {
		t.Fatalf("%d statements sent without a journal record", n)
	}
}

// A failure is recorded with its SQL Server message number and the digest of the output written to the log.
func TestAFailureIsRecordedWithItsNumber(t *testing.T) {
	t.Parallel()
	h := readyForF3(t, "share-engine-denied")
	rec := &recorder{h: h}
	x := executorWith(h, nil).WithJournal(rec, "console.log")
	ev, err := x.Run(context.Background(), h.Plan(steps.F3), h.Snap, nil)
	if err == nil {
		t.Fatal("F3 succeeded on a share the engine cannot write")
	}
	if len(rec.records) != 2 {
		t.Fatalf("records %+v", rec.records)
	}
	end := rec.records[1]
	if end.Kind != journal.KindStepEnd || end.Outcome != journal.OutcomeFailed || end.ErrorNumber != 3201 ||
		end.OutputDigest == "" || end.OutputDigest != ev.OutputDigest || end.LogFile != "console.log" {
		t.Errorf("end record %+v", end)
	}
	last, err := x.Wait(context.Background())
	if err != nil || last == nil || last.Plan.Step != steps.F3 || last.Err == nil {
		t.Errorf("Wait = %+v, %v", last, err)
	}
}

// Cancelling is recorded as cancelled, not failed.
func TestACancelledStepIsRecordedAsCancelled(t *testing.T) {
	t.Parallel()
	h := readyForF3(t, "")
	rec := &recorder{h: h}
	x := executorWith(h, nil).WithJournal(rec, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.Run(ctx, h.Plan(steps.F3), h.Snap, nil); err == nil {
		t.Fatal("a cancelled run succeeded")
	}
	if n := len(rec.records); n != 2 || rec.records[1].Outcome != journal.OutcomeCancelled {
		t.Fatalf("records %+v", rec.records)
	}
	if x.Running() {
		t.Error("still running after Run returned")
	}
}

// A console that lost control sends nothing: the guard is asked before each step.
func TestAStepIsNotSentWithoutControl(t *testing.T) {
	t.Parallel()
	h := readyForF3(t, "")
	rec := &recorder{h: h}
	lost := errors.New("control lost: the lease's session ended")
	x := executorWith(h, nil).WithJournal(rec, "").WithGuard(func(context.Context) error { return lost })
	before := len(h.Sim.Executed())
	if _, err := x.Run(context.Background(), h.Plan(steps.F3), h.Snap, nil); !errors.Is(err, lost) {
		t.Fatalf("Run = %v", err)
	}
	if n := len(h.Sim.Executed()) - before; n != 0 || len(rec.records) != 0 {
		t.Fatalf("%d statements sent, %d records, without control", n, len(rec.records))
	}
}
