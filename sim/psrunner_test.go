package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"pcfailback/remote"
)

// psRun runs a script on the Lync host through the PowerShell interpreter.
func psRun(t *testing.T, s *Sim, script string) (stdout, stderr []string, code int) {
	t.Helper()
	r, err := s.PowerShell("lyncfe01.contoso.local")
	if err != nil {
		t.Fatal(err)
	}
	code, err = r.Run(context.Background(), script, func(l remote.PSLine) {
		if l.Stream == remote.Stderr {
			stderr = append(stderr, l.Text)
		} else {
			stdout = append(stdout, l.Text)
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return stdout, stderr, code
}

const psProbe = "$ErrorActionPreference = 'Stop'\n" +
	"Import-Module Lync\n" +
	"Get-CsPersistentChatState | ForEach-Object { \"state`t$($_.Identity)`t$($_.PoolState)\" }\n" +
	"Get-CsService -PersistentChatServer | ForEach-Object { \"service`t$($_.Identity)`t$($_.PoolFqdn)`t$($_.ActiveServers -join ',')`t$($_.InactiveServers -join ',')\" }\n"

func TestPowerShellProbe(t *testing.T) {
	s, _ := newTestSim(t, "")
	out, errs, code := psRun(t, s, psProbe)
	want := []string{
		"state\tservice:pchat.contoso.local\tFailedOver",
		"service\tPersistentChatServer:pchat.contoso.local\tpchat.contoso.local\tpc03.contoso.local,pc04.contoso.local\tpc01.contoso.local,pc02.contoso.local",
	}
	if code != 0 || len(errs) != 0 || strings.Join(out, "\n") != strings.Join(want, "\n") {
		t.Fatalf("code %d\nstdout %q\nstderr %q", code, out, errs)
	}
	if _, err := s.PowerShell("lyncfe01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PowerShell("otherhost"); err == nil {
		t.Fatal("unknown host accepted")
	}
}

func TestPowerShellFailbackSteps(t *testing.T) {
	s, clk := newTestSim(t, "")
	_, errs, code := psRun(t, s, "$ErrorActionPreference = 'Stop'\nImport-Module Lync\n"+
		"Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers $null -Confirm:$false\n")
	if code != 0 || len(errs) != 0 {
		t.Fatalf("F1: %d %q", code, errs)
	}
	if _, active := s.PoolState(); len(active) != 0 {
		t.Fatalf("F1: %v", active)
	}
	clk.Advance(3 * time.Minute)
	out, errs, code := psRun(t, s, "$ErrorActionPreference = 'Stop'\nImport-Module Lync\n"+
		"Set-CsPersistentChatState -Identity \"service:pchat.contoso.local\" -PoolState Normal -Confirm:$false\n"+
		"Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers @{Replace='pc01.contoso.local','pc02.contoso.local'} -Confirm:$false\n"+
		"Get-CsPersistentChatState -Identity 'service:pchat.contoso.local' | Select-Object Identity,PoolState | ConvertTo-Json -Compress\n")
	if code != 0 || len(errs) != 0 || len(out) != 1 || out[0] != `{"Identity":"service:pchat.contoso.local","PoolState":"Normal"}` {
		t.Fatalf("F6: %d %q %q", code, out, errs)
	}
	if state, active := s.PoolState(); state != "Normal" || strings.Join(active, ",") != "pc01.contoso.local,pc02.contoso.local" {
		t.Fatalf("F6: %s %v", state, active)
	}
	ex := s.Executed()
	if len(ex) != 2 || !ex[0].Writes || !ex[1].Writes || ex[0].Kind != ExecPowerShell || ex[0].Target != "lyncfe01.contoso.local" {
		t.Fatalf("executions: %+v", ex)
	}
}

func TestPowerShellErrorsAndWhatIf(t *testing.T) {
	s, _ := newTestSim(t, "")
	out, errs, code := psRun(t, s, "$ErrorActionPreference = 'Stop'\nImport-Module Lync\n"+
		"Set-CsPersistentChatState -Identity 'service:wrong.contoso.local' -PoolState Normal -Confirm:$false\n"+
		"Write-Output 'not reached'\n")
	if code != 1 || len(out) != 0 || len(errs) == 0 || !strings.HasPrefix(errs[0], "Set-CsPersistentChatState : ") {
		t.Fatalf("unknown identity: %d %q %q", code, out, errs)
	}
	if state, _ := s.PoolState(); state != "FailedOver" {
		t.Fatal("pool state changed by a failed command")
	}
	out, errs, code = psRun(t, s, "Set-CsPersistentChatState -Identity 'service:pchat.contoso.local' -PoolState Normal -WhatIf\n")
	if code != 0 || len(out) != 1 || !strings.HasPrefix(out[0], "What if: ") {
		t.Fatalf("WhatIf: %d %q %q", code, out, errs)
	}
	if ex := s.Executed(); ex[len(ex)-1].Writes {
		t.Fatal("-WhatIf counted as a write")
	}
	out, errs, code = psRun(t, s, "Import-Module Lync\nGet-CsNothing\n")
	if code != 1 || len(errs) == 0 || !strings.Contains(errs[0], "Get-CsNothing : The term 'Get-CsNothing' is not recognized") {
		t.Fatalf("unknown command: %d %q %q", code, out, errs)
	}
	out, _, code = psRun(t, s, "(New-Object -ComObject Scripting.FileSystemObject).GetDrive('\\\\fs01.contoso.local\\pchatls').AvailableSpace\n")
	if code != 0 || len(out) != 1 || out[0] != "214748364800" {
		t.Fatalf("free space: %d %q", code, out)
	}
	out, _, _ = psRun(t, s, "Get-CsPersistentChatState | Where-Object {$_.PoolState -eq \"FailedOver\"} | ForEach-Object { $_.Identity }\n")
	if len(out) != 1 || out[0] != poolID {
		t.Fatalf("Where-Object: %q", out)
	}
}

func TestPowerShellInstallMirrorVerbose(t *testing.T) {
	s, _ := preparedBackup(t, "")
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, f4Script)
	r, _ := s.PowerShell("lyncfe01.contoso.local")
	var lines []remote.PSLine
	code, err := r.Run(context.Background(), "Install-CsMirrorDatabase -SqlServerFqdn 'sqlprimary.contoso.local' -DatabaseType PersistentChat -FileShare '\\\\fs01.contoso.local\\csmirror' -DropExistingDatabasesOnMirror -Verbose -Confirm:$false\n",
		func(l remote.PSLine) { lines = append(lines, l) })
	if err != nil || code != 0 {
		t.Fatalf("%d %v %v", code, err, lines)
	}
	verbose := 0
	for i, l := range lines {
		if strings.HasPrefix(l.Text, "VERBOSE: ") {
			verbose++
		}
		if i > 0 && l.At.Before(lines[i-1].At) {
			t.Fatal("lines out of time order")
		}
	}
	// The lines arrive as the work happens: the restore line comes minutes (of simulated time) after the first.
	if verbose < 5 || lines[len(lines)-1].At.Sub(lines[0].At) < 2*time.Minute {
		t.Fatalf("verbose lines: %d over %v", verbose, lines[len(lines)-1].At.Sub(lines[0].At))
	}
}

// Verbose records reach the console only with -Verbose (the interpreter filters what the cmdlets write).
func TestPowerShellVerboseNeedsSwitch(t *testing.T) {
	s, _ := newTestSim(t, "")
	script := "Install-CsMirrorDatabase -SqlServerFqdn sqlbackup.contoso.local -DatabaseType PersistentChat -FileShare '\\\\fs01.contoso.local\\csmirror'"
	out, errs, code := psRun(t, s, script+"\n")
	if code != 0 || len(out)+len(errs) != 0 {
		t.Fatalf("without -Verbose: %d %q %q", code, out, errs)
	}
	_, errs, _ = psRun(t, s, script+" -Verbose\n")
	if len(errs) != 1 || !strings.Contains(errs[0], "already mirrored") {
		t.Fatalf("with -Verbose: %q", errs)
	}
}
