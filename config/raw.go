package config

// The raw* types mirror the file's layout for the strict TOML decoder. Every leaf is `any` on purpose: the decoder
// then never fails on a wrong type (it would stop at the first one), so the typed reading in fields.go can report
// all type errors at once, each with its line. Unknown keys are still caught by the decoder because tables are
// structs.

// rawConfig is the top level of the file.
type rawConfig struct {
	Environment     any                 `toml:"environment"`
	ReadOnly        any                 `toml:"read_only"`
	RefreshInterval any                 `toml:"refresh_interval"`
	PoolFQDN        any                 `toml:"pool_fqdn"`
	PoolIdentity    any                 `toml:"pool_identity"`
	Share           any                 `toml:"share"`
	CopyFolder      any                 `toml:"copy_folder"`
	MirrorShare     any                 `toml:"mirror_share"`
	PrimaryServers  any                 `toml:"primary_servers"`
	TimeZone        any                 `toml:"time_zone"`
	Databases       *rawDatabases       `toml:"databases"`
	Instances       *rawInstances       `toml:"instances"`
	Lync            *rawLync            `toml:"lync"`
	Auth            map[string]*rawAuth `toml:"auth"`
	Log             *rawLog             `toml:"log"`
}

// rawDatabases is [databases].
type rawDatabases struct {
	Chat       any `toml:"chat"`
	Compliance any `toml:"compliance"`
}

// rawInstances is [instances]; one field per role so that a misspelt role is an unknown key.
type rawInstances struct {
	Primary       *rawInstance `toml:"primary"`
	PrimaryMirror *rawInstance `toml:"primary_mirror"`
	Backup        *rawInstance `toml:"backup"`
	BackupMirror  *rawInstance `toml:"backup_mirror"`
}

// rawInstance is [instances.<role>].
type rawInstance struct {
	Name                   any `toml:"name"`
	Host                   any `toml:"host"`
	Port                   any `toml:"port"`
	Instance               any `toml:"instance"`
	Auth                   any `toml:"auth"`
	Encrypt                any `toml:"encrypt"`
	TrustServerCertificate any `toml:"trust_server_certificate"`
	CAFile                 any `toml:"ca_file"`
	SQLInstanceName        any `toml:"sql_instance_name"`
	FQDN                   any `toml:"fqdn"`
}

// rawLync is [lync].
type rawLync struct {
	Host             any `toml:"host"`
	Port             any `toml:"port"`
	Auth             any `toml:"auth"`
	CAFile           any `toml:"ca_file"`
	OperationTimeout any `toml:"operation_timeout"`
	FQDN             any `toml:"fqdn"`
}

// rawAuth is [auth.<name>]. There is deliberately no password field.
type rawAuth struct {
	Method         any `toml:"method"`
	User           any `toml:"user"`
	PasswordEnv    any `toml:"password_env"`
	PasswordFile   any `toml:"password_file"`
	PasswordPrompt any `toml:"password_prompt"`
	Krb5Config     any `toml:"krb5_config"`
	Krb5CCache     any `toml:"krb5_ccache"`
	Krb5Keytab     any `toml:"krb5_keytab"`
	Realm          any `toml:"realm"`
}

// rawLog is [log].
type rawLog struct {
	Dir        any `toml:"dir"`
	Scrollback any `toml:"scrollback"`
}

// instance returns the raw section of a role, nil when absent.
func (r *rawInstances) instance(role Role) *rawInstance {
	if r == nil {
		return nil
	}
	switch role {
	case RolePrimary:
		return r.Primary
	case RolePrimaryMirror:
		return r.PrimaryMirror
	case RoleBackup:
		return r.Backup
	case RoleBackupMirror:
		return r.BackupMirror
	}
	return nil
}
