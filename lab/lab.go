package lab

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"pcfailback/clock"
	"pcfailback/config"
	"pcfailback/estate"
	"pcfailback/journal"
	"pcfailback/probes"
	"pcfailback/sim"
	"pcfailback/sim/certs"
	"pcfailback/sim/tds"
	"pcfailback/sim/wsman"
)

// Options configure a lab.
type Options struct {
	// Config, when set, gives the simulator this configuration's names (a rehearsal on the real names).
	Config *config.Config
	// Seed makes the simulator reproducible.
	Seed int64
	// Scale is simulated seconds per wall second (1 when 0).
	Scale float64
	// Scenario is a simulator fault scenario ("" is the normal estate).
	Scenario string
	// ChatDBSizeMB overrides the size of mgc.
	ChatDBSizeMB int64
	// Start is the simulated time at start; zero means now.
	Start time.Time
	// Dir is where the configuration, CA and password files are written; empty means a new temporary directory,
	// removed by Close.
	Dir string
	// Address is the loopback address the servers listen on; "127.0.0.1" when empty.
	Address string
	// Refresh is the probe interval written into the configuration; 2 s when 0.
	Refresh time.Duration
}

// Lab is a running simulator with its wire servers.
type Lab struct {
	// Sim is the simulated estate.
	Sim *sim.Sim
	// Clock is the simulator's time; a console in the same process uses it so simulated and console time agree.
	Clock clock.Clock
	// Scale is simulated seconds per wall second.
	Scale float64
	// Dir holds the files below; ConfigPath is the console configuration there.
	Dir, ConfigPath string
	// Environment is the name the configuration gives the estate.
	Environment string
	// SQL maps each role to its TDS server's address; WinRM is the WinRM endpoint's address.
	SQL   map[probes.Role]string
	WinRM string

	tds     map[probes.Role]*tds.Server
	wsman   *wsman.Server
	ownDir  bool
	wg      sync.WaitGroup
	closeMu sync.Mutex
	closed  bool
}

// The accounts the lab's servers accept: a SQL login on every instance and a local account for WinRM (Basic over
// HTTPS). Their passwords are random per lab and only ever written to owner-only files.
const (
	SQLLogin     = "pcfailback"
	WinRMAccount = "pcfailback"
)

// Start starts the simulator and its servers and writes the configuration. On error nothing is left running.
func Start(o Options) (*Lab, error) {
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.Start.IsZero() {
		o.Start = time.Now().Truncate(time.Second)
	}
	if o.Address == "" {
		o.Address = "127.0.0.1"
	}
	if o.Refresh <= 0 {
		o.Refresh = 2 * time.Second
	}
	topo, env := sim.DefaultTopology(), journal.TrainingEnvironment("")
	if o.Config != nil {
		topo, env = TopologyFrom(o.Config), journal.TrainingEnvironment(o.Config.Environment)
	}
	c := clock.NewScaled(o.Start, o.Scale)
	s, err := sim.New(sim.Options{Seed: o.Seed, Clock: c, Topology: topo, Scenario: o.Scenario, ChatDBSizeMB: o.ChatDBSizeMB})
	if err != nil {
		return nil, err
	}
	topo = s.Topology() // as the scenario left it (a pool identity that does not exist, a server moved)
	l := &Lab{Sim: s, Clock: c, Scale: o.Scale, Environment: env, SQL: map[probes.Role]string{}, tds: map[probes.Role]*tds.Server{}}
	if err := l.prepareDir(o.Dir); err != nil {
		return nil, err
	}
	if err := l.start(o, topo); err != nil {
		_ = l.Close()
		return nil, err
	}
	return l, nil
}

// prepareDir makes the directory the files go to (owner-only: it holds password files).
func (l *Lab) prepareDir(dir string) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "pcfailback-lab-")
		if err != nil {
			return fmt.Errorf("lab: %w", err)
		}
		l.Dir, l.ownDir = d, true
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("lab: directory %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("lab: directory %s: %w", dir, err)
	}
	l.Dir = dir
	return nil
}

