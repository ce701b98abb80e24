package runbook_test

import (
	"testing"
	"time"

	"pcfailback/internal/simtest"
	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/sim"
	"pcfailback/steps"
)

var (
	t0    = time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)
	names = simtest.NamesFrom(sim.DefaultTopology())
)

// snapshot is a small hand-made snapshot taken at now: every instance reachable and probed then, the pool failed
// over with the backup data center's servers active.
func snapshot(seq uint64, now time.Time) probes.Snapshot {
	s := probes.Snapshot{Seq: seq, At: now, Instances: map[probes.Role]*probes.Instance{}}
	for _, r := range probes.Roles() {
		s.Instances[r] = &probes.Instance{Role: r, Name: names.Instance(r).Name, Server: names.Instance(r).Name,
			Reachable: true, ProbedAt: now, ServerTime: now}
	}
	s.Pool = probes.Pool{Reachable: true, ProbedAt: now, Identity: "service:pchat.contoso.local", FQDN: names.PoolFQDN,
		State: "FailedOver", Active: []string{"pc03.contoso.local", "pc04.contoso.local"}}
	return s
}

// withActive returns the snapshot with another active server list.
func withActive(s probes.Snapshot, active ...string) probes.Snapshot {
	s.Pool.Active = active
	return s
}

// unreachable returns the snapshot with one instance (or, for "", the Lync host) not answering.
func unreachable(s probes.Snapshot, r probes.Role) probes.Snapshot {
	if r == "" {
		s.Pool.Reachable, s.Pool.Err = false, "WinRM: connection refused"
		return s
	}
	inst := map[probes.Role]*probes.Instance{}
	for k, v := range s.Instances {
		inst[k] = v
	}
	c := *inst[r]
	c.Reachable, c.Err = false, "dial tcp 10.0.0.9:1433: i/o timeout"
	inst[r] = &c
	s.Instances = inst
	return s
}

func env(s probes.Snapshot, now time.Time) steps.Env {
	return steps.Env{Names: names, Snap: s, Now: now, StaleAfter: simtest.StaleAfter}
}

func plan(t *testing.T, b *runbook.Book, id steps.ID, e steps.Env) steps.Plan {
	t.Helper()
	st, _ := steps.Find(steps.Catalog(), id)
	p, err := st.Plan(b.Env(e))
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return p
}

// begin starts a step at now on a fresh book or fails the test.
func begin(t *testing.T, b *runbook.Book, id steps.ID, e steps.Env) steps.Plan {
	t.Helper()
	p := plan(t, b, id, e)
	if err := b.Begin(id, p, e.Now); err != nil {
		t.Fatalf("Begin %s: %v", id, err)
	}
	return p
}

func display(b *runbook.Book, e steps.Env, id steps.ID) runbook.Display {
	for _, d := range b.Displays(e) {
		if d.ID == id {
			return d
		}
	}
	return runbook.Display{}
}
