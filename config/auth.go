package config

// Auth is one [auth.*] section: how to log in and where the password comes from. It never holds the password.
type Auth struct {
	// Name is the section's name (dba in [auth.dba]).
	Name string
	// Method is sql, ntlm or kerberos.
	Method Method
	// User is the login: a SQL login for sql, DOMAIN\user for ntlm, user or user@REALM (optional) for kerberos.
	User string
	// PasswordEnv names the environment variable holding the password.
	PasswordEnv string
	// PasswordFile is a file holding the password; it must be a regular file readable only by its owner.
	PasswordFile string
	// PasswordPrompt asks for the password on the terminal at start-up.
	PasswordPrompt bool
	// Krb5Config is the krb5.conf to use (kerberos only; /etc/krb5.conf by default).
	Krb5Config string
	// Krb5CCache is a Kerberos credential cache file (kerberos only).
	Krb5CCache string
	// Krb5Keytab is a Kerberos keytab file (kerberos only; not usable for WinRM).
	Krb5Keytab string
	// Realm is the Kerberos realm (kerberos only).
	Realm string
}

// NeedsPassword reports whether logging in with this section takes a password. It is false only for kerberos
// with a credential cache, a keytab, or neither (the ambient KRB5CCNAME / default keytab).
func (a Auth) NeedsPassword() bool {
	return a.PasswordEnv != "" || a.PasswordFile != "" || a.PasswordPrompt
}
