package lab

import (
	"bytes"
	"fmt"
	"net"
	"strconv"

	"github.com/pelletier/go-toml/v2"

	"pcfailback/config"
	"pcfailback/estate"
	"pcfailback/sim"
)

// files are the paths the configuration refers to.
type files struct{ ca, sqlPW, lyncPW string }

// The configuration file's shape, in the order a reader expects; go-toml quotes every value, so names from a
// rehearsal configuration (backslashes, quotes) come through intact.
type fileConfig struct {
	Environment     string                  `toml:"environment"`
	RefreshInterval string                  `toml:"refresh_interval"`
	TimeZone        string                  `toml:"time_zone,omitempty"`
	PoolFQDN        string                  `toml:"pool_fqdn"`
	PoolIdentity    string                  `toml:"pool_identity,omitempty"`
	Share           string                  `toml:"share"`
	CopyFolder      string                  `toml:"copy_folder"`
	MirrorShare     string                  `toml:"mirror_share"`
	PrimaryServers  []string                `toml:"primary_servers"`
	Databases       fileDatabases           `toml:"databases"`
	Instances       map[string]fileInstance `toml:"instances"`
	Lync            fileLync                `toml:"lync"`
	Auth            map[string]fileAuth     `toml:"auth"`
}

type fileDatabases struct {
	Chat       string `toml:"chat"`
	Compliance string `toml:"compliance"`
}

type fileInstance struct {
	Name    string `toml:"name"`
	Host    string `toml:"host"`
	Port    int    `toml:"port"`
	FQDN    string `toml:"fqdn"`
	Auth    string `toml:"auth"`
	Encrypt string `toml:"encrypt"`
	CAFile  string `toml:"ca_file"`
}

type fileLync struct {
	Host   string `toml:"host"`
	Port   int    `toml:"port"`
	FQDN   string `toml:"fqdn"`
	Auth   string `toml:"auth"`
	CAFile string `toml:"ca_file"`
}

type fileAuth struct {
	Method       string `toml:"method"`
	User         string `toml:"user"`
	PasswordFile string `toml:"password_file"`
}

// header explains the file to a trainee who opens it.
const header = `# Console configuration for the pcfailback training simulator (written by the simulator; it is replaced
# each time the simulator starts, with new passwords). Every server listens on loopback and presents a
# certificate from the simulator's private CA (ca.pem), checked against the name in fqdn.
#
#   pcfailback --config ` + "<this file>" + `

`

// configFile renders the configuration that points a console at the lab's servers.
func configFile(l *Lab, o Options, topo sim.Topology, f files) ([]byte, error) {
	c := fileConfig{
		Environment: l.Environment, RefreshInterval: o.Refresh.String(),
		PoolFQDN: topo.PoolFQDN, Share: topo.Share, CopyFolder: topo.CopyFolder, MirrorShare: topo.MirrorShare,
		PrimaryServers: topo.PrimaryServers,
		Databases:      fileDatabases{Chat: topo.ChatDB, Compliance: topo.ComplianceDB},
		Instances:      map[string]fileInstance{},
		Auth: map[string]fileAuth{
			"sql":   {Method: string(config.MethodSQL), User: SQLLogin, PasswordFile: f.sqlPW},
			"winrm": {Method: string(config.MethodBasic), User: WinRMAccount, PasswordFile: f.lyncPW},
		},
	}
	c.PoolIdentity = topo.PoolIdentity
	if o.Config != nil {
		c.TimeZone = o.Config.TimeZone
		if o.Config.PoolIdentity != "" {
			c.PoolIdentity = o.Config.PoolIdentity
		}
	}
	specs := estate.Specs(topo)
	for role, addr := range l.SQL {
		host, port := split(addr)
		spec := specs[role]
		c.Instances[string(role)] /* probe roles are the configuration's section names */ = fileInstance{
			Name: spec.Server, Host: host, Port: port, FQDN: spec.FQDN, Auth: "sql",
			Encrypt: string(config.EncryptTrue), CAFile: f.ca,
		}
	}
	host, port := split(l.WinRM)
	c.Lync = fileLync{Host: host, Port: port, FQDN: topo.LyncHost, Auth: "winrm", CAFile: f.ca}
	var b bytes.Buffer
	b.WriteString(header)
	enc := toml.NewEncoder(&b)
	enc.SetIndentTables(false)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("lab: configuration: %w", err)
	}
	return b.Bytes(), nil
}

// split separates a listener address the lab made itself (always host:port).
func split(addr string) (string, int) {
	host, p, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(p)
	return host, port
}
