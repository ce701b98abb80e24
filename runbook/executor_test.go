package runbook_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"pcfailback/internal/simtest"
	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/transcript"
)

// upTo performs the procedure up to (not including) stop, waiting for each step's preconditions.
func upTo(t *testing.T, h *simtest.Harness, stop steps.ID) {
	t.Helper()
	h.Refresh()
	for _, e := range h.Book.Entries() {
		id := e.Step.ID
		if id == stop {
			return
		}
		for i := 0; !steps.Pass(h.Pre(id)); i++ {
			if i > 20 {
				t.Fatalf("%s not ready:%s", id, simtest.Describe(steps.Failing(h.Pre(id))))
			}
			h.Clock.Advance(30 * time.Second)
		}
		h.Do(id)
	}
}

func TestExecutorTranscript(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	upTo(t, h, steps.F3)
	h.Advance(3 * time.Minute)
	h.Lines() // what earlier steps wrote
	start := h.Clock.Now()
	var progress []float64
	plan := h.Plan(steps.F3)
	if err := h.Book.Begin(steps.F3, plan, start); err != nil {
		t.Fatal(err)
	}
	ev, err := h.Exec.Run(context.Background(), plan, h.Snap, func(p float64) { progress = append(progress, p) })
	if err != nil {
		t.Fatal(err)
	}
	lines := h.Lines()
	first, last := lines[0], lines[len(lines)-1]
	if first.Kind != transcript.Console || first.Source != "console" || first.Step != "F3" ||
		first.Text != fmt.Sprintf("F3 started (1 script(s), text sha256 %s)", plan.Digest[:12]) {
		t.Errorf("first line %+v", first)
	}
	if last.Kind != transcript.Console || last.Text != "F3 scripts finished; verifying against a fresh probe" {
		t.Errorf("last line %+v", last)
	}
	// The script is echoed as sent, line for line, from the instance it ran on.
	var sent []string
	for _, l := range lines {
		if l.Kind == transcript.Statement {
			if l.Source != "SQLBACKUP" || l.Step != "F3" {
				t.Errorf("statement line %+v", l)
			}
			sent = append(sent, l.Text)
		}
	}
	if strings.Join(sent, "\n")+"\n" != plan.Scripts[0].Text {
		t.Errorf("echo %q\nscript %q", sent, plan.Scripts[0].Text)
	}
	var pcts []string
	var done *transcript.Line
	for i, l := range lines {
		if !l.At.Equal(start) && l.At.Before(lines[max(i-1, 0)].At) {
			t.Errorf("line %d goes back in time: %+v", i, l)
		}
		switch {
		case l.Kind == transcript.Progress:
			if l.Number != 3211 || l.Source != "SQLBACKUP" {
				t.Errorf("progress line %+v", l)
			}
			pcts = append(pcts, strings.Fields(l.Text)[0])
		case l.Number == 3014:
			done = &lines[i]
		}
	}
	// One progress line per "n percent processed.", each feeding the progress callback n/100.
	if len(pcts) < 9 || pcts[len(pcts)-1] != "100" || len(progress) != len(pcts) {
		t.Errorf("progress lines %v, callback %v", pcts, progress)
	}
	for i := range min(len(pcts), len(progress)) {
		if fmt.Sprint(math.Round(progress[i]*100)) != pcts[i] || i > 0 && progress[i] <= progress[i-1] {
			t.Errorf("progress %d: line %s%%, callback %v", i, pcts[i], progress[i])
		}
	}
	if done == nil || done.Kind != transcript.Info || !strings.HasPrefix(done.Text, "BACKUP DATABASE successfully processed") || !done.At.After(start) {
		t.Errorf("3014 line %+v", done)
	}
	if !ev.Succeeded || !ev.Started.Equal(start) || !ev.Ended.After(start) || !ev.ServerStart[probes.Backup].Equal(start) ||
		len(ev.ServerStart) != 1 || ev.Plan.Digest != plan.Digest {
		t.Errorf("evidence %+v", ev)
	}
	res := ev.Scripts[0]
	if !res.Ran || res.Err != "" || res.Target != (steps.Target{Role: probes.Backup}) || res.Messages[len(res.Messages)-1].Number != 3014 {
		t.Errorf("script result %+v", res)
	}
}

func TestExecutorErrorLines(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{Scenario: "share-engine-denied"})
	upTo(t, h, steps.F3)
	h.Advance(3 * time.Minute)
	h.Lines()
	_, err := h.Start(context.Background(), steps.F3)
	var sqlErr *remote.SQLError
	if !errors.As(err, &sqlErr) || sqlErr.Number != 3201 {
		t.Fatalf("error %v", err)
	}
	var errs []transcript.Line
	for _, l := range h.Lines() {
		if l.Kind == transcript.Error {
			errs = append(errs, l)
		}
		if strings.Contains(l.Text, "scripts finished") {
			t.Errorf("a failed step says it finished: %+v", l)
		}
	}
	if len(errs) != 3 {
		t.Fatalf("error lines %+v", errs)
	}
	if errs[0].Number != 3201 || errs[0].Source != "SQLBACKUP" ||
		!regexp.MustCompile(`^Level 16, State 1, Line 2: Cannot open backup device '.*'\. Operating system error 5\(Access is denied\.\)\.$`).MatchString(errs[0].Text) {
		t.Errorf("3201 line %+v", errs[0])
	}
	if errs[1].Number != 3013 || errs[1].Text != "Level 16, State 1, Line 2: BACKUP DATABASE is terminating abnormally." {
		t.Errorf("3013 line %+v", errs[1])
	}
	if errs[2].Source != "console" || !strings.HasPrefix(errs[2].Text, "F3 script 1/1 (full backup to the share) failed: Msg 3201, Level 16") {
		t.Errorf("console line %+v", errs[2])
	}
}

func TestExecutorEvidenceOfAVerification(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	upTo(t, h, steps.F3b)
	ev := h.Do(steps.F3b)
	if len(ev.Scripts) != 2 {
		t.Fatalf("%d scripts", len(ev.Scripts))
	}
	for i, r := range []probes.Role{probes.Backup, probes.Primary} {
		res := ev.Scripts[i]
		if !res.Ran || res.Target.Role != r || len(res.Sets) != 2 {
			t.Errorf("%s: ran %t, %d result sets", r, res.Ran, len(res.Sets))
			continue
		}
		valid := false
		for _, m := range res.Messages {
			valid = valid || m.Number == 3262 && m.Text == "The backup set on file 1 is valid."
		}
		header, files := res.Sets[0], res.Sets[1]
		if !valid || header.Columns[0] != "BackupName" || len(header.Rows) != 1 || len(files.Rows) != 2 {
			t.Errorf("%s: 3262 %t, header %v, files %v", r, valid, header.Columns, files.Rows)
		}
	}
	// What the evidence means to the steps: F3b's postconditions and F4's plan read it.
	if post := h.Step(steps.F3b).Post(h.Env()); !steps.Pass(post) {
		t.Errorf("F3b postconditions:%s", simtest.Describe(post))
	}
}

// failingConn refuses every session: the instance is down while a step runs.
type failingConn struct{ err error }

func (c failingConn) Connect(context.Context, string) (remote.SQLSession, error) { return nil, c.err }

// executorWith builds an executor over the harness's runners with some instances replaced.
func executorWith(h *simtest.Harness, replace map[probes.Role]remote.SQLConn) *runbook.Executor {
	sql := map[probes.Role]remote.SQLConn{}
	for r, c := range h.SQL {
		sql[r] = c
	}
	for r, c := range replace {
		sql[r] = c
	}
	return runbook.NewExecutor(sql, h.PS, h.Names, h.Sink, h.Clock)
}

func TestExecutorStopsAfterAFailure(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	upTo(t, h, steps.F5b)
	before := len(h.Sim.Executed())
	x := executorWith(h, map[probes.Role]remote.SQLConn{probes.Primary: failingConn{errors.New("connection refused")}})
	ev, err := x.Run(context.Background(), h.Plan(steps.F5b), h.Snap, nil)
	if err == nil || err.Error() != "connect to SQLPRIMARY: connection refused" {
		t.Fatalf("error %v", err)
	}
	if !ev.Scripts[0].Ran || ev.Scripts[0].Err != err.Error() || ev.Scripts[1].Ran || ev.Succeeded {
		t.Errorf("evidence %+v", ev.Scripts)
	}
	// The restore over the backup's mgc was never sent.
	if ex := h.Sim.Executed()[before:]; len(ex) != 0 {
		t.Errorf("sent after the failure: %+v", ex)
	}
	if d, _ := h.Sim.Database("SQLBACKUP", "mgc"); d.State != "ONLINE" {
		t.Errorf("backup mgc %+v", d)
	}
}

// cancellingConn cancels the step (as the operator's cancel key would) when a session is requested.
type cancellingConn struct{ cancel context.CancelFunc }

func (c cancellingConn) Connect(ctx context.Context, db string) (remote.SQLSession, error) {
	c.cancel()
	return nil, ctx.Err()
}

