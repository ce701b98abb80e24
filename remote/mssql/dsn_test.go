package mssql

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/microsoft/go-mssqldb/msdsn"

	"pcfailback/config"
	"pcfailback/sim/certs"
)

// parsed builds the connection string of o and parses it back the way the driver will.
func parsed(t *testing.T, o Options) msdsn.Config {
	t.Helper()
	if err := o.validate(); err != nil {
		t.Fatalf("validate: %v", err)
	}
	cfg, err := msdsn.Parse(o.connString())
	if err != nil {
		t.Fatalf("msdsn.Parse: %v", err)
	}
	return cfg
}

func sqlOptions() Options {
	return Options{Host: "sqlprimary.contoso.local", Port: 1433, Auth: config.MethodSQL, User: "dba", Password: secret}
}

// Every encryption mode is sent explicitly, with the certificate checked unless trust was asked for.
func TestConnStringEncryptionModes(t *testing.T) {
	cases := []struct {
		name    string
		enc     config.Encrypt
		trust   bool
		want    msdsn.Encryption
		skipTLS bool // TLSConfig.InsecureSkipVerify
		noTLS   bool // no TLS configuration at all
	}{
		{"default is true", "", false, msdsn.EncryptionRequired, false, false},
		{"true", config.EncryptTrue, false, msdsn.EncryptionRequired, false, false},
		{"true trusting", config.EncryptTrue, true, msdsn.EncryptionRequired, true, false},
		{"strict", config.EncryptStrict, false, msdsn.EncryptionStrict, false, false},
		// Without an explicit trust key the driver would trust any certificate in this mode.
		{"false still checks the login certificate", config.EncryptFalse, false, msdsn.EncryptionOff, false, false},
		{"disable", config.EncryptDisable, false, msdsn.EncryptionDisabled, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := sqlOptions()
			o.Encrypt, o.TrustServerCertificate, o.AllowDisable = c.enc, c.trust, true
			cfg := parsed(t, o)
			if cfg.Encryption != c.want {
				t.Errorf("encryption %v, want %v", cfg.Encryption, c.want)
			}
			if cfg.TrustServerCertificate != c.trust {
				t.Errorf("TrustServerCertificate %v, want %v", cfg.TrustServerCertificate, c.trust)
			}
			switch {
			case c.noTLS:
				if cfg.TLSConfig != nil {
					t.Error("a TLS configuration for encrypt=disable")
				}
			case cfg.TLSConfig == nil:
				t.Fatal("no TLS configuration")
			case cfg.TLSConfig.InsecureSkipVerify != c.skipTLS:
				t.Errorf("InsecureSkipVerify %v, want %v", cfg.TLSConfig.InsecureSkipVerify, c.skipTLS)
			case cfg.TLSConfig.ServerName != "sqlprimary.contoso.local":
				t.Errorf("certificate name %q", cfg.TLSConfig.ServerName)
			}
		})
	}
}

// The keys every connection carries: app name, no per-read timeout, no retry, the address, the credentials.
func TestConnStringCommonKeys(t *testing.T) {
	cfg := parsed(t, sqlOptions())
	switch {
	case cfg.AppName != "pcfailback":
		t.Errorf("app name %q", cfg.AppName)
	case cfg.ConnTimeout != 0:
		t.Errorf("connection timeout %v: it would be a read deadline on every statement", cfg.ConnTimeout)
	case !cfg.DisableRetry:
		t.Error("retry on a new connection is enabled")
	case cfg.Host != "sqlprimary.contoso.local" || cfg.Port != 1433 || cfg.Instance != "":
		t.Errorf("address %s:%d\\%s", cfg.Host, cfg.Port, cfg.Instance)
	case cfg.User != "dba" || cfg.Password != secret:
		t.Errorf("credentials %q / (password differs: %v)", cfg.User, cfg.Password != secret)
	case cfg.ReadOnlyIntent:
		t.Error("read-only intent without ReadOnly")
	case cfg.Parameters["authenticator"] != "":
		t.Errorf("authenticator %q for a SQL login", cfg.Parameters["authenticator"])
	}
	if strings.Contains(strings.ToLower(sqlOptions().connString()), "connection+timeout") {
		t.Error("the connection string sets a connection timeout")
	}
}

// Read-only intent uses the only spelling the driver honours.
func TestConnStringReadOnlyIntent(t *testing.T) {
	o := sqlOptions()
	o.ReadOnly = true
	cfg := parsed(t, o)
	if !cfg.ReadOnlyIntent || cfg.Parameters["applicationintent"] != "ReadOnly" {
		t.Fatalf("read-only intent %v, key %q", cfg.ReadOnlyIntent, cfg.Parameters["applicationintent"])
	}
}

