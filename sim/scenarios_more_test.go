package sim

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"pcfailback/remote"
)

// f4Again is F4 as the console resolves it for a database left RESTORING: without SET SINGLE_USER, which a
// RESTORING database refuses (5052).
const f4Again = `USE [master];
RESTORE DATABASE [mgc]
  FROM DISK = N'` + failbackBak + `'
  WITH FILE = 1, REPLACE, RECOVERY, CHECKSUM, STATS = 10;
IF EXISTS (SELECT 1 FROM sys.databases WHERE name = N'mgc' AND state_desc = N'ONLINE' AND user_access_desc = N'SINGLE_USER')
  ALTER DATABASE [mgc] SET MULTI_USER;`

// upToF4 drains the backup data center's servers, removes mirroring and takes the failback backup.
func upToF4(t *testing.T, s *Sim, clk interface{ Advance(time.Duration) }) {
	t.Helper()
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", nil))
	clk.Advance(3 * time.Minute)
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	mustRun(t, b, f3Script)
}

func restoresOf(t *testing.T, s *Sim, server string) int64 {
	t.Helper()
	return query(t, s, server, "msdb", "SELECT COUNT(*) AS n FROM restorehistory WHERE destination_database_name = N'mgc'").get(0, "n").(int64)
}

// The link drops half-way through F4's RESTORE: the client sees its connection gone (no error message), the
// server has ended the session and aborted the restore, mgc is RESTORING and still SINGLE_USER, nothing is in
// restorehistory. The same RESTORE run again completes.
func TestRestoreConnectionLost(t *testing.T) {
	s, clk := newTestSim(t, "restore-connection-lost")
	upToF4(t, s, clk)
	p := connect(t, s, "SQLPRIMARY", "master")
	res := runBatch(context.Background(), p, f4Script)
	if !errors.Is(res.err, remote.ErrConnectionLost) || !strings.Contains(res.err.Error(), "SQLPRIMARY") {
		t.Fatalf("F4 over a dropped link: %v", res.err)
	}
	if len(res.errs()) != 0 {
		t.Errorf("the client got error messages after its link dropped: %v", res.errs())
	}
	last := 0
	for _, m := range res.infos() {
		if strings.HasSuffix(m, " percent processed.") {
			last, _ = strconv.Atoi(strings.Fields(m)[0])
		}
		if strings.HasPrefix(m, "RESTORE DATABASE successfully") {
			t.Errorf("the restore completed: %s", m)
		}
	}
	if last == 0 || last > 60 {
		t.Errorf("progress before the drop reached %d%%, want some and at most 60", last)
	}
	if d, _ := s.Database("SQLPRIMARY", "mgc"); d.State != "RESTORING" || d.Access != "SINGLE_USER" || d.Sessions != 0 {
		t.Errorf("mgc on the primary after the drop: %+v", d)
	}
	if n := restoresOf(t, s, "SQLPRIMARY"); n != 0 {
		t.Errorf("restorehistory holds %d restores of mgc", n)
	}
	if err := p.Run(context.Background(), "SELECT 1;", nil); !errors.Is(err, remote.ErrConnectionLost) {
		t.Errorf("the dropped session still runs batches: %v", err)
	}
	for _, us := range s.UserSessions("SQLPRIMARY") {
		if us.Running {
			t.Errorf("a session still runs on the primary: %+v", us)
		}
	}

	// The procedure's script as it was fails on a RESTORING database at SET SINGLE_USER (5052), which is why the
	// console leaves it out when it resolves F4 again.
	again := connect(t, s, "SQLPRIMARY", "master")
	if got := runBatch(context.Background(), again, "ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;").errNumbers(); len(got) == 0 || got[0] != 5052 {
		t.Errorf("SET SINGLE_USER on a RESTORING database: %v", got)
	}
	mustRun(t, again, f4Again)
	if d, _ := s.Database("SQLPRIMARY", "mgc"); d.State != "ONLINE" || d.Access != "MULTI_USER" {
		t.Errorf("mgc on the primary after F4 again: %+v", d)
	}
	if n := restoresOf(t, s, "SQLPRIMARY"); n != 1 {
		t.Errorf("restorehistory holds %d restores of mgc, want 1", n)
	}
}

