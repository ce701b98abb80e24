package sim

import (
	"strings"
	"time"

	"pcfailback/clock"
)

// InstanceSpec names one SQL Server instance of the estate.
type InstanceSpec struct {
	// Server is @@SERVERNAME, e.g. "SQLPRIMARY" (a default instance, so also the machine name).
	Server string
	// FQDN is the host name clients and mirroring endpoints use, e.g. "sqlprimary.contoso.local".
	FQDN string
	// Version is SERVERPROPERTY('ProductVersion'); "" means "11.0.7001.0" (SQL Server 2012 SP4).
	Version string
	// EngineAccount runs the Database Engine service: it is the account that reads and writes backup files.
	EngineAccount string
	// AgentAccount runs SQL Server Agent: it is the account log-shipping copy jobs use on the share.
	AgentAccount string
}

// Topology describes the estate: the four instances, the Lync pool and the shares the procedure uses.
type Topology struct {
	Domain                                       string // NetBIOS domain name, "CONTOSO"
	Primary, PrimaryMirror, Backup, BackupMirror InstanceSpec
	LyncHost                                     string // FQDN the Lync cmdlets run on, "lyncfe01.contoso.local"
	LyncAdmin                                    string // account the cmdlets run as, "CONTOSO\lyncadmin"
	PoolFQDN                                     string // Persistent Chat pool, "pchat.contoso.local"
	// PoolIdentity is the pool identity a configuration names (pool_identity); "" names none, and the console
	// passes back what Get-CsPersistentChatState reports. The pool-identity-wrong scenario sets one that does
	// not exist, as a typo in the configuration would.
	PoolIdentity                  string
	PrimaryServers, BackupServers []string // Persistent Chat server FQDNs per data center
	Share                         string   // log-shipping share (UNC)
	CopyFolder                    string   // copy destination on the backup instance (local path)
	MirrorShare                   string   // file share Install-CsMirrorDatabase uses (UNC)
	ChatDB, ComplianceDB          string   // "mgc", "mgccomp"
}

// DefaultVersion is the product version of every instance unless a Topology says otherwise: SQL Server 2012 SP4.
const DefaultVersion = "11.0.7001.0"

// DefaultTopology returns the Contoso estate used by training mode and the tests.
func DefaultTopology() Topology {
	inst := func(server, short string) InstanceSpec {
		return InstanceSpec{
			Server:        server,
			FQDN:          strings.ToLower(server) + ".contoso.local",
			Version:       DefaultVersion,
			EngineAccount: `CONTOSO\svc-sql-` + short,
			AgentAccount:  `CONTOSO\svc-agt-` + short,
		}
	}
	return Topology{
		Domain:         "CONTOSO",
		Primary:        inst("SQLPRIMARY", "pri"),
		PrimaryMirror:  inst("SQLPRIMARY-MIR", "primir"),
		Backup:         inst("SQLBACKUP", "bak"),
		BackupMirror:   inst("SQLBACKUP-MIR", "bakmir"),
		LyncHost:       "lyncfe01.contoso.local",
		LyncAdmin:      `CONTOSO\lyncadmin`,
		PoolFQDN:       "pchat.contoso.local",
		PrimaryServers: []string{"pc01.contoso.local", "pc02.contoso.local"},
		BackupServers:  []string{"pc03.contoso.local", "pc04.contoso.local"},
		Share:          `\\fs01.contoso.local\pchatls`,
		CopyFolder:     `D:\LSCopy\mgc`,
		MirrorShare:    `\\fs01.contoso.local\csmirror`,
		ChatDB:         "mgc",
		ComplianceDB:   "mgccomp",
	}
}

// Options configures a simulator.
type Options struct {
	// Seed makes the run reproducible: GUIDs, LSNs and progress jitter come from it.
	Seed int64
	// Clock is the simulated time source; required. Tests use clock.NewVirtual.
	Clock clock.Clock
	// Topology is the estate; the zero value means DefaultTopology().
	Topology Topology
	// ChatDBSizeMB is the data in mgc in MB; 0 means 20480, which makes a backup take minutes at 120 MB/s.
	ChatDBSizeMB int64
	// ThroughputMBps is the BACKUP/RESTORE speed in MB/s; 0 means 120.
	ThroughputMBps float64
	// DrainAfter is how long a Persistent Chat server removed from the active list keeps its database sessions;
	// 0 means 2 minutes.
	DrainAfter time.Duration
	// Scenario names a fault scenario (see Scenarios); "" is the normal estate.
	Scenario string
}

// Login is who opens a SQL session and from where, as sys.dm_exec_sessions shows it.
type Login struct {
	User           string // login_name; "" means sa
	App            string // program_name
	Workstation    string // host_name
	ReadOnlyIntent bool   // ApplicationIntent=ReadOnly (accepted; the estate has no availability groups)
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.Topology.Primary.Server == "" {
		o.Topology = DefaultTopology()
	}
	for _, spec := range []*InstanceSpec{&o.Topology.Primary, &o.Topology.PrimaryMirror, &o.Topology.Backup, &o.Topology.BackupMirror} {
		if spec.Version == "" {
			spec.Version = DefaultVersion
		}
		if spec.FQDN == "" {
			spec.FQDN = strings.ToLower(spec.Server)
		}
	}
	if o.Topology.Domain == "" {
		o.Topology.Domain = "CONTOSO"
	}
	if o.Topology.LyncAdmin == "" {
		o.Topology.LyncAdmin = o.Topology.Domain + `\lyncadmin`
	}
	if o.Topology.ChatDB == "" {
		o.Topology.ChatDB = "mgc"
	}
	if o.Topology.ComplianceDB == "" {
		o.Topology.ComplianceDB = "mgccomp"
	}
	if o.ChatDBSizeMB <= 0 {
		o.ChatDBSizeMB = 20480
	}
	if o.ThroughputMBps <= 0 {
		o.ThroughputMBps = 120
	}
	if o.DrainAfter <= 0 {
		o.DrainAfter = 2 * time.Minute
	}
	return o
}