// start issues the certificates, starts the servers and writes the files.
func (l *Lab) start(o Options, topo sim.Topology) error {
	ca, err := certs.NewCA("pcfailback training CA")
	if err != nil {
		return err
	}
	sqlPassword, err := randomPassword()
	if err != nil {
		return err
	}
	winrmPassword, err := randomPassword()
	if err != nil {
		return err
	}
	for role, spec := range estate.Specs(topo) {
		if err := l.startSQL(o.Address, role, spec, ca, sqlPassword); err != nil {
			return err
		}
	}
	if err := l.startWinRM(o, topo, ca, winrmPassword); err != nil {
		return err
	}
	files := files{
		ca:     filepath.Join(l.Dir, "ca.pem"),
		sqlPW:  filepath.Join(l.Dir, "sql.password"),
		lyncPW: filepath.Join(l.Dir, "winrm.password"),
	}
	for path, data := range map[string][]byte{files.ca: ca.PEM, files.sqlPW: []byte(sqlPassword), files.lyncPW: []byte(winrmPassword)} {
		if err := writePrivate(path, data); err != nil {
			return err
		}
	}
	l.ConfigPath = filepath.Join(l.Dir, "config.toml")
	data, err := configFile(l, o, topo, files)
	if err != nil {
		return err
	}
	return writePrivate(l.ConfigPath, data)
}

// startSQL serves one instance over TDS with a certificate naming its FQDN (the configuration reaches it by
// address and checks that name, as a console reaching a server through a tunnel does).
func (l *Lab) startSQL(addr string, role probes.Role, spec sim.InstanceSpec, ca *certs.CA, password string) error {
	backend, err := l.Sim.WireSQL(spec.Server)
	if err != nil {
		return err
	}
	cert, err := ca.Issue(spec.FQDN)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if err != nil {
		return fmt.Errorf("lab: listen for %s: %w", spec.Server, err)
	}
	srv := tds.NewServer(tds.Config{
		Backend: backend, ServerName: spec.Server, Users: map[string]string{SQLLogin: password},
		TLS: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	})
	l.tds[role], l.SQL[role] = srv, ln.Addr().String()
	l.serve(func() error { return srv.Serve(ln) })
	return nil
}

// startWinRM serves the simulated Lync host's shell over WS-Management on HTTPS.
func (l *Lab) startWinRM(o Options, topo sim.Topology, ca *certs.CA, password string) error {
	// The endpoint serves the shell itself and produces the scenario's WinRM fault on the wire, as Windows would.
	ps, err := l.Sim.PowerShellHost(topo.LyncHost)
	if err != nil {
		return err
	}
	cert, err := ca.Issue(topo.LyncHost)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(o.Address, "0"))
	if err != nil {
		return fmt.Errorf("lab: listen for WinRM: %w", err)
	}
	machine := strings.ToUpper(strings.SplitN(topo.LyncHost, ".", 2)[0])
	l.wsman = wsman.NewServer(wsman.Config{
		Runner: ps, User: WinRMAccount, Password: password, Machine: machine,
		AccessDenied: l.Sim.Scenario().WinRM == sim.WinRMDenied, Stall: l.Sim.Scenario().WinRM == sim.WinRMTimeout,
		TLS: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	})
	l.WinRM = ln.Addr().String()
	srv := l.wsman
	l.serve(func() error { return srv.Serve(ln) })
	return nil
}

// serve runs a server's accept loop until Close.
func (l *Lab) serve(run func() error) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		_ = run() // the servers return when their listener closes; Close reports nothing further
	}()
}

// Stats are what the SQL servers have done, per role: tests count round trips per refresh with them.
func (l *Lab) Stats() map[probes.Role]tds.Stats {
	out := map[probes.Role]tds.Stats{}
	for r, s := range l.tds {
		out[r] = s.Stats()
	}
	return out
}

// WinRMStats is what the WinRM endpoint has done.
func (l *Lab) WinRMStats() wsman.Stats {
	if l.wsman == nil {
		return wsman.Stats{}
	}
	return l.wsman.Stats()
}

// Close stops the servers (ending their connections) and removes a temporary directory.
func (l *Lab) Close() error {
	l.closeMu.Lock()
	defer l.closeMu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	var errs []error
	for _, s := range l.tds {
		errs = append(errs, s.Close())
	}
	if l.wsman != nil {
		errs = append(errs, l.wsman.Close())
	}
	l.wg.Wait()
	if l.ownDir {
		errs = append(errs, os.RemoveAll(l.Dir))
	}
	return errors.Join(errs...)
}
