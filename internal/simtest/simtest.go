// Package simtest builds the console's machinery over a simulated estate on a virtual clock, for the tests of the
// procedure's logic: the simulator, the probes, the step executor and the checklist book, wired the way the
// console wires them, plus helpers that run a step to completion and verify it the way the console does (a fresh
// probe after the scripts end, more probes as simulated time passes).
package simtest

import (
	"context"
	"fmt"
	"pcfailback/estate"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/runbook"
	"pcfailback/sim"
	"pcfailback/steps"
	"pcfailback/transcript"
)

// Epoch is the simulated time every harness starts at: fixed, so file names and msdb dates are reproducible.
var Epoch = time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)

// StaleAfter is the harness's probe freshness limit (the console uses three refresh intervals of simulated time).
const StaleAfter = 5 * time.Minute

// Options configure a harness.
type Options struct {
	// Scenario is a sim fault scenario; "" is the normal estate.
	Scenario string
	// Seed makes GUIDs and LSNs reproducible.
	Seed int64
	// ChatDBSizeMB is the size of mgc; 0 means 1024, small enough for quick BACKUP and RESTORE.
	ChatDBSizeMB int64
	// Topology overrides sim.DefaultTopology when its primary has a server name.
	Topology sim.Topology
}

// Harness is a simulated estate with the console's prober, executor and book over it.
type Harness struct {
	T      testing.TB
	Clock  *clock.Virtual
	Sim    *sim.Sim
	Names  steps.Names
	SQL    map[probes.Role]remote.SQLConn
	PS     remote.PSRunner
	Prober *probes.Prober
	Sink   *transcript.Sink
	Exec   *runbook.Executor
	Book   *runbook.Book
	Cat    []steps.Step
	// Snap is the latest snapshot Refresh took.
	Snap probes.Snapshot
}

// New builds a harness; the prober and the sink are closed when the test ends.
func New(t testing.TB, o Options) *Harness {
	t.Helper()
	if o.ChatDBSizeMB == 0 {
		o.ChatDBSizeMB = 1024
	}
	topo := o.Topology
	if topo.Primary.Server == "" {
		topo = sim.DefaultTopology()
	}
	clk := clock.NewVirtual(Epoch)
	s, err := sim.New(sim.Options{Seed: o.Seed, Clock: clk, Topology: topo, Scenario: o.Scenario, ChatDBSizeMB: o.ChatDBSizeMB})
	if err != nil {
		t.Fatalf("sim.New: %v", err)
	}
	topo = s.Topology()
	h := &Harness{T: t, Clock: clk, Sim: s, Names: NamesFrom(topo), SQL: map[probes.Role]remote.SQLConn{}}
	login := sim.Login{User: topo.Domain + `\dba`, App: "pcfailback", Workstation: "CONSOLE"}
	for r, spec := range Specs(topo) {
		conn, err := s.SQL(spec.Server, login)
		if err != nil {
			t.Fatalf("sim.SQL(%s): %v", spec.Server, err)
		}
		h.SQL[r] = conn
	}
	if h.PS, err = s.PowerShell(topo.LyncHost); err != nil {
		t.Fatalf("sim.PowerShell: %v", err)
	}
	h.Prober = probes.New(ProberConfig(h.Names, h.SQL, h.PS, clk))
	h.Sink = transcript.NewSink(nil, 1<<20)
	h.Exec = runbook.NewExecutor(h.SQL, h.PS, h.Names, h.Sink, clk)
	h.Cat = steps.Catalog()
	h.Book = runbook.New(h.Cat)
	t.Cleanup(func() {
		h.Prober.Close()
		h.Sink.Close()
	})
	return h
}

// Specs maps the probe roles to the topology's instances.
func Specs(t sim.Topology) map[probes.Role]sim.InstanceSpec { return estate.Specs(t) }

// NamesFrom gives the steps the topology's names, as the console's training estate does, with the pool identity
// the topology's configuration names (the pool-identity-wrong scenario sets one).
func NamesFrom(t sim.Topology) steps.Names {
	n := estate.NamesFrom(t, "Contoso (test)")
	if n.PoolIdentity == "" {
		n.PoolIdentity = t.PoolIdentity
	}
	return n
}

// ProberConfig is the prober configuration the console builds from its names and runners.
func ProberConfig(n steps.Names, sql map[probes.Role]remote.SQLConn, ps remote.PSRunner, c clock.Clock) probes.Config {
	return estate.ProberConfig(n, sql, ps, c)
}

