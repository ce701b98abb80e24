package config

import "time"

// Defaults applied when the file leaves a key out.
const (
	DefaultRefreshInterval  = 5 * time.Second
	DefaultChatDatabase     = "mgc"
	DefaultComplianceDB     = "mgccomp"
	DefaultSQLPort          = 1433
	DefaultWinRMPort        = 5986
	DefaultOperationTimeout = 20 * time.Second
	DefaultScrollback       = 10000
	DefaultKrb5Config       = "/etc/krb5.conf"
)

// Config is a validated configuration with every default applied. It holds no secret.
type Config struct {
	// Path is the file the configuration came from.
	Path string
	// Environment names the estate; the header shows it so nobody confuses production with a lab.
	Environment string
	// ReadOnly makes the console a monitor: no step can run.
	ReadOnly bool
	// RefreshInterval is how often the health probes run.
	RefreshInterval time.Duration
	// PoolFQDN is the Persistent Chat pool's FQDN.
	PoolFQDN string
	// PoolIdentity is the -Identity given to the Persistent Chat cmdlets; empty means "use the one that
	// Get-CsPersistentChatState returns".
	PoolIdentity string
	// Share is the log-shipping share (UNC, no trailing backslash).
	Share string
	// CopyFolder is where the backup instance's copy job puts log backups (X:\... or UNC, no trailing backslash
	// except for a drive root such as D:\).
	CopyFolder string
	// MirrorShare is the file share Install-CsMirrorDatabase uses (UNC, no trailing backslash).
	MirrorShare string
	// PrimaryServers are the Persistent Chat servers of the primary data center, made active again at the end.
	PrimaryServers []string
	// TimeZone is the IANA zone name from the file, empty for the local zone.
	TimeZone string
	// Location is TimeZone loaded (time.Local when TimeZone is empty); timestamps are shown in it.
	Location *time.Location
	// Databases names the Persistent Chat databases.
	Databases Databases
	// Instances holds all four roles (validation guarantees it); Instance is the convenient accessor.
	Instances map[Role]Instance
	// Lync is where the Lync cmdlets run.
	Lync Lync
	// Auth holds every [auth.*] section by name, referenced or not.
	Auth map[string]Auth
	// Log configures the console's own logs.
	Log Log

	// logDirDefault is true when log.dir was left to its default.
	logDirDefault bool
	// lines maps field paths to their lines in the file so later checks (CheckFiles) can cite them.
	lines *positions
}

// Databases names the two Persistent Chat databases.
type Databases struct {
	// Chat is the Persistent Chat store (mgc by default).
	Chat string
	// Compliance is the compliance store (mgccomp by default).
	Compliance string
}

// Instance is one SQL Server instance of the estate.
type Instance struct {
	// Role is the part the instance plays.
	Role Role
	// Name is the display name used in confirmations (mgc@NAME). It defaults to the first label of Host in upper
	// case, followed by \INSTANCE for a named instance.
	Name string
	// Host is the server's host name or IP literal.
	Host string
	// Port is the TCP port; 0 means "ask SQL Browser", which only happens for a named instance without a port.
	Port int
	// InstanceName is the named instance, empty for the default instance.
	InstanceName string
	// Auth is the [auth.*] section the instance logs in with.
	Auth Auth
	// Encrypt is the TDS encryption mode.
	Encrypt Encrypt
	// TrustServerCertificate skips certificate verification (not possible under EncryptStrict).
	TrustServerCertificate bool
	// CAFile is a PEM bundle used instead of the system roots; empty for the system roots.
	CAFile string
	// SQLInstanceName is passed to Install-CsMirrorDatabase -SqlInstanceName; empty to leave it out.
	SQLInstanceName string
	// FQDN is the server's name in the Lync topology (Install-CsMirrorDatabase -SqlServerFqdn). It defaults to
	// Host; it differs when the console reaches the server through another address (a tunnel, the simulator).
	FQDN string
}

// Lync is the host where the Lync Server Management Shell cmdlets run over WinRM (HTTPS).
type Lync struct {
	// Host is the Front End or management server's host name or IP literal.
	Host string
	// Port is the WinRM HTTPS port.
	Port int
	// Auth is the [auth.*] section used for WinRM (ntlm or kerberos).
	Auth Auth
	// CAFile is a PEM bundle used instead of the system roots; empty for the system roots.
	CAFile string
	// OperationTimeout is the WS-Management OperationTimeout: how long the server may hold a Receive.
	OperationTimeout time.Duration
	// FQDN is the host's name in the Lync topology and in its WinRM certificate. It defaults to Host; it differs
	// when the console reaches the host through another address (a tunnel, the simulator).
	FQDN string
}

// Log configures the console's log files and log pane.
type Log struct {
	// Dir is where log files go.
	Dir string
	// Scrollback is how many lines the log pane keeps.
	Scrollback int
}

// Method is how an [auth.*] section authenticates.
type Method string

// The authentication methods.
const (
	// MethodSQL is a SQL Server login (user name without a domain).
	MethodSQL Method = "sql"
	// MethodNTLM is a Windows account given as DOMAIN\user.
	MethodNTLM Method = "ntlm"
	// MethodKerberos is a Windows account authenticated through Kerberos (password, credential cache or keytab).
	MethodKerberos Method = "kerberos"
	// MethodBasic is HTTP Basic authentication over HTTPS, for WinRM only: Windows allows it for local accounts
	// (and the training simulator's WinRM endpoint uses it).
	MethodBasic Method = "basic"
)

// Encrypt is the TDS encryption mode of a SQL Server connection.
type Encrypt string

// The encryption modes.
const (
	// EncryptTrue is full TLS after PRELOGIN (TDS 7.x); the certificate is checked.
	EncryptTrue Encrypt = "true"
	// EncryptStrict is TDS 8.0: TLS first (SQL Server 2022 and later); trust_server_certificate is not possible.
	EncryptStrict Encrypt = "strict"
	// EncryptFalse encrypts the login packet only.
	EncryptFalse Encrypt = "false"
	// EncryptDisable sends everything in clear text; it is refused outside training.
	EncryptDisable Encrypt = "disable"
)

// Options changes how a file is validated.
type Options struct {
	// Training accepts settings that are only fit for a lab, such as encrypt = "disable".
	Training bool
}

// Instance returns the instance that plays role r; the zero Instance when r is not a role.
func (c *Config) Instance(r Role) Instance {
	if c == nil {
		return Instance{}
	}
	return c.Instances[r]
}
