package steps_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"pcfailback/internal/simtest"
	"pcfailback/probes"
	"pcfailback/runbook"
	"pcfailback/sim"
	"pcfailback/steps"
)

var order = []steps.ID{steps.F0, steps.F1, steps.F2, steps.F3, steps.F3b, steps.F4, steps.F5a, steps.F5b, steps.F5c,
	steps.F5d, steps.F5e, steps.F6a, steps.F6b}

// runUntil performs the procedure up to (not including) stop, waiting for each step's preconditions.
func runUntil(t *testing.T, h *simtest.Harness, stop steps.ID) {
	t.Helper()
	h.Refresh()
	for _, id := range order {
		if id == stop {
			return
		}
		waitReady(t, h, id, 5*time.Minute)
		if id != steps.F0 {
			h.Do(id)
			continue
		}
		// A failed pre-flight check is the operator's call: the scenarios that fail one go on with F0 skipped.
		if _, err := h.Start(context.Background(), id); err != nil {
			t.Fatalf("F0: %v", err)
		}
		if e := h.Verify(id, 30*time.Second); e.Status == runbook.Failed {
			if err := h.Book.Skip(id, "rehearsing the fault: "+e.Reason); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// errorNumbers lists the numbers of the SQL errors (severity 11 and above) a script's evidence holds.
func errorNumbers(res steps.ScriptResult) []int32 {
	var out []int32
	for _, m := range res.Messages {
		if m.Class > 10 {
			out = append(out, m.Number)
		}
	}
	return out
}

func failingCheck(cs []steps.Check, text string) *steps.Check {
	for i, c := range cs {
		if !c.OK && strings.Contains(c.Text, text) {
			return &cs[i]
		}
	}
	return nil
}

func TestScenarioShareEngineDenied(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "share-engine-denied"})
	runUntil(t, h, steps.F3)
	// xp_fileexist only needs read access: nothing before the backup can see that writing is denied.
	waitReady(t, h, steps.F3, 3*time.Minute)
	ev, err := h.Start(context.Background(), steps.F3)
	if err == nil || !strings.Contains(err.Error(), "Msg 3201") || !strings.Contains(err.Error(), "Operating system error 5(Access is denied.)") {
		t.Fatalf("F3 error %v", err)
	}
	res := ev.Scripts[0]
	if got := errorNumbers(res); len(got) != 2 || got[0] != 3201 || got[1] != 3013 || !strings.Contains(res.Err, "3201") || ev.Succeeded {
		t.Errorf("F3 evidence: errors %v, err %q, succeeded %t", got, res.Err, ev.Succeeded)
	}
	e := h.Book.Entry(steps.F3)
	if e.Status != runbook.Failed || !strings.Contains(e.Reason, "Cannot open backup device") {
		t.Errorf("F3 entry %s: %s", e.Status, e.Reason)
	}
	post := h.Post(steps.F3)
	if c := failingCheck(post, "msdb on SQLBACKUP records the new full backup"); c == nil || !strings.Contains(c.Detail, `\csmirror\`) {
		t.Errorf("F3 postconditions after the failure:%s", simtest.Describe(post))
	}
	blockedBy(t, h, steps.F3b, "the script can be resolved (no failback backup known yet (run F3))")
}

func TestScenarioPrimaryStillMirrored(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "primary-still-mirrored"})
	h.Refresh()
	if c := failingCheck(h.Step(steps.F0).Post(h.Env()), "mgc on SQLPRIMARY is not mirrored"); c == nil || !c.Warn || !strings.Contains(c.Advice, "3104") {
		t.Errorf("F0 advisory: %+v", c)
	}
	runUntil(t, h, steps.F4)
	before := len(h.Sim.Executed())
	blockedBy(t, h, steps.F4, "mgc on SQLPRIMARY is not mirrored (mirroring PRINCIPAL SYNCHRONIZED with SQLPRIMARY-MIR)")
	if d := h.Book.Displays(h.Env())[5]; d.ID != steps.F4 || d.Label != "blocked" || d.Reason != "mgc on SQLPRIMARY is not mirrored (mirroring PRINCIPAL SYNCHRONIZED with SQLPRIMARY-MIR)" {
		t.Errorf("F4 display %+v", d)
	}
	for _, e := range h.Sim.Executed()[before:] {
		if e.Writes {
			t.Errorf("something changed the estate while F4 was blocked: %s on %s", e.Text, e.Target)
		}
	}
	// What the check prevents: the server would refuse the restore with 3104.
	ev, err := h.Exec.Run(context.Background(), h.Plan(steps.F4), h.Snap, nil)
	if err == nil || errorNumbers(ev.Scripts[0])[0] != 3104 {
		t.Errorf("F4 on a mirrored database: %v %v", err, errorNumbers(ev.Scripts[0]))
	}
}

func TestScenarioSessionsOnPrimary(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "sessions-on-primary"})
	runUntil(t, h, steps.F4)
	pre := h.Pre(steps.F4)
	if !steps.Pass(pre) {
		t.Fatalf("other sessions are advisory, F4 must stay runnable:%s", simtest.Describe(pre))
	}
	w := warnings(pre)
	if len(w) != 1 || w[0].Text != "no other sessions in mgc on SQLPRIMARY" || w[0].Detail != "other sessions: 2 (ADMIN-PC07 ×2)" ||
		!strings.Contains(w[0].Advice, "ROLLBACK IMMEDIATE") {
		t.Errorf("F4 warnings %+v", w)
	}
	ev := h.Do(steps.F4)
	for _, m := range ev.Scripts[0].Messages {
		if m.Number == 3101 {
			t.Errorf("3101 despite SINGLE_USER WITH ROLLBACK IMMEDIATE: %s", m.Text)
		}
	}
	if d, _ := h.Sim.Database("SQLPRIMARY", "mgc"); d.State != "ONLINE" || d.Access != "MULTI_USER" {
		t.Errorf("primary mgc after F4: %+v", d)
	}
}

// single-user-stolen: an application grabs the only session of a SINGLE_USER database within seconds. F4 sends
// SET SINGLE_USER, RESTORE and SET MULTI_USER as one batch on one session, so there is no gap to grab.
func TestScenarioSingleUserStolen(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "single-user-stolen"})
	runUntil(t, h, steps.F4)
	if w := warnings(h.Pre(steps.F4)); len(w) != 1 || w[0].Detail != "other sessions: 1 (ADMIN-PC07 ×1)" {
		t.Errorf("F4 warnings %+v", w)
	}
	h.Do(steps.F4)
}

func TestScenarioShareFull(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "share-full"})
	h.Refresh()
	if c := failingCheck(h.Step(steps.F0).Post(h.Env()), "the share has room"); c == nil || c.Warn || !strings.Contains(c.Advice, "3202") {
		t.Errorf("F0 free space check: %+v", c)
	}
	runUntil(t, h, steps.F3)
	h.Advance(3 * time.Minute) // the backup data center's servers drain
	blockedBy(t, h, steps.F3, "the share has room for a full backup of mgc (")
	if f := steps.Failing(h.Step(steps.F3).Pre(h.Env())); len(f) != 1 {
		t.Errorf("only the free space should block F3:%s", simtest.Describe(f))
	}
	// Run anyway, as an operator who freed space outside the console's sight might: the backup stops part-way.
	plan := h.Plan(steps.F3)
	var progress []float64
	ev, err := h.Exec.Run(context.Background(), plan, h.Snap, func(p float64) { progress = append(progress, p) })
	if err == nil || !strings.Contains(err.Error(), "Msg 3202") {
		t.Fatalf("F3 on a full share: %v", err)
	}
	if got := errorNumbers(ev.Scripts[0]); len(got) != 2 || got[0] != 3202 || got[1] != 3013 {
		t.Errorf("errors %v, want 3202 then 3013", got)
	}
	if !strings.Contains(ev.Scripts[0].Messages[len(ev.Scripts[0].Messages)-2].Text, "112(There is not enough space on the disk.)") {
		t.Errorf("3202 text: %q", ev.Scripts[0].Messages[len(ev.Scripts[0].Messages)-2].Text)
	}
	if len(progress) == 0 || progress[len(progress)-1] >= 1 {
		t.Errorf("progress %v: the backup should stop part-way", progress)
	}
	if _, ok := h.Sim.Files("", h.Names.Share)[baseName(plan.Params[steps.ParamBackup])]; ok {
		t.Error("the share keeps the partial backup file")
	}
	if last := h.Refresh().Instance(probes.Backup).Database("mgc").LastFull; last != nil && last.Device == plan.Params[steps.ParamBackup] {
		t.Errorf("msdb records the failed backup: %+v", last)
	}
}

func TestScenarioPrimaryOlderVersion(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "primary-older-version"})
	h.Refresh()
	const check = "SQLPRIMARY runs the same or a newer SQL Server version than SQLBACKUP (10.50.6000.34 vs 11.0.7001.0)"
	if c := failingCheck(h.Step(steps.F0).Post(h.Env()), "SQLPRIMARY runs the same or a newer"); c == nil || c.Warn || !strings.Contains(c.Advice, "3169") {
		t.Errorf("F0 version check: %+v", c)
	}
	runUntil(t, h, steps.F4)
	blockedBy(t, h, steps.F4, check)
}

func TestScenarioPrimaryAgentStopped(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "primary-agent-stopped"})
	runUntil(t, h, steps.F5c)
	blockedBy(t, h, steps.F5c, "SQL Server Agent runs on SQLPRIMARY (Stopped as CONTOSO\\svc-agt-pri)")
	if f := steps.Failing(h.Step(steps.F5c).Pre(h.Env())); len(f) != 1 {
		t.Errorf("only the Agent should block F5c:%s", simtest.Describe(f))
	}
}

func TestScenarioPrimaryLoginDenied(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "primary-login-denied"})
	h.Refresh()
	blockedBy(t, h, steps.F0, "SQLPRIMARY answers its health probe (unreachable: Msg 18456")
	// The backup side does not need the primary: F1 to F3 stay possible.
	ready(t, h, steps.F1)
}

func TestScenarioDamagedBackup(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "damaged-backup"})
	runUntil(t, h, steps.F3b)
	ready(t, h, steps.F3b)
	ev, err := h.Start(context.Background(), steps.F3b)
	if err == nil || !strings.Contains(err.Error(), "3189") || errorNumbers(ev.Scripts[0])[0] != 3189 || ev.Scripts[1].Ran {
		t.Fatalf("F3b on a damaged backup: %v; evidence %+v", err, ev.Scripts)
	}
	h.Refresh()
	blockedBy(t, h, steps.F4, "was verified (F3b) (not verified in this session)")
}

func TestScenarioMirrorEndpointBlocked(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "mirror-endpoint-blocked"})
	runUntil(t, h, steps.F5a)
	ready(t, h, steps.F5a)
	_, err := h.Start(context.Background(), steps.F5a)
	if e := h.Book.Entry(steps.F5a); err == nil || e.Status != runbook.Failed || !strings.Contains(e.Reason, "TCP://sqlprimary-mir.contoso.local:5022") {
		t.Fatalf("F5a: %v; entry %s %q", err, e.Status, e.Reason)
	}
}

// Failures that only show once the Agent jobs run: the steps end failed after their settle time, naming the job.
func TestScenarioJobsFailAfterConfiguration(t *testing.T) {
	t.Parallel()
	cases := []struct {
		scenario string
		step     steps.ID
		check    string
	}{
		{"job-owner-unresolvable", steps.F5c, "job LSBackup_mgc on SQLPRIMARY has run and succeeded (last outcome Failed"},
		{"agent-share-denied", steps.F5d, "SQLBACKUP restores log backups of mgc from SQLPRIMARY (nothing restored yet)"},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			h := simtest.New(t, simtest.Options{Scenario: c.scenario})
			runUntil(t, h, c.step)
			ready(t, h, c.step)
			if _, err := h.Start(context.Background(), c.step); err != nil {
				t.Fatalf("%s scripts: %v", c.step, err)
			}
			start := h.Clock.Now()
			e := h.Verify(c.step, time.Minute)
			if e.Status != runbook.Failed || !strings.HasPrefix(e.Reason, "postcondition failed: "+c.check) {
				t.Fatalf("%s ended %s: %q", c.step, e.Status, e.Reason)
			}
			if waited := h.Clock.Now().Sub(start); waited < e.Step.Settle {
				t.Errorf("failed after %v, before the settle time %v", waited, e.Step.Settle)
			}
		})
	}
}

func TestScenarioAgentShareDeniedCopyJob(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "agent-share-denied"})
	h.Refresh()
	// The console cannot read share ACLs: the Agent account is shown as something to check by hand.
	if w := warnings(h.Step(steps.F0).Post(h.Env())); len(w) != 1 || !strings.Contains(w[0].Detail, `CONTOSO\svc-agt-bak`) {
		t.Errorf("F0 advisory checks %+v", w)
	}
	runUntil(t, h, steps.F5d)
	// The copy job was started by F5d itself; its failure shows in the job's check.
	if _, err := h.Start(context.Background(), steps.F5d); err != nil {
		t.Fatal(err)
	}
	h.Advance(time.Minute)
	if c := failingCheck(h.Step(steps.F5d).Post(h.Env()), "job LSCopy_SQLPRIMARY_mgc on SQLBACKUP"); c == nil || !strings.Contains(c.Detail, "last outcome Failed") {
		t.Errorf("copy job check %+v", c)
	}
}

func TestScenarioPoolIdentityPrefix(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "pool-identity-prefix"})
	runUntil(t, h, steps.F2)
	if ev := h.Book.Entry(steps.F1); ev.Status != runbook.Done || !strings.Contains(ev.Plan.Scripts[0].Text, "-Identity 'PersistentChatServer:pchat.contoso.local'") {
		t.Errorf("F1 %s with %q", ev.Status, ev.Plan.Scripts[0].Text)
	}
}

// Every scenario the simulator offers is covered above.
func TestEveryScenarioCovered(t *testing.T) {
	covered := map[string]bool{"share-engine-denied": true, "sessions-on-primary": true, "primary-still-mirrored": true,
		"share-full": true, "agent-share-denied": true, "primary-agent-stopped": true, "mirror-endpoint-blocked": true,
		"damaged-backup": true, "primary-older-version": true, "primary-login-denied": true, "pool-identity-prefix": true,
		"job-owner-unresolvable": true, "single-user-stolen": true,
		// scenarios_faults_test.go
		"restore-connection-lost": true, "winrm-denied": true, "winrm-timeout": true, "pool-identity-wrong": true,
		"active-server-wrong-dc": true, "backup-written-after-backup": true}
	for _, sc := range sim.Scenarios() {
		if !covered[sc.Name] {
			t.Errorf("scenario %s has no test here", sc.Name)
		}
	}
}

func baseName(p string) string { return p[strings.LastIndex(p, `\`)+1:] }
