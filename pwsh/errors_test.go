package pwsh

import (
	"context"
	"strings"
	"testing"
)

// failingHost has Set-Thing, which writes a non-terminating error (or a terminating one for Stop-Thing), and
// Get-Thing, which works.
func failingHost() *fakeHost {
	h := newFakeHost()
	h.on("Set-Thing", func(context.Context, []Param, []Value, Streams) ([]Value, error) {
		return []Value{"partial"}, &CmdletError{Cmdlet: "Set-Thing", Message: "Cannot find pool \"x\".",
			Category: "ObjectNotFound", ErrorID: "PoolNotFound,Microsoft.Rtc.Management.SetThingCmdlet"}
	})
	h.on("Stop-Thing", func(context.Context, []Param, []Value, Streams) ([]Value, error) {
		return []Value{"never"}, &CmdletError{Message: "Fatal.", Category: "InvalidOperation", Terminating: true}
	})
	h.returns("Get-Thing", "thing")
	return h
}

var setThingRecord = []string{
	"err: Set-Thing : Cannot find pool \"x\".",
	"err: At line:1 char:1",
	"err: + Set-Thing -Identity x",
	"err: + ~~~~~~~~~~~~~~~~~~~~~",
	"err:     + CategoryInfo          : ObjectNotFound: (:) [Set-Thing], ItemNotFoundException",
	"err:     + FullyQualifiedErrorId : PoolNotFound,Microsoft.Rtc.Management.SetThingCmdlet",
}

func TestNonTerminatingErrorContinues(t *testing.T) {
	res := run(t, failingHost(), "Set-Thing -Identity x\nGet-Thing")
	want := append(append([]string{}, setThingRecord...), "out: partial", "out: thing")
	equalLines(t, "output", res.all, want)
	if res.code != 0 {
		t.Errorf("exit %d, want 0: the last statement succeeded", res.code)
	}
	if res := run(t, failingHost(), "Get-Thing\nSet-Thing -Identity x"); res.code != 1 {
		t.Errorf("exit %d, want 1: the last statement failed", res.code)
	}
}

func TestErrorActionPreferenceStop(t *testing.T) {
	res := run(t, failingHost(), "$ErrorActionPreference = 'Stop'\nSet-Thing -Identity x\nGet-Thing")
	want := append([]string{}, setThingRecord...)
	want[1] = "err: At line:2 char:1"
	equalLines(t, "output", res.all, want)
	if res.code != 1 {
		t.Errorf("exit %d", res.code)
	}
}

func TestErrorActionParameter(t *testing.T) {
	res := run(t, failingHost(), "Set-Thing -Identity x -ErrorAction Stop\nGet-Thing")
	if res.code != 1 || len(res.out) != 0 || len(res.err) != 6 {
		t.Errorf("-ErrorAction Stop: %d %v", res.code, res.all)
	}
	res = run(t, failingHost(), "Set-Thing -Identity x -ea SilentlyContinue\n$?\nGet-Thing")
	equalLines(t, "SilentlyContinue", res.all, []string{"out: partial", "out: False", "out: thing"})
	res = run(t, failingHost(), "$ErrorActionPreference = 'Stop'\nSet-Thing -Identity x -ErrorAction Continue\n'went on'")
	if res.code != 0 || len(res.err) != 6 || res.out[len(res.out)-1] != "went on" {
		t.Errorf("-ErrorAction Continue under Stop: %d %v", res.code, res.all)
	}
	h := failingHost()
	run(t, h, "Set-Thing -Identity x -ErrorAction Stop")
	for _, p := range h.lastCall(t).params {
		if strings.EqualFold(p.Name, "ErrorAction") {
			t.Errorf("-ErrorAction reached the host: %#v", p)
		}
	}
	res = run(t, h, "Get-Thing -ErrorAction Sometimes")
	if res.code != 1 || !strings.Contains(res.err[0], "Cannot bind parameter 'ErrorAction'") {
		t.Errorf("bad -ErrorAction: %v", res.all)
	}
}

func TestTerminatingCmdletErrorEndsOnlyTheStatement(t *testing.T) {
	res := run(t, failingHost(), "Stop-Thing | ForEach-Object { 'not reached' }\nGet-Thing")
	want := []string{
		"err: Stop-Thing : Fatal.",
		"err: At line:1 char:1",
		"err: + Stop-Thing | ForEach-Object { 'not reached' }",
		"err: + ~~~~~~~~~~",
		"err:     + CategoryInfo          : InvalidOperation: (:) [Stop-Thing], InvalidOperationException",
		"err:     + FullyQualifiedErrorId : InvalidOperationException,Stop-Thing",
		"out: thing",
	}
	equalLines(t, "output", res.all, want)
	if res := run(t, failingHost(), "$ErrorActionPreference = 'Stop'; Stop-Thing; Get-Thing"); res.code != 1 || len(res.out) != 0 {
		t.Errorf("terminating error under Stop: %v", res.all)
	}
}

