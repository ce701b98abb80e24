package steps_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pcfailback/internal/simtest"
	"pcfailback/remote"
	"pcfailback/runbook"
	"pcfailback/steps"
)

// display returns a step's display on the latest snapshot.
func display(h *simtest.Harness, id steps.ID) runbook.Display {
	for _, d := range h.Book.Displays(h.Env()) {
		if d.ID == id {
			return d
		}
	}
	return runbook.Display{}
}

// failedAndBlocking checks that a step ended failed, that the verdict names it with what to do, and that nothing
// after it is unlocked.
func failedAndBlocking(t *testing.T, h *simtest.Harness, id steps.ID, reason ...string) {
	t.Helper()
	e := h.Book.Entry(id)
	if e.Status != runbook.Failed {
		t.Fatalf("%s is %s, want failed", id, e.Status)
	}
	for _, r := range reason {
		if !strings.Contains(e.Reason, r) {
			t.Errorf("%s reason lacks %q: %s", id, r, e.Reason)
		}
	}
	ds := h.Book.Displays(h.Env())
	// The verdict speaks of the first step that is not done or skipped: the failed one, once those before it are.
	first := steps.ID("")
	for _, d := range ds {
		if d.Label != "done" && d.Label != "skipped" {
			first = d.ID
			break
		}
	}
	v := h.Book.Verdict(ds, false)
	if first == id && (v.Kind != runbook.VerdictBlocked || v.Step != id || !strings.Contains(v.Text, string(id)+" failed — ") ||
		!strings.Contains(v.Text, "run it again")) {
		t.Errorf("verdict %+v", v)
	}
	if v.Kind == runbook.VerdictSafe && v.Step != id {
		for _, d := range ds {
			if d.ID == v.Step && d.Label == "ready" && stepAfter(ds, v.Step, id) {
				t.Errorf("the verdict offers %s after %s failed", v.Step, id)
			}
		}
	}
	after := false
	for _, d := range ds {
		if d.ID == id {
			after = true
			continue
		}
		if after && (d.Label == "ready" || d.Label == "done") {
			t.Errorf("%s is %s after %s failed", d.ID, d.Label, id)
		}
	}
}

// stepAfter says a comes after b in the checklist.
func stepAfter(ds []runbook.Display, a, b steps.ID) bool {
	seenB := false
	for _, d := range ds {
		if d.ID == b {
			seenB = true
		}
		if d.ID == a {
			return seenB
		}
	}
	return false
}

// restore-connection-lost: F4 fails (never done) with the lost connection and what the server was left with; it
// is runnable again, without SET SINGLE_USER, and then completes.
func TestScenarioRestoreConnectionLost(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "restore-connection-lost"})
	runUntil(t, h, steps.F4)
	waitReady(t, h, steps.F4, time.Minute)
	_, err := h.Start(context.Background(), steps.F4)
	if !errors.Is(err, remote.ErrConnectionLost) {
		t.Fatalf("F4: %v", err)
	}
	h.Refresh()
	failedAndBlocking(t, h, steps.F4, "connection", "aborted the restore", "left RESTORING", "no restore recorded",
		"run the step again")
	if d := display(h, steps.F4); !strings.Contains(d.Reason, "Now: mgc on SQLPRIMARY is RESTORING, SINGLE_USER; no restore recorded since the step started.") {
		t.Errorf("F4 display: %s", d.Reason)
	}
	for _, id := range []steps.ID{steps.F5a, steps.F5b, steps.F6a} {
		if d := display(h, id); d.Label != "blocked" {
			t.Errorf("%s is %s", id, d.Label)
		}
	}
	// Running it again is allowed, warned about, and leaves SET SINGLE_USER out.
	pre := h.Pre(steps.F4)
	if !steps.Pass(pre) {
		t.Fatalf("F4 again:%s", simtest.Describe(pre))
	}
	if w := warnings(pre); len(w) != 1 || !strings.Contains(w[0].Detail, "RESTORING, SINGLE_USER") {
		t.Errorf("F4 warnings %+v", w)
	}
	plan := h.Plan(steps.F4)
	if text := plan.Scripts[0].Text; strings.Contains(text, "SET SINGLE_USER") || !strings.Contains(text, "RESTORE DATABASE [mgc]") {
		t.Errorf("F4 again:\n%s", text)
	}
	h.Do(steps.F4)
	if d, _ := h.Sim.Database("SQLPRIMARY", "mgc"); d.State != "ONLINE" || d.Access != "MULTI_USER" {
		t.Errorf("mgc after F4 again: %+v", d)
	}
}

