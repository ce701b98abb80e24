// Package estate connects the console to the servers it manages: the four SQL Server instances and the Lync host,
// with the names every script is built from. It always goes through the production runners (go-mssqldb, WinRM);
// in training the servers are the simulator's wire servers (package lab), reached through a configuration like
// any other.
package estate

import (
	"errors"
	"fmt"
	"io"

	"pcfailback/clock"
	"pcfailback/config"
	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/remote/mssql"
	"pcfailback/remote/winrm"
	"pcfailback/sim"
	"pcfailback/steps"
)

// Estate is what the console talks to.
type Estate struct {
	Names steps.Names
	SQL   map[probes.Role]remote.SQLConn
	PS    remote.PSRunner
	// Clock is the estate's time: simulated in training.
	Clock clock.Clock
	// Scale is simulated seconds per wall second (1 for real servers).
	Scale float64
	// Notices are standing warnings for the screen (a certificate that is not verified).
	Notices []string

	closers []io.Closer
}

// LiveOptions say how to reach the servers of a configuration.
type LiveOptions struct {
	// Passwords maps [auth.*] section names to their passwords (resolved before the console takes the terminal).
	Passwords map[string]string
	// ReadOnly logs in to SQL Server with read-only intent.
	ReadOnly bool
	// Clock is the estate's time (the wall clock when nil); Scale is simulated seconds per wall second when the
	// servers are the training simulator in this process (1 otherwise).
	Clock clock.Clock
	Scale float64
}

// Live connects to the servers a configuration names, through the production runners: go-mssqldb for each SQL
// Server instance, WinRM for the Lync host. Nothing touches the network until the first probe.
func Live(cfg *config.Config, o LiveOptions) (*Estate, error) {
	if o.Clock == nil {
		o.Clock = clock.Wall{}
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	e := &Estate{Clock: o.Clock, Scale: o.Scale, SQL: map[probes.Role]remote.SQLConn{}, Names: NamesFromConfig(cfg)}
	for _, r := range config.Roles() {
		in := cfg.Instance(r)
		opts := mssql.FromConfig(in, o.Passwords[in.Auth.Name], o.ReadOnly)
		opts.Clock = o.Clock
		conn, err := mssql.Open(opts)
		if err != nil {
			_ = e.Close()
			return nil, fmt.Errorf("instances.%s: %w", r, err)
		}
		e.SQL[probes.Role(r)] = conn
		e.closers = append(e.closers, conn)
		if in.TrustServerCertificate {
			e.Notices = append(e.Notices, fmt.Sprintf("%s: server certificate NOT verified (trust_server_certificate = true)", in.Name))
		}
	}
	ps, err := winrm.New(winrm.FromConfig(cfg.Lync, o.Passwords[cfg.Lync.Auth.Name]))
	if err != nil {
		_ = e.Close()
		return nil, fmt.Errorf("lync: %w", err)
	}
	e.PS = ps
	e.closers = append(e.closers, ps)
	return e, nil
}

// Close ends every connection the estate opened.
func (e *Estate) Close() error {
	var errs []error
	for _, c := range e.closers {
		errs = append(errs, c.Close())
	}
	e.closers = nil
	return errors.Join(errs...)
}

// NamesFromConfig gives the steps a configuration's names.
func NamesFromConfig(c *config.Config) steps.Names {
	n := steps.Names{
		Environment: c.Environment, ChatDB: c.Databases.Chat, ComplianceDB: c.Databases.Compliance,
		Instances: map[probes.Role]steps.InstanceNames{},
		LyncHost:  c.Lync.FQDN, PoolFQDN: c.PoolFQDN, PoolIdentity: c.PoolIdentity,
		Share: c.Share, CopyFolder: c.CopyFolder, MirrorShare: c.MirrorShare,
		PrimaryServers: append([]string(nil), c.PrimaryServers...),
	}
	for _, r := range config.Roles() {
		in := c.Instance(r)
		n.Instances[probes.Role(r)] = steps.InstanceNames{Name: in.Name, Host: in.FQDN, SQLInstance: in.SQLInstanceName}
	}
	return n
}

// Specs maps the probe roles to a topology's instances.
func Specs(t sim.Topology) map[probes.Role]sim.InstanceSpec {
	return map[probes.Role]sim.InstanceSpec{
		probes.Primary: t.Primary, probes.PrimaryMirror: t.PrimaryMirror,
		probes.Backup: t.Backup, probes.BackupMirror: t.BackupMirror,
	}
}

// NamesFrom gives the steps a simulated topology's names.
func NamesFrom(t sim.Topology, env string) steps.Names {
	inst := func(s sim.InstanceSpec) steps.InstanceNames { return steps.InstanceNames{Name: s.Server, Host: s.FQDN} }
	n := steps.Names{
		Environment: env, ChatDB: t.ChatDB, ComplianceDB: t.ComplianceDB,
		Instances: map[probes.Role]steps.InstanceNames{},
		LyncHost:  t.LyncHost, PoolFQDN: t.PoolFQDN, PoolIdentity: t.PoolIdentity,
		Share: t.Share, CopyFolder: t.CopyFolder, MirrorShare: t.MirrorShare,
		PrimaryServers: append([]string(nil), t.PrimaryServers...),
	}
	for r, spec := range Specs(t) {
		n.Instances[r] = inst(spec)
	}
	return n
}

// ProberConfig is how the console probes an estate: every instance by its configured name, and the Lync host.
func ProberConfig(n steps.Names, sql map[probes.Role]remote.SQLConn, ps remote.PSRunner, c clock.Clock) probes.Config {
	var targets []probes.SQLTarget
	for _, r := range probes.Roles() {
		targets = append(targets, probes.SQLTarget{Role: r, Name: n.Instance(r).Name, Host: n.Instance(r).Host, Conn: sql[r]})
	}
	return probes.Config{
		Names:    probes.Names{ChatDB: n.ChatDB, ComplianceDB: n.ComplianceDB, Share: n.Share},
		PoolFQDN: n.PoolFQDN, LyncHost: n.LyncHost, PS: ps, SQL: targets, Clock: c,
	}
}
