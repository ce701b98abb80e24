package sim

import (
	"strings"
	"time"
)

// Scenario names a fault the estate can start with (Options.Scenario) and says what it does.
type Scenario struct {
	Name        string
	Description string
	// WinRM is the fault of the Lync host's WinRM endpoint: "" (none), WinRMDenied or WinRMTimeout. The
	// in-process PowerShell runner (Sim.PowerShell) fails as a WinRM client would; a network endpoint in front of
	// the simulator (sim/wsman) must be configured to refuse or stall (wsman.Config.AccessDenied, Stall).
	WinRM string
}

// WinRM faults of Scenario.WinRM.
const (
	// WinRMDenied: the endpoint authenticates the account, then answers every request "Access is denied."
	WinRMDenied = "denied"
	// WinRMTimeout: the endpoint accepts requests and never answers them.
	WinRMTimeout = "timeout"
)

// scenarioDef is a scenario with the changes it makes. Faults are data: an ACL, a volume's free space, a client
// that stays connected, mirroring left in place, an endpoint behind a firewall, a login that fails.
type scenarioDef struct {
	Scenario
	apply func(s *Sim)
	// damageBackups marks backup files written by the estate as corrupt (checked when a backup completes).
	damageBackups func(in *instance, dv *device) bool
	// dropRestoreLink drops the client's link half-way through the first RESTORE of the chat database on the
	// primary (linkdrop.go).
	dropRestoreLink bool
	// lateWrite has a client write to the backup's mgc after the failback backup (latewrite.go).
	lateWrite bool
}

