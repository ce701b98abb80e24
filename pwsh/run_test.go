package pwsh

import (
	"context"
	"strings"
	"testing"
)

// The console's own scripts, run end to end against a fake Lync host.

func TestConsoleProbeScript(t *testing.T) {
	script := "$ErrorActionPreference = 'Stop'\n" +
		"Import-Module Lync\n" +
		"Get-CsPersistentChatState | ForEach-Object { \"state`t$($_.Identity)`t$($_.PoolState)\" }\n" +
		"Get-CsService -PersistentChatServer | ForEach-Object { \"service`t$($_.Identity)`t$($_.PoolFqdn)`t$($_.ActiveServers -join ',')`t$($_.InactiveServers -join ',')\" }\n"
	h := lyncHost()
	res := run(t, h, script)
	equalLines(t, "probe output", res.all, []string{
		"out: state\tservice:pchat.contoso.local\tFailedOver",
		"out: service\tPersistentChatServer:pchat.contoso.local\tpchat.contoso.local\tpc03.contoso.local,pc04.contoso.local\tpc01.contoso.local,pc02.contoso.local",
	})
	if res.code != 0 {
		t.Errorf("exit code %d", res.code)
	}
	call := h.calls[len(h.calls)-1]
	if call.name != "Get-CsService" || len(call.params) != 1 || call.params[0] != (Param{Name: "PersistentChatServer", Value: true, Switch: true}) {
		t.Errorf("Get-CsService called with %#v", call.params)
	}
}

func TestConsoleChangeScript(t *testing.T) {
	h := lyncHost()
	var order []string
	record := func(name string) cmdFunc {
		return func(_ context.Context, params []Param, _ []Value, st Streams) ([]Value, error) {
			order = append(order, name)
			if name == "Install-CsMirrorDatabase" {
				st.Verbose("Creating backup of database mgc")
				st.Verbose("Restoring database mgc on sqlprimary-mir")
			}
			return nil, nil
		}
	}
	for _, n := range []string{"Set-CsPersistentChatActiveServer", "Set-CsPersistentChatState",
		"Install-CsMirrorDatabase", "Invoke-CsDatabaseFailover"} {
		h.on(n, record(n))
	}
	var calls []invocationRecord
	script := `$ErrorActionPreference = 'Stop'
Import-Module Lync
Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers $null -Confirm:$false
Set-CsPersistentChatState -Identity "service:pchat.contoso.local" -PoolState Normal -Confirm:$false
Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers @{Replace='pc01.contoso.local','pc02.contoso.local'} -Confirm:$false
Install-CsMirrorDatabase -SqlServerFqdn 'sqlprimary.contoso.local' -DatabaseType PersistentChat -FileShare '\\fs01.contoso.local\csmirror' -DropExistingDatabasesOnMirror -Verbose -Confirm:$false
Invoke-CsDatabaseFailover -PoolFqdn 'pchat.contoso.local' -DatabaseType PersistentChat -NewPrincipal Mirror -Confirm:$false
`
	res := run(t, h, script)
	if res.code != 0 {
		t.Fatalf("exit %d: %v", res.code, res.all)
	}
	equalLines(t, "output", res.all, []string{
		"err: VERBOSE: Creating backup of database mgc",
		"err: VERBOSE: Restoring database mgc on sqlprimary-mir",
	})
	calls = h.calls
	want := map[int][]Param{
		1: {{Name: "Identity", Value: "service:pchat.contoso.local"}, {Name: "ActiveServers", Value: nil},
			{Name: "Confirm", Value: false, Switch: true}},
		2: {{Name: "Identity", Value: "service:pchat.contoso.local"}, {Name: "PoolState", Value: "Normal"},
			{Name: "Confirm", Value: false, Switch: true}},
		4: {{Name: "SqlServerFqdn", Value: "sqlprimary.contoso.local"}, {Name: "DatabaseType", Value: "PersistentChat"},
			{Name: "FileShare", Value: `\\fs01.contoso.local\csmirror`},
			{Name: "DropExistingDatabasesOnMirror", Value: true, Switch: true},
			{Name: "Verbose", Value: true, Switch: true}, {Name: "Confirm", Value: false, Switch: true}},
		5: {{Name: "PoolFqdn", Value: "pchat.contoso.local"}, {Name: "DatabaseType", Value: "PersistentChat"},
			{Name: "NewPrincipal", Value: "Mirror"}, {Name: "Confirm", Value: false, Switch: true}},
	}
	for i, ps := range want {
		if got := calls[i].params; !paramsEqual(got, ps) {
			t.Errorf("call %d (%s) params:\n got %#v\nwant %#v", i, calls[i].name, got, ps)
		}
	}
	replace := calls[3].params[1]
	h3, ok := replace.Value.(*Hashtable)
	if replace.Name != "ActiveServers" || !ok || len(h3.Keys) != 1 || h3.Keys[0] != "Replace" {
		t.Fatalf("ActiveServers = %#v", replace)
	}
	list, ok := h3.Values[0].([]Value)
	if !ok || len(list) != 2 || list[0] != "pc01.contoso.local" || list[1] != "pc02.contoso.local" {
		t.Errorf("Replace = %#v", h3.Values[0])
	}
}

