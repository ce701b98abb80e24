package sim

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pcfailback/pwsh"
)

// cmdErr invokes a cmdlet that must fail and returns its error record.
func cmdErr(t *testing.T, s *Sim, name string, params ...pwsh.Param) *pwsh.CmdletError {
	t.Helper()
	_, _, err := cmd(t, s, name, params...)
	var ce *pwsh.CmdletError
	if !errors.As(err, &ce) {
		t.Fatalf("%s: %v, want a cmdlet error", name, err)
	}
	return ce
}

func table(kv ...any) *pwsh.Hashtable {
	h := &pwsh.Hashtable{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Keys = append(h.Keys, kv[i].(string))
		h.Values = append(h.Values, kv[i+1])
	}
	return h
}

func TestActiveServerList(t *testing.T) {
	s, clk := newTestSim(t, "")
	for _, id := range []string{"service:pchat.contoso.local", "PersistentChatServer:PCHAT.contoso.local", "global"} {
		mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", id), np("ActiveServers", table("Add", "pc03.contoso.local")))
	}
	ce := cmdErr(t, s, "Set-CsPersistentChatActiveServer", np("Identity", "service: pchat.contoso.local"), np("ActiveServers", nil))
	if ce.Category != "ObjectNotFound" {
		t.Errorf("identity with a space: %+v", ce)
	}
	ce = cmdErr(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", table("Add", []pwsh.Value{"pc01.contoso.local", "pc99.contoso.local"})))
	if !strings.Contains(ce.Message, "pc99.contoso.local") {
		t.Errorf("unknown server: %+v", ce)
	}
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", table("Add", []pwsh.Value{"PC01.contoso.local", "pc02.contoso.local"})))
	if _, active := s.PoolState(); len(active) != 4 {
		t.Fatalf("active %v", active)
	}
	ce = cmdErr(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", table("Add", "pc01.contoso.local", "Remove", "pc01.contoso.local", "Bogus", "x")))
	if ce.Category != "InvalidArgument" {
		t.Errorf("bad modifier key: %+v", ce)
	}
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", table("Remove", "pc04.contoso.local")))
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), swp("Swap"))
	if _, active := s.PoolState(); strings.Join(active, ",") != "pc04.contoso.local" {
		t.Fatalf("after -Swap: %v", active)
	}
	// A plain array replaces the list; more than four is refused.
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", []pwsh.Value{"pc03.contoso.local"}))
	if _, active := s.PoolState(); strings.Join(active, ",") != "pc03.contoso.local" {
		t.Fatalf("after replace: %v", active)
	}
	clk.Advance(3 * time.Minute)
	conns := s.Connections()
	if conns["pc03.contoso.local"] != "SQLBACKUP" || conns["pc04.contoso.local"] != "" {
		t.Fatalf("connections: %v", conns)
	}
}

func TestPoolStateMovesServers(t *testing.T) {
	s, clk := newTestSim(t, "")
	mustCmd(t, s, "Set-CsPersistentChatState", np("Identity", poolID), np("PoolState", "normal"))
	out, _ := mustCmd(t, s, "Get-CsPersistentChatState", np("Identity", poolID))
	if psText(mustProp(t, out[0], "PoolState")) != "Normal" {
		t.Fatalf("%v", out)
	}
	// The active servers move to the primary within a minute (it is online and MULTI_USER).
	clk.Advance(time.Minute)
	if c := s.Connections(); c["pc03.contoso.local"] != "SQLPRIMARY" {
		t.Fatalf("connections: %v", c)
	}
	ce := cmdErr(t, s, "Set-CsPersistentChatState", np("Identity", poolID), np("PoolState", "Broken"))
	if !strings.Contains(ce.Message, "Normal, FailedOver") {
		t.Errorf("%+v", ce)
	}
	if ce := cmdErr(t, s, "Set-CsPersistentChatState", np("Identity", poolID)); !strings.Contains(ce.Message, "missing mandatory parameters: PoolState") {
		t.Errorf("%+v", ce)
	}
	// -WhatIf changes nothing and says what it would do.
	_, st := mustCmd(t, s, "Set-CsPersistentChatState", np("Identity", poolID), np("PoolState", "FailedOver"), swp("WhatIf"))
	if state, _ := s.PoolState(); state != "Normal" || len(st.host) != 1 || !strings.HasPrefix(st.host[0], "What if: ") {
		t.Fatalf("WhatIf: %s %q", state, st.host)
	}
	// Pipeline input binds -Identity.
	h := &lyncHost{sim: s}
	if _, err := h.Invoke(t.Context(), "Set-CsPersistentChatState", []pwsh.Param{np("PoolState", "FailedOver")}, out, &recStreams{}); err != nil {
		t.Fatal(err)
	}
	if state, _ := s.PoolState(); state != "FailedOver" {
		t.Fatalf("piped identity: %s", state)
	}
}