// The link drops once: other restores (F5b on the backup, a second F4) are not affected.
func TestRestoreConnectionLostOnlyOnce(t *testing.T) {
	s, clk := newTestSim(t, "restore-connection-lost")
	upToF4(t, s, clk)
	p := connect(t, s, "SQLPRIMARY", "master")
	runBatch(context.Background(), p, f4Script)
	mustRun(t, connect(t, s, "SQLPRIMARY", "master"), f4Again)
	mustRun(t, connect(t, s, "SQLPRIMARY", "master"), f4Again)
}

func TestWinRMFaultsInProcess(t *testing.T) {
	cases := []struct {
		scenario string
		want     error
		text     string
	}{
		{"winrm-denied", remote.ErrAccessDenied, `for CONTOSO\lyncadmin: the WinRM service authenticated the account but refused it ("Access is denied.", WSManFault code 5)`},
		{"winrm-timeout", remote.ErrTimeout, "did not answer the request to open a shell (Create) within 1m10s"},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			s, clk := newTestSim(t, c.scenario)
			if got := s.Scenario().WinRM; got == "" {
				t.Fatalf("scenario %s has no WinRM fault", c.scenario)
			}
			ps, err := s.PowerShell("lyncfe01.contoso.local")
			if err != nil {
				t.Fatal(err)
			}
			before := clk.Now()
			code, err := ps.Run(context.Background(), "Get-CsPersistentChatState", nil)
			if code != -1 || !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) ||
				!strings.Contains(err.Error(), "https://lyncfe01.contoso.local:5986/wsman") {
				t.Fatalf("run: %d, %v", code, err)
			}
			if c.want == remote.ErrTimeout && clk.Now().Sub(before) != winrmClientWait {
				t.Errorf("the client waited %v of simulated time", clk.Now().Sub(before))
			}
			for _, e := range s.Executed() {
				if e.Kind == ExecPowerShell {
					t.Errorf("a script reached the host: %s", e.Text)
				}
			}
			// The host itself, which a WinRM endpoint serves, runs scripts: the endpoint produces the fault.
			host, _ := s.PowerShellHost("LYNCFE01")
			if code, err := host.Run(context.Background(), "Get-CsPersistentChatState", nil); code != 0 || err != nil {
				t.Errorf("the host's own shell: %d %v", code, err)
			}
		})
	}
	// The operator's cancellation is not a timeout.
	s, _ := newTestSim(t, "winrm-timeout")
	ps, _ := s.PowerShell("lyncfe01.contoso.local")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ps.Run(ctx, "Get-CsPersistentChatState", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
}

func TestPoolIdentityWrong(t *testing.T) {
	s, _ := newTestSim(t, "pool-identity-wrong")
	id := s.Topology().PoolIdentity
	if id != "service:pc01.contoso.local" {
		t.Fatalf("configured identity %q", id)
	}
	_, _, err := cmd(t, s, "Get-CsPersistentChatState", np("Identity", id))
	if err == nil || !strings.Contains(err.Error(), `"service:pc01.contoso.local" because it does not exist`) {
		t.Errorf("Get-CsPersistentChatState -Identity %s: %v", id, err)
	}
	out, _ := mustCmd(t, s, "Get-CsPersistentChatState")
	if len(out) != 1 || mustProp(t, out[0], "Identity") != "service:pchat.contoso.local" {
		t.Errorf("the identities that exist: %v", out)
	}
	if n, _ := newTestSim(t, ""); n.Topology().PoolIdentity != "" {
		t.Error("the normal estate's configuration names a pool identity")
	}
}