// F5e's last script fails mgc back to the primary even when the script before it failed, and even when the
// operator cancelled the step.
func TestExecutorRunsAlwaysScripts(t *testing.T) {
	t.Parallel()
	for _, cancelled := range []bool{false, true} {
		t.Run(fmt.Sprintf("cancelled=%t", cancelled), func(t *testing.T) {
			h := simtest.New(t, simtest.Options{})
			upTo(t, h, steps.F5b) // F5a mirrored the primary: mgc can fail over to the primary mirror and back
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var mirror remote.SQLConn = failingConn{&remote.SQLError{Number: 18456, Class: 14, Text: "Login failed for user 'CONTOSO\\dba'."}}
			if cancelled {
				mirror = cancellingConn{cancel}
			}
			x := executorWith(h, map[probes.Role]remote.SQLConn{probes.PrimaryMirror: mirror})
			plan := h.Plan(steps.F5e)
			if err := h.Book.Begin(steps.F5e, plan, h.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			ev, err := x.Run(ctx, plan, h.Snap, nil)
			h.Book.Finish(steps.F5e, ev, err, h.Snap.Seq, h.Clock.Now())
			if err == nil || ev.Succeeded {
				t.Fatal("F5e succeeded with the mirror refusing the script")
			}
			if !ev.Scripts[0].Ran || ev.Scripts[0].Err != "" || !ev.Scripts[1].Ran || ev.Scripts[1].Err == "" {
				t.Errorf("first scripts %+v", ev.Scripts[:2])
			}
			if back := ev.Scripts[2]; !back.Ran || back.Err != "" {
				t.Errorf("fail-back script: ran %t, err %q", back.Ran, back.Err)
			}
			if d, _ := h.Sim.Database("SQLPRIMARY", "mgc"); d.MirroringRole != "PRINCIPAL" {
				t.Errorf("mgc on SQLPRIMARY is %s after F5e", d.MirroringRole)
			}
			reason := h.Book.Entry(steps.F5e).Reason
			if cancelled && reason != cancelWording || !cancelled && !strings.Contains(reason, "18456") {
				t.Errorf("reason %q", reason)
			}
			said := false
			for _, l := range h.Lines() {
				said = said || l.Kind == transcript.Warning && l.Source == "console" &&
					l.Text == "F5e was cancelled; running its clean-up anyway: fail mgc back to the primary"
			}
			if said != cancelled {
				t.Errorf("clean-up after a cancellation announced: %t", said)
			}
		})
	}
}

func TestCancellingABackup(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{ChatDBSizeMB: 4096})
	upTo(t, h, steps.F3)
	h.Advance(3 * time.Minute)
	plan := h.Plan(steps.F3)
	path := plan.Params[steps.ParamBackup]
	if err := h.Book.Begin(steps.F3, plan, h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var after []float64
	ev, err := h.Exec.Run(ctx, plan, h.Snap, func(p float64) {
		if ctx.Err() != nil {
			after = append(after, p)
		}
		if p >= 0.3 {
			cancel() // the operator presses the cancel key at 30%
		}
	})
	h.Book.Finish(steps.F3, ev, err, h.Snap.Seq, h.Clock.Now())
	if err == nil || err.Error() != "cancelled: context canceled" {
		t.Fatalf("error %v, want the operator's cancellation", err)
	}
	if len(after) != 0 {
		t.Errorf("the backup went on after the cancel: progress %v", after)
	}
	if e := h.Book.Entry(steps.F3); e.Status != runbook.Failed || e.Reason != cancelWording {
		t.Errorf("F3 %s %q", e.Status, e.Reason)
	}
	h.Refresh()
	b := h.Snap.Instance(probes.Backup)
	if last := b.Database("mgc").LastFull; last != nil && strings.EqualFold(last.Device, path) {
		t.Errorf("msdb records the cancelled backup: %+v", last)
	}
	if len(b.Requests) != 0 {
		t.Errorf("the backup still runs on the server: %+v", b.Requests)
	}
	if f := b.File(path); f.Checked && f.Exists {
		t.Errorf("the cancelled backup left its file: %+v", f)
	}
	if post := h.Step(steps.F3).Post(h.Env()); steps.Pass(post) {
		t.Errorf("F3 postconditions pass after a cancelled backup")
	}
}

func TestExecutorWithoutRunners(t *testing.T) {
	t.Parallel()
	h := simtest.New(t, simtest.Options{})
	h.Refresh()
	x := runbook.NewExecutor(map[probes.Role]remote.SQLConn{}, nil, h.Names, h.Sink, h.Clock)
	if _, err := x.Run(context.Background(), h.Plan(steps.F1), h.Snap, nil); err == nil || err.Error() != "no PowerShell runner for the Lync host" {
		t.Errorf("PowerShell without a runner: %v", err)
	}
	if _, err := x.Run(context.Background(), h.Plan(steps.F0), h.Snap, nil); err == nil || err.Error() != "no SQL connection for backup" {
		t.Errorf("SQL without a connection: %v", err)
	}
}