func TestCmdletBinding(t *testing.T) {
	s, _ := newTestSim(t, "")
	if ce := cmdErr(t, s, "Get-CsPersistentChatState", np("Nonsense", 1)); !strings.HasPrefix(ce.ErrorID, "NamedParameterNotFound,") {
		t.Errorf("%+v", ce)
	}
	if ce := cmdErr(t, s, "Set-CsPersistentChatState", np("I", poolID), np("PoolState", "Normal")); !strings.HasPrefix(ce.ErrorID, "AmbiguousParameter,") {
		t.Errorf("ambiguous prefix: %+v", ce)
	}
	mustCmd(t, s, "Set-CsPersistentChatState", np("Ident", poolID), np("Pool", "Normal"), np("Confirm", false), np("ErrorAction", "Stop"))
	if ce := cmdErr(t, s, "Get-CsPersistentChatState", pwsh.Param{Value: poolID}, pwsh.Param{Value: "extra"}); !strings.HasPrefix(ce.ErrorID, "PositionalParameterNotFound,") {
		t.Errorf("%+v", ce)
	}
	if _, _, err := cmd(t, s, "Get-Nothing"); !errors.Is(err, pwsh.ErrUnknownCommand) {
		t.Errorf("unknown command: %v", err)
	}
	mustCmd(t, s, "Import-Module", pwsh.Param{Value: "Lync"})
	mustCmd(t, s, "Import-Module", np("Name", `C:\Program Files\Common Files\Microsoft Lync Server 2013\Modules\Lync\Lync.psd1`))
	if ce := cmdErr(t, s, "Import-Module", pwsh.Param{Value: "SqlServer"}); ce.Category != "ResourceUnavailable" ||
		ce.Message != "The specified module 'SqlServer' was not loaded because no valid module file was found in any module directory." {
		t.Errorf("%+v", ce)
	}
	if ce := cmdErr(t, s, "Get-CsPersistentChatState", np("Identity", "service:nope.contoso.local")); ce.Category != "ObjectNotFound" {
		t.Errorf("%+v", ce)
	}
	if out, _ := mustCmd(t, s, "Get-CsPersistentChatState", np("Filter", "service:*")); len(out) != 1 {
		t.Errorf("filter: %v", out)
	}
	if out, _ := mustCmd(t, s, "Get-CsPersistentChatState", np("Filter", "PersistentChatServer:*")); len(out) != 0 {
		t.Errorf("filter: %v", out)
	}
}

func TestPoolIdentityScenario(t *testing.T) {
	s, _ := newTestSim(t, "pool-identity-prefix")
	out, _ := mustCmd(t, s, "Get-CsPersistentChatState")
	id := psText(mustProp(t, out[0], "Identity"))
	if id != "PersistentChatServer:pchat.contoso.local" {
		t.Fatalf("identity %s", id)
	}
	cmdErr(t, s, "Set-CsPersistentChatState", np("Identity", poolID), np("PoolState", "Normal"))
	mustCmd(t, s, "Set-CsPersistentChatState", np("Identity", id), np("PoolState", "Normal"))
}

