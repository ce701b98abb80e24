package sim

import (
	"context"
	"fmt"
	"strings"

	"pcfailback/pwsh"
	"pcfailback/remote"
)

// PowerShell returns a runner for the Lync host (by FQDN or short name, case-insensitive), as a console reaches it
// in-process: a scenario's WinRM fault (Scenario.WinRM) fails its runs the way a WinRM client would see it.
func (s *Sim) PowerShell(host string) (remote.PSRunner, error) {
	if err := s.lyncHostNamed(host); err != nil {
		return nil, err
	}
	return &psRunner{sim: s, viaWinRM: true}, nil
}

// PowerShellHost returns the Lync host's shell itself, for a WinRM endpoint to serve (sim/wsman): no WinRM fault
// applies, because the endpoint in front of it produces them (wsman.Config.AccessDenied, Stall).
func (s *Sim) PowerShellHost(host string) (remote.PSRunner, error) {
	if err := s.lyncHostNamed(host); err != nil {
		return nil, err
	}
	return &psRunner{sim: s}, nil
}

// lyncHostNamed checks that host names the estate's Lync server.
func (s *Sim) lyncHostNamed(host string) error {
	h := strings.TrimSpace(host)
	if !strings.EqualFold(h, s.topo.LyncHost) && !strings.EqualFold(h, upperShort(s.topo.LyncHost)) {
		return fmt.Errorf("sim: no Lync server %q in the estate (the Lync host is %s)", host, s.topo.LyncHost)
	}
	return nil
}

// psRunner is remote.PSRunner for the Lync host. viaWinRM marks the in-process client view, which shows the
// scenario's WinRM faults.
type psRunner struct {
	sim      *Sim
	viaWinRM bool
}

// Run implements remote.PSRunner: the script runs in the PowerShell interpreter with the Lync cmdlets.
func (r *psRunner) Run(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
	s := r.sim
	if r.viaWinRM {
		if err := r.transportFault(ctx); err != nil {
			return -1, err
		}
	}
	s.lock()
	idx := s.record(Execution{At: s.now, Kind: ExecPowerShell, Target: s.topo.LyncHost, Login: s.topo.LyncAdmin, Text: script})
	s.unlock()
	if emit == nil {
		emit = func(remote.PSLine) {}
	}
	h := &lyncHost{sim: s}
	code, err := pwsh.Run(ctx, h, script, &lineOutput{sim: s, emit: emit})
	s.mu.Lock()
	s.exec[idx].Writes = h.wrote
	switch {
	case err != nil:
		s.exec[idx].Err = err.Error()
	case code != 0:
		s.exec[idx].Err = fmt.Sprintf("exit code %d", code)
	}
	s.mu.Unlock()
	return code, err
}

// lineOutput turns the interpreter's console lines into remote.PSLines stamped with simulated time.
type lineOutput struct {
	sim  *Sim
	emit func(remote.PSLine)
}

// Stdout implements pwsh.Output.
func (o *lineOutput) Stdout(line string) {
	o.emit(remote.PSLine{Stream: remote.Stdout, At: o.sim.clk.Now(), Text: line})
}

// Stderr implements pwsh.Output.
func (o *lineOutput) Stderr(line string) {
	o.emit(remote.PSLine{Stream: remote.Stderr, At: o.sim.clk.Now(), Text: line})
}
