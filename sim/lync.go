package sim

import (
	"context"
	"errors"
	"strings"
	"time"

	"pcfailback/pwsh"
)

// Pool states of Set-CsPersistentChatState.
const (
	poolNormal     = "Normal"
	poolFailedOver = "FailedOver"
)

// maxActiveServers is how many Persistent Chat servers a pool may have active.
const maxActiveServers = 4

// lyncState is the Lync side of the estate: the Persistent Chat pool's state and active server list.
type lyncState struct {
	poolState string
	active    map[string]bool // lower-case FQDN -> active
	// identity is what Get-CsPersistentChatState returns; prefixes are the identity forms cmdlets accept.
	identity string
	prefixes []string
	siteID   string
}

// poolServers lists the pool's Persistent Chat servers in topology order (primary data center first).
func (s *Sim) poolServers() []string {
	return append(append([]string(nil), s.topo.PrimaryServers...), s.topo.BackupServers...)
}

// inPool finds a server of the pool by FQDN (case-insensitive) and returns its canonical spelling.
func (s *Sim) inPool(fqdn string) (string, bool) {
	for _, x := range s.poolServers() {
		if strings.EqualFold(x, strings.TrimSpace(fqdn)) {
			return x, true
		}
	}
	return "", false
}

// matchIdentity says id designates the pool: "service:<fqdn>", "PersistentChatServer:<fqdn>" (and "global" where
// allowGlobal), case-insensitive.
func (s *Sim) matchIdentity(id string, allowGlobal bool) bool {
	id = strings.TrimSpace(id)
	if allowGlobal && strings.EqualFold(id, "global") {
		return true
	}
	for _, p := range s.lync.prefixes {
		if strings.EqualFold(id, p+s.topo.PoolFQDN) {
			return true
		}
	}
	return false
}

// lyncHost is the pwsh.Host of one PowerShell run on the Lync server: the Lync Server Management Shell cmdlets
// plus the few Windows commands the console uses.
type lyncHost struct {
	sim   *Sim
	wrote bool // a cmdlet that changes state ran (Executed.Writes)
}

var _ pwsh.Host = (*lyncHost)(nil)

// Now implements pwsh.Host.
func (h *lyncHost) Now() time.Time { return h.sim.clk.Now() }

// Sleep implements pwsh.Host (Start-Sleep).
func (h *lyncHost) Sleep(ctx context.Context, d time.Duration) error { return h.sim.clk.Sleep(ctx, d) }

// Invoke implements pwsh.Host: it runs one cmdlet.
func (h *lyncHost) Invoke(ctx context.Context, name string, params []pwsh.Param, input []pwsh.Value, streams pwsh.Streams) ([]pwsh.Value, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c := cmdlets[strings.ToLower(strings.TrimSpace(name))]
	if c == nil {
		return nil, pwsh.ErrUnknownCommand
	}
	b, err := bindCmdlet(c, params)
	if err != nil {
		return nil, err
	}
	if streams == nil {
		streams = discardStreams{}
	}
	call := &cmdletCall{ctx: ctx, h: h, s: h.sim, c: c, b: b, input: input, streams: streams}
	if c.write && !b.whatIf {
		h.wrote = true
	}
	if c.write && b.whatIf {
		target := call.whatIfTarget()
		streams.Host("What if: Performing the operation \"" + c.name + "\" on target \"" + target + "\".")
		return nil, nil
	}
	return c.run(call)
}

// discardStreams drops stream writes when the interpreter passes none.
type discardStreams struct{}

func (discardStreams) Verbose(string) {}
func (discardStreams) Warning(string) {}
func (discardStreams) Host(string)    {}

// errNotComObject is returned for methods called on objects the simulator did not create.
var errNotComObject = errors.New("method invocation on an object the Lync host did not return")

// CallMethod implements pwsh.Host for the objects the simulator returns (Scripting.FileSystemObject).
func (h *lyncHost) CallMethod(ctx context.Context, obj *pwsh.Object, method string, args []pwsh.Value) (pwsh.Value, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if obj == nil || obj.TypeName != fsoTypeName {
		return nil, &pwsh.CmdletError{Cmdlet: method, Category: "InvalidOperation", ErrorID: "MethodNotFound",
			Message: "Method invocation failed because [" + typeNameOf(obj) + "] does not contain a method named '" + method + "'."}
	}
	return h.sim.fsoMethod(method, args)
}

func typeNameOf(obj *pwsh.Object) string {
	if obj == nil {
		return "System.Object"
	}
	return obj.TypeName
}
