package runbook_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/runbook"
	"pcfailback/steps"
)

// Every message number the fault scenarios produce has a plain explanation that says what to do.
func TestExplainMessage(t *testing.T) {
	cases := []struct {
		number       int32
		server, text string
		want         string
	}{
		{3201, "SQLBACKUP", `Cannot open backup device '\\fs01\pchatls\x.bak'. Operating system error 5(Access is denied.).`,
			"access denied: SQLBACKUP's SQL Server service account (not the Agent account, not yours) lacks rights on the share"},
		{3201, "SQLPRIMARY", `Cannot open backup device 'x'. Operating system error 3(The system cannot find the path specified.).`,
			"does not exist as SQLPRIMARY's SQL Server service account sees it"},
		{3201, "", `Cannot open backup device 'x'. Operating system error 53(The network path was not found.).`, "network path is not found"},
		{3202, "SQLBACKUP", `Write on "x" failed: 112(There is not enough space on the disk.)`, "the share ran out of space while the backup was written (OS error 112)"},
		{3013, "", "BACKUP DATABASE is terminating abnormally.", "the message before it says why"},
		{3101, "", "Exclusive access could not be obtained because the database is in use.", "other sessions are in the database"},
		{3104, "SQLPRIMARY", "RESTORE cannot operate on database 'mgc' because it is configured for database mirroring.", "still mirrored on SQLPRIMARY: remove mirroring there"},
		{1418, "", `The server network address "TCP://x:5022" can not be reached or does not exist.`, "open TCP port 5022"},
		{18456, "SQLPRIMARY", "Login failed for user 'CONTOSO\\dba'.", "refused by SQLPRIMARY: on a rebuilt server the login"},
		{3183, "", "RESTORE detected an error on page (1:4000) in database \"mgc\" as read from the backup set.", "the backup file is damaged"},
		{3189, "", "Damage to the backup set was detected.", "Take the backup again (F3)"},
		{3169, "", "The database was backed up on a server running version 11.00.7001. That version is incompatible with this server", "Upgrade the target instance first"},
		{15404, "", "Could not obtain information about Windows NT group/user 'CONTOSO\\dba', error code 0x5.", "make sa the owner of the log-shipping jobs"},
		{4060, "", `Cannot open database "mgc" requested by the login. The login failed.`, "connect to master"},
	}
	for _, c := range cases {
		got := runbook.ExplainMessage(c.number, c.server, c.text)
		if !strings.Contains(got, c.want) {
			t.Errorf("%d: %q, want %q", c.number, got, c.want)
		}
		// The same text, as the runner returns it, explains the error.
		err := &remote.SQLError{Number: c.number, Class: 16, State: 1, Server: c.server, Text: c.text}
		if runbook.Explain(fmt.Errorf("wrapped: %w", err)) != got {
			t.Errorf("%d: Explain of the error differs from ExplainMessage", c.number)
		}
	}
	if got := runbook.ExplainMessage(50000, "", "anything"); got != "" {
		t.Errorf("an unknown number got %q", got)
	}
}

func TestExplainFaults(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("winrm https://h:5986/wsman: %w for u", remote.ErrAccessDenied), "Remote Management Users group on the Lync host"},
		{fmt.Errorf("winrm https://h:5986/wsman: %w: did not answer", remote.ErrTimeout), "did not answer in time"},
		{fmt.Errorf("%w in the middle of the batch (EOF)", remote.ErrConnectionLost), "the connection broke while the script ran"},
		{errors.New("winrm https://h:5986/wsman: authentication failed for u with ntlm (HTTP 401): check"), "rejected the credentials (HTTP 401)"},
		// Cmdlets that quote SQL Server, or fail on the pool identity.
		{errors.New(`exit code 1: Install-CsMirrorDatabase : An error occurred while enabling database mirroring for "mgc": The server network address "TCP://m:5022" can not be reached or does not exist.`),
			"open TCP port 5022"},
		{errors.New(`PowerShell reported: Install-CsMirrorDatabase : ... in single user mode. (Error 1488)`), "SET MULTI_USER"},
		{errors.New(`exit code 1: Set-CsPersistentChatActiveServer : Cannot find Persistent Chat Server collection "service:pc01". Use Get-CsService`),
			"the pool identity the cmdlet was given does not exist"},
		{errors.New(`exit code 1: Get-CsPersistentChatState : Cannot get "PersistentChatState" "x" because it does not exist.`),
			"the pool identity the cmdlet was given does not exist"},
	}
	for _, c := range cases {
		if got := runbook.Explain(c.err); !strings.Contains(got, c.want) {
			t.Errorf("%v:\n got %q\nwant %q", c.err, got, c.want)
		}
	}
	for _, err := range []error{nil, errors.New("exit code 1"), context.Canceled} {
		if got := runbook.Explain(err); got != "" {
			t.Errorf("%v explained as %q", err, got)
		}
	}
}

// The failure reason is the error with its number, then the explanation.
func TestFailReasonCarriesTheExplanation(t *testing.T) {
	b := runbook.New(steps.Catalog())
	e := env(snapshot(3, t0), t0)
	p := begin(t, b, steps.F1, e)
	b.Finish(steps.F1, &steps.Evidence{Plan: p}, fmt.Errorf("winrm https://lyncfe01:5986/wsman: %w for CONTOSO\\lyncadmin", remote.ErrAccessDenied), 3, t0)
	if r := b.Entry(steps.F1).Reason; !strings.HasPrefix(r, `winrm https://lyncfe01:5986/wsman: access denied for CONTOSO\lyncadmin — `) ||
		!strings.Contains(r, "nothing ran") {
		t.Errorf("reason %q", r)
	}
	v := b.Verdict(b.Displays(e), false)
	if v.Step != steps.F0 {
		t.Fatalf("verdict %+v", v)
	}
}

