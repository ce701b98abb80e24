package mssql

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/microsoft/go-mssqldb/msdsn"

	"pcfailback/config"
)

// placeholderDatabase is the database the connection string names so that msdsn accepts ApplicationIntent=ReadOnly
// (it requires one); every session sets its own before logging in.
const placeholderDatabase = "master"

// validate refuses options that would connect somewhere unexpected, silently log in another way, or weaken
// encryption without saying so. Its messages name the field and never contain the password.
func (o Options) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if p := hostProblem(o.Host); p != "" {
		bad("host: %s", p)
	}
	if o.Port < 0 || o.Port > 65535 {
		bad("port %d: want 1-65535, or 0 for the default", o.Port)
	}
	if o.Instance != "" && !validInstance(o.Instance) {
		bad("instance %q: want up to 16 letters, digits, _, $ or #", printable(o.Instance))
	}
	if o.Port == 0 && o.Instance != "" && strings.Contains(o.Host, ":") {
		bad("instance %s on an IPv6 address: give the port (SQL Browser is asked by host name or IPv4)", o.Instance)
	}
	if err := o.validateAuth(); err != nil {
		errs = append(errs, err)
	}
	switch e := o.encrypt(); e {
	case config.EncryptTrue, config.EncryptStrict, config.EncryptFalse:
	case config.EncryptDisable:
		if !o.AllowDisable {
			bad("encrypt = \"disable\" sends the password and all data in clear text; it is only for the training simulator")
		}
	default:
		bad("encrypt %q: want true, strict, false or disable", printable(string(e)))
	}
	if o.TrustServerCertificate && o.encrypt() == config.EncryptStrict {
		bad("trust_server_certificate cannot be used with encrypt = \"strict\" (the driver would ignore it); give the CA in ca_file")
	}
	if o.TrustServerCertificate && o.CAFile != "" {
		bad("trust_server_certificate skips the certificate check, so ca_file would be ignored; keep one")
	}
	if o.HostNameInCertificate != "" {
		if p := hostProblem(o.HostNameInCertificate); p != "" {
			bad("host name in certificate: %s", p)
		}
	}
	if o.LoginTimeout < 0 {
		bad("login timeout %v: must not be negative", o.LoginTimeout)
	}
	if strings.IndexFunc(o.AppName, isControl) >= 0 || len(o.AppName) > 128 {
		bad("app name: at most 128 characters, no control characters")
	}
	return errors.Join(errs...)
}

