package pwsh

import (
	"context"
	"strings"
	"testing"
)

func TestOutDefaultScalars(t *testing.T) {
	got := outText(t, newFakeHost(), "'text'; 42; 1.5; $true; $null; @(); \"two`nlines\"; [pscustomobject]@{}")
	if want := "text\n42\n1.5\nTrue\ntwo\nlines"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestOutDefaultTable(t *testing.T) {
	script := "[pscustomobject]@{Name='pc01.contoso.local'; Sessions=3; Active=$true}\n" +
		"[pscustomobject]@{Name='pc02'; Sessions=12; Active=$false}"
	want := []string{"",
		"Name               Sessions Active",
		"----               -------- ------",
		"pc01.contoso.local        3 True",
		"pc02                     12 False",
		""}
	equalLines(t, "table", run(t, newFakeHost(), script).out, want)
}

func TestOutDefaultListForManyProperties(t *testing.T) {
	script := "[pscustomobject]@{Identity='service:pchat'; PoolFqdn='pchat'; SiteId=1; Active=@('a','b'); Inactive=@()}"
	want := []string{"",
		"Identity : service:pchat",
		"PoolFqdn : pchat",
		"SiteId   : 1",
		"Active   : {a, b}",
		"Inactive : {}",
		""}
	equalLines(t, "list", run(t, newFakeHost(), script).out, want)
	script = "1..2 | ForEach-Object { [pscustomobject]@{A=$_; B=2; C=3; D=4; E=@(1,2,3,4,5,6)} }"
	want = []string{"", "A : 1", "B : 2", "C : 3", "D : 4", "E : {1, 2, 3, 4...}",
		"", "A : 2", "B : 2", "C : 3", "D : 4", "E : {1, 2, 3, 4...}", ""}
	equalLines(t, "two lists", run(t, newFakeHost(), script).out, want)
}

func TestOutDefaultGroupsByShape(t *testing.T) {
	script := "[pscustomobject]@{a=1}; [pscustomobject]@{a=22}; 'between'; [pscustomobject]@{b='x'}"
	want := []string{"", " a", " -", " 1", "22", "", "between", "", "b", "-", "x", ""}
	equalLines(t, "groups", run(t, newFakeHost(), script).out, want)
}

func TestOutDefaultHashtable(t *testing.T) {
	want := []string{"",
		"Name                           Value",
		"----                           -----",
		"Replace                        {pc01, pc02}",
		"averyveryveryverylongkeynam... 1",
		""}
	got := run(t, newFakeHost(), "@{Replace='pc01','pc02'; averyveryveryverylongkeynameindeed=1}").out
	equalLines(t, "hashtable", got, want)
	got = run(t, newFakeHost(), "@{b=2; a=1}.GetEnumerator() | Sort-Object Name").out
	equalLines(t, "entries", got, []string{"", "Name                           Value", "----                           -----",
		"a                              1", "b                              2", ""})
}

func TestOutDefaultDate(t *testing.T) {
	equalLines(t, "date", run(t, newFakeHost(), "Get-Date").out, []string{"", "Monday, May 6, 2024 2:03:04 PM", ""})
}

func TestTableRowsStreamAroundHostCalls(t *testing.T) {
	h := newFakeHost()
	h.on("Slow-Thing", func(_ context.Context, _ []Param, _ []Value, st Streams) ([]Value, error) {
		st.Verbose("working")
		return []Value{&Object{Props: []Prop{{"N", int64(2)}}}}, nil
	})
	res := run(t, h, "[pscustomobject]@{N=1}; Slow-Thing -Verbose; [pscustomobject]@{N=300}")
	equalLines(t, "interleaving", res.all, []string{
		"out: ", "out: N", "out: -", "out: 1",
		"err: VERBOSE: working",
		"out: 2", "out: 300", "out: "})
}

func TestFormatCommands(t *testing.T) {
	h := lyncHost()
	got := run(t, h, "Get-CsService | Format-Table Identity, @{n='Count'; e={$_.ActiveServers.Count}} -AutoSize").out
	equalLines(t, "Format-Table", got, []string{"",
		"Identity                                 Count",
		"--------                                 -----",
		"PersistentChatServer:pchat.contoso.local     2",
		""})
	got = run(t, h, "Get-CsPersistentChatState | Format-List *").out
	equalLines(t, "Format-List", got, []string{"", "Identity  : service:pchat.contoso.local", "PoolState : FailedOver", ""})
	got = run(t, h, "Get-CsPersistentChatState | fl PoolState").out
	equalLines(t, "fl alias", got, []string{"", "PoolState : FailedOver", ""})
	s := outText(t, h, "$s = Get-CsPersistentChatState | Out-String; $s.Length; $s.StartsWith(\"`r`nIdentity\")")
	if s != "122\nTrue" {
		t.Errorf("Out-String: %q", s)
	}
	s = outText(t, h, "(Get-CsPersistentChatState | Out-String -Stream).Count")
	if s != "5" {
		t.Errorf("Out-String -Stream: %q", s)
	}
	if s := outText(t, h, "Get-CsService | Out-Null; 'x' | Out-Null"); s != "" {
		t.Errorf("Out-Null printed %q", s)
	}
}

func TestConvertToJSON(t *testing.T) {
	cases := map[string]string{
		"[pscustomobject]@{a=1; b='x'} | ConvertTo-Json -Compress":  `{"a":1,"b":"x"}`,
		"1,2 | ConvertTo-Json -Compress":                            `[1,2]`,
		"ConvertTo-Json @(1) -Compress":                             `[1]`,
		"'<a & b''s>' | ConvertTo-Json":                             `"\u003ca \u0026 b\u0027s\u003e"`,
		"\"q`\"b\\`n`t\" | ConvertTo-Json":                          `"q\"b\\\n\t"`,
		"$null, 'x' | ConvertTo-Json":                               `"x"`,
		"@{a=$null; b=$true; c=1.5} | ConvertTo-Json -Compress":     `{"a":null,"b":true,"c":1.5}`,
		"Get-Date | ConvertTo-Json":                                 `"\/Date(1715004184000)\/"`,
		"@{a=@{b=@{c=@{d=1}}}} | ConvertTo-Json -Compress":          `{"a":{"b":{"c":"System.Collections.Hashtable"}}}`,
		"@{a=@{b=@{c=@{d=1}}}} | ConvertTo-Json -Compress -Depth 5": `{"a":{"b":{"c":{"d":1}}}}`,
		"[pscustomobject]@{a=[pscustomobject]@{b=[pscustomobject]@{c=[pscustomobject]@{d=1}}}} | ConvertTo-Json -Compress": `{"a":{"b":{"c":"@{d=1}"}}}`,
		"@() | ConvertTo-Json": "",
	}
	for script, want := range cases {
		if got := outText(t, newFakeHost(), script); got != want {
			t.Errorf("%s\n got %s\nwant %s", script, got, want)
		}
	}
	got := run(t, lyncHost(), "Get-CsService | ConvertTo-Json").out
	equalLines(t, "pretty", got, []string{
		"{",
		`    "Identity":  "PersistentChatServer:pchat.contoso.local",`,
		`    "PoolFqdn":  "pchat.contoso.local",`,
		`    "ActiveServers":  [`,
		`                          "pc03.contoso.local",`,
		`                          "pc04.contoso.local"`,
		`                      ],`,
		`    "InactiveServers":  [`,
		`                            "pc01.contoso.local",`,
		`                            "pc02.contoso.local"`,
		`                        ]`,
		"}",
	})
	got = run(t, newFakeHost(), "@(@{a=1}, @()) | ConvertTo-Json").out
	equalLines(t, "array of objects", got, []string{"[", "    {", `        "a":  1`, "    },", "    [", "", "    ]", "]"})
	res := run(t, newFakeHost(), "1 | ConvertTo-Json -Depth 101")
	if res.code != 1 || !strings.Contains(res.err[0], "The maximum depth allowed for serialization is 100.") {
		t.Errorf("depth 101: %v", res.all)
	}
}
