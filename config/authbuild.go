package config

import (
	"sort"
	"strings"
)

// buildAuths reads every [auth.*] section; sections nobody references are still validated.
func buildAuths(r *reader, raw map[string]*rawAuth) map[string]Auth {
	out := make(map[string]Auth, len(raw))
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out[name] = buildAuth(r, name, raw[name])
	}
	return out
}

// buildAuth reads one [auth.<name>] section.
func buildAuth(r *reader, name string, raw *rawAuth) Auth {
	base := "auth." + quoteKeyPart(name)
	a := Auth{Name: name}
	if raw == nil {
		raw = &rawAuth{}
	}
	if s, ok := r.required(base+".method", raw.Method); ok {
		switch m := Method(strings.ToLower(s)); m {
		case MethodSQL, MethodNTLM, MethodKerberos, MethodBasic:
			a.Method = m
		default:
			r.fail(base+".method", "%s is not a method; use \"sql\", \"ntlm\", \"kerberos\" or \"basic\" (WinRM only)", quoteShort(s))
		}
	}
	a.User = r.optional(base+".user", raw.User)
	a.PasswordPrompt = r.boolean(base+".password_prompt", raw.PasswordPrompt, false)
	if s := r.optional(base+".password_env", raw.PasswordEnv); s != "" {
		// The value is not echoed: someone who wrote the password itself here must not see it in a report.
		if !isEnvName(s) {
			r.fail(base+".password_env", "must be the name of an environment variable (letters, digits and '_', "+
				"not starting with a digit), not the password itself")
		} else {
			a.PasswordEnv = s
		}
	}
	a.PasswordFile = authFile(r, base+".password_file", raw.PasswordFile)
	a.Krb5Config = authFile(r, base+".krb5_config", raw.Krb5Config)
	a.Krb5CCache = authFile(r, base+".krb5_ccache", raw.Krb5CCache)
	a.Krb5Keytab = authFile(r, base+".krb5_keytab", raw.Krb5Keytab)
	a.Realm = r.optional(base+".realm", raw.Realm)
	if a.Realm != "" {
		if p := hostProblem(a.Realm); p != "" {
			r.fail(base+".realm", "is not a Kerberos realm: %s", p)
		}
	}
	checkUser(r, base, a)
	checkSources(r, base, a, nonEmpty(raw.PasswordEnv), nonEmpty(raw.PasswordFile))
	if a.Method == MethodKerberos && a.Krb5Config == "" {
		a.Krb5Config = DefaultKrb5Config
	}
	return a
}

// authFile reads an optional local file name of an auth section.
func authFile(r *reader, path string, v any) string {
	s := r.optional(path, v)
	if s == "" {
		return ""
	}
	p, problem := localPath(r.file, s)
	if problem != "" {
		r.fail(path, "%s", problem)
		return ""
	}
	return p
}

// checkUser checks the user name against the method: the SQL driver treats any name with a backslash as a Windows
// account and any name without one as a SQL login, so a mismatch would silently log in the wrong way.
func checkUser(r *reader, base string, a Auth) {
	path := base + ".user"
	switch a.Method {
	case MethodBasic:
		if a.User == "" {
			r.fail(path, "required for method = \"basic\"")
		}
	case MethodSQL:
		if a.User == "" {
			r.fail(path, "required for method = \"sql\"")
		} else if strings.Contains(a.User, `\`) {
			r.fail(path, "%s is a Windows account (DOMAIN\\user); use method = \"ntlm\" or a SQL login", quoteShort(a.User))
		}
	case MethodNTLM:
		domain, user, ok := strings.Cut(a.User, `\`)
		switch {
		case a.User == "":
			r.fail(path, "required for method = \"ntlm\" (DOMAIN\\user)")
		case !ok || domain == "" || user == "" || strings.Contains(user, `\`):
			r.fail(path, "%s is not DOMAIN\\user (write it as 'CONTOSO\\dba' in single quotes)", quoteShort(a.User))
		}
	case MethodKerberos:
		if strings.Contains(a.User, `\`) {
			r.fail(path, "%s: Kerberos takes user or user@REALM, not DOMAIN\\user", quoteShort(a.User))
		}
	}
}

// checkSources checks that exactly the right credentials are given for the method. envGiven and fileGiven count
// sources that were written but refused, so the section is not also told it has no password source.
func checkSources(r *reader, base string, a Auth, envGiven, fileGiven bool) {
	sources := 0
	for _, set := range []bool{envGiven, fileGiven, a.PasswordPrompt} {
		if set {
			sources++
		}
	}
	if sources > 1 {
		r.fail(base, "set only one of password_env, password_file and password_prompt")
	}
	switch a.Method {
	case MethodSQL, MethodNTLM, MethodBasic:
		for _, k := range []struct {
			key string
			set bool
		}{{"krb5_config", a.Krb5Config != ""}, {"krb5_ccache", a.Krb5CCache != ""},
			{"krb5_keytab", a.Krb5Keytab != ""}, {"realm", a.Realm != ""}} {
			if k.set {
				r.fail(base+"."+k.key, "is only used with method = \"kerberos\"")
			}
		}
		if sources == 0 {
			r.fail(base, "needs a password source: set password_env, password_file or password_prompt = true "+
				"(a password is never written in this file)")
		}
	case MethodKerberos:
		if a.Krb5CCache != "" && a.Krb5Keytab != "" {
			r.fail(base, "krb5_ccache and krb5_keytab are alternatives; set one")
		}
		if sources > 0 && (a.Krb5CCache != "" || a.Krb5Keytab != "") {
			r.fail(base, "a password source and krb5_ccache/krb5_keytab are alternatives; set one")
		}
		if (sources > 0 || a.Krb5Keytab != "") && a.User == "" {
			r.fail(base+".user", "required for kerberos with a password or a keytab")
		}
	}
}

// nonEmpty reports a raw value that is a non-empty string.
func nonEmpty(v any) bool {
	s, _ := v.(string)
	return s != ""
}

// isEnvName reports a portable environment variable name.
func isEnvName(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
