package steps_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pcfailback/internal/simtest"
	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/steps"
)

// blockedBy asserts that a step's preconditions fail on the latest snapshot, one of them with a check whose text
// contains text.
func blockedBy(t *testing.T, h *simtest.Harness, id steps.ID, text string) {
	t.Helper()
	failing := steps.Failing(h.Step(id).Pre(h.Env()))
	for _, c := range failing {
		if strings.Contains(c.Text+" ("+c.Detail+")", text) {
			return
		}
	}
	t.Errorf("%s: want a failing precondition %q, got:%s", id, text, simtest.Describe(failing))
}

// ready asserts that a step's preconditions pass on the latest snapshot.
func ready(t *testing.T, h *simtest.Harness, id steps.ID) {
	t.Helper()
	if pre := h.Step(id).Pre(h.Env()); !steps.Pass(pre) {
		t.Fatalf("%s should be ready:%s", id, simtest.Describe(pre))
	}
}

// waitReady probes every 30 simulated seconds until a step's preconditions pass, for at most limit.
func waitReady(t *testing.T, h *simtest.Harness, id steps.ID, limit time.Duration) {
	t.Helper()
	for end := h.Clock.Now().Add(limit); ; h.Advance(30 * time.Second) {
		if steps.Pass(h.Step(id).Pre(h.Env())) {
			return
		}
		if h.Clock.Now().After(end) {
			t.Fatalf("%s not ready after %v:%s", id, limit, simtest.Describe(steps.Failing(h.Step(id).Pre(h.Env()))))
		}
	}
}

// stage is one step of the procedure with what must hold around it.
type stage struct {
	id steps.ID
	// wait is how long the step's preconditions may take to pass (servers draining).
	wait time.Duration
	// blockedBefore is checked before the wait: the step is blocked by this check at first.
	blockedBefore string
	// postPassesBefore marks steps whose postconditions already hold (F0's checks are the state itself).
	postPassesBefore bool
	// after lists later steps that must still be blocked once this one is done, with the check that blocks them.
	after map[steps.ID]string
}

// The failback as the checklist runs it, against the normal estate.
var procedure = []stage{
	{id: steps.F0, postPassesBefore: true, after: map[steps.ID]string{
		steps.F2:  "the active server list is empty",
		steps.F4:  "the script can be resolved (no failback backup known yet (run F3))",
		steps.F5b: "mgc on SQLBACKUP is not mirrored (mirroring PRINCIPAL SYNCHRONIZED with SQLBACKUP-MIR)",
		steps.F6a: "the active server list is empty",
		steps.F6b: "pool pchat.contoso.local is Normal (PoolState FailedOver)",
	}},
	{id: steps.F1, after: map[steps.ID]string{
		steps.F3:  "mgc on SQLBACKUP is not mirrored",
		steps.F5b: "no Persistent Chat server is connected to mgc on SQLBACKUP (Persistent Chat sessions: 6 (PC03 ×3, PC04 ×3))",
	}},
	{id: steps.F2, after: map[steps.ID]string{
		steps.F3b: "the script can be resolved",
		steps.F4:  "the script can be resolved",
	}},
	// F1 took the servers off the list but they keep their connections for a while (DrainAfter).
	{id: steps.F3, blockedBefore: "no Persistent Chat server is connected to mgc on SQLBACKUP", wait: 3 * time.Minute, after: map[steps.ID]string{
		steps.F4:  "was verified (F3b) (not verified in this session)",
		steps.F5a: "mgc on SQLPRIMARY was restored from the failback backup (F4) (no restore recorded: the primary still holds the rebuilt database)",
		// The pool must never be pointed at the rebuilt, empty database.
		steps.F6a: "mgc on SQLPRIMARY was restored from the failback backup (F4)",
	}},
	{id: steps.F3b, after: map[steps.ID]string{
		steps.F5b: "mgc on SQLPRIMARY was restored from the failback backup (F4)",
	}},
	{id: steps.F4, after: map[steps.ID]string{
		steps.F5c: "mgc on SQLBACKUP is RESTORING (state ONLINE)",
		steps.F5e: "mgc on SQLPRIMARY is the mirroring PRINCIPAL with SQLPRIMARY-MIR (not mirrored)",
	}},
	{id: steps.F5a, after: map[steps.ID]string{
		steps.F5e: "SQLPRIMARY is a log-shipping primary for mgc, shipping to SQLBACKUP (no log_shipping_monitor_primary row)",
		steps.F5d: "mgc on SQLBACKUP is RESTORING (state ONLINE)",
	}},
	{id: steps.F5b, after: map[steps.ID]string{
		steps.F5d: "SQLPRIMARY is a log-shipping primary for mgc, shipping to SQLBACKUP",
		// The backup's mgc is no longer the one the pool could use: F4 and F3 must not run again on top of it.
		steps.F3: "mgc on SQLBACKUP is ONLINE (state RESTORING)",
	}},
	{id: steps.F5c},
	{id: steps.F5d, after: map[steps.ID]string{
		steps.F6b: "pool pchat.contoso.local is Normal",
	}},
	{id: steps.F5e},
	{id: steps.F6a, after: map[steps.ID]string{
		steps.F2: "the script can be resolved (neither mgc nor mgccomp is mirrored on SQLBACKUP)",
	}},
	{id: steps.F6b},
}

func TestProcedureAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Seed: 7})
	h.Refresh()
	for _, st := range procedure {
		if st.blockedBefore != "" {
			blockedBy(t, h, st.id, st.blockedBefore)
		}
		waitReady(t, h, st.id, st.wait)
		ready(t, h, st.id)
		post := h.Step(st.id).Post(h.Env())
		if steps.Pass(post) != st.postPassesBefore {
			t.Fatalf("%s: postconditions before the step pass=%t:%s", st.id, steps.Pass(post), simtest.Describe(post))
		}
		ev := h.Do(st.id)
		if !ev.Succeeded || len(ev.Scripts) == 0 {
			t.Fatalf("%s evidence: %+v", st.id, ev)
		}
		if post := h.Post(st.id); !steps.Pass(post) {
			t.Fatalf("%s: postconditions on a fresh probe after it was done:%s", st.id, simtest.Describe(post))
		}
		for id, text := range st.after {
			blockedBy(t, h, id, text)
		}
	}
	// Clearing the active servers again is allowed (it is reversible) but no longer what the pool state expects.
	if w := warnings(h.Step(steps.F1).Pre(h.Env())); len(w) != 1 || w[0].Text != "pool pchat.contoso.local is FailedOver" ||
		!strings.Contains(w[0].Advice, "stops service") {
		t.Errorf("F1 after the failback: advisory checks %+v", w)
	}
	checkFinalState(t, h)
}

// checkFinalState reads the end of the failback both from the simulator (what really happened) and from the
// console's snapshot (what the operator is shown).
func checkFinalState(t *testing.T, h *simtest.Harness) {
	t.Helper()
	s := h.Sim
	if d, _ := s.Database("SQLPRIMARY", "mgc"); d.State != "ONLINE" || d.Access != "MULTI_USER" || d.MirroringRole != "PRINCIPAL" || d.MirroringPartner != "SQLPRIMARY-MIR" {
		t.Errorf("primary mgc: %+v", d)
	}
	if d, _ := s.Database("SQLBACKUP", "mgc"); d.State != "RESTORING" || d.MirroringRole != "" {
		t.Errorf("backup mgc: %+v", d)
	}
	if d, _ := s.Database("SQLBACKUP", "mgccomp"); d.State != "ONLINE" || d.MirroringRole != "" {
		t.Errorf("backup mgccomp: %+v", d)
	}
	state, active := s.PoolState()
	slices.Sort(active)
	if state != "Normal" || !reflect.DeepEqual(active, h.Names.PrimaryServers) {
		t.Errorf("pool %s, active %v", state, active)
	}
	want := map[string]string{"pc01.contoso.local": "SQLPRIMARY", "pc02.contoso.local": "SQLPRIMARY", "pc03.contoso.local": "", "pc04.contoso.local": ""}
	if got := s.Connections(); !reflect.DeepEqual(got, want) {
		t.Errorf("Persistent Chat connections %v, want %v", got, want)
	}

	snap := h.Advance(time.Minute)
	b := snap.Instance(probes.Backup)
	if len(b.LSSecondary) != 1 || b.LSSecondary[0].PrimaryServer != "SQLPRIMARY" || b.LSSecondary[0].LastRestoredFile == "" {
		t.Errorf("log-shipping secondary: %+v", b.LSSecondary)
	}
	for _, job := range []string{"LSCopy_SQLPRIMARY_mgc", "LSRestore_SQLPRIMARY_mgc"} {
		if j := b.Job(job); j == nil || !j.Enabled || j.LastOutcome != "Succeeded" {
			t.Errorf("%s: %+v", job, j)
		}
	}
	for _, db := range []string{"mgc", "mgccomp"} {
		if m := b.Database(db).Mirroring; m.Mirrored() {
			t.Errorf("%s on the backup is still mirrored: %+v", db, m)
		}
	}
	if p := snap.Instance(probes.Primary); p.Job("LSBackup_mgc").LastOutcome != "Succeeded" {
		t.Errorf("LSBackup_mgc: %+v", p.Job("LSBackup_mgc"))
	}
	if pm := snap.Instance(probes.PrimaryMirror); len(pm.LSPrimary) != 1 || pm.Database("mgc").Mirroring.Role != "MIRROR" {
		t.Errorf("primary mirror: log shipping %+v, mirroring %+v", pm.LSPrimary, pm.Database("mgc").Mirroring)
	}
	ds := h.Book.Displays(h.Env())
	for _, d := range ds {
		if d.Label != "done" {
			t.Errorf("%s is %s: %s", d.ID, d.Label, d.Reason)
		}
	}
	if v := h.Book.Verdict(ds, false); v.Kind != runbook.VerdictComplete {
		t.Errorf("verdict %+v", v)
	}
}

// warnings returns the advisory checks that did not hold.
func warnings(cs []steps.Check) []steps.Check {
	var out []steps.Check
	for _, c := range cs {
		if c.Warn && !c.OK {
			out = append(out, c)
		}
	}
	return out
}
