package lab

import (
	"strings"

	"pcfailback/config"
	"pcfailback/sim"
)

// TopologyFrom gives the simulator a configuration's names. The backup data center's Persistent Chat servers are
// not in the configuration (the failback only needs the primary ones), so the simulator invents two.
func TopologyFrom(c *config.Config) sim.Topology {
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
	t.LyncHost = strings.ToLower(c.Lync.FQDN)
	t.PoolFQDN = c.PoolFQDN
	t.PrimaryServers = append([]string(nil), c.PrimaryServers...)
	domain := c.PoolFQDN[strings.IndexByte(c.PoolFQDN, '.')+1:]
	t.BackupServers = []string{"pcbackup01." + domain, "pcbackup02." + domain}
	t.Share, t.CopyFolder, t.MirrorShare = c.Share, c.CopyFolder, c.MirrorShare
	t.ChatDB, t.ComplianceDB = c.Databases.Chat, c.Databases.Compliance
	return t
}