func TestFileShareChecks(t *testing.T) {
	s, _ := newTestSim(t, "")
	fso, _ := mustCmd(t, s, "New-Object", np("ComObject", "Scripting.FileSystemObject"))
	h := &lyncHost{sim: s}
	drive, err := h.CallMethod(t.Context(), fso[0].(*pwsh.Object), "GetDrive", []pwsh.Value{`\\fs01.contoso.local\pchatls`})
	if err != nil {
		t.Fatal(err)
	}
	if mustProp(t, drive, "AvailableSpace") != int64(200*gigabyte) || mustProp(t, drive, "TotalSize") != int64(500*gigabyte) ||
		mustProp(t, drive, "DriveType") != int64(3) {
		t.Fatalf("drive: %v", drive)
	}
	if _, err := h.CallMethod(t.Context(), fso[0].(*pwsh.Object), "GetDrive", []pwsh.Value{`\\nohost\share`}); err == nil {
		t.Fatal("GetDrive of a missing share")
	}
	if _, err := h.CallMethod(t.Context(), fso[0].(*pwsh.Object), "Explode", nil); err == nil {
		t.Fatal("unknown method accepted")
	}
	for path, want := range map[string]bool{`\\fs01.contoso.local\pchatls`: true, `\\fs01\pchatls`: true,
		`\\fs01.contoso.local\pchatls\nofile.bak`: false, `\\fs01.contoso.local\nosuch`: false, `C:\Windows`: false} {
		out, _ := mustCmd(t, s, "Test-Path", pwsh.Param{Value: path})
		if out[0] != want {
			t.Errorf("Test-Path %s = %v", path, out[0])
		}
	}
	if _, _, err := cmd(t, s, "New-Object", np("ComObject", "WScript.Shell")); err == nil {
		t.Error("unknown COM class accepted")
	}
}

