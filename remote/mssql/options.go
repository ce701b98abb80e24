package mssql

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"pcfailback/clock"
	"pcfailback/config"
)

// DefaultLoginTimeout bounds a connection attempt from the TCP connect to the login acknowledgement.
const DefaultLoginTimeout = 15 * time.Second

// DefaultAppName is the program_name the console's sessions show in sys.dm_exec_sessions.
const DefaultAppName = "pcfailback"

// Options says how to reach and log in to one SQL Server instance. It holds the password in memory only: nothing in
// this package logs it or puts it in an error text.
type Options struct {
	// Host is the server's host name or IP literal.
	Host string
	// Port is the TCP port. 0 with an Instance asks SQL Browser (UDP 1434); 0 without one means 1433.
	Port int
	// Instance is the named instance, empty for the default instance.
	Instance string

	// Auth is the login method: config.MethodSQL, MethodNTLM or MethodKerberos.
	Auth config.Method
	// User is the SQL login, DOMAIN\user for NTLM, or user / user@REALM for Kerberos (empty for a credential
	// cache).
	User string
	// Password is the password (SQL, NTLM, Kerberos with a password). Never logged, never in an error text.
	Password string
	// Krb5Config is the krb5.conf file (Kerberos).
	Krb5Config string
	// Krb5CCache is a Kerberos credential cache file (Kerberos).
	Krb5CCache string
	// Krb5Keytab is a Kerberos keytab file (Kerberos; needs User).
	Krb5Keytab string
	// Realm is the Kerberos realm (Kerberos; else from User or krb5.conf).
	Realm string
	// ServerSPN overrides the service principal name Kerberos asks a ticket for (MSSQLSvc/fqdn:port). Needed when
	// Host is an address that is not the name the SPN was registered under.
	ServerSPN string

	// Encrypt is the TDS encryption mode. Empty means config.EncryptTrue.
	Encrypt config.Encrypt
	// AllowDisable accepts config.EncryptDisable (clear text); only the training simulator sets it.
	AllowDisable bool
	// TrustServerCertificate skips certificate verification. Refused with config.EncryptStrict, where the driver
	// would ignore it silently, and with CAFile, which it would make pointless.
	TrustServerCertificate bool
	// CAFile is a PEM bundle of the CAs trusted instead of the system roots.
	CAFile string
	// HostNameInCertificate is the name the server certificate must carry when Host is an address the certificate
	// does not name (a tunnel, an IP literal).
	HostNameInCertificate string

	// AppName is the program_name sent at login; DefaultAppName when empty.
	AppName string
	// ReadOnly sends ApplicationIntent=ReadOnly (the read-only-intent bit of LOGIN7). Every session then names a
	// database (master when the caller gives none), as the driver requires.
	ReadOnly bool
	// LoginTimeout bounds each connection attempt (TCP connect, PRELOGIN, TLS, login); DefaultLoginTimeout when 0.
	// It is lifted once logged in: statements are bounded only by their context.
	LoginTimeout time.Duration
	// Dial replaces the TCP (and SQL Browser UDP) dialer; tests use it. The login deadline applies to what it
	// returns all the same.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Clock stamps the events (SQLEvent.At) in the estate's time base; the wall clock when nil.
	Clock clock.Clock
}

// FromConfig builds the options for one configured instance. password is the section's password ("" when the
// method needs none); readOnly sets the read-only intent. When the instance's FQDN (its name in the topology) differs
// from Host, the certificate must name the FQDN and Kerberos asks for the FQDN's SPN.
func FromConfig(in config.Instance, password string, readOnly bool) Options {
	o := Options{
		Host:                   in.Host,
		Port:                   in.Port,
		Instance:               in.InstanceName,
		Auth:                   in.Auth.Method,
		User:                   in.Auth.User,
		Password:               password,
		Krb5Config:             in.Auth.Krb5Config,
		Krb5CCache:             in.Auth.Krb5CCache,
		Krb5Keytab:             in.Auth.Krb5Keytab,
		Realm:                  in.Auth.Realm,
		Encrypt:                in.Encrypt,
		AllowDisable:           in.Encrypt == config.EncryptDisable,
		TrustServerCertificate: in.TrustServerCertificate,
		CAFile:                 in.CAFile,
		AppName:                DefaultAppName,
		ReadOnly:               readOnly,
		LoginTimeout:           DefaultLoginTimeout,
	}
	if in.FQDN != "" && !strings.EqualFold(in.FQDN, in.Host) {
		o.HostNameInCertificate = in.FQDN
		if o.Auth == config.MethodKerberos {
			o.ServerSPN = "MSSQLSvc/" + in.FQDN + ":" + spnSuffix(in.Port, in.InstanceName)
		}
	}
	return o
}

