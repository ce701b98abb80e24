package sim

import (
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/pwsh"
)

func TestPartnerOffFromMirror(t *testing.T) {
	s, _ := newTestSim(t, "")
	bm := connect(t, s, "SQLBACKUP-MIR", "master")
	mustRun(t, bm, "ALTER DATABASE [mgc] SET PARTNER OFF")
	if b := mustInfo(t, s, "SQLBACKUP", "mgc"); b.MirroringRole != "" || b.State != "ONLINE" {
		t.Fatalf("principal: %+v", b)
	}
	if m := mustInfo(t, s, "SQLBACKUP-MIR", "mgc"); m.MirroringRole != "" || m.State != "RESTORING" {
		t.Fatalf("former mirror: %+v", m)
	}
	// The former mirror can be recovered: a divergent copy comes online.
	mustRun(t, bm, "RESTORE DATABASE [mgc] WITH RECOVERY")
	if m := mustInfo(t, s, "SQLBACKUP-MIR", "mgc"); m.State != "ONLINE" {
		t.Fatalf("recovered copy: %+v", m)
	}
}

func TestDatabaseOptions(t *testing.T) {
	s, clk := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	// READ_ONLY needs the database to itself: the Persistent Chat sessions are rolled back and stay away.
	res := mustRun(t, b, "ALTER DATABASE [mgc] SET READ_ONLY WITH ROLLBACK IMMEDIATE")
	if !containsText(res.infos(), "Nonqualified transactions are being rolled back.") {
		t.Fatalf("%q", res.infos())
	}
	clk.Advance(2 * time.Minute)
	before := mustInfo(t, s, "SQLBACKUP", "mgc")
	clk.Advance(time.Minute)
	after := mustInfo(t, s, "SQLBACKUP", "mgc")
	if !after.ReadOnly || after.Sessions != 0 || after.Messages != before.Messages {
		t.Fatalf("read-only database: %+v -> %+v", before, after)
	}
	mustRun(t, b, "ALTER DATABASE [mgc] SET READ_WRITE")
	clk.Advance(time.Minute)
	if info := mustInfo(t, s, "SQLBACKUP", "mgc"); info.Sessions != 6 {
		t.Fatalf("servers did not come back: %+v", info)
	}
	mustRun(t, b, "ALTER DATABASE [mgccomp] SET OFFLINE WITH ROLLBACK IMMEDIATE")
	expectErrors(t, b, "USE mgccomp", 942)
	mustRun(t, b, "ALTER DATABASE [mgccomp] SET ONLINE")
	mustRun(t, b, "ALTER DATABASE [mgccomp] SET RECOVERY SIMPLE")
	expectErrors(t, b, "BACKUP LOG mgccomp TO DISK = N'c.trn'", 4208, 3013)
	mustRun(t, b, "ALTER DATABASE [mgccomp] SET RECOVERY FULL")
	expectErrors(t, b, "BACKUP LOG mgccomp TO DISK = N'c.trn'", 4214, 3013)
	rec := query(t, s, "SQLBACKUP", "master", "SELECT recovery_model_desc FROM sys.databases WHERE name = N'mgccomp'")
	if rec.get(0, "recovery_model_desc") != "FULL" {
		t.Fatalf("%v", rec.rows)
	}
	// A mirrored database refuses options that would break the session.
	s2, _ := newTestSim(t, "")
	b2 := connect(t, s2, "SQLBACKUP", "master")
	expectErrors(t, b2, "ALTER DATABASE [mgc] SET RECOVERY SIMPLE", 1468, 5069)
	// Tail-log backup: the database goes RESTORING.
	mustRun(t, b, "ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE")
	mustRun(t, b, "BACKUP DATABASE [mgc] TO DISK = N'\\\\fs01.contoso.local\\pchatls\\t.bak' WITH INIT")
	mustRun(t, b, "BACKUP LOG [mgc] TO DISK = N'\\\\fs01.contoso.local\\pchatls\\t.trn' WITH INIT, NORECOVERY")
	if info := mustInfo(t, s, "SQLBACKUP", "mgc"); info.State != "RESTORING" {
		t.Fatalf("after the tail-log backup: %+v", info)
	}
}

func TestTooManyActiveServers(t *testing.T) {
	topo := DefaultTopology()
	topo.PrimaryServers = []string{"pc01.contoso.local", "pc02.contoso.local", "pc05.contoso.local"}
	s, err := New(Options{Clock: clock.NewVirtual(epoch), Topology: topo})
	if err != nil {
		t.Fatal(err)
	}
	ce := cmdErr(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID),
		np("ActiveServers", table("Add", []pwsh.Value{"pc01.contoso.local", "pc02.contoso.local", "pc05.contoso.local"})))
	if ce.Category != "InvalidOperation" {
		t.Fatalf("%+v", ce)
	}
	if _, active := s.PoolState(); len(active) != 2 {
		t.Fatalf("a refused change changed the list: %v", active)
	}
}
