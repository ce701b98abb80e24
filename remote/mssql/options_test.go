package mssql

import (
	"strings"
	"testing"

	"pcfailback/config"
)

// Describe shows where, how encrypted and as whom, and never the password.
func TestDescribe(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Options)
		want []string
	}{
		{"sql", func(o *Options) {}, []string{"sqlprimary.contoso.local:1433", "TLS (encrypt=true)",
			"certificate checked against the system CAs", "SQL login dba"}},
		{"ca file and name", func(o *Options) { o.CAFile, o.HostNameInCertificate = "/etc/pcf/ca.pem", "sql1.contoso.local" },
			[]string{"checked against /etc/pcf/ca.pem for the name sql1.contoso.local"}},
		{"trust", func(o *Options) { o.TrustServerCertificate = true }, []string{"certificate NOT checked"}},
		{"strict", func(o *Options) { o.Encrypt = config.EncryptStrict }, []string{"encrypt=strict"}},
		{"false", func(o *Options) { o.Encrypt = config.EncryptFalse }, []string{"only the login encrypted"}},
		{"disable", func(o *Options) { o.Encrypt = config.EncryptDisable }, []string{"NOT encrypted"}},
		{"ntlm", func(o *Options) { o.Auth, o.User = config.MethodNTLM, `CONTOSO\dba` }, []string{`NTLM as CONTOSO\dba`}},
		{"kerberos password", func(o *Options) { o.Auth, o.Realm = config.MethodKerberos, "CONTOSO.LOCAL" },
			[]string{"Kerberos as dba in CONTOSO.LOCAL (password)"}},
		{"kerberos ccache", func(o *Options) { o.Auth, o.User, o.Password, o.Krb5CCache = config.MethodKerberos, "", "", "/tmp/cc" },
			[]string{"Kerberos as the cached principal (credential cache /tmp/cc)"}},
		{"browser", func(o *Options) { o.Port, o.Instance = 0, "PCHAT" }, []string{`sqlprimary.contoso.local\PCHAT (port from SQL Browser)`}},
		{"read-only", func(o *Options) { o.ReadOnly = true }, []string{"read-only intent"}},
		{"hostile user", func(o *Options) { o.User = "x\x1b[2Jy" }, []string{"SQL login x?[2Jy"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := sqlOptions()
			c.edit(&o)
			d := o.Describe()
			for _, w := range c.want {
				if !strings.Contains(d, w) {
					t.Errorf("%q lacks %q", d, w)
				}
			}
			if strings.Contains(d, secret) {
				t.Errorf("%q contains the password", d)
			}
		})
	}
}

// FromConfig carries every setting over, names the FQDN in the certificate check and the Kerberos SPN when the
// console reaches the server through another address.
func TestFromConfig(t *testing.T) {
	in := config.Instance{Host: "10.1.2.3", Port: 14330, InstanceName: "PCHAT", FQDN: "sqlprimary.contoso.local",
		Encrypt: config.EncryptStrict, CAFile: "/ca.pem",
		Auth: config.Auth{Method: config.MethodKerberos, User: "svc", Krb5Config: "/etc/krb5.conf",
			Krb5Keytab: "/k.keytab", Realm: "CONTOSO.LOCAL"}}
	o := FromConfig(in, "", true)
	switch {
	case o.Host != "10.1.2.3" || o.Port != 14330 || o.Instance != "PCHAT":
		t.Errorf("address %+v", o)
	case o.Auth != config.MethodKerberos || o.User != "svc" || o.Krb5Keytab != "/k.keytab" || o.Realm != "CONTOSO.LOCAL" ||
		o.Krb5Config != "/etc/krb5.conf":
		t.Errorf("auth %+v", o)
	case o.Encrypt != config.EncryptStrict || o.CAFile != "/ca.pem" || o.AllowDisable:
		t.Errorf("encryption %+v", o)
	case o.HostNameInCertificate != "sqlprimary.contoso.local":
		t.Errorf("certificate name %q", o.HostNameInCertificate)
	case o.ServerSPN != "MSSQLSvc/sqlprimary.contoso.local:14330":
		t.Errorf("SPN %q", o.ServerSPN)
	case !o.ReadOnly || o.AppName != "pcfailback" || o.LoginTimeout != DefaultLoginTimeout:
		t.Errorf("session settings %+v", o)
	}
	if _, err := Open(FromConfig(config.Instance{Host: "sql1", Port: 1433, FQDN: "sql1", Encrypt: config.EncryptTrue,
		Auth: config.Auth{Method: config.MethodSQL, User: "dba"}}, "pw", false)); err != nil {
		t.Errorf("a plain SQL login: %v", err)
	}
	plain := FromConfig(config.Instance{Host: "sql1", FQDN: "SQL1", Auth: config.Auth{Method: config.MethodKerberos}}, "", false)
	if plain.HostNameInCertificate != "" || plain.ServerSPN != "" {
		t.Errorf("same name in another case changed the checks: %+v", plain)
	}
	disabled := FromConfig(config.Instance{Host: "sql1", Encrypt: config.EncryptDisable}, "", false)
	if !disabled.AllowDisable {
		t.Error("a training configuration's encrypt = \"disable\" is refused")
	}
}
