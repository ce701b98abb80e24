package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/pwsh"
	"pcfailback/tsql"
)

func FuzzPaths(f *testing.F) {
	for _, p := range []string{`\\fs01.contoso.local\pchatls\mgc.bak`, `\\fs01\pchatls`, `D:\LSCopy\mgc\x.trn`, `x.bak`,
		`\\`, `\\\\`, `C:`, `C:\`, `//fs01/pchatls/a.bak`, "", `\\fs01.contoso.local\pchatls\..\x`, "\x00", `Q:\a\b\`} {
		f.Add(p)
	}
	s, _ := newTestSim(f, "")
	f.Fuzz(func(t *testing.T, p string) {
		n := normalizePath(p)
		if normalizePath(n) != n {
			t.Fatalf("normalizePath not idempotent: %q -> %q -> %q", p, n, normalizePath(n))
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, in := range s.insts {
			in.resolveDevice(p)
			s.fs.fileCheck(in.machine, p, in.spec.EngineAccount, true)
			s.fs.fileCheck(in.machine, p, in.spec.EngineAccount, false)
			s.fileExist(in, p)
			in.dirExists(p)
		}
		s.adminFolder(p)
		s.shareRoot(p)
	})
}

func FuzzMirrorAddress(f *testing.F) {
	for _, a := range []string{"TCP://sqlprimary-mir.contoso.local:5022", "tcp://x:1", "TCP://:5022", "TCP://h:0",
		"TCP://h:99999", "http://h:1", "", "TCP://h", "TCP://h:-1"} {
		f.Add(a)
	}
	f.Fuzz(func(t *testing.T, a string) {
		host, port, ok := parseMirrorAddress(a)
		if !ok {
			return
		}
		if host == "" || port < 1 || port > 65535 {
			t.Fatalf("%q parsed as %q:%d", a, host, port)
		}
	})
}

func FuzzParseGUID(f *testing.F) {
	f.Add("74697ED8-F3C1-422B-954C-3E96F13E05A5", []byte("0123456789abcdef"))
	f.Add("{74697ed8-f3c1-422b-954c-3e96f13e05a5}", []byte{})
	f.Add("not a guid", []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, text string, raw []byte) {
		parseGUID(text)
		var g tsql.GUID
		copy(g[:], raw)
		back, ok := parseGUID(g.String())
		if !ok || back != g {
			t.Fatalf("round trip of %s: %v %v", g, back, ok)
		}
	})
}

// FuzzBatch runs any batch on the estate: whatever a trainee types, the simulator answers without panicking
// and keeps its invariants.
func FuzzBatch(f *testing.F) {
	for _, b := range []string{healthBatch, f2Script, f2Check, f3Script, f3bVerify, f3bHeader, f3bFileList, f4Script,
		orphanCheck, f5bBackup, f5bRestore, f5cScript, f5dScript, jobsQuery, sessionsQuery, q31, q32, q33a, q33b, q34,
		q36b, q37, q38, "sp_who2", "KILL 51", "USE mgc", "RESTORE DATABASE mgc WITH RECOVERY",
		"ALTER DATABASE mgc SET OFFLINE WITH ROLLBACK IMMEDIATE", "ALTER DATABASE mgc SET PARTNER = 'TCP://sqlbackup:5022'",
		"EXEC msdb.dbo.sp_help_job @job_name = N'LSAlert_SQLBACKUP'", "EXEC msdb.dbo.sp_start_job N'LSAlert_SQLBACKUP'",
		"BACKUP LOG mgc TO DISK = N'\\\\fs01\\pchatls\\a.trn' WITH NORECOVERY", "WAITFOR DELAY '00:10:00'; SELECT 1",
		"SELECT DB_NAME(99999999999), DB_ID(NULL), SERVERPROPERTY(NULL), SUSER_SNAME(0x01)",
		"EXEC xp_fileexist NULL", "EXEC master..sp_add_log_shipping_secondary_database @secondary_database = NULL, @primary_server = 1, @primary_database = 2, @restore_threshold = 'x'",
	} {
		f.Add(b, uint8(0))
	}
	servers := []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"}
	f.Fuzz(func(t *testing.T, batch string, which uint8) {
		clk := clock.NewVirtual(epoch)
		s, err := New(Options{Seed: 1, Clock: clk})
		if err != nil {
			t.Fatal(err)
		}
		sess := connect(t, s, servers[int(which)%len(servers)], "master")
		// WHILE loops around WAITFOR can run days of simulated time; a second of real time is enough to reach
		// every statement kind, and cancellation must leave the estate consistent too.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		runBatch(ctx, sess, batch)
		clk.Advance(20 * time.Minute)
		// The estate still answers its health batch on every instance.
		for _, server := range servers {
			c, _ := s.SQL(server, Login{User: "sa"})
			probe, err := c.Connect(context.Background(), "master")
			if err != nil {
				t.Fatalf("connect %s after %q: %v", server, batch, err)
			}
			if res := runBatch(context.Background(), probe, healthBatch); res.err != nil {
				t.Fatalf("health on %s after %q: %v", server, batch, res.err)
			}
			probe.Close()
		}
	})
}

