package runbook_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/steps"
)

const cancelWording = "cancelled by the operator; the server was told to stop. Check the panels before re-running."

func TestNewBookIsAllPending(t *testing.T) {
	b := runbook.New(steps.Catalog())
	if len(b.Entries()) != 13 || b.Active() != nil {
		t.Fatalf("%d entries, active %v", len(b.Entries()), b.Active())
	}
	for _, e := range b.Entries() {
		if e.Status != runbook.Pending || e.Progress != -1 || e.Attempts != 0 || e.Status.String() != "pending" {
			t.Errorf("%s: %+v", e.Step.ID, e)
		}
	}
	if b.Entry("F9") != nil {
		t.Error("an unknown step has an entry")
	}
}

func TestBeginRefusals(t *testing.T) {
	b := runbook.New(steps.Catalog())
	e := env(withActive(snapshot(1, t0)), t0)
	p1 := begin(t, b, steps.F1, e)
	if en := b.Entry(steps.F1); en.Status != runbook.Running || en.Attempts != 1 || en.Plan.Digest != p1.Digest || !en.Started.Equal(t0) || b.Active() != en {
		t.Fatalf("F1 after Begin: %+v", en)
	}

	err := b.Begin(steps.F0, plan(t, b, steps.F0, e), t0)
	if !errors.Is(err, runbook.ErrBusy) || !strings.Contains(err.Error(), "F1") {
		t.Errorf("Begin while F1 runs: %v", err)
	}
	if err := b.Begin("F9", p1, t0); !errors.Is(err, runbook.ErrUnknown) {
		t.Errorf("Begin of an unknown step: %v", err)
	}
	if err := b.Skip(steps.F1, "no"); err == nil || !strings.Contains(err.Error(), "F1 is running") {
		t.Errorf("Skip of a running step: %v", err)
	}
	if b.Entry(steps.F0).Status != runbook.Pending {
		t.Error("a refused Begin changed the step")
	}

	b.Finish(steps.F1, &steps.Evidence{Plan: p1, Succeeded: true}, nil, 1, t0)
	b.Observe(env(withActive(snapshot(2, t0)), t0))
	if b.Entry(steps.F1).Status != runbook.Done || b.Active() != nil {
		t.Fatalf("F1: %s", b.Entry(steps.F1).Status)
	}

	if err := b.Skip(steps.F0, "pre-flight run by hand"); err != nil {
		t.Fatal(err)
	}
	err = b.Begin(steps.F0, plan(t, b, steps.F0, e), t0)
	if err == nil || !strings.Contains(err.Error(), "F0 is skipped; unskip it first") {
		t.Errorf("Begin of a skipped step: %v", err)
	}
	if err := b.Begin(steps.F2, p1, t0); err == nil || !strings.Contains(err.Error(), "plan for F1 given to F2") {
		t.Errorf("Begin with another step's plan: %v", err)
	}
}

func TestFinishWithError(t *testing.T) {
	b := runbook.New(steps.Catalog())
	e := env(snapshot(3, t0), t0)
	p := begin(t, b, steps.F1, e)
	ev := &steps.Evidence{Plan: p}
	b.Finish(steps.F1, ev, errors.New("exit code 1: Set-CsPersistentChatActiveServer : Cannot find pool"), 3, t0.Add(time.Second))
	en := b.Entry(steps.F1)
	if en.Status != runbook.Failed || en.Reason != "exit code 1: Set-CsPersistentChatActiveServer : Cannot find pool" ||
		!en.Ended.Equal(t0.Add(time.Second)) || en.EndSeq != 3 {
		t.Fatalf("F1: %+v", en)
	}
	if b.Env(e).Runs[steps.F1] != nil {
		t.Error("a failed run's evidence is kept for the checks")
	}
	// A failed step is not judged again: a later snapshot where the postconditions hold does not make it done.
	if changed := b.Observe(env(withActive(snapshot(4, t0)), t0)); len(changed) != 0 || en.Status != runbook.Failed {
		t.Errorf("Observe changed a failed step: %v", en.Status)
	}
	// Finishing a step that is not running is ignored.
	b.Finish(steps.F1, ev, nil, 5, t0)
	b.Finish(steps.F2, ev, nil, 5, t0)
	if en.Status != runbook.Failed || b.Entry(steps.F2).Status != runbook.Pending {
		t.Errorf("Finish of a step that is not running: F1 %s, F2 %s", en.Status, b.Entry(steps.F2).Status)
	}
	// Running it again clears the failure.
	begin(t, b, steps.F1, e)
	if en.Status != runbook.Running || en.Reason != "" || en.Attempts != 2 || !en.Ended.IsZero() {
		t.Errorf("second attempt: %+v", en)
	}
}

