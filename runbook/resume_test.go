package runbook_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pcfailback/internal/simtest"
	"pcfailback/journal"
	"pcfailback/runbook"
	"pcfailback/steps"
)

// journaled runs the procedure up to stop with the executor recording into a real journal and each verified step
// recorded as the console records it, and returns the journal.
func journaled(t *testing.T, h *simtest.Harness, stop steps.ID) *journal.Journal {
	t.Helper()
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	h.Exec.WithJournal(j, "console.log")
	if _, err := j.Append(journal.Record{Kind: journal.KindStart, User: "alice", Host: "jump01"}); err != nil {
		t.Fatal(err)
	}
	h.Refresh()
	for _, e := range h.Book.Entries() {
		id := e.Step.ID
		if id == stop {
			break
		}
		for i := 0; !steps.Pass(h.Pre(id)); i++ {
			if i > 20 {
				t.Fatalf("%s not ready:%s", id, simtest.Describe(steps.Failing(h.Pre(id))))
			}
			h.Clock.Advance(30 * time.Second)
		}
		h.Do(id)
		for _, r := range h.Book.OutcomeRecords(h.Book.Entry(id), "console.log") {
			if _, err := j.Append(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	return j
}

// resumed is a new console's book, resumed from the journal and judged on a fresh probe.
func resumed(t *testing.T, h *simtest.Harness, j *journal.Journal) *runbook.Book {
	t.Helper()
	b := runbook.New(steps.Catalog())
	b.Resume(journal.Replay(read(t, j)), h.Clock.Now())
	h.Refresh()
	b.Observe(b.Env(steps.Env{Names: h.Names, Snap: h.Snap, Now: h.Clock.Now(), StaleAfter: simtest.StaleAfter}))
	return b
}

// Done steps are judged again on the live estate, with the file names and server clocks the journal kept.
func TestResumeReverifiesDoneSteps(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	j := journaled(t, h, steps.F4)
	b := resumed(t, h, j)
	for _, id := range []steps.ID{steps.F0, steps.F1, steps.F2, steps.F3} {
		if e := b.Entry(id); e.Status != runbook.Done || e.Resumed == nil {
			t.Errorf("%s: %s %q (resumed %+v)", id, e.Status, e.Reason, e.Resumed)
		}
	}
	// F3b's proof is what VERIFYONLY printed, which server state cannot show again: it is not taken on trust.
	if e := b.Entry(steps.F3b); e.Status == runbook.Done {
		t.Errorf("F3b done without its verification output")
	}
	if e := b.Entry(steps.F4); e.Status != runbook.Pending {
		t.Errorf("F4 %s: want pending, the next step", e.Status)
	}
	env := b.Env(steps.Env{Names: h.Names, Snap: h.Snap, Now: h.Clock.Now(), StaleAfter: simtest.StaleAfter})
	if p, err := b.Entry(steps.F4).Step.Plan(env); err != nil || p.Params[steps.ParamBackup] == "" {
		t.Errorf("F4 plans from the resumed F3 evidence: %+v, %v", p.Params, err)
	}
}

// A step in flight when the console died whose effect is on the estate reconciles as done.
func TestResumeReconcilesAStepThatTookEffect(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	j := journaled(t, h, steps.F3)
	if _, err := j.Append(journal.Record{Kind: journal.KindStepStart, Step: "F2"}); err != nil {
		t.Fatal(err)
	}
	b := resumed(t, h, j)
	if e := b.Entry(steps.F2); e.Status != runbook.Done || e.Resumed == nil || e.Resumed.State != journal.StateInFlight {
		t.Errorf("in-flight F2 whose effect is present: %s %q", e.Status, e.Reason)
	}
}

// Done steps the estate contradicts are not trusted: each fails with what its check sees now.
func TestResumeDoesNotTrustDoneStepsTheEstateContradicts(t *testing.T) {
	t.Parallel()
	j := journaled(t, simtest.New(t, simtest.Options{}), steps.F3)
	fresh := simtest.New(t, simtest.Options{}) // the estate as the failover left it: F1 and F2 undone
	b := runbook.New(steps.Catalog())
	b.Resume(journal.Replay(read(t, j)), fresh.Clock.Now())
	fresh.Clock.Advance(time.Hour) // past every settle window
	fresh.Refresh()
	for range 2 { // F1 waits for F2's verdict, which comes later in the same pass
		b.Observe(b.Env(steps.Env{Names: fresh.Names, Snap: fresh.Snap, Now: fresh.Clock.Now(), StaleAfter: time.Hour}))
	}
	for _, id := range []steps.ID{steps.F1, steps.F2} {
		if e := b.Entry(id); e.Status != runbook.Failed || !strings.Contains(e.Reason, "journal says done") {
			t.Errorf("%s: %s %q", id, e.Status, e.Reason)
		}
	}
}

// After the whole failback, F1's check (no active servers) no longer holds because F6b filled the list: F1 stays
// done on the strength of the later steps verified live, and says so.
func TestResumeAfterTheWholeFailback(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	j := journaled(t, h, "")
	b := resumed(t, h, j)
	h.Clock.Advance(time.Hour)
	for range 3 {
		h.Refresh()
		b.Observe(b.Env(steps.Env{Names: h.Names, Snap: h.Snap, Now: h.Clock.Now(), StaleAfter: time.Hour}))
	}
	for _, e := range b.Entries() {
		if e.Step.ID == steps.F3b {
			continue // its proof is VERIFYONLY's output (see above)
		}
		if e.Status != runbook.Done {
			t.Errorf("%s: %s %q", e.Step.ID, e.Status, e.Reason)
		}
	}
	if e := b.Entry(steps.F1); !strings.Contains(e.Reason, "verified after it") {
		t.Errorf("F1: %q", e.Reason)
	}
}

// A step in flight when the console died is reconciled from server state: F3's backup never ran, so there is no
// backup set after its start and the step is failed with that evidence.
func TestResumeReconcilesAStepThatNeverTookEffect(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	j := journaled(t, h, steps.F3)
	h.Clock.Advance(3 * time.Minute)
	h.Refresh()
	plan := h.Plan(steps.F3)
	if _, err := j.Append(journal.Record{Kind: journal.KindStepStart, Step: "F3", ScriptDigest: plan.Digest, Params: plan.Params,
		ServerStart: map[string]time.Time{"backup": h.Snap.Instance("backup").ServerNow(h.Clock.Now())}}); err != nil {
		t.Fatal(err)
	}
	p := journal.Replay(read(t, j))
	if len(p.InFlight()) != 1 {
		t.Fatalf("in flight: %+v", p.InFlight())
	}
	b := runbook.New(steps.Catalog())
	b.Resume(p, h.Clock.Now())
	for i := 0; i < 10 && b.Entry(steps.F3).Status == runbook.Verifying; i++ {
		h.Clock.Advance(time.Minute)
		h.Refresh()
		b.Observe(b.Env(steps.Env{Names: h.Names, Snap: h.Snap, Now: h.Clock.Now(), StaleAfter: simtest.StaleAfter}))
	}
	e := b.Entry(steps.F3)
	if e.Status != runbook.Failed || e.Resumed == nil {
		t.Fatalf("F3: %s %q", e.Status, e.Reason)
	}
	recs := b.OutcomeRecords(e, "")
	if end := recs[len(recs)-1]; end.Kind != journal.KindReconcile || end.Outcome != journal.OutcomeFailed || end.Detail == "" {
		t.Errorf("reconcile record %+v", end)
	}
}

// read is what a console opening the journal now would find.
func read(t *testing.T, j *journal.Journal) []journal.Record {
	t.Helper()
	recs, err := journal.Read(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