// winrm-denied and winrm-timeout: the Lync probe shows the error, F0 and F1 are blocked by it, and a PowerShell
// step run anyway fails with one clear error and its explanation.
func TestScenarioWinRMFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		scenario, probe, explained string
		is                         error
	}{
		{"winrm-denied", `access denied for CONTOSO\lyncadmin`, "refuses the console's account", remote.ErrAccessDenied},
		{"winrm-timeout", "no answer in time: the endpoint accepted the connection but did not answer the request to open a shell (Create)",
			"did not answer in time", remote.ErrTimeout},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			h := simtest.New(t, simtest.Options{Scenario: c.scenario})
			p := h.Refresh().Pool
			if p.Reachable || !strings.Contains(p.Err, c.probe) {
				t.Fatalf("Lync probe: reachable %t, %q", p.Reachable, p.Err)
			}
			blockedBy(t, h, steps.F0, "the Lync Management Shell on lyncfe01.contoso.local answers (unreachable: winrm https://lyncfe01.contoso.local:5986/wsman")
			blockedBy(t, h, steps.F1, "the script can be resolved (the pool identity is not known yet: Get-CsPersistentChatState has not answered for pchat.contoso.local (winrm https://lyncfe01.contoso.local:5986/wsman: "+c.probe)
			if v := h.Book.Verdict(h.Book.Displays(h.Env()), false); v.Step != steps.F0 || !strings.Contains(v.Text, c.probe) ||
				!strings.Contains(v.Text, "check WinRM on the Lync host") {
				t.Errorf("verdict %+v", v)
			}
			// Run F1 anyway, with the identity configured so its script resolves: it fails, never done.
			h.Names.PoolIdentity = "service:pchat.contoso.local"
			if _, err := h.Start(context.Background(), steps.F1); !errors.Is(err, c.is) {
				t.Fatalf("F1: %v", err)
			}
			failedAndBlocking(t, h, steps.F1, c.probe, c.explained)
			if state, active := h.Sim.PoolState(); state != "FailedOver" || len(active) != 2 {
				t.Errorf("the pool changed: %s %v", state, active)
			}
		})
	}
}

// pool-identity-wrong: F0 flags the identity with the one that exists, F1 and F6 are blocked by it; F1 run anyway
// fails with Lync's error and the explanation; with the identity left to the console F1 runs.
func TestScenarioPoolIdentityWrong(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "pool-identity-wrong"})
	h.Refresh()
	c := failingCheck(h.Step(steps.F0).Post(h.Env()), "the pool identity the cmdlets get")
	if c == nil || c.Warn || c.Detail != `configured "service:pc01.contoso.local" does not exist; Get-CsPersistentChatState lists service:pchat.contoso.local` ||
		!strings.Contains(c.Advice, "set pool_identity to service:pchat.contoso.local") {
		t.Fatalf("F0 check %+v", c)
	}
	blockedBy(t, h, steps.F1, `the pool identity the cmdlets get is one Get-CsPersistentChatState lists (configured "service:pc01.contoso.local" does not exist`)
	blockedBy(t, h, steps.F6a, "the pool identity the cmdlets get")
	blockedBy(t, h, steps.F6b, "the pool identity the cmdlets get")
	if _, err := h.Start(context.Background(), steps.F1); err == nil {
		t.Fatal("F1 with an identity that does not exist succeeded")
	}
	failedAndBlocking(t, h, steps.F1, `Cannot find Persistent Chat Server collection "service:pc01.contoso.local"`,
		"the pool identity the cmdlet was given does not exist")
	h.Names.PoolIdentity = ""
	ready(t, h, steps.F1)
	h.Do(steps.F1)
}

// active-server-wrong-dc: F0 names the server and why; F6b is blocked by F0's record of the failed-over active
// list long after the live signs are gone.
func TestScenarioActiveServerWrongDC(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "active-server-wrong-dc"})
	h.Refresh()
	c := failingCheck(h.Step(steps.F0).Post(h.Env()), "the configured primary servers sit in the primary data center")
	if c == nil || c.Warn || c.Detail != "pc02.contoso.local: active now, with the pool failed over; connected to mgc on SQLBACKUP" {
		t.Fatalf("F0 check %+v", c)
	}
	runUntil(t, h, steps.F6b)
	if h.Book.Entry(steps.F0).Status != runbook.Skipped {
		t.Errorf("F0 is %s", h.Book.Entry(steps.F0).Status)
	}
	blockedBy(t, h, steps.F6b, "the configured primary servers sit in the primary data center (pc02.contoso.local: active while the pool was failed over (F0, ")
	if f := steps.Failing(h.Step(steps.F6b).Pre(h.Env())); len(f) != 1 || !strings.Contains(f[0].Advice, "correct primary_servers") {
		t.Errorf("F6b:%s", simtest.Describe(f))
	}
	if v := h.Book.Verdict(h.Book.Displays(h.Env()), false); v.Step != steps.F6b || !strings.Contains(v.Text, "correct primary_servers") {
		t.Errorf("verdict %+v", v)
	}
}