func TestMirrorFailoverCmdlets(t *testing.T) {
	s, _ := preparedBackup(t, "")
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, f4Script)
	state, _ := mustCmd(t, s, "Get-CsDatabaseMirrorState", np("PoolFqdn", "pchat.contoso.local"), np("DatabaseType", "PersistentChat"))
	if mustProp(t, state[0], "StateOnPrimary") != "DatabaseInaccessibleOrMirroringNotEnabled" {
		t.Fatalf("%v", state)
	}
	cmdErr(t, s, "Invoke-CsDatabaseFailover", np("PoolFqdn", "pchat.contoso.local"), np("DatabaseType", "PersistentChat"), np("NewPrincipal", "Mirror"))
	mustCmd(t, s, "Install-CsMirrorDatabase", np("SqlServerFqdn", "sqlprimary.contoso.local"), np("DatabaseType", "PersistentChat"),
		np("FileShare", `\\fs01.contoso.local\csmirror`), swp("DropExistingDatabasesOnMirror"))
	// Installing again is a no-op.
	_, st := mustCmd(t, s, "Install-CsMirrorDatabase", np("SqlServerFqdn", "sqlprimary.contoso.local"), np("DatabaseType", "PersistentChat"),
		np("FileShare", `\\fs01.contoso.local\csmirror`))
	if !strings.Contains(strings.Join(st.verbose, "\n"), "already mirrored") {
		t.Fatalf("%q", st.verbose)
	}
	mustCmd(t, s, "Invoke-CsDatabaseFailover", np("PoolFqdn", "pchat.contoso.local"), np("DatabaseType", "PersistentChat"), np("NewPrincipal", "Mirror"))
	if info := mustInfo(t, s, "SQLPRIMARY-MIR", "mgc"); info.State != "ONLINE" || info.MirroringRole != "PRINCIPAL" {
		t.Fatalf("after failover: %+v", info)
	}
	if info := mustInfo(t, s, "SQLPRIMARY", "mgc"); info.State != "RESTORING" || info.MirroringRole != "MIRROR" {
		t.Fatalf("old principal: %+v", info)
	}
	state, _ = mustCmd(t, s, "Get-CsDatabaseMirrorState", np("PoolFqdn", "pchat.contoso.local"), np("DatabaseType", "PersistentChat"))
	if mustProp(t, state[0], "StateOnPrimary") != "Mirror" || mustProp(t, state[0], "StateOnMirror") != "Principal" ||
		mustProp(t, state[0], "MirroringStatusOnMirror") != "Synchronized" {
		t.Fatalf("%v", state)
	}
	cmdErr(t, s, "Invoke-CsDatabaseFailover", np("PoolFqdn", "pchat.contoso.local"), np("DatabaseType", "PersistentChat"), np("NewPrincipal", "Mirror"))
	mustCmd(t, s, "Invoke-CsDatabaseFailover", np("PoolFqdn", "pchat.contoso.local"), np("DatabaseType", "PersistentChat"), np("NewPrincipal", "Primary"))
	mustCmd(t, s, "Uninstall-CsMirrorDatabase", np("SqlServerFqdn", "sqlprimary.contoso.local"), np("DatabaseType", "PersistentChat"), swp("DropExistingDatabasesOnMirror"))
	if _, ok := s.Database("SQLPRIMARY-MIR", "mgc"); ok {
		t.Fatal("mirror copy not dropped")
	}
	if info := mustInfo(t, s, "SQLPRIMARY", "mgc"); info.State != "ONLINE" || info.MirroringRole != "" {
		t.Fatalf("after uninstall: %+v", info)
	}
	ce := cmdErr(t, s, "Install-CsMirrorDatabase", np("SqlServerFqdn", "sqlprimary-mir.contoso.local"), np("DatabaseType", "PersistentChat"), np("FileShare", `\\fs01.contoso.local\csmirror`))
	if !strings.Contains(ce.Message, "No mirror is defined") {
		t.Fatalf("%+v", ce)
	}
	if ce := cmdErr(t, s, "Install-CsMirrorDatabase", np("SqlServerFqdn", "sqlprimary.contoso.local"), np("DatabaseType", "Bogus"), np("FileShare", `\\fs01.contoso.local\csmirror`)); !strings.Contains(ce.Message, "ValidateSet") {
		t.Fatalf("%+v", ce)
	}
}

// A server removed from the active list keeps its sessions for DrainAfter, then closes them; one put back in
// the meantime keeps them.
func TestDrainTiming(t *testing.T) {
	s, clk := newTestSim(t, "")
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", table("Remove", "pc03.contoso.local")))
	clk.Advance(119 * time.Second)
	if c := s.Connections(); c["pc03.contoso.local"] != "SQLBACKUP" {
		t.Fatalf("drained early: %v", c)
	}
	clk.Advance(2 * time.Second)
	if c := s.Connections(); c["pc03.contoso.local"] != "" || c["pc04.contoso.local"] != "SQLBACKUP" {
		t.Fatalf("not drained: %v", c)
	}
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", table("Remove", "pc04.contoso.local")))
	clk.Advance(time.Minute)
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", table("Add", "pc04.contoso.local")))
	clk.Advance(5 * time.Minute)
	if c := s.Connections(); c["pc04.contoso.local"] != "SQLBACKUP" {
		t.Fatalf("re-activated server dropped: %v", c)
	}
	// Writes land only while servers are connected.
	before := mustInfo(t, s, "SQLBACKUP", "mgc")
	clk.Advance(10 * time.Second)
	after := mustInfo(t, s, "SQLBACKUP", "mgc")
	if after.Messages != before.Messages+10 || after.LSN <= before.LSN {
		t.Fatalf("writes: %+v -> %+v", before, after)
	}
	if m := mustInfo(t, s, "SQLBACKUP-MIR", "mgc"); m.LSN != after.LSN {
		t.Fatalf("synchronized mirror at %d, principal at %d", m.LSN, after.LSN)
	}
}
