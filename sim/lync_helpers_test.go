package sim

import (
	"context"
	"testing"

	"pcfailback/pwsh"
)

// recStreams records what a cmdlet writes to its streams.
type recStreams struct{ verbose, warning, host []string }

func (r *recStreams) Verbose(s string) { r.verbose = append(r.verbose, s) }
func (r *recStreams) Warning(s string) { r.warning = append(r.warning, s) }
func (r *recStreams) Host(s string)    { r.host = append(r.host, s) }

// cmd invokes a cmdlet on the Lync host directly (the PowerShell interpreter's side of pwsh.Host).
func cmd(t testing.TB, s *Sim, name string, params ...pwsh.Param) ([]pwsh.Value, *recStreams, error) {
	t.Helper()
	h := &lyncHost{sim: s}
	st := &recStreams{}
	out, err := h.Invoke(context.Background(), name, params, nil, st)
	return out, st, err
}

// mustCmd invokes a cmdlet that must succeed.
func mustCmd(t testing.TB, s *Sim, name string, params ...pwsh.Param) ([]pwsh.Value, *recStreams) {
	t.Helper()
	out, st, err := cmd(t, s, name, params...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out, st
}

func np(name string, v pwsh.Value) pwsh.Param { return pwsh.Param{Name: name, Value: v} }
func swp(name string) pwsh.Param              { return pwsh.Param{Name: name, Value: true, Switch: true} }

// mustProp returns a property of an object.
func mustProp(t testing.TB, v pwsh.Value, name string) pwsh.Value {
	t.Helper()
	o, ok := v.(*pwsh.Object)
	if !ok {
		t.Fatalf("%T is not an object", v)
	}
	p, ok := o.Get(name)
	if !ok {
		t.Fatalf("no property %s in %v", name, o.Props)
	}
	return p
}