// The normal estate: the data center check passes on the live list, then on F0's record.
func TestPrimaryServersCheckedAgainstTheFailoverList(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	h.Refresh()
	for _, c := range h.Step(steps.F0).Post(h.Env()) {
		if strings.HasPrefix(c.Text, "the configured primary servers sit") &&
			(!c.OK || c.Detail != "none was active now, with the pool failed over (pc03.contoso.local, pc04.contoso.local)") {
			t.Errorf("F0 check %+v", c)
		}
	}
	runUntil(t, h, steps.F6b)
	ready(t, h, steps.F6b)
	for _, c := range h.Step(steps.F6b).Pre(h.Env()) {
		if strings.HasPrefix(c.Text, "the configured primary servers sit") &&
			(!c.OK || c.Detail != "none was active while the pool was failed over (F0, 09:30:00) (pc03.contoso.local, pc04.contoso.local)") {
			t.Errorf("F6b check %+v", c)
		}
	}
}

// backup-written-after-backup: F4 is blocked once the backup's mgc changed after the failback backup; taking the
// backup again (F3, F3b) unblocks it, and the restored primary holds what was written.
func TestScenarioBackupWrittenAfterBackup(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "backup-written-after-backup"})
	runUntil(t, h, steps.F4)
	h.Advance(3 * time.Minute)
	blockedBy(t, h, steps.F4, "mgc on SQLBACKUP has not changed since the failback backup (written at ")
	f := steps.Failing(h.Step(steps.F4).Pre(h.Env()))
	if len(f) != 1 || !strings.Contains(f[0].Advice, "take F3 again") || !strings.Contains(f[0].Detail, "sys.dm_db_index_usage_stats") {
		t.Errorf("F4:%s", simtest.Describe(f))
	}
	v := h.Book.Verdict(h.Book.Displays(h.Env()), false)
	if v.Kind != runbook.VerdictBlocked || v.Step != steps.F4 || !strings.Contains(v.Text, "take F3 again") {
		t.Errorf("verdict %+v", v)
	}
	h.Do(steps.F3)
	h.Do(steps.F3b)
	ready(t, h, steps.F4)
	h.Do(steps.F4)
	p, _ := h.Sim.Database("SQLPRIMARY", "mgc")
	b, _ := h.Sim.Database("SQLBACKUP", "mgc")
	if p.Messages != b.Messages {
		t.Errorf("the primary holds %d messages, the backup %d", p.Messages, b.Messages)
	}
}

// In the normal estate the write check passes: the servers drained before the backup.
func TestUnchangedSinceBackupPasses(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	runUntil(t, h, steps.F4)
	h.Advance(10 * time.Minute)
	for _, c := range h.Step(steps.F4).Pre(h.Env()) {
		if strings.HasPrefix(c.Text, "mgc on SQLBACKUP has not changed") && (!c.OK || !strings.HasPrefix(c.Detail, "last write ")) {
			t.Errorf("F4 check %+v", c)
		}
	}
}

// The failures of the first scenarios carry their message number and the plain explanation, end failed, and
// block what follows.
func TestScenarioFailuresExplained(t *testing.T) {
	t.Parallel()
	cases := []struct {
		scenario string
		step     steps.ID
		reason   []string
	}{
		{"share-engine-denied", steps.F3, []string{"Msg 3201", "Operating system error 5(Access is denied.)",
			"— access denied: SQLBACKUP's SQL Server service account (not the Agent account, not yours)"}},
		{"share-full", steps.F3, []string{"Msg 3202", "112(There is not enough space on the disk.)", "— the share ran out of space"}},
		{"damaged-backup", steps.F3b, []string{"Msg 3189", "— the backup file is damaged: F4 stays blocked"}},
		{"mirror-endpoint-blocked", steps.F5a, []string{"can not be reached or does not exist", "— the partner's database mirroring endpoint cannot be reached: open TCP port 5022"}},
		{"primary-still-mirrored", steps.F4, []string{"Msg 3104", "— the database is still mirrored on SQLPRIMARY"}},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			t.Parallel()
			h := simtest.New(t, simtest.Options{Scenario: c.scenario})
			runUntil(t, h, c.step)
			h.Advance(3 * time.Minute)
			// Run it as an operator who went past a blocking check would: the server decides.
			if _, err := h.Start(context.Background(), c.step); err == nil {
				t.Fatalf("%s succeeded", c.step)
			}
			h.Refresh()
			failedAndBlocking(t, h, c.step, c.reason...)
		})
	}
}
