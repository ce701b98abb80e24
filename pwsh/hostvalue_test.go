package pwsh

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type stringer struct{}

func (stringer) String() string { return "from Stringer" }

func TestHostValuesAreNormalised(t *testing.T) {
	cyclic := &Object{TypeName: "Loop"}
	cyclic.Props = []Prop{{"Self", cyclic}, {"Name", "loop"}}
	h := newFakeHost()
	h.returns("Get-Odd",
		int32(7), uint64(1<<63), float32(1.5), []string{"a", "b"}, map[string]any{"z": 1, "a": int16(2)},
		stringer{}, errors.New("an error value"), (*Object)(nil), (*Hashtable)(nil),
		&Hashtable{Keys: []string{"k1", "k2"}, Values: []Value{"v1"}}, &Enum{Name: "Normal"}, []Value{[]Value{"nested"}})
	h.returns("Get-Loop", cyclic)
	got := outText(t, h, "Get-Odd | ForEach-Object { \"$_\" }")
	want := "7\n9.22337203685478E+18\n1.5\na\nb\nSystem.Collections.Hashtable\nfrom Stringer\nan error value\n\n\n" +
		"System.Collections.Hashtable\nNormal\nnested"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := outText(t, h, "$m = Get-Odd | Where-Object { $_ -is [hashtable] }; $m[0].Keys -join ','; $m[1].k2 -eq $null"); got != "a,z\nTrue" {
		t.Errorf("hashtables: %q", got)
	}
	res := run(t, h, "$l = Get-Loop; $l.Name; $l.Self.Self.Name; $l | ConvertTo-Json -Depth 3 -Compress; \"$l\".Length -gt 0")
	if res.code != 0 || res.out[0] != "loop" || res.out[1] != "loop" || res.out[3] != "True" ||
		!strings.HasPrefix(res.out[2], `{"Self":{"Self":{"Self":{"Self":`) {
		t.Errorf("cyclic object: %v", res.all)
	}
}

func TestEnumValues(t *testing.T) {
	h := newFakeHost()
	h.returns("Get-State",
		&Object{Props: []Prop{{"Name", "b"}, {"State", Enum{Type: "PoolState", Name: "FailedOver", Value: 1}}}},
		&Object{Props: []Prop{{"Name", "a"}, {"State", Enum{Type: "PoolState", Name: "Normal", Value: 0}}}})
	cases := map[string]string{
		"(Get-State)[0].State -eq 'failedover'":                   "True",
		"(Get-State)[0].State -eq 1":                              "True",
		"(Get-State)[0].State -ne 'Normal'":                       "True",
		"(Get-State)[0].State -like 'Fail*'":                      "True",
		"(Get-State | Sort-Object State | % Name) -join ','":      "a,b",
		"(Get-State)[1].State.value__":                            "0",
		"(Get-State)[0].State.ToString()":                         "FailedOver",
		"[int](Get-State)[0].State":                               "1",
		"(Get-State)[0] | ConvertTo-Json -Compress":               `{"Name":"b","State":1}`,
		"(Get-State).State -join '/'":                             "FailedOver/Normal",
		"if ((Get-State)[1].State) { 'truthy' } else { 'falsy' }": "falsy",
	}
	for script, want := range cases {
		if got := outText(t, h, script); got != want {
			t.Errorf("%s: got %q, want %q", script, got, want)
		}
	}
}

func TestHostParamsBinding(t *testing.T) {
	h := newFakeHost()
	h.returns("Set-Thing")
	cases := map[string][]Param{
		"Set-Thing -Force server1": {{Name: "Force", Value: true, Switch: true}, {Value: "server1"}},
		"Set-Thing -Name -Force":   {{Name: "Name", Value: true, Switch: true}, {Name: "Force", Value: true, Switch: true}},
		"Set-Thing -Count 5 -Ratio 1.5 -Neg -3": {{Name: "Count", Value: int64(5)}, {Name: "Ratio", Value: 1.5},
			{Name: "Neg", Value: int64(-3)}},
		"Set-Thing -Identity:'x' -Verbose:$false": {{Name: "Identity", Value: "x", Switch: true},
			{Name: "Verbose", Value: false, Switch: true}},
		"$p = @{Identity='x'; Confirm=$false}; Set-Thing @p": {{Name: "Identity", Value: "x"},
			{Name: "Confirm", Value: false, Switch: true}},
		"$a = 'p1', 'p2'; Set-Thing @a":                            {{Value: "p1"}, {Value: "p2"}},
		"Set-Thing -- -NotAParameter":                              {{Value: "-NotAParameter"}},
		"Set-Thing \u2013Identity \u2018it\u2019\u2019s\u2019":     {{Name: "Identity", Value: "it\u2019s"}},
		"Set-Thing -Identity service:\"pchat.contoso.local\"":      {{Name: "Identity", Value: "service:pchat.contoso.local"}},
		"$d = 'C:\\dir'; Set-Thing -Path $d\\file.txt":             {{Name: "Path", Value: "C:\\dir\\file.txt"}},
		"Set-Thing -Block { 'x' } -Type [int]":                     {{Name: "Block", Value: " 'x' "}, {Name: "Type", Value: "[int]"}},
		"Set-Thing -Text @'\nline1\nline2\n'@":                     {{Name: "Text", Value: "line1\nline2"}},
		"Set-Thing -ErrorAction SilentlyContinue -WarningAction 0": nil,
		"Set-Thing a`tb `$x":                                       {{Value: "a\tb"}, {Value: "$x"}},
	}
	for script, want := range cases {
		if res := run(t, h, script); res.code != 0 {
			t.Errorf("%s: %v", script, res.all)
			continue
		}
		if got := h.lastCall(t).params; !paramsEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", script, got, want)
		}
	}
}

func TestHostMethodErrors(t *testing.T) {
	h := newFakeHost()
	h.returns("New-Object", &Object{TypeName: "System.__ComObject"})
	h.methods["getdrive"] = func(*Object, []Value) (Value, error) {
		return nil, &CmdletError{Message: "Device unavailable", ErrorID: "ComMethodTargetInvocation"}
	}
	res := run(t, h, "$fso = New-Object -ComObject Scripting.FileSystemObject\n$fso.GetDrive('\\\\nope\\share').AvailableSpace")
	equalLines(t, "record", res.err, []string{
		`Exception calling "GetDrive" with "1" argument(s): "Device unavailable"`,
		"At line:2 char:1",
		`+ $fso.GetDrive('\\nope\share').AvailableSpace`,
		"+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
		"    + CategoryInfo          : NotSpecified: (:) [], MethodInvocationException",
		"    + FullyQualifiedErrorId : ComMethodTargetInvocation",
	})
	h.methods["getdrive"] = func(*Object, []Value) (Value, error) { return nil, context.Canceled }
	if res := run(t, h, "(New-Object -ComObject X).GetDrive(1)"); res.code != 1 ||
		!strings.Contains(res.err[0], `"context canceled"`) {
		t.Errorf("plain error from a method: %v", res.all)
	}
}
