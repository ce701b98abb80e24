// Package estate connects the console to the servers it manages: the four SQL Server instances and the Lync host,
// with the names every script is built from. Training builds them on the simulator; the runners are the same
// interfaces the production SQL and WinRM runners implement.
package estate

import (
	"errors"
	"os"
	"os/user"
	"strings"
	"time"

	"pcfailback/clock"
	"pcfailback/config"
	"pcfailback/probes"
	"pcfailback/remote"
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
	// Sim is the simulator behind a training estate, nil otherwise.
	Sim *sim.Sim
}

// TrainingOptions configure a simulated estate.
type TrainingOptions struct {
	// Config, when set, gives the simulator this configuration's names (a rehearsal on the real names).
	Config   *config.Config
	Seed     int64
	Scale    float64
	Scenario string
	// Start is the simulated time at start; zero means now.
	Start time.Time
	// ChatDBSizeMB overrides the size of mgc (smaller makes BACKUP and RESTORE faster).
	ChatDBSizeMB int64
	// ReadOnly logs in with read-only intent, as read-only mode does against real servers.
	ReadOnly bool
}

// Training builds an estate on the simulator.
func Training(o TrainingOptions) (*Estate, error) {
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.Start.IsZero() {
		o.Start = time.Now().Truncate(time.Second)
	}
	topo := sim.DefaultTopology()
	env := "Contoso (training simulator)"
	if o.Config != nil {
		topo = topologyFrom(o.Config)
		env = o.Config.Environment + " (training simulator)"
	}
	c := clock.NewScaled(o.Start, o.Scale)
	s, err := sim.New(sim.Options{Seed: o.Seed, Clock: c, Topology: topo, Scenario: o.Scenario, ChatDBSizeMB: o.ChatDBSizeMB})
	if err != nil {
		return nil, err
	}
	login := sim.Login{User: operator(topo.Domain), App: "pcfailback", Workstation: workstation(), ReadOnlyIntent: o.ReadOnly}
	e := &Estate{Clock: c, Scale: o.Scale, Sim: s, SQL: map[probes.Role]remote.SQLConn{}}
	for role, spec := range Specs(topo) {
		conn, err := s.SQL(spec.Server, login)
		if err != nil {
			return nil, err
		}
		e.SQL[role] = conn
	}
	if e.PS, err = s.PowerShell(topo.LyncHost); err != nil {
		return nil, err
	}
	e.Names = NamesFrom(topo, env)
	if o.Config != nil {
		e.Names.PoolIdentity = o.Config.PoolIdentity
	}
	return e, nil
}

// Live would connect to real servers from a configuration.
func Live(cfg *config.Config) (*Estate, error) {
	return nil, errors.New("this build reaches SQL Server and the Lync host only through the simulator: " +
		"run with --sim to rehearse on this configuration's names")
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
		LyncHost:  t.LyncHost, PoolFQDN: t.PoolFQDN,
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

// topologyFrom gives the simulator a configuration's names. The backup data center's Persistent Chat servers are
// not in the configuration (the failback only needs the primary ones), so the simulator invents two.
func topologyFrom(c *config.Config) sim.Topology {
	t := sim.DefaultTopology()
	spec := func(r config.Role, def sim.InstanceSpec) sim.InstanceSpec {
		in := c.Instances[r]
		def.Server, def.FQDN = in.Name, strings.ToLower(in.FQDN)
		return def
	}
	t.Primary = spec(config.RolePrimary, t.Primary)
	t.PrimaryMirror = spec(config.RolePrimaryMirror, t.PrimaryMirror)
	t.Backup = spec(config.RoleBackup, t.Backup)
	t.BackupMirror = spec(config.RoleBackupMirror, t.BackupMirror)
	t.LyncHost = c.Lync.Host
	t.PoolFQDN = c.PoolFQDN
	t.PrimaryServers = append([]string(nil), c.PrimaryServers...)
	domain := c.PoolFQDN[strings.IndexByte(c.PoolFQDN, '.')+1:]
	t.BackupServers = []string{"pcbackup01." + domain, "pcbackup02." + domain}
	t.Share, t.CopyFolder, t.MirrorShare = c.Share, c.CopyFolder, c.MirrorShare
	t.ChatDB, t.ComplianceDB = c.Databases.Chat, c.Databases.Compliance
	return t
}

func operator(domain string) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return domain + `\` + u.Username
	}
	return domain + `\operator`
}

func workstation() string {
	if h, err := os.Hostname(); err == nil {
		if i := strings.IndexByte(h, '.'); i > 0 {
			h = h[:i]
		}
		return strings.ToUpper(h)
	}
	return "CONSOLE"
}