// A restore that lost its connection: the reason says what the server does with it, and the display adds what the
// latest probe shows of the database, or that the instance has not answered since.
func TestLostConnectionDuringRestore(t *testing.T) {
	b := runbook.New(steps.Catalog())
	for _, id := range []steps.ID{steps.F0, steps.F1, steps.F2, steps.F3, steps.F3b} {
		if err := b.Skip(id, "test"); err != nil {
			t.Fatal(err)
		}
	}
	restore := steps.Plan{Step: steps.F4, Scripts: []steps.Script{{Target: steps.Target{Role: probes.Primary}, Lang: steps.TSQL,
		Database: "master", Text: "RESTORE DATABASE [mgc] FROM DISK = N'x.bak' WITH REPLACE, RECOVERY;"}}}
	if err := b.Begin(steps.F4, restore, t0); err != nil {
		t.Fatal(err)
	}
	ev := &steps.Evidence{Plan: restore, ServerStart: map[probes.Role]time.Time{probes.Primary: t0}}
	b.Finish(steps.F4, ev, fmt.Errorf("%w in the middle of the batch (EOF)", remote.ErrConnectionLost), 3, t0.Add(time.Minute))
	en := b.Entry(steps.F4)
	if en.Status != runbook.Failed || !strings.Contains(en.Reason, "aborted the restore, so the database is left RESTORING") ||
		!strings.Contains(en.Reason, "run the step again: it restores from the start") {
		t.Fatalf("F4 %s: %s", en.Status, en.Reason)
	}
	s := snapshot(4, t0.Add(2*time.Minute))
	s.Instances[probes.Primary].Databases = map[string]*probes.Database{"mgc": {Name: "mgc", Exists: true, State: "RESTORING", UserAccess: "SINGLE_USER",
		LastRestore: &probes.RestoreEvent{Date: t0.Add(-time.Hour), Device: "old.bak"}}}
	later := env(s, t0.Add(2*time.Minute))
	d := display(b, later, steps.F4)
	if d.Label != "failed" || !strings.HasSuffix(d.Reason, " Now: mgc on SQLPRIMARY is RESTORING, SINGLE_USER; no restore recorded since the step started.") {
		t.Errorf("display %+v", d)
	}
	if v := b.Verdict(b.Displays(later), false); v.Kind != runbook.VerdictBlocked || !strings.Contains(v.Text, "F4 failed — ") ||
		!strings.Contains(v.Text, "is RESTORING, SINGLE_USER") {
		t.Errorf("verdict %+v", v)
	}
	if d := display(b, env(unreachable(s, probes.Primary), t0.Add(2*time.Minute)), steps.F4); !strings.HasSuffix(d.Reason, " Now: SQLPRIMARY has not answered a probe since.") {
		t.Errorf("display with the primary unreachable: %s", d.Reason)
	}
	// Another failure of a restore step (a SQL error) gets no such addition.
	if err := b.Begin(steps.F4, restore, t0); err != nil {
		t.Fatal(err)
	}
	b.Finish(steps.F4, ev, &remote.SQLError{Number: 3101, Class: 16, Text: "Exclusive access could not be obtained because the database is in use."}, 5, t0)
	if d := display(b, later, steps.F4); strings.Contains(d.Reason, "Now:") || !strings.Contains(d.Reason, "Msg 3101") {
		t.Errorf("display after 3101: %s", d.Reason)
	}
}

// FuzzExplain: any text, any number, explains without a panic and the same way twice.
func FuzzExplain(f *testing.F) {
	f.Add(int32(3201), "Cannot open backup device 'x'. Operating system error 5(Access is denied.).")
	f.Add(int32(3202), `Write on "x" failed: 112(There is not enough space on the disk.)`)
	f.Add(int32(0), "exit code 1: ... (Error 1488)")
	f.Add(int32(0), "Msg 99999999999999999999")
	f.Add(int32(-1), "Operating system error 99999(")
	f.Add(int32(18456), "")
	f.Fuzz(func(t *testing.T, n int32, text string) {
		a := runbook.ExplainMessage(n, "S", text)
		if a != runbook.ExplainMessage(n, "S", text) {
			t.Fatal("not deterministic")
		}
		e := runbook.Explain(errors.New(text))
		if e != runbook.Explain(errors.New(text)) {
			t.Fatal("not deterministic")
		}
		_ = runbook.Explain(&remote.SQLError{Number: n, Text: text})
	})
}

// Nothing after a failed step is unlocked: the later steps read blocked until it is run again or skipped.
func TestNothingUnlockedAfterAFailure(t *testing.T) {
	b := runbook.New(steps.Catalog())
	e := env(withActive(snapshot(3, t0)), t0)
	p := begin(t, b, steps.F1, e)
	b.Finish(steps.F1, &steps.Evidence{Plan: p}, errors.New("exit code 1"), 3, t0)
	for _, id := range []steps.ID{steps.F2, steps.F6b} {
		if d := display(b, e, id); d.Label != "blocked" || d.Reason != "F1 failed: run F1 again or skip it with a reason first" || d.Ready() {
			t.Errorf("%s: %+v", id, d)
		}
	}
	if d := display(b, e, steps.F0); d.Label == "blocked" && strings.Contains(d.Reason, "F1 failed") {
		t.Errorf("a step before the failure is held by it: %+v", d)
	}
	if err := b.Skip(steps.F1, "done by hand"); err != nil {
		t.Fatal(err)
	}
	if d := display(b, e, steps.F2); strings.Contains(d.Reason, "F1 failed") {
		t.Errorf("after the skip: %+v", d)
	}
}
