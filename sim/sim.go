package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"pcfailback/clock"
)

// Sim is a simulated Persistent Chat estate. It is safe for concurrent use: every SQL session and PowerShell run
// may call it from its own goroutine.
type Sim struct {
	mu   sync.Mutex
	opts Options
	topo Topology
	clk  clock.Clock
	rng  *rand.Rand

	// now is the time the estate has been brought up to (see advance).
	now time.Time

	insts []*instance // primary, primary mirror, backup, backup mirror
	fs    *fileSystem
	lync  *lyncState
	pcs   []*pcServer
	apps  []*appClient

	exec  []Execution
	texts map[string]string // interned Execution texts

	scenario scenarioDef
	// linkDropped records that the restore-connection-lost scenario has dropped its link (it drops once).
	linkDropped bool
	// lateWriteAt is when the backup-written-after-backup scenario's client writes (zero: not scheduled);
	// lateWritten records that it has.
	lateWriteAt time.Time
	lateWritten bool
}

// New builds the estate as the failover left it (procedure.md §1), then applies Options.Scenario.
func New(opts Options) (*Sim, error) {
	if opts.Clock == nil {
		return nil, errors.New("sim: Options.Clock is required")
	}
	opts = opts.withDefaults()
	if err := validateTopology(opts.Topology); err != nil {
		return nil, err
	}
	sc, ok := scenarioByName(opts.Scenario)
	if !ok {
		return nil, fmt.Errorf("sim: unknown scenario %q", opts.Scenario)
	}
	seed := uint64(opts.Seed)
	s := &Sim{
		opts:     opts,
		topo:     opts.Topology,
		clk:      opts.Clock,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		now:      opts.Clock.Now(),
		fs:       newFileSystem(),
		texts:    map[string]string{},
		scenario: sc,
	}
	s.buildEstate()
	if sc.apply != nil {
		sc.apply(s)
	}
	return s, nil
}

// validateTopology rejects topologies the estate cannot be built from.
func validateTopology(t Topology) error {
	seen := map[string]bool{}
	for _, spec := range []InstanceSpec{t.Primary, t.PrimaryMirror, t.Backup, t.BackupMirror} {
		if spec.Server == "" {
			return errors.New("sim: every instance needs a server name")
		}
		if seen[strings.ToLower(spec.Server)] {
			return fmt.Errorf("sim: duplicate server name %q", spec.Server)
		}
		seen[strings.ToLower(spec.Server)] = true
	}
	if len(t.PrimaryServers) == 0 || len(t.BackupServers) == 0 {
		return errors.New("sim: each data center needs at least one Persistent Chat server")
	}
	for _, p := range []string{t.Share, t.MirrorShare} {
		if !strings.HasPrefix(p, `\\`) || strings.Count(strings.Trim(p, `\`), `\`) < 1 {
			return fmt.Errorf("sim: %q is not a UNC share path", p)
		}
	}
	if len(t.CopyFolder) < 3 || t.CopyFolder[1] != ':' {
		return fmt.Errorf("sim: copy folder %q is not a local path", t.CopyFolder)
	}
	if t.PoolFQDN == "" || t.LyncHost == "" {
		return errors.New("sim: the pool FQDN and the Lync host are required")
	}
	return nil
}

// Topology returns the estate's topology (with defaults filled in).
func (s *Sim) Topology() Topology {
	t := s.topo
	t.PrimaryServers = append([]string(nil), t.PrimaryServers...)
	t.BackupServers = append([]string(nil), t.BackupServers...)
	return t
}

// instance finds an instance by server name or FQDN.
func (s *Sim) instance(name string) *instance {
	for _, in := range s.insts {
		if in.matches(name) {
			return in
		}
	}
	return nil
}

// instanceByRole returns the instance playing a topology role.
func (s *Sim) instanceByRole(role string) *instance {
	for _, in := range s.insts {
		if in.role == role {
			return in
		}
	}
	return nil
}

// partnerOf is the instance that mirrors in's databases in its data center (P↔PM, B↔BM).
func (s *Sim) partnerOf(in *instance) *instance {
	switch in.role {
	case rolePrimary:
		return s.instanceByRole(rolePrimaryMirror)
	case rolePrimaryMirror:
		return s.instanceByRole(rolePrimary)
	case roleBackup:
		return s.instanceByRole(roleBackupMirror)
	case roleBackupMirror:
		return s.instanceByRole(roleBackup)
	}
	return nil
}

// lock takes the estate lock and brings the estate up to the clock's time. Every entry point that reads or
// changes state goes through it.
func (s *Sim) lock() {
	s.mu.Lock()
	s.advance(s.clk.Now())
}

func (s *Sim) unlock() { s.mu.Unlock() }
