package sim

import "strings"

// The fault scenarios added for issue 4 (operator safety): a connection lost in the middle of the restore, WinRM
// refusing or never answering, a pool identity that does not exist, a configured active server in the wrong data
// center, and a write to the backup's mgc after the failback backup. They are listed after the first ones.
func init() {
	scenarioList = append(scenarioList, moreScenarios...)
}

var moreScenarios = []scenarioDef{
	{Scenario: Scenario{Name: "restore-connection-lost",
		Description: "The network link to the rebuilt primary drops half-way through F4's RESTORE: the session ends, the restore is aborted and mgc stays RESTORING (SINGLE_USER) with no restore recorded until F4 runs again."},
		dropRestoreLink: true},
	{Scenario: Scenario{Name: "winrm-denied", WinRM: WinRMDenied,
		Description: "The Lync host's WinRM service authenticates the console's account but refuses it (\"Access is denied.\", WSManFault code 5): the pool cannot be probed and F1, F5a and F6 cannot run."}},
	{Scenario: Scenario{Name: "winrm-timeout", WinRM: WinRMTimeout,
		Description: "The Lync host's WinRM endpoint accepts requests and never answers them: the runner gives up after its time limit, so the pool cannot be probed and the PowerShell steps fail."}},
	{Scenario: Scenario{Name: "pool-identity-wrong",
		Description: "The configuration's pool identity names a Persistent Chat server instead of the pool (service:<server fqdn>): Get-CsPersistentChatState -Identity with it fails, and F0 flags it before F1."},
		apply: func(s *Sim) {
			s.topo.PoolIdentity = "service:" + s.topo.PrimaryServers[0]
		}},
	{Scenario: Scenario{Name: "active-server-wrong-dc",
		Description: "One of the servers the configuration lists as the primary data center's Persistent Chat servers sits in the backup data center: it was activated at the failover and serves from the backup instance; F0 and F6b refuse it."},
		apply: func(s *Sim) {
			s.moveToBackupDC(s.topo.PrimaryServers[len(s.topo.PrimaryServers)-1])
		}},
	{Scenario: Scenario{Name: "backup-written-after-backup",
		Description: "Two minutes after the failback backup (F3), a chat bot that talks to mgc on the backup instance directly posts messages there: F4 is blocked until the backup is taken again."},
		lateWrite: true},
}

// moveToBackupDC makes a server of the pool one of the backup data center's: the failover (its step 7) activated
// it with the other backup servers, and it has been serving from the backup instance since. The configuration
// (Topology().PrimaryServers) still lists it with the primary data center's servers, which is the fault.
func (s *Sim) moveToBackupDC(fqdn string) {
	for _, pc := range s.pcs {
		if !strings.EqualFold(pc.fqdn, fqdn) {
			continue
		}
		pc.dc = roleBackup
		s.lync.active[strings.ToLower(pc.fqdn)] = true
		s.pcPoll(pc)
	}
}

// DataCenter says which data center a Persistent Chat server of the pool sits in ("primary" or "backup"), ""
// when fqdn is not one of the pool's servers. It is the simulator's ground truth, which the configuration may
// get wrong.
func (s *Sim) DataCenter(fqdn string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, pc := range s.pcs {
		if strings.EqualFold(pc.fqdn, fqdn) {
			if pc.dc == roleBackup {
				return "backup"
			}
			return "primary"
		}
	}
	return ""
}