// Env is what the console judges steps against now: the latest snapshot and the book's evidence.
func (h *Harness) Env() steps.Env {
	return h.Book.Env(steps.Env{Names: h.Names, Snap: h.Snap, Now: h.Clock.Now(), StaleAfter: StaleAfter})
}

// Refresh probes the estate, watching the files the steps care about, as the console does every tick.
func (h *Harness) Refresh() probes.Snapshot {
	h.Prober.Watch(h.Env().WatchedFiles()...)
	h.Snap = h.Prober.Refresh(context.Background())
	return h.Snap
}

// Advance moves simulated time on and probes again.
func (h *Harness) Advance(d time.Duration) probes.Snapshot {
	h.Clock.Advance(d)
	return h.Refresh()
}

// Step returns a catalog step.
func (h *Harness) Step(id steps.ID) steps.Step {
	s, ok := steps.Find(h.Cat, id)
	if !ok {
		h.T.Fatalf("no step %s in the catalog", id)
	}
	return s
}

// Pre evaluates a step's preconditions on a fresh probe.
func (h *Harness) Pre(id steps.ID) []steps.Check {
	h.Refresh()
	return h.Step(id).Pre(h.Env())
}

// Post evaluates a step's postconditions on a fresh probe.
func (h *Harness) Post(id steps.ID) []steps.Check {
	h.Refresh()
	return h.Step(id).Post(h.Env())
}

// Plan resolves a step against the latest snapshot, failing the test when it cannot.
func (h *Harness) Plan(id steps.ID) steps.Plan {
	p, err := h.Step(id).Plan(h.Env())
	if err != nil {
		h.T.Fatalf("%s: plan: %v", id, err)
	}
	return p
}

// Start runs a step's scripts as the console does after a confirmation: a fresh probe, the plan resolved on it,
// Begin, the executor, Finish. It returns the executor's evidence and error; the step is then verifying or failed.
func (h *Harness) Start(ctx context.Context, id steps.ID) (*steps.Evidence, error) {
	h.T.Helper()
	h.Refresh()
	plan := h.Plan(id)
	if err := h.Book.Begin(id, plan, h.Clock.Now()); err != nil {
		h.T.Fatalf("%s: Begin: %v", id, err)
	}
	ev, err := h.Exec.Run(ctx, plan, h.Snap, func(p float64) { h.Book.SetProgress(id, p) })
	h.Book.Finish(id, ev, err, h.Snap.Seq, h.Clock.Now())
	return ev, err
}

// Verify probes, advancing simulated time by tick before each probe after the first, until the step leaves
// verifying; it returns the entry. It gives up (and fails the test) after limit probes.
func (h *Harness) Verify(id steps.ID, tick time.Duration) *runbook.Entry {
	h.T.Helper()
	e := h.Book.Entry(id)
	for i := 0; i < limit && e.Status == runbook.Verifying; i++ {
		if i > 0 {
			h.Clock.Advance(tick)
		}
		h.Refresh()
		h.Book.Observe(h.Env())
	}
	if e.Status == runbook.Verifying {
		h.T.Fatalf("%s still verifying after %d probes: %s", id, limit, Describe(e.Post))
	}
	return e
}

// limit bounds Verify's probes.
const limit = 200

// Do runs a step and verifies it, failing the test unless it ends done.
func (h *Harness) Do(id steps.ID) *steps.Evidence {
	h.T.Helper()
	ev, err := h.Start(context.Background(), id)
	if err != nil {
		h.T.Fatalf("%s failed: %v", id, err)
	}
	e := h.Verify(id, 30*time.Second)
	if e.Status != runbook.Done {
		h.T.Fatalf("%s ended %s: %s", id, e.Status, e.Reason)
	}
	return ev
}

// Describe renders checks as "✓ text (detail)" lines for failure messages.
func Describe(cs []steps.Check) string {
	s := ""
	for _, c := range cs {
		mark := "✗"
		switch {
		case c.OK:
			mark = "✓"
		case c.Warn:
			mark = "!"
		}
		s += fmt.Sprintf("\n  %s %s (%s)", mark, c.Text, c.Detail)
	}
	return s
}

// Lines drains the transcript written so far.
func (h *Harness) Lines() []transcript.Line {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out []transcript.Line
	for {
		lines, _, ok := h.Sink.Receive(ctx, 0)
		if !ok {
			return out
		}
		out = append(out, lines...)
	}
}
