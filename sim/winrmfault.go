package sim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pcfailback/remote"
)

// The WinRM faults of the winrm-denied and winrm-timeout scenarios, as the in-process PowerShell runner shows them.
// Between the console and a real Lync host sits WinRM; in-process there is none, so the runner fails the way the
// production WinRM runner (remote/winrm) reports the same endpoint behaviour, and no script reaches the host. A
// network endpoint in front of the simulator (sim/wsman) produces the faults itself instead.

// winrmPort is WinRM's HTTPS port, where the console's runner connects by default.
const winrmPort = 5986

// winrmClientWait is how long the production runner waits for the answer to a request before it gives up: twice
// its default OperationTimeout (20 s) plus 30 s.
const winrmClientWait = 70 * time.Second

// Scenario returns the fault scenario the estate was built with (the zero Scenario for the normal estate).
func (s *Sim) Scenario() Scenario { return s.scenario.Scenario }

// transportFault returns the error a WinRM client gets from the scenario's endpoint, nil when it has no fault.
func (r *psRunner) transportFault(ctx context.Context) error {
	s := r.sim
	host, user := s.topo.LyncHost, s.topo.LyncAdmin
	url := fmt.Sprintf("https://%s:%d/wsman", host, winrmPort)
	switch s.scenario.WinRM {
	case WinRMDenied:
		return fmt.Errorf("winrm %s: %w for %s: the WinRM service authenticated the account but refused it "+
			"(\"Access is denied.\", WSManFault code 5); make %s a member of the local Administrators or Remote "+
			"Management Users group on %s (or give it access to the Microsoft.PowerShell session configuration)",
			url, remote.ErrAccessDenied, user, user, host)
	case WinRMTimeout:
		start := s.clk.Now()
		if err := s.clk.Sleep(ctx, winrmClientWait); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		waited := s.clk.Now().Sub(start).Round(time.Second)
		return fmt.Errorf("winrm %s: %w: the endpoint accepted the connection but did not answer the request to "+
			"open a shell (Create) within %v; check the WinRM service on %s (Restart-Service WinRM) and anything "+
			"between the console and port %d that holds connections open", url, remote.ErrTimeout, waited,
			host, winrmPort)
	}
	return nil
}