// scenarioList is every fault scenario, in the order Scenarios lists them.
var scenarioList = []scenarioDef{
	{Scenario: Scenario{Name: "share-engine-denied",
		Description: "The backup instance's SQL Server service account can read but not write the log-shipping share: the failback backup (F3) fails with 3201, operating system error 5."},
		apply: func(s *Sim) {
			b := s.instanceByRole(roleBackup)
			s.setACL("", s.topo.Share, b.spec.EngineAccount, permRead)
		}},
	{Scenario: Scenario{Name: "sessions-on-primary",
		Description: "An application keeps two sessions in the rebuilt primary's mgc: RESTORE without SINGLE_USER ... ROLLBACK IMMEDIATE fails with 3101."},
		apply: func(s *Sim) {
			s.addApp(s.instanceByRole(rolePrimary), s.topo.ChatDB, 2, false)
		}},
	{Scenario: Scenario{Name: "primary-still-mirrored",
		Description: "Topology Builder re-created mirroring on the rebuilt primary: mgc there is mirrored to the primary mirror and RESTORE fails with 3104 until SET PARTNER OFF."},
		apply: func(s *Sim) {
			p, pm := s.instanceByRole(rolePrimary), s.instanceByRole(rolePrimaryMirror)
			d := p.db(s.topo.ChatDB)
			md := s.userDB(pm, d.name, d.created, d.usedDataPages()/128, d.logFile().sizePages/128, pchatData, pchatLog)
			md.guid, md.family, md.fork, md.firstFork = d.guid, d.family, d.fork, d.firstFork
			md.state = stateRestoring
			d.hasBase, d.lastFullPos, d.logChainStart = true, d.pos, d.pos
			pm.addDB(md)
			p.endpoint.exists, pm.endpoint.exists = true, true
			s.linkMirror(p, d, pm, md)
		}},
	{Scenario: Scenario{Name: "share-full",
		Description: "The log-shipping share has less free space than the mgc backup needs: the failback backup (F3) stops part-way with 3202 (112, not enough space) and 3013."},
		apply: func(s *Sim) {
			root := s.fs.folderAt("", s.topo.Share)
			b := s.instanceByRole(roleBackup)
			need := b.db(s.topo.ChatDB).usedDataPages() * bytesPerPage
			root.vol.free = need * 45 / 100
		}},
	{Scenario: Scenario{Name: "agent-share-denied",
		Description: "The backup instance's SQL Server Agent account cannot read the log-shipping share: after log shipping is configured, the copy job fails with access denied."},
		apply: func(s *Sim) {
			b := s.instanceByRole(roleBackup)
			s.setACL("", s.topo.Share, b.spec.AgentAccount, 0)
		}},
	{Scenario: Scenario{Name: "primary-agent-stopped",
		Description: "SQL Server Agent is stopped on the rebuilt primary: the log-shipping backup job never runs and sp_start_job fails."},
		apply: func(s *Sim) {
			p := s.instanceByRole(rolePrimary)
			p.agentRunning = false
			for _, ss := range append([]*session(nil), p.sessions...) {
				if ss.kind == kindAgent {
					p.removeSession(ss)
				}
			}
			p.rescheduleAll(s.now)
		}},
	{Scenario: Scenario{Name: "mirror-endpoint-blocked",
		Description: "A firewall blocks port 5022 on the primary mirror: Install-CsMirrorDatabase copies the database, then fails with 1418 when it sets the partner."},
		apply: func(s *Sim) {
			s.instanceByRole(rolePrimaryMirror).endpoint.reachable = false
		}},
	{Scenario: Scenario{Name: "damaged-backup",
		Description: "The file server corrupts the backup files the backup instance writes to the log-shipping share: RESTORE VERIFYONLY (F3b) reports 3189 and RESTORE fails with 3183."},
		damageBackups: func(in *instance, dv *device) bool {
			return in.role == roleBackup && strings.HasSuffix(strings.ToLower(dv.name), ".bak") && strings.HasPrefix(dv.folder.path, `\\`)
		}},
	{Scenario: Scenario{Name: "primary-older-version",
		Description: "The rebuilt primary was installed with SQL Server 2008 R2: restoring the 2012 backup fails with 3169."},
		apply: func(s *Sim) {
			p := s.instanceByRole(rolePrimary)
			p.spec.Version = "10.50.6000.34"
		}},
	{Scenario: Scenario{Name: "primary-login-denied",
		Description: "Logins other than sa fail on the rebuilt primary with 18456 (the DBA group's login was not re-created)."},
		apply: func(s *Sim) {
			s.instanceByRole(rolePrimary).deniedLogins["*"] = true
		}},
	{Scenario: Scenario{Name: "pool-identity-prefix",
		Description: "The pool only answers to PersistentChatServer:<fqdn>; the documented service:<fqdn> identity does not exist."},
		apply: func(s *Sim) {
			s.lync.prefixes = []string{"PersistentChatServer:"}
			s.lync.identity = "PersistentChatServer:" + s.topo.PoolFQDN
		}},
	{Scenario: Scenario{Name: "job-owner-unresolvable",
		Description: "SQL Server Agent on the rebuilt primary cannot query Active Directory: jobs owned by a domain login (the DBA who ran the log-shipping procedures) fail with 15404 until their owner is changed to sa."},
		apply: func(s *Sim) {
			s.instanceByRole(rolePrimary).ownerLookupFails = true
		}},
	{Scenario: Scenario{Name: "single-user-stolen",
		Description: "An application reconnects to the primary's mgc within seconds and takes the only session of a SINGLE_USER database: RESTORE still fails with 3101."},
		apply: func(s *Sim) {
			a := s.addApp(s.instanceByRole(rolePrimary), s.topo.ChatDB, 1, true)
			a.retry = 3 * time.Second
		}},
}

// Scenarios lists the fault scenarios Options.Scenario accepts ("" is the normal estate).
func Scenarios() []Scenario {
	out := make([]Scenario, len(scenarioList))
	for i, sc := range scenarioList {
		out[i] = sc.Scenario
	}
	return out
}

func scenarioByName(name string) (scenarioDef, bool) {
	if strings.TrimSpace(name) == "" {
		return scenarioDef{}, true
	}
	for _, sc := range scenarioList {
		if strings.EqualFold(sc.Name, strings.TrimSpace(name)) {
			return sc, true
		}
	}
	return scenarioDef{}, false
}

// setACL gives account exactly p on a folder (UNC when machine is "").
func (s *Sim) setACL(machine, dir, account string, p perm) {
	f := s.fs.folderAt(machine, dir)
	if f == nil {
		return
	}
	if f.acl == nil {
		f.acl = map[string]perm{}
	}
	if p == 0 {
		delete(f.acl, strings.ToLower(account))
		return
	}
	f.acl[strings.ToLower(account)] = p
}

// addApp connects an application that keeps want sessions in a database.
func (s *Sim) addApp(in *instance, db string, want int, grabs bool) *appClient {
	a := &appClient{inst: in, db: db, want: want, login: s.topo.Domain + `\jdoe`,
		app: "Microsoft SQL Server Management Studio - Query", host: "ADMIN-PC07", retry: 20 * time.Second,
		grabsSingleUser: grabs}
	s.apps = append(s.apps, a)
	s.appPoll(a)
	return a
}