func TestCancellationWording(t *testing.T) {
	for _, err := range []error{
		runbook.Cancelled(context.Canceled),
		fmt.Errorf("connect to SQLBACKUP: %w", context.Canceled),
	} {
		b := runbook.New(steps.Catalog())
		e := env(snapshot(1, t0), t0)
		begin(t, b, steps.F1, e)
		b.Finish(steps.F1, nil, err, 1, t0)
		if en := b.Entry(steps.F1); en.Status != runbook.Failed || en.Reason != cancelWording {
			t.Errorf("%v: %s %q", err, en.Status, en.Reason)
		}
	}
	// A timeout is not the operator's doing and is reported as it is.
	b := runbook.New(steps.Catalog())
	begin(t, b, steps.F1, env(snapshot(1, t0), t0))
	b.Finish(steps.F1, nil, context.DeadlineExceeded, 1, t0)
	if en := b.Entry(steps.F1); en.Reason != "context deadline exceeded" {
		t.Errorf("timeout reason %q", en.Reason)
	}
}

func TestVerifiedOnlyOnAFreshSnapshot(t *testing.T) {
	b := runbook.New(steps.Catalog())
	e := env(snapshot(4, t0), t0)
	p := begin(t, b, steps.F1, e)
	b.SetProgress(steps.F1, 0.5)
	ev := &steps.Evidence{Plan: p, Succeeded: true}
	b.Finish(steps.F1, ev, nil, 4, t0.Add(2*time.Second))
	en := b.Entry(steps.F1)
	if en.Status != runbook.Verifying || en.Progress != 1 || en.EndSeq != 4 || !en.Deadline.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("after Finish: %+v", en)
	}
	if b.Env(e).Runs[steps.F1] != ev {
		t.Error("the evidence of a finished run is not kept")
	}
	// The snapshot current when the scripts ended may predate their effect: it is not trusted, even when the
	// postconditions hold in it.
	stale := env(withActive(snapshot(4, t0.Add(time.Minute))), t0.Add(time.Minute))
	if changed := b.Observe(stale); len(changed) != 0 || en.Status != runbook.Verifying {
		t.Fatalf("judged on the snapshot of the run: %s", en.Status)
	}
	changed := b.Observe(env(withActive(snapshot(5, t0.Add(time.Minute))), t0.Add(time.Minute)))
	if len(changed) != 1 || changed[0] != en || en.Status != runbook.Done || en.Reason != "" || !steps.Pass(en.Post) {
		t.Fatalf("on a fresh snapshot: %v %+v", changed, en)
	}
	// Done is final for Observe.
	if changed := b.Observe(env(snapshot(6, t0.Add(2*time.Minute)), t0.Add(2*time.Minute))); len(changed) != 0 || en.Status != runbook.Done {
		t.Errorf("a done step was judged again: %s", en.Status)
	}
}

func TestVerificationFailsAfterTheSettleTime(t *testing.T) {
	b := runbook.New(steps.Catalog())
	s := snapshot(10, t0)
	s.Pool.State, s.Pool.Active, s.Pool.Inactive = "Normal", nil, []string{"pc01.contoso.local", "pc02.contoso.local"}
	p := begin(t, b, steps.F6b, env(s, t0))
	b.Finish(steps.F6b, &steps.Evidence{Plan: p, Succeeded: true}, nil, 10, t0)
	en := b.Entry(steps.F6b)
	if settle := en.Step.Settle; settle != 3*time.Minute || !en.Deadline.Equal(t0.Add(settle)) {
		t.Fatalf("settle %v, deadline %v", en.Step.Settle, en.Deadline)
	}
	// The servers are not active yet: within the settle time the step waits and says for what.
	at := t0.Add(time.Minute)
	if changed := b.Observe(env(func() probes.Snapshot { x := s; x.Seq = 11; return x }(), at)); len(changed) != 0 || en.Status != runbook.Verifying {
		t.Fatalf("within the settle time: %s", en.Status)
	}
	d := display(b, env(s, at), steps.F6b)
	if d.Label != "verifying" || d.Reason != "waiting: the active servers are pc01.contoso.local, pc02.contoso.local (active: none)" {
		t.Errorf("display while waiting: %+v", d)
	}
	at = t0.Add(3 * time.Minute)
	x := s
	x.Seq = 12
	changed := b.Observe(env(x, at))
	if len(changed) != 1 || en.Status != runbook.Failed ||
		en.Reason != "postcondition failed: the active servers are pc01.contoso.local, pc02.contoso.local (active: none)" {
		t.Fatalf("after the settle time: %s %q", en.Status, en.Reason)
	}
}

// A step without settle time fails on the first fresh snapshot that contradicts it.
func TestVerificationWithoutSettleTime(t *testing.T) {
	b := runbook.New(steps.Catalog())
	e := env(snapshot(1, t0), t0)
	p := begin(t, b, steps.F1, e)
	b.Finish(steps.F1, &steps.Evidence{Plan: p, Succeeded: true}, nil, 1, t0)
	b.Observe(env(snapshot(2, t0), t0))
	if en := b.Entry(steps.F1); en.Status != runbook.Failed || !strings.HasPrefix(en.Reason, "postcondition failed: the active server list is empty (active: pc03") {
		t.Errorf("F1: %s %q", en.Status, en.Reason)
	}
}