// validateAuth checks that the method and the credentials agree, so that the driver cannot fall back to another
// method: a SQL login name with a backslash would silently become NTLM, an NTLM name without one a SQL login.
func (o Options) validateAuth() error {
	switch o.Auth {
	case config.MethodSQL:
		switch {
		case o.User == "":
			return errors.New("user: a SQL login needs a user name")
		case strings.Contains(o.User, `\`):
			return fmt.Errorf("user %q: a SQL login has no domain; use the ntlm method for DOMAIN\\user", printable(o.User))
		case o.Password == "":
			return errors.New("password: a SQL login needs a password")
		}
	case config.MethodNTLM:
		dom, user, ok := strings.Cut(o.User, `\`)
		switch {
		case !ok || dom == "" || user == "":
			return fmt.Errorf("user %q: NTLM needs DOMAIN\\user", printable(o.User))
		case o.Password == "":
			return errors.New("password: NTLM needs a password")
		}
	case config.MethodKerberos:
		if o.User == "" && (o.Krb5Keytab != "" || o.Password != "") {
			return errors.New("user: Kerberos with a keytab or a password needs the user name")
		}
	default:
		return fmt.Errorf("auth %q: want sql, ntlm or kerberos", printable(string(o.Auth)))
	}
	return nil
}

// connString is the go-mssqldb URL for the options. Every security-relevant key is set explicitly rather than left
// to the driver's defaults (no encrypt key would mean an unchecked certificate); there is deliberately no
// "connection timeout", which would be a read deadline on every statement for the life of the connection.
func (o Options) connString() string {
	q := url.Values{}
	q.Set(msdsn.Database, placeholderDatabase)
	q.Set(msdsn.Encrypt, string(o.encrypt()))
	if o.encrypt() != config.EncryptDisable {
		q.Set(msdsn.TrustServerCertificate, strconv.FormatBool(o.TrustServerCertificate))
	}
	if o.HostNameInCertificate != "" {
		q.Set(msdsn.HostNameInCertificate, o.HostNameInCertificate)
	}
	app := o.AppName
	if app == "" {
		app = DefaultAppName
	}
	q.Set(msdsn.AppName, app)
	if o.ReadOnly {
		q.Set(msdsn.ApplicationIntent, "ReadOnly") // the driver ignores any other spelling
	}
	// A failed statement is reported, not retried on a new connection behind the caller's back.
	q.Set(msdsn.DisableRetry, "true")
	q.Set(msdsn.KeepAlive, "30")
	if o.ServerSPN != "" {
		q.Set(msdsn.ServerSpn, o.ServerSPN)
	}
	switch o.Auth {
	case config.MethodNTLM:
		q.Set("authenticator", "ntlm")
	case config.MethodKerberos:
		q.Set("authenticator", "krb5")
		setIf(q, "krb5-configfile", o.Krb5Config)
		setIf(q, "krb5-credcachefile", o.Krb5CCache)
		setIf(q, "krb5-keytabfile", o.Krb5Keytab)
		setIf(q, "krb5-realm", o.Realm)
	}
	u := url.URL{Scheme: "sqlserver", RawQuery: q.Encode()}
	if o.User != "" || o.Password != "" {
		u.User = url.UserPassword(o.User, o.Password)
	}
	switch {
	case o.Port != 0:
		u.Host = net.JoinHostPort(o.Host, strconv.Itoa(o.Port))
	case o.Instance != "":
		u.Host = o.Host // SQL Browser finds the port
	default:
		u.Host = net.JoinHostPort(o.Host, "1433")
	}
	if o.Instance != "" {
		u.Path = "/" + o.Instance
	}
	return u.String()
}

// setIf sets key when value is not empty.
func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

// driverConfig validates the options and parses their connection string with msdsn, then replaces the trusted roots
// with the CA file's certificates (the driver only reads files named .pem or .der).
func (o Options) driverConfig() (msdsn.Config, error) {
	if err := o.validate(); err != nil {
		return msdsn.Config{}, err
	}
	cfg, err := msdsn.Parse(o.connString())
	if err != nil {
		return msdsn.Config{}, redact(fmt.Errorf("connection settings: %w", err), o.Password)
	}
	if o.CAFile != "" && cfg.TLSConfig != nil {
		pool, err := loadCAFile(o.CAFile)
		if err != nil {
			return msdsn.Config{}, err
		}
		cfg.TLSConfig = cfg.TLSConfig.Clone()
		cfg.TLSConfig.RootCAs = pool
	}
	return cfg, nil
}

// hostProblem says what is wrong with a host name or IP literal, or "".
func hostProblem(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if addr, err := netip.ParseAddr(s); err == nil {
		if addr.Zone() != "" {
			return fmt.Sprintf("%q: an IPv6 zone is not supported", printable(s))
		}
		return ""
	}
	if len(s) > 253 {
		return "longer than 253 characters"
	}
	for _, label := range strings.Split(s, ".") {
		if !validLabel(label) {
			return fmt.Sprintf("%q is not a host name or IP address", printable(s))
		}
	}
	return ""
}

// validLabel accepts one label of a host name: 1 to 63 letters, digits, hyphens or underscores, no hyphen at
// either end. (The driver would read "." or "(local)" as this machine.)
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// validInstance accepts SQL Server instance names.
func validInstance(s string) bool {
	if len(s) > 16 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '$' || r == '#') {
			return false
		}
	}
	return true
}

// isControl reports control characters.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }
