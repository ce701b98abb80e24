package pwsh

import (
	"strings"
	"testing"
	"time"
)

var builtinCases = map[string]string{
	// Select-Object.
	"1..5 | Select-Object -First 2":                                "1\n2",
	"1..5 | Select-Object -Last 2":                                 "4\n5",
	"1..5 | Select-Object -Skip 3":                                 "4\n5",
	"1..5 | select -Index 0,4":                                     "1\n5",
	"'b','a','b' | Select-Object -Unique":                          "b\na",
	"[pscustomobject]@{a=1;b=2} | Select-Object -ExpandProperty b": "2",
	"[pscustomobject]@{a=1,2} | Select-Object -ExpandProperty a | Measure-Object | ForEach-Object Count":                                         "2",
	"([pscustomobject]@{a=1;b=2;c=3} | Select-Object * -ExcludeProperty b).psobject":                                                             "",
	"([pscustomobject]@{a=1;b=2;c=3} | Select-Object * -ExcludeProperty b | ConvertTo-Json -Compress)":                                           `{"a":1,"c":3}`,
	"[pscustomobject]@{Name='x'} | Select-Object @{Name='Upper';Expression={$_.Name.ToUpper()}}, @{l='Len';e='Name'} | ConvertTo-Json -Compress": `{"Upper":"X","Len":"x"}`,
	"[pscustomobject]@{a=1} | Select-Object a, missing | ConvertTo-Json -Compress":                                                               `{"a":1,"missing":null}`,
	"[pscustomobject]@{Alpha=1; Beta=2} | Select-Object al* | ConvertTo-Json -Compress":                                                          `{"Alpha":1}`,
	"'abc' | Select-Object Length | ForEach-Object Length":                                                                                       "3",
	// Where-Object.
	"1..6 | Where-Object { $_ % 2 -eq 0 }":                                                         "2\n4\n6",
	"1..6 | ? { $_ -gt 4 }":                                                                        "5\n6",
	"'a','bb','ccc' | Where-Object Length -ge 2":                                                   "bb\nccc",
	"'a','bb','ccc' | Where-Object -Property Length -EQ -Value 1":                                  "a",
	"'x','Y' | Where-Object { $_ } | Where-Object { $_ -cmatch '[A-Z]' }":                          "Y",
	"[pscustomobject]@{n='x';on=$true},[pscustomobject]@{n='y';on=$false} | Where-Object on | % n": "x",
	"'a','b' | Where-Object { $_ -in 'b','c' }":                                                    "b",
	"'pc1','pc2' | Where-Object { $_ -like '*2' }":                                                 "pc2",
	"'pc1','pc2' | Where-Object -Property Length -CEQ 3 | Measure-Object | % Count":                "2",
	// ForEach-Object.
	"1..3 | ForEach-Object { $_ * 2 }":                       "2\n4\n6",
	"1..2 | % -Begin { 'b' } -Process { $_ } -End { 'e' }":   "b\n1\n2\ne",
	"1..2 | % { 'b' } { $_ } { 'e' }":                        "b\n1\n2\ne",
	"'a','b' | ForEach-Object ToUpper":                       "A\nB",
	"ForEach-Object { 'once' }":                              "once",
	"$sum = 0; 1..4 | ForEach-Object { $sum += $_ }; $sum":   "10",
	"1..3 | ForEach-Object { if ($_ -eq 2) { return }; $_ }": "1\n3",
	// Sort-Object.
	"3,1,2 | Sort-Object":               "1\n2\n3",
	"3,1,2 | Sort-Object -Descending":   "3\n2\n1",
	"'b','A','c' | sort":                "A\nb\nc",
	"'b','a','B' | Sort-Object -Unique": "a\nb",
	"10,9,100 | Sort-Object":            "9\n10\n100",
	"'10','9','100' | Sort-Object":      "10\n100\n9",
	"[pscustomobject]@{n='b';v=1},[pscustomobject]@{n='a';v=2} | Sort-Object n | % v":              "2\n1",
	"[pscustomobject]@{n='b';v=1},[pscustomobject]@{n='a';v=2} | Sort-Object { $_.v } -Desc | % n": "a\nb",
	"'aa','b','ccc' | Sort-Object @{e={$_.Length}; Descending=$true}":                              "ccc\naa\nb",
	"$null, 2, 1 | Sort-Object | ForEach-Object { \"[$_]\" }":                                      "[]\n[1]\n[2]",
	// Measure-Object.
	"(1..4 | Measure-Object).Count":                                                   "4",
	"(1..4 | Measure-Object -Sum -Average -Maximum -Minimum).Average":                 "2.5",
	"(1..4 | Measure-Object -Sum).Sum":                                                "10",
	"([pscustomobject]@{s=5},[pscustomobject]@{s=7} | Measure-Object s -Max).Maximum": "7",
	"(@() | Measure-Object).Count":                                                    "0",
	// Write-*.
	"Write-Output 1 2 3": "1\n2\n3",
	"Write-Output @(1,2) -NoEnumerate | Measure-Object | % Count": "1",
	"'p' | Write-Output":                          "p",
	"Write-Host a b -Separator ','":               "a,b",
	"Write-Host 'one','two'":                      "one two",
	"Write-Host -Object 5 -ForegroundColor Green": "5",
	"Write-Host":                                  "",
	"Write-Verbose 'hidden'":                      "",
	"Write-Debug 'hidden'":                        "",
	// Get-Date, Start-Sleep, New-Object.
	"(Get-Date).Year": "2024",
	"(Get-Date -Date '2020-02-29').AddYears(1).ToString('yyyy-MM-dd')": "2021-02-28",
	"(Get-Date).AddMonths(-3).ToString('MMM')":                         "Feb",
	"Get-Date -Year 2001 -Format yyyy":                                 "2001",
	"(Get-Date).ToString('dddd d MMMM yy h:mm tt')":                    "Monday 6 May 24 2:03 PM",
	"(Get-Date).ToString('s')":                                         "2024-05-06T14:03:04",
	"(Get-Date).ToString('o')":                                         "2024-05-06T14:03:04.0000000Z",
	"Start-Sleep -Seconds 2; 'slept'":                                  "slept",
	"(New-Object -TypeName PSObject -Property @{a=1}).a":               "1",
	"(New-Object hashtable).Count":                                     "0",
}

func TestBuiltins(t *testing.T) {
	for script, want := range builtinCases {
		h := newFakeHost()
		res := run(t, h, script)
		got := strings.Join(res.out, "\n")
		if got != want || len(res.err) > 0 || res.code != 0 {
			t.Errorf("%s\n got: %q (exit %d) %v\nwant: %q", script, got, res.code, res.err, want)
		}
	}
}

func TestStartSleepUsesHostTime(t *testing.T) {
	h := newFakeHost()
	outText(t, h, "Start-Sleep 3; Start-Sleep -Milliseconds 250; sleep -s 1.5")
	want := []time.Duration{3 * time.Second, 250 * time.Millisecond, 2 * time.Second}
	if len(h.slept) != 3 || h.slept[0] != want[0] || h.slept[1] != want[1] || h.slept[2] != want[2] {
		t.Errorf("slept %v, want %v", h.slept, want)
	}
	if res := run(t, h, "Start-Sleep -Seconds soon"); res.code != 1 || !strings.Contains(res.err[0], "Cannot bind parameter 'Seconds'") {
		t.Errorf("bad seconds: %v", res.all)
	}
}

func TestParameterBindingErrors(t *testing.T) {
	cases := map[string]string{
		"Select-Object -Frist 1":                   "Select-Object : A parameter cannot be found that matches parameter name 'Frist'.",
		"1 | Select-Object -First":                 "Select-Object : Missing an argument for parameter 'First'. Specify a parameter of type 'System.Int32' and try again.",
		"Sort-Object -D":                           "Sort-Object : Parameter cannot be processed because the parameter name 'D' is ambiguous. Possible matches include: -Descending -Debug.",
		"Write-Output 1 -NoEnumerate -NoEnumerate": "Write-Output : Cannot bind parameter because parameter 'NoEnumerate' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\".",
		"Get-Date a b":                             "Get-Date : A positional parameter cannot be found that accepts argument 'b'.",
		"Where-Object":                             "Where-Object : Missing an argument for parameter 'FilterScript'. Specify a parameter of type 'System.Management.Automation.ScriptBlock' and try again.",
		"select -First 1 -ErrorAction":             "select : Missing an argument for parameter 'ErrorAction'. Specify a parameter of type 'System.Management.Automation.ActionPreference' and try again.",
	}
	for script, want := range cases {
		res := run(t, newFakeHost(), script)
		if res.code != 1 || len(res.err) == 0 || res.err[0] != want {
			t.Errorf("%s:\n got %v\nwant %s", script, res.err, want)
		}
	}
	res := run(t, newFakeHost(), "Select-Object -Frist 1")
	equalLines(t, "record", res.err, []string{
		"Select-Object : A parameter cannot be found that matches parameter name 'Frist'.",
		"At line:1 char:15",
		"+ Select-Object -Frist 1",
		"+               ~~~~~~",
		"    + CategoryInfo          : InvalidArgument: (:) [Select-Object], ParameterBindingException",
		"    + FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.PowerShell.Commands.SelectObjectCommand",
	})
}

func TestAliasesAndModuleQualifiedNames(t *testing.T) {
	h := lyncHost()
	if got := outText(t, h, "Lync\\Get-CsPersistentChatState | Microsoft.PowerShell.Utility\\Select-Object -ExpandProperty Identity"); got != "service:pchat.contoso.local" {
		t.Errorf("got %q", got)
	}
	if name := h.lastCall(t).name; name != "Get-CsPersistentChatState" {
		t.Errorf("host saw %q", name)
	}
	outText(t, h, "ipmo Lync")
	if name := h.lastCall(t).name; name != "Import-Module" {
		t.Errorf("alias reached the host as %q", name)
	}
	res := run(t, h, "Import-Module NoSuchModule")
	if res.code != 1 || !strings.HasPrefix(res.err[0], "Import-Module : The specified module was not loaded") {
		t.Errorf("module error: %v", res.all)
	}
}