func TestCommandNotFound(t *testing.T) {
	res := run(t, newFakeHost(), "'before'\n  Get-CsNothing -Identity x | Out-Null\n'after'")
	equalLines(t, "output", res.all, []string{
		"out: before",
		"err: Get-CsNothing : The term 'Get-CsNothing' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
		"err: At line:2 char:3",
		"err: +   Get-CsNothing -Identity x | Out-Null",
		"err: +   ~~~~~~~~~~~~~",
		"err:     + CategoryInfo          : ObjectNotFound: (Get-CsNothing:String) [], CommandNotFoundException",
		"err:     + FullyQualifiedErrorId : CommandNotFoundException",
		"out: after",
	})
}

func TestThrowAndExit(t *testing.T) {
	res := run(t, newFakeHost(), "'one'\nthrow \"pool $('x') missing\"\n'two'")
	equalLines(t, "throw", res.all, []string{
		"out: one",
		"err: pool x missing",
		"err: At line:2 char:1",
		"err: + throw \"pool $('x') missing\"",
		"err: + ~~~~~~~~~~~~~~~~~~~~~~~~~~~",
		"err:     + CategoryInfo          : OperationStopped: (pool x missing:String) [], RuntimeException",
		"err:     + FullyQualifiedErrorId : pool x missing",
	})
	if res.code != 1 {
		t.Errorf("exit %d", res.code)
	}
	for script, code := range map[string]int{"exit 3": 3, "'a'; exit": 0, "exit -1": -1, "foreach ($i in 1..5) { if ($i -eq 2) { exit 7 } }": 7,
		"Get-Nothing; exit 0": 0, "Get-Nothing": 1, "$false": 0, "throw": 1, "& { exit 4 }": 4, "return; 'x'": 0} {
		if res := run(t, newFakeHost(), script); res.code != code {
			t.Errorf("%q exited %d, want %d (%v)", script, res.code, code, res.all)
		}
	}
	res = run(t, newFakeHost(), "throw")
	if len(res.err) == 0 || res.err[0] != "ScriptHalted" {
		t.Errorf("bare throw: %v", res.all)
	}
}

func TestTryCatch(t *testing.T) {
	h := failingHost()
	got := outText(t, h, "try { throw 'boom' } catch { \"caught: $($_.Exception.Message)\" } finally { 'cleanup' }")
	if got != "caught: boom\ncleanup" {
		t.Errorf("throw: %q", got)
	}
	got = outText(t, h, "try { Set-Thing -Identity x -ErrorAction Stop; 'no' } catch { $_.FullyQualifiedErrorId }")
	if got != "PoolNotFound,Microsoft.Rtc.Management.SetThingCmdlet" {
		t.Errorf("escalated: %q", got)
	}
	got = outText(t, h, "try { Get-Nope } catch [System.Management.Automation.CommandNotFoundException] { 'nf' } catch { 'other' }")
	if got != "nf" {
		t.Errorf("typed catch: %q", got)
	}
	got = outText(t, h, "try { 1/0 } catch [System.IO.IOException] { 'io' } catch { \"$_\" }")
	if got != "Attempted to divide by zero." {
		t.Errorf("fallthrough catch: %q", got)
	}
	res := run(t, h, "try { Set-Thing -Identity x; 'continued' } catch { 'caught' }")
	if res.out[len(res.out)-1] != "continued" || len(res.err) != 6 {
		t.Errorf("non-terminating error must not be caught: %v", res.all)
	}
}

func TestRuntimeErrorIsStatementTerminating(t *testing.T) {
	res := run(t, newFakeHost(), "$x = $null\n$x.Trim()\n'next'")
	equalLines(t, "output", res.all, []string{
		"err: You cannot call a method on a null-valued expression.",
		"err: At line:2 char:1",
		"err: + $x.Trim()",
		"err: + ~~~~~~~~~",
		"err:     + CategoryInfo          : InvalidOperation: (:) [], RuntimeException",
		"err:     + FullyQualifiedErrorId : InvokeMethodOnNull",
		"out: next",
	})
	res = run(t, newFakeHost(), "1 + 'abc'")
	if res.code != 1 || res.err[0] != `Cannot convert value "abc" to type "System.Int32". Error: "Input string was not in a correct format."` {
		t.Errorf("conversion error: %v", res.all)
	}
	res = run(t, newFakeHost(), "$ErrorActionPreference = 'SilentlyContinue'\n$null.Foo()\n'quiet'")
	equalLines(t, "silent", res.all, []string{"out: quiet"})
}

