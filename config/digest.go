package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// digestVersion starts the hashed text; change it whenever the canonical form changes so that old and new digests
// can never be confused.
const digestVersion = "pcfailback-config-v1\n"

// Digest returns the hex SHA-256 of the configuration's canonical content: every validated value with defaults
// applied, in a fixed order. Comments, layout, key order and the file's path do not change it; any value that
// changes what the console does does. The file holds no secret, so neither does the digest's input.
func (c *Config) Digest() string {
	if c == nil {
		return ""
	}
	b, err := json.Marshal(c.canonical())
	if err != nil {
		// Only plain strings, numbers and maps of them are marshalled; this cannot fail.
		return ""
	}
	sum := sha256.Sum256(append([]byte(digestVersion), b...))
	return hex.EncodeToString(sum[:])
}

// canonicalConfig is the hashed view of a Config. encoding/json writes struct fields in declaration order and map
// keys sorted, which makes the text canonical.
type canonicalConfig struct {
	Environment     string              `json:"environment"`
	ReadOnly        bool                `json:"read_only"`
	RefreshInterval time.Duration       `json:"refresh_interval_ns"`
	PoolFQDN        string              `json:"pool_fqdn"`
	PoolIdentity    string              `json:"pool_identity"`
	Share           string              `json:"share"`
	CopyFolder      string              `json:"copy_folder"`
	MirrorShare     string              `json:"mirror_share"`
	PrimaryServers  []string            `json:"primary_servers"`
	TimeZone        string              `json:"time_zone"`
	Databases       Databases           `json:"databases"`
	Instances       map[string]Instance `json:"instances"`
	Lync            Lync                `json:"lync"`
	Auth            map[string]Auth     `json:"auth"`
	Log             Log                 `json:"log"`
}

// canonical builds the hashed view.
func (c *Config) canonical() canonicalConfig {
	logs := c.Log
	if c.logDirDefault {
		// The default lies under the user's XDG_STATE_HOME; hashing it would make the same file digest
		// differently for each operator.
		logs.Dir = ""
	}
	in := make(map[string]Instance, len(c.Instances))
	for role, inst := range c.Instances {
		in[string(role)] = inst
	}
	return canonicalConfig{
		Environment: c.Environment, ReadOnly: c.ReadOnly, RefreshInterval: c.RefreshInterval,
		PoolFQDN: c.PoolFQDN, PoolIdentity: c.PoolIdentity, Share: c.Share, CopyFolder: c.CopyFolder,
		MirrorShare: c.MirrorShare, PrimaryServers: c.PrimaryServers, TimeZone: c.TimeZone,
		Databases: c.Databases, Instances: in, Lync: c.Lync, Auth: c.Auth, Log: logs,
	}
}