// spnSuffix is the part of an MSSQLSvc SPN after the host: the port, or the instance name when SQL Browser finds
// the port.
func spnSuffix(port int, instance string) string {
	if port == 0 && instance != "" {
		return instance
	}
	if port == 0 {
		port = 1433
	}
	return strconv.Itoa(port)
}

// Describe says how the console reaches the instance, for the screen: address, encryption and certificate check,
// authentication method and user, read-only intent. It never contains the password.
func (o Options) Describe() string {
	var b strings.Builder
	b.WriteString(o.address())
	b.WriteString(", ")
	b.WriteString(o.describeEncryption())
	b.WriteString(", ")
	b.WriteString(o.describeAuth())
	if o.ReadOnly {
		b.WriteString(", read-only intent")
	}
	return printable(b.String())
}

// address is host:port, host\INSTANCE (port from SQL Browser) or host\INSTANCE:port.
func (o Options) address() string {
	host := o.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if o.Instance != "" {
		host += `\` + o.Instance
		if o.Port == 0 {
			return host + " (port from SQL Browser)"
		}
	}
	port := o.Port
	if port == 0 {
		port = 1433
	}
	return host + ":" + strconv.Itoa(port)
}

// describeEncryption names the mode and how the certificate is checked.
func (o Options) describeEncryption() string {
	check := "certificate checked against the system CAs"
	if o.CAFile != "" {
		check = "certificate checked against " + o.CAFile
	}
	if o.HostNameInCertificate != "" {
		check += " for the name " + o.HostNameInCertificate
	}
	if o.TrustServerCertificate {
		check = "certificate NOT checked (trust_server_certificate)"
	}
	switch o.encrypt() {
	case config.EncryptStrict:
		return "TLS first, TDS 8 (encrypt=strict), " + check
	case config.EncryptFalse:
		return "only the login encrypted (encrypt=false), " + check
	case config.EncryptDisable:
		return "NOT encrypted (encrypt=disable)"
	}
	return "TLS (encrypt=true), " + check
}

// describeAuth names the method and the identity.
func (o Options) describeAuth() string {
	switch o.Auth {
	case config.MethodSQL:
		return "SQL login " + o.User
	case config.MethodNTLM:
		return "NTLM as " + o.User
	case config.MethodKerberos:
		who := o.User
		if who == "" {
			who = "the cached principal"
		}
		if o.Realm != "" {
			who += " in " + o.Realm
		}
		switch {
		case o.Password != "":
			return "Kerberos as " + who + " (password)"
		case o.Krb5Keytab != "":
			return "Kerberos as " + who + " (keytab " + o.Krb5Keytab + ")"
		case o.Krb5CCache != "":
			return "Kerberos as " + who + " (credential cache " + o.Krb5CCache + ")"
		}
		return "Kerberos as " + who + " (KRB5CCNAME)"
	}
	return fmt.Sprintf("unknown authentication method %q", string(o.Auth))
}

// encrypt is the mode with its default applied.
func (o Options) encrypt() config.Encrypt {
	if o.Encrypt == "" {
		return config.EncryptTrue
	}
	return o.Encrypt
}

// loginTimeout is the login guard with its default applied.
func (o Options) loginTimeout() time.Duration {
	if o.LoginTimeout <= 0 {
		return DefaultLoginTimeout
	}
	return o.LoginTimeout
}

// clock is the time source with its default applied.
func (o Options) clock() clock.Clock {
	if o.Clock == nil {
		return clock.Wall{}
	}
	return o.Clock
}

// printable replaces control characters so a hostile user name cannot repaint the screen.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '?'
		}
		return r
	}, s)
}