func paramsEqual(a, b []Param) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWhereObjectOnPoolState(t *testing.T) {
	h := lyncHost()
	got := outText(t, h, `Get-CsPersistentChatState | Where-Object {$_.PoolState -eq "FailedOver"}`)
	want := "\nIdentity                    PoolState\n--------                    ---------\nservice:pchat.contoso.local FailedOver\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := outText(t, h, `Get-CsPersistentChatState | Where-Object {$_.PoolState -eq "Normal"}`); got != "" {
		t.Errorf("Normal filter printed %q", got)
	}
	if got := outText(t, h, `Get-CsPersistentChatState | Where-Object PoolState -eq failedover | ForEach-Object Identity`); got != "service:pchat.contoso.local" {
		t.Errorf("simplified Where-Object printed %q", got)
	}
}

func TestSelectToJSON(t *testing.T) {
	h := lyncHost()
	got := outText(t, h, `Get-CsPersistentChatState -Identity 'service:pchat.contoso.local' | Select-Object Identity,PoolState | ConvertTo-Json -Compress`)
	if want := `{"Identity":"service:pchat.contoso.local","PoolState":1}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if p := h.lastCall(t).params; len(p) != 1 || p[0] != (Param{Name: "Identity", Value: "service:pchat.contoso.local"}) {
		t.Errorf("params %#v", p)
	}
}

func TestComObjectMethod(t *testing.T) {
	h := newFakeHost()
	fso := &Object{TypeName: "System.__ComObject#{Scripting.FileSystemObject}"}
	h.on("New-Object", func(_ context.Context, params []Param, _ []Value, _ Streams) ([]Value, error) {
		if len(params) != 1 || params[0].Name != "ComObject" || params[0].Value != "Scripting.FileSystemObject" {
			return nil, &CmdletError{Cmdlet: "New-Object", Message: "bad params"}
		}
		return []Value{fso}, nil
	})
	var gotObj *Object
	var gotArgs []Value
	h.methods["getdrive"] = func(obj *Object, args []Value) (Value, error) {
		gotObj, gotArgs = obj, args
		return &Object{TypeName: "Drive", Props: []Prop{{"Path", args[0]}, {"AvailableSpace", int64(214748364800)}}}, nil
	}
	got := outText(t, h, `(New-Object -ComObject Scripting.FileSystemObject).GetDrive('\\fs01.contoso.local\pchatls').AvailableSpace`)
	if got != "214748364800" {
		t.Errorf("printed %q", got)
	}
	if gotObj != fso {
		t.Errorf("CallMethod got %p, want the host's own object %p", gotObj, fso)
	}
	if len(gotArgs) != 1 || gotArgs[0] != `\\fs01.contoso.local\pchatls` {
		t.Errorf("args %#v", gotArgs)
	}
	res := run(t, h, `(New-Object -ComObject Scripting.FileSystemObject).NoSuchMethod()`)
	if res.code != 1 || len(res.err) == 0 || !strings.Contains(res.err[0], "does not contain a method named 'NoSuchMethod'") {
		t.Errorf("unknown method: %v", res.all)
	}
}

func TestScriptCannotChangeHostObjects(t *testing.T) {
	h := newFakeHost()
	obj := &Object{Props: []Prop{{"PoolState", "Normal"}}, TypeName: "T"}
	list := []Value{"a"}
	obj.Props = append(obj.Props, Prop{"List", list})
	h.returns("Get-Thing", obj)
	outText(t, h, `$o = Get-Thing; $o.PoolState = 'FailedOver'; $o.List[0] = 'changed'`)
	if obj.Props[0].Value != "Normal" || list[0] != "a" {
		t.Errorf("host object changed: %#v %#v", obj.Props, list)
	}
}

func TestPipelineInputReachesHost(t *testing.T) {
	h := lyncHost()
	var input []Value
	h.on("Set-CsPersistentChatState", func(_ context.Context, _ []Param, in []Value, _ Streams) ([]Value, error) {
		input = in
		return nil, nil
	})
	outText(t, h, `Get-CsPersistentChatState | Set-CsPersistentChatState -PoolState Normal`)
	if len(input) != 1 {
		t.Fatalf("input %#v", input)
	}
	o, ok := input[0].(*Object)
	if !ok || o.TypeName != "Microsoft.Rtc.Management.PersistentChat.PoolStateInfo" {
		t.Errorf("input[0] = %#v", input[0])
	}
	outText(t, h, `Set-CsPersistentChatState -PoolState Normal`)
	if input != nil {
		t.Errorf("first command in a pipeline got input %#v", input)
	}
}

func TestNilHostAndNilOutput(t *testing.T) {
	code, err := Run(context.Background(), nil, "Get-Thing", nil)
	if err != nil || code != 1 {
		t.Errorf("Run with no host = %d, %v", code, err)
	}
	code, err = Run(context.Background(), nil, "'fine'", nil)
	if err != nil || code != 0 {
		t.Errorf("Run with no output = %d, %v", code, err)
	}
}

func TestWindowsLineEndingsAndByteOrderMark(t *testing.T) {
	h := lyncHost()
	script := "\ufeff$ErrorActionPreference = 'Stop'\r\nImport-Module Lync\r\n" +
		"Get-CsPersistentChatState `\r\n  | ForEach-Object { @\"\r\n$($_.PoolState)\r\n\"@ }\r\n" +
		"if ($true)\r\n{\r\n  'yes'\r\n}\r\nelse { 'no' }\r\n"
	if got := outText(t, h, script); got != "FailedOver\nyes" {
		t.Errorf("got %q", got)
	}
	res := run(t, h, "'a'\r\n\r\nGet-Nope\r\n")
	if len(res.err) < 3 || res.err[1] != "At line:3 char:1" || res.err[2] != "+ Get-Nope" {
		t.Errorf("position with CRLF: %v", res.err)
	}
}