func TestVerificationWaitsForUnreachableTargets(t *testing.T) {
	cases := []struct {
		id     steps.ID
		target probes.Role
		check  string
	}{
		{steps.F1, "", "the Lync Management Shell on lyncfe01.contoso.local answers (unreachable: WinRM: connection refused)"},
		{steps.F0, probes.Primary, "SQLPRIMARY answers its health probe (unreachable: dial tcp 10.0.0.9:1433: i/o timeout)"},
	}
	for _, c := range cases {
		t.Run(string(c.id), func(t *testing.T) {
			b := runbook.New(steps.Catalog())
			p := begin(t, b, c.id, env(snapshot(1, t0), t0))
			b.Finish(c.id, &steps.Evidence{Plan: p, Succeeded: true}, nil, 1, t0)
			en := b.Entry(c.id)
			// Long past the deadline, with the postconditions failing in the stale data: still waiting.
			late := t0.Add(time.Hour)
			down := unreachable(withActive(snapshot(2, late)), c.target)
			if changed := b.Observe(env(down, late)); len(changed) != 0 || en.Status != runbook.Verifying {
				t.Fatalf("judged on an unreachable target: %s %q", en.Status, en.Reason)
			}
			if d := display(b, env(down, late), c.id); d.Reason != "waiting: "+c.check {
				t.Errorf("display: %q", d.Reason)
			}
			// Once it answers, the step is judged.
			b.Observe(env(withActive(snapshot(3, late)), late))
			if en.Status == runbook.Verifying {
				t.Errorf("still verifying once the target answers")
			}
		})
	}
}

func TestSkipAndUnskip(t *testing.T) {
	b := runbook.New(steps.Catalog())
	for _, r := range []string{"", "   \t"} {
		if err := b.Skip(steps.F3, r); err == nil || err.Error() != "a skip needs a reason" {
			t.Errorf("Skip with reason %q: %v", r, err)
		}
	}
	if err := b.Skip("F9", "x"); !errors.Is(err, runbook.ErrUnknown) {
		t.Errorf("Skip of an unknown step: %v", err)
	}
	if err := b.Unskip(steps.F3); err == nil || err.Error() != "F3 is not skipped" {
		t.Errorf("Unskip of a pending step: %v", err)
	}
	if err := b.Skip(steps.F3, "  backup taken by the DBA at 09:12, file \\\\fs01\\x.bak  "); err != nil {
		t.Fatal(err)
	}
	en := b.Entry(steps.F3)
	if en.Status != runbook.Skipped || en.Reason != `backup taken by the DBA at 09:12, file \\fs01\x.bak` {
		t.Errorf("skipped: %s %q", en.Status, en.Reason)
	}
	e := env(snapshot(1, t0), t0)
	if d := display(b, e, steps.F3); d.Label != "skipped" || d.Reason != en.Reason || d.Pre != nil {
		t.Errorf("display %+v", d)
	}
	if err := b.Unskip(steps.F3); err != nil || en.Status != runbook.Pending || en.Reason != "" {
		t.Errorf("Unskip: %v, %s %q", err, en.Status, en.Reason)
	}
	// A failed step may be skipped; a verifying one may not.
	p := begin(t, b, steps.F1, e)
	b.Finish(steps.F1, nil, errors.New("boom"), 1, t0)
	if err := b.Skip(steps.F1, "done from the Lync control panel"); err != nil || b.Entry(steps.F1).Status != runbook.Skipped {
		t.Errorf("Skip of a failed step: %v", err)
	}
	b.Unskip(steps.F1)
	begin(t, b, steps.F1, e)
	b.Finish(steps.F1, &steps.Evidence{Plan: p}, nil, 1, t0)
	if err := b.Skip(steps.F1, "x"); err == nil || err.Error() != "F1 is verifying" {
		t.Errorf("Skip of a verifying step: %v", err)
	}
}

func TestProgressOnlyWhileRunning(t *testing.T) {
	b := runbook.New(steps.Catalog())
	b.SetProgress(steps.F1, 0.3)
	if p := b.Entry(steps.F1).Progress; p != -1 {
		t.Errorf("progress of a pending step: %v", p)
	}
	e := env(snapshot(1, t0), t0)
	begin(t, b, steps.F1, e)
	b.SetProgress(steps.F1, 0.42)
	d := display(b, e, steps.F1)
	if d.Label != "running" || d.Progress != 0.42 || d.Reason != "clear the active server list" {
		t.Errorf("running display %+v", d)
	}
	b.SetProgress("F9", 1)
}
