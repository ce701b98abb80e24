package runbook_test

import (
	"errors"
	"testing"

	"pcfailback/internal/simtest"
	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/steps"
)

func TestDisplaysOnTheFailedOverEstate(t *testing.T) {
	h := simtest.New(t, simtest.Options{})
	h.Refresh()
	ds := h.Book.Displays(h.Env())
	want := map[steps.ID]struct{ label, reason string }{
		steps.F0: {"ready", "preconditions pass"},
		steps.F1: {"ready", "preconditions pass"},
		steps.F2: {"blocked", "the active server list is empty (active: pc03.contoso.local, pc04.contoso.local)"},
		steps.F3: {"blocked", "the active server list is empty (active: pc03.contoso.local, pc04.contoso.local)"},
		steps.F4: {"blocked", "the script can be resolved (no failback backup known yet (run F3))"},
	}
	if len(ds) != 13 {
		t.Fatalf("%d displays", len(ds))
	}
	for _, d := range ds {
		w, ok := want[d.ID]
		if !ok {
			continue
		}
		if d.Label != w.label || d.Reason != w.reason || d.Ready() != (w.label == "ready") || len(d.Pre) == 0 {
			t.Errorf("%s: %s %q (pre %d)", d.ID, d.Label, d.Reason, len(d.Pre))
		}
	}
	if v := h.Book.Verdict(ds, false); v.Kind != runbook.VerdictSafe || v.Step != steps.F0 || v.Text != "safe to run F0 — Pre-flight checks" {
		t.Errorf("verdict %+v", v)
	}
	if v := h.Book.Verdict(ds, true); v.Kind != runbook.VerdictSafe || v.Text != "read-only: safe to run F0 — Pre-flight checks" {
		t.Errorf("read-only verdict %+v", v)
	}
}

func TestVerdict(t *testing.T) {
	e := env(snapshot(1, t0), t0)
	cases := []struct {
		name     string
		prepare  func(b *runbook.Book, e *steps.Env)
		kind     runbook.VerdictKind
		step     steps.ID
		text     string
		readOnly string
	}{
		{
			name:    "next step ready",
			prepare: func(b *runbook.Book, e *steps.Env) { b.Skip(steps.F0, "run by hand") },
			kind:    runbook.VerdictSafe, step: steps.F1,
			text:     "safe to run F1 — Clear the active server list",
			readOnly: "read-only: safe to run F1 — Clear the active server list",
		},
		{
			name:    "blocked with advice",
			prepare: func(b *runbook.Book, e *steps.Env) { e.Snap = unreachable(e.Snap, probes.Primary) },
			kind:    runbook.VerdictBlocked, step: steps.F0,
			text: "blocked: F0 — SQLPRIMARY answers its health probe (unreachable: dial tcp 10.0.0.9:1433: i/o timeout); " +
				"check the instance, the network and the login; the console retries every refresh",
			readOnly: "read-only: would be blocked: F0 — SQLPRIMARY answers its health probe (unreachable: dial tcp 10.0.0.9:1433: i/o timeout); " +
				"check the instance, the network and the login; the console retries every refresh",
		},
		{
			name: "blocked without advice",
			prepare: func(b *runbook.Book, e *steps.Env) {
				b.Skip(steps.F0, "x")
				b.Skip(steps.F1, "x")
			},
			kind: runbook.VerdictBlocked, step: steps.F2,
			// The hand-made snapshot has no databases: the plan cannot resolve, which is said first.
			text:     "blocked: F2 — the script can be resolved (neither mgc nor mgccomp is mirrored on SQLBACKUP)",
			readOnly: "read-only: would be blocked: F2 — the script can be resolved (neither mgc nor mgccomp is mirrored on SQLBACKUP)",
		},
		{
			name: "failed step",
			prepare: func(b *runbook.Book, e *steps.Env) {
				b.Skip(steps.F0, "x")
				b.Begin(steps.F1, plan(t, b, steps.F1, *e), t0)
				b.Finish(steps.F1, nil, errors.New("exit code 1: access denied"), 1, t0)
			},
			kind: runbook.VerdictBlocked, step: steps.F1,
			text:     "blocked: F1 failed — exit code 1: access denied; fix the cause and run it again, or skip it with a reason",
			readOnly: "read-only: would be blocked: F1 failed — exit code 1: access denied; fix the cause and run it again, or skip it with a reason",
		},
		{
			name: "running with progress",
			prepare: func(b *runbook.Book, e *steps.Env) {
				b.Begin(steps.F1, plan(t, b, steps.F1, *e), t0)
				b.SetProgress(steps.F1, 0.426)
			},
			kind: runbook.VerdictBusy, step: steps.F1,
			text: "running F1 — Clear the active server list (42%)",
		},
		{
			name:    "running without progress",
			prepare: func(b *runbook.Book, e *steps.Env) { b.Begin(steps.F1, plan(t, b, steps.F1, *e), t0) },
			kind:    runbook.VerdictBusy, step: steps.F1,
			text: "running F1 — Clear the active server list",
		},
		{
			name: "verifying",
			prepare: func(b *runbook.Book, e *steps.Env) {
				b.Skip(steps.F0, "x")
				p := plan(t, b, steps.F1, *e)
				b.Begin(steps.F1, p, t0)
				b.Finish(steps.F1, &steps.Evidence{Plan: p}, nil, 1, t0)
			},
			kind: runbook.VerdictBusy, step: steps.F1,
			text: "verifying F1 — Clear the active server list: checking postconditions against a fresh probe",
		},
		{
			name: "complete",
			prepare: func(b *runbook.Book, e *steps.Env) {
				for _, en := range b.Entries() {
					b.Skip(en.Step.ID, "rehearsal")
				}
			},
			kind: runbook.VerdictComplete,
			text: "failback complete: every step is done or skipped — watch log shipping and the pool on the panels",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := runbook.New(steps.Catalog())
			e := e
			c.prepare(b, &e)
			ds := b.Displays(e)
			v := b.Verdict(ds, false)
			if v.Kind != c.kind || v.Step != c.step || v.Text != c.text {
				t.Errorf("verdict %+v\nwant %v %s %q", v, c.kind, c.step, c.text)
			}
			ro := c.readOnly
			if ro == "" {
				ro = c.text
			}
			if v := b.Verdict(ds, true); v.Text != ro {
				t.Errorf("read-only verdict %q\nwant %q", v.Text, ro)
			}
		})
	}
}