// A DOMAIN\user selects NTLM explicitly, so a name without a backslash cannot slip into SQL authentication.
func TestConnStringNTLM(t *testing.T) {
	o := sqlOptions()
	o.Auth, o.User = config.MethodNTLM, `CONTOSO\svc_pcfailback`
	cfg := parsed(t, o)
	if cfg.User != `CONTOSO\svc_pcfailback` || cfg.Parameters["authenticator"] != "ntlm" || cfg.Password != secret {
		t.Fatalf("user %q authenticator %q", cfg.User, cfg.Parameters["authenticator"])
	}
}

// Kerberos selects the krb5 provider with its files, realm and SPN.
func TestConnStringKerberos(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Options)
		want map[string]string
	}{
		{"credential cache", func(o *Options) { o.User, o.Password, o.Krb5CCache = "", "", "/tmp/krb5cc_1000" },
			map[string]string{"krb5-credcachefile": "/tmp/krb5cc_1000"}},
		{"keytab", func(o *Options) { o.Password, o.Krb5Keytab, o.Realm = "", "/etc/pcf.keytab", "CONTOSO.LOCAL" },
			map[string]string{"krb5-keytabfile": "/etc/pcf.keytab", "krb5-realm": "CONTOSO.LOCAL"}},
		{"password", func(o *Options) { o.Realm = "CONTOSO.LOCAL" }, map[string]string{"krb5-realm": "CONTOSO.LOCAL"}},
		{"spn", func(o *Options) { o.ServerSPN = "MSSQLSvc/sql1.contoso.local:1433" },
			map[string]string{"serverspn": "MSSQLSvc/sql1.contoso.local:1433"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := sqlOptions()
			o.Auth, o.User, o.Krb5Config = config.MethodKerberos, "svc_pcfailback", "/etc/krb5.conf"
			c.edit(&o)
			cfg := parsed(t, o)
			if cfg.Parameters["authenticator"] != "krb5" || cfg.Parameters["krb5-configfile"] != "/etc/krb5.conf" {
				t.Fatalf("parameters %v", cfg.Parameters)
			}
			for k, v := range c.want {
				if cfg.Parameters[k] != v {
					t.Errorf("%s = %q, want %q", k, cfg.Parameters[k], v)
				}
			}
		})
	}
}

// Named instances: through SQL Browser without a port, directly with one; IPv6 literals keep their port.
func TestConnStringAddresses(t *testing.T) {
	o := sqlOptions()
	o.Port, o.Instance = 0, "PCHAT"
	if cfg := parsed(t, o); cfg.Instance != "PCHAT" || cfg.Port != 0 || cfg.Host != "sqlprimary.contoso.local" {
		t.Errorf("browser: %s:%d\\%s", cfg.Host, cfg.Port, cfg.Instance)
	}
	o.Port = 50123
	if cfg := parsed(t, o); cfg.Instance != "PCHAT" || cfg.Port != 50123 {
		t.Errorf("instance with port: %d\\%s", cfg.Port, cfg.Instance)
	}
	o = sqlOptions()
	o.Host, o.Port = "fd00::10", 0
	if cfg := parsed(t, o); cfg.Host != "fd00::10" || cfg.Port != 1433 {
		t.Errorf("ipv6: %s:%d", cfg.Host, cfg.Port)
	}
}

// The name checked in the certificate can differ from the address dialled.
func TestConnStringHostNameInCertificate(t *testing.T) {
	o := sqlOptions()
	o.Host, o.HostNameInCertificate = "10.0.0.5", "sqlprimary.contoso.local"
	cfg := parsed(t, o)
	if cfg.TLSConfig.ServerName != "sqlprimary.contoso.local" || !cfg.HostInCertificateProvided {
		t.Fatalf("certificate name %q", cfg.TLSConfig.ServerName)
	}
}

// Options that would connect somewhere unexpected, log in another way than configured, or weaken encryption
// silently are refused before anything is dialled.
func TestOpenRefuses(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no host", func(o *Options) { o.Host = "" }, "host"},
		{"host with a path", func(o *Options) { o.Host = "evil/x?encrypt=disable" }, "host"},
		{"host with a zone", func(o *Options) { o.Host = "fe80::1%eth0" }, "zone"},
		{"port", func(o *Options) { o.Port = 70000 }, "port"},
		{"instance", func(o *Options) { o.Instance = "A/B" }, "instance"},
		{"browser on ipv6", func(o *Options) { o.Host, o.Port, o.Instance = "fd00::1", 0, "X" }, "IPv6"},
		{"sql user with a domain", func(o *Options) { o.User = `CONTOSO\dba` }, "ntlm"},
		{"sql without password", func(o *Options) { o.Password = "" }, "password"},
		{"ntlm without domain", func(o *Options) { o.Auth = config.MethodNTLM }, `DOMAIN\user`},
		{"ntlm without password", func(o *Options) { o.Auth, o.User, o.Password = config.MethodNTLM, `D\u`, "" }, "password"},
		{"kerberos keytab without user", func(o *Options) {
			o.Auth, o.User, o.Password, o.Krb5Keytab = config.MethodKerberos, "", "", "/k"
		}, "user"},
		{"unknown method", func(o *Options) { o.Auth = "basic" }, "auth"},
		{"disable outside training", func(o *Options) { o.Encrypt = config.EncryptDisable }, "clear text"},
		{"unknown encryption", func(o *Options) { o.Encrypt = "maybe" }, "encrypt"},
		{"trust under strict", func(o *Options) { o.Encrypt, o.TrustServerCertificate = config.EncryptStrict, true }, "strict"},
		{"trust with a CA file", func(o *Options) { o.TrustServerCertificate, o.CAFile = true, "/ca.pem" }, "ca_file"},
		{"negative login timeout", func(o *Options) { o.LoginTimeout = -time.Second }, "login timeout"},
		{"app name with control characters", func(o *Options) { o.AppName = "x\x1b[2J" }, "app name"},
		{"missing CA file", func(o *Options) { o.CAFile = "/nonexistent/ca.pem" }, "ca_file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := sqlOptions()
			c.edit(&o)
			_, err := Open(o)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
			if o.Password != "" && strings.Contains(err.Error(), o.Password) {
				t.Errorf("error contains the password: %q", err)
			}
		})
	}
}

// The CA file replaces the system roots; PEM and DER are read whatever the file is called.
func TestOpenReadsTheCAFile(t *testing.T) {
	ca, err := certs.NewCA("test CA")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pemPath := filepath.Join(dir, "corp-ca.crt")
	if err := os.WriteFile(pemPath, ca.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	o := sqlOptions()
	o.CAFile = pemPath
	c, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.TLSConfig.RootCAs == nil || !c.cfg.TLSConfig.RootCAs.Equal(ca.Pool()) {
		t.Fatal("the CA file's certificate is not the trusted root")
	}
	block, _ := pem.Decode(ca.PEM)
	derPath := filepath.Join(dir, "corp-ca.cer")
	if err := os.WriteFile(derPath, block.Bytes, 0o600); err != nil {
		t.Fatal(err)
	}
	o.CAFile = derPath
	if c, err := Open(o); err != nil || !c.cfg.TLSConfig.RootCAs.Equal(ca.Pool()) {
		t.Fatalf("DER CA file: %v", err)
	}
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.CAFile = junk
	if _, err := Open(o); err == nil || !strings.Contains(err.Error(), "no usable certificate") {
		t.Fatalf("junk CA file: %v", err)
	}
}

// FuzzConnString: whatever the names and secrets, options that validate build a connection string that the driver
// parses back to exactly the same address, credentials, app name and certificate name, with the encryption and
// intent asked for.
func FuzzConnString(f *testing.F) {
	f.Add("sql1.contoso.local", 1433, "", "dba", secret, "pcfailback", "", false)
	f.Add("10.0.0.5", 0, "PCHAT", `CONTOSO\dba`, "p@ss:w/rd?#&=+ ;", "app name", "sql1.contoso.local", true)
	f.Add("fd00::1", 50000, "X$1", "user@REALM", "", "", "", false)
	f.Add("h", 1, "", "a'b\"c", "%zz%41", "é", "", true)
	f.Fuzz(func(t *testing.T, host string, port int, instance, user, password, app, certName string, readOnly bool) {
		o := Options{Host: host, Port: port, Instance: instance, Auth: config.MethodSQL, User: user, Password: password,
			AppName: app, HostNameInCertificate: certName, ReadOnly: readOnly}
		if strings.Contains(user, `\`) {
			o.Auth = config.MethodNTLM
		}
		if o.validate() != nil {
			return
		}
		cfg, err := msdsn.Parse(o.connString())
		if err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
		wantPort := uint64(port)
		if port == 0 && instance == "" {
			wantPort = 1433
		}
		wantApp := app
		if app == "" {
			wantApp = DefaultAppName
		}
		switch {
		case cfg.Host != host || cfg.Port != wantPort || !strings.EqualFold(cfg.Instance, instance):
			t.Fatalf("address %q:%d\\%q from %+v", cfg.Host, cfg.Port, cfg.Instance, o)
		case cfg.User != user || cfg.Password != password:
			t.Fatalf("credentials %q/%q from %q/%q", cfg.User, cfg.Password, user, password)
		case cfg.AppName != wantApp:
			t.Fatalf("app %q from %q", cfg.AppName, app)
		case cfg.Encryption != msdsn.EncryptionRequired || cfg.TrustServerCertificate || cfg.ConnTimeout != 0:
			t.Fatalf("encryption %v trust %v timeout %v", cfg.Encryption, cfg.TrustServerCertificate, cfg.ConnTimeout)
		case cfg.ReadOnlyIntent != readOnly:
			t.Fatalf("read-only intent %v", cfg.ReadOnlyIntent)
		case certName != "" && cfg.TLSConfig.ServerName != certName:
			t.Fatalf("certificate name %q", cfg.TLSConfig.ServerName)
		}
	})
}