func TestWriteError(t *testing.T) {
	res := run(t, newFakeHost(), "Write-Error 'disk full'\n'after'")
	equalLines(t, "output", res.all, []string{
		"err: Write-Error : disk full",
		"err: At line:1 char:1",
		"err: + Write-Error 'disk full'",
		"err: + ~~~~~~~~~~~~~~~~~~~~~~~",
		"err:     + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException",
		"err:     + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException",
		"out: after",
	})
	res = run(t, newFakeHost(), "Write-Error -Message 'x' -Category InvalidData -ErrorId Bad.Thing -ErrorAction Stop; 'no'")
	if res.code != 1 || len(res.out) != 0 ||
		res.err[4] != "    + CategoryInfo          : InvalidData: (:) [Write-Error], WriteErrorException" ||
		res.err[5] != "    + FullyQualifiedErrorId : Bad.Thing" {
		t.Errorf("Write-Error -ErrorAction Stop: %v", res.all)
	}
}

func TestParseErrorRunsNothing(t *testing.T) {
	h := newFakeHost()
	h.returns("Get-Thing", "x")
	res := run(t, h, "Get-Thing\nif ($x) {\n  'open'")
	equalLines(t, "output", res.all, []string{
		"err: At line:2 char:9",
		"err: + if ($x) {",
		"err: +         ~",
		"err: Missing closing '}' in statement block or type definition.",
		"err:     + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException",
		"err:     + FullyQualifiedErrorId : MissingEndCurlyBrace",
	})
	if res.code != 1 || len(h.calls) != 0 {
		t.Errorf("exit %d, calls %v", res.code, h.calls)
	}
}

func TestLongLinePositionIsTruncated(t *testing.T) {
	line := "Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers $null -Confirm:$false; Get-Nope -Verbose"
	res := run(t, newFakeHost().returns("Set-CsPersistentChatActiveServer"), line)
	equalLines(t, "position", res.err[1:4], []string{
		"At line:1 char:112",
		"+ ... contoso.local' -ActiveServers $null -Confirm:$false; Get-Nope -Verbos ...",
		"+                                                          ~~~~~~~~",
	})
	res = run(t, newFakeHost(), "Get-Nope "+strings.Repeat("-Name value ", 10))
	equalLines(t, "position at start", res.err[1:4], []string{
		"At line:1 char:1",
		"+ Get-Nope -Name value -Name value -Name value -Name value -Name value  ...",
		"+ ~~~~~~~~",
	})
}

func TestQuestionMarkAndErrorVariable(t *testing.T) {
	h := failingHost()
	got := outText(t, h, "Get-Thing | Out-Null; $?; Set-Thing -ea SilentlyContinue | Out-Null; $?; $Error[0].Exception.Message; $Error.Count")
	if got != "True\nFalse\nCannot find pool \"x\".\n1" {
		t.Errorf("got %q", got)
	}
}

func TestRedirections(t *testing.T) {
	h := failingHost()
	h.on("Warn-Thing", func(_ context.Context, _ []Param, _ []Value, st Streams) ([]Value, error) {
		st.Warning("careful")
		st.Verbose("detail")
		st.Host("hello host")
		return []Value{"result"}, nil
	})
	cases := map[string][]string{
		"Set-Thing 2>$null":              {"out: partial"},
		"Warn-Thing 3>$null 6>$null":     {"out: result"},
		"Warn-Thing > $null":             {"err: WARNING: careful", "out: hello host"},
		"Warn-Thing -Verbose *>$null":    nil,
		"Warn-Thing -Verbose 4>&1":       {"err: WARNING: careful", "out: hello host", "out: VERBOSE: detail", "out: result"},
		"$x = Warn-Thing 3>&1; $x.Count": {"out: hello host", "out: 2"},
		"Write-Warning 'w' 3>$null; 'x'": {"out: x"},
		"Write-Host 'h' 6>$null; 'x'":    {"out: x"},
	}
	for script, want := range cases {
		res := run(t, h, script)
		equalLines(t, script, res.all, want)
	}
	res := run(t, h, "$r = Set-Thing 2>&1; $r.Count; $r[0].FullyQualifiedErrorId; 'end'")
	equalLines(t, "2>&1 capture", res.all, []string{"out: 2", "out: PoolNotFound,Microsoft.Rtc.Management.SetThingCmdlet", "out: end"})
	res = run(t, h, "Set-Thing 2>&1")
	if len(res.err) != 0 || len(res.out) != 7 || res.out[0] != setThingRecord[0][5:] || res.out[6] != "partial" {
		t.Errorf("2>&1 to the console: %v", res.all)
	}
	if res := run(t, h, "Get-Thing > out.txt"); res.code != 1 || !strings.Contains(strings.Join(res.err, "\n"), "RedirectionNotSupported") {
		t.Errorf("file redirection: %v", res.all)
	}
}
