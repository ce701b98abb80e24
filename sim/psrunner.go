package sim

import (
	"context"
	"fmt"
	"strings"

	"pcfailback/pwsh"
	"pcfailback/remote"
)

// PowerShell returns a runner for the Lync host (by FQDN or short name, case-insensitive).
func (s *Sim) PowerShell(host string) (remote.PSRunner, error) {
	h := strings.TrimSpace(host)
	if !strings.EqualFold(h, s.topo.LyncHost) && !strings.EqualFold(h, upperShort(s.topo.LyncHost)) {
		return nil, fmt.Errorf("sim: no Lync server %q in the estate (the Lync host is %s)", host, s.topo.LyncHost)
	}
	return &psRunner{sim: s}, nil
}

// psRunner is remote.PSRunner for the Lync host.
type psRunner struct{ sim *Sim }

// Run implements remote.PSRunner: the script runs in the PowerShell interpreter with the Lync cmdlets.
func (r *psRunner) Run(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
	s := r.sim
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