// FuzzCmdlet invokes cmdlets with arbitrary names and parameters.
func FuzzCmdlet(f *testing.F) {
	f.Add("Set-CsPersistentChatActiveServer", "Identity", poolID, "ActiveServers", "")
	f.Add("Set-CsPersistentChatState", "Identity", poolID, "PoolState", "Normal")
	f.Add("Install-CsMirrorDatabase", "SqlServerFqdn", "sqlprimary.contoso.local", "FileShare", `\\fs01\csmirror`)
	f.Add("Invoke-CsDatabaseFailover", "PoolFqdn", "pchat.contoso.local", "NewPrincipal", "Mirror")
	f.Add("Test-Path", "", `\\fs01\pchatls`, "PathType", "Leaf")
	f.Add("Get-CsDatabaseMirrorState", "PoolFqdn", "pchat.contoso.local", "DatabaseType", "PersistentChatCompliance")
	f.Add("Import-Module", "", "Lync", "", "")
	f.Fuzz(func(t *testing.T, name, p1, v1, p2, v2 string) {
		s, _ := newTestSim(t, "")
		h := &lyncHost{sim: s}
		params := []pwsh.Param{{Name: p1, Value: v1}, {Name: p2, Value: v2}}
		if v2 == "" {
			params[1].Value = nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, err := h.Invoke(ctx, name, params, nil, &recStreams{})
		for _, v := range out {
			if o, ok := v.(*pwsh.Object); ok && strings.Contains(o.TypeName, "ComObject") {
				h.CallMethod(ctx, o, v1, []pwsh.Value{v2})
			}
		}
		_ = err
		state, _ := s.PoolState()
		if state != poolNormal && state != poolFailedOver {
			t.Fatalf("pool state %q", state)
		}
	})
}

// FuzzPowerShell runs any script on the Lync host through the PowerShell interpreter.
func FuzzPowerShell(f *testing.F) {
	for _, sc := range []string{psProbe,
		"Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers $null -Confirm:$false",
		"Set-CsPersistentChatState -Identity \"service:pchat.contoso.local\" -PoolState Normal -Confirm:$false",
		"Set-CsPersistentChatActiveServer -Identity global -ActiveServers @{Replace='pc01.contoso.local','pc02.contoso.local'}",
		"Install-CsMirrorDatabase -SqlServerFqdn 'sqlbackup.contoso.local' -DatabaseType PersistentChat -FileShare '\\\\fs01.contoso.local\\csmirror' -Verbose",
		"Invoke-CsDatabaseFailover -PoolFqdn 'pchat.contoso.local' -DatabaseType PersistentChat -NewPrincipal Mirror -Confirm:$false",
		"(New-Object -ComObject Scripting.FileSystemObject).GetDrive('\\\\fs01.contoso.local\\pchatls').AvailableSpace",
		"Get-CsPersistentChatState -Identity 'service:pchat.contoso.local' | Select-Object Identity,PoolState | ConvertTo-Json -Compress",
		"Uninstall-CsMirrorDatabase -SqlServerFqdn sqlbackup.contoso.local -DatabaseType PersistentChatCompliance -DropExistingDatabasesOnMirror",
		"Set-CsPersistentChatActiveServer -Swap; Get-CsService -PersistentChatServer | Format-List",
	} {
		f.Add(sc)
	}
	f.Fuzz(func(t *testing.T, script string) {
		s, _ := newTestSim(t, "")
		r, err := s.PowerShell("lyncfe01.contoso.local")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		r.Run(ctx, script, nil)
		state, active := s.PoolState()
		if (state != poolNormal && state != poolFailedOver) || len(active) > maxActiveServers {
			t.Fatalf("pool %q %v after %q", state, active, script)
		}
		if len(s.Executed()) != 1 {
			t.Fatalf("%d executions recorded", len(s.Executed()))
		}
	})
}