func TestActiveServerWrongDC(t *testing.T) {
	s, _ := newTestSim(t, "active-server-wrong-dc")
	if got := s.Topology().PrimaryServers; len(got) != 2 || got[1] != "pc02.contoso.local" {
		t.Fatalf("configured primary servers %v", got)
	}
	if s.DataCenter("pc02.contoso.local") != "backup" || s.DataCenter("pc01.contoso.local") != "primary" || s.DataCenter("x") != "" {
		t.Errorf("data centers: pc01 %s, pc02 %s", s.DataCenter("pc01.contoso.local"), s.DataCenter("pc02.contoso.local"))
	}
	state, active := s.PoolState()
	if state != "FailedOver" || strings.Join(active, ",") != "pc02.contoso.local,pc03.contoso.local,pc04.contoso.local" {
		t.Errorf("pool %s, active %v", state, active)
	}
	if c := s.Connections(); c["pc02.contoso.local"] != "SQLBACKUP" {
		t.Errorf("connections %v", c)
	}
}

// lastWrite reads sys.dm_db_index_usage_stats for mgc, and the finish of the newest full backup.
func lastWrite(t *testing.T, s *Sim) (write, backup time.Time) {
	t.Helper()
	u := query(t, s, "SQLBACKUP", "master", `SELECT MAX(last_user_update) AS w FROM sys.dm_db_index_usage_stats WHERE database_id = DB_ID(N'mgc')`)
	b := query(t, s, "SQLBACKUP", "msdb", `SELECT MAX(backup_finish_date) AS f FROM backupset WHERE database_name = N'mgc' AND type = 'D'`)
	write, _ = u.get(0, "w").(time.Time)
	backup, _ = b.get(0, "f").(time.Time)
	return write, backup
}

func TestBackupWrittenAfterBackup(t *testing.T) {
	s, clk := newTestSim(t, "backup-written-after-backup")
	upToF4(t, s, clk)
	before, _ := s.Database("SQLBACKUP", "mgc")
	if w, b := lastWrite(t, s); !w.Before(b) {
		t.Fatalf("written at %v, after the backup of %v, before anything wrote", w, b)
	}
	clk.Advance(lateWriteDelay + time.Second)
	w, b := lastWrite(t, s)
	if !w.After(b) {
		t.Fatalf("last write %v is not after the backup %v", w, b)
	}
	if after, _ := s.Database("SQLBACKUP", "mgc"); after.Messages != before.Messages+lateWriteMessages {
		t.Errorf("messages %d, want %d", after.Messages, before.Messages+lateWriteMessages)
	}
	// Taking the backup again covers the write; the client does not write again.
	mustRun(t, connect(t, s, "SQLBACKUP", "master"), strings.ReplaceAll(f3Script, "093500", "094500"))
	clk.Advance(10 * time.Minute)
	if w, b := lastWrite(t, s); w.After(b) {
		t.Errorf("written again at %v after the second backup %v", w, b)
	}
}

// The usage counters cover the time since the instance started; sys.dm_os_sys_info says when that was.
func TestUsageStatsViews(t *testing.T) {
	s, clk := newTestSim(t, "")
	up := query(t, s, "SQLPRIMARY", "master", "SELECT sqlserver_start_time FROM sys.dm_os_sys_info")
	if got := up.get(0, "sqlserver_start_time"); got != epoch.Add(-20*time.Hour) {
		t.Errorf("primary started %v", got)
	}
	// Nothing writes to the rebuilt primary's databases; the backup data center's servers write to the backup.
	if rows := query(t, s, "SQLPRIMARY", "master", "SELECT COUNT(*) AS n FROM sys.dm_db_index_usage_stats").get(0, "n"); rows != int64(0) {
		t.Errorf("usage rows on the primary: %v", rows)
	}
	clk.Advance(time.Minute)
	if w, _ := lastWrite(t, s); !w.Equal(epoch.Add(time.Minute)) {
		t.Errorf("last write on the backup %v", w)
	}
}
