package config

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of the Lync section and of display names.
const (
	minOperationTimeout = time.Second
	maxOperationTimeout = 60 * time.Second
	maxDisplayName      = 64
	tcpPortRange        = "a TCP port (1-65535)"
)

// buildInstances reads the four [instances.<role>] sections and checks that they name four different servers.
func buildInstances(r *reader, raw *rawInstances, auths map[string]Auth, opts Options) map[Role]Instance {
	out := make(map[Role]Instance, 4)
	if raw == nil {
		r.failAt(0, "instances", "required sections are missing: [instances.primary], [instances.primary_mirror], "+
			"[instances.backup] and [instances.backup_mirror]")
		return out
	}
	for _, role := range Roles() {
		ri := raw.instance(role)
		if ri == nil {
			r.missingSection("instances."+string(role), "")
			continue
		}
		out[role] = buildInstance(r, role, ri, auths, opts)
	}
	checkDistinct(r, out)
	return out
}

// buildInstance reads one instance section.
func buildInstance(r *reader, role Role, raw *rawInstance, auths map[string]Auth, opts Options) Instance {
	base := "instances." + string(role)
	in := Instance{Role: role}
	if s, ok := r.required(base+".host", raw.Host); ok {
		if p := hostProblem(s); p != "" {
			r.fail(base+".host", "%s", p)
		}
		in.Host = s
	}
	if s := r.optional(base+".instance", raw.Instance); s != "" {
		switch p := sqlInstanceNameProblem(s); {
		case p != "":
			r.fail(base+".instance", "%s", p)
		case strings.EqualFold(s, "MSSQLSERVER"):
			r.fail(base+".instance", "MSSQLSERVER is the default instance; leave instance empty")
		default:
			in.InstanceName = s
		}
	}
	defPort := int64(DefaultSQLPort)
	if in.InstanceName != "" {
		defPort = 0 // SQL Browser finds a named instance's port.
	}
	port, _ := r.integer(base+".port", raw.Port, defPort, 1, 65535, tcpPortRange)
	in.Port = int(port)
	in.Name = buildDisplayName(r, base+".name", raw.Name, in)
	if a, ok := authRef(r, base+".auth", raw.Auth, auths); ok {
		if a.Method == MethodBasic {
			r.fail(base+".auth", "[auth.%s] uses method = \"basic\", which is for WinRM only; SQL Server needs \"sql\", \"ntlm\" or \"kerberos\"", quoteKeyPart(a.Name))
		}
		in.Auth = a
	}
	in.Encrypt = buildEncrypt(r, base+".encrypt", raw.Encrypt, opts)
	in.TrustServerCertificate = r.boolean(base+".trust_server_certificate", raw.TrustServerCertificate, false)
	in.CAFile = authFile(r, base+".ca_file", raw.CAFile)
	if in.TrustServerCertificate {
		switch {
		case in.Encrypt == EncryptStrict:
			r.fail(base+".trust_server_certificate", "cannot be used with encrypt = \"strict\" (the driver ignores it); "+
				"give the issuing CA in ca_file instead")
		case in.CAFile != "":
			r.fail(base+".trust_server_certificate", "skips certificate checks, so ca_file would be ignored; keep one")
		}
	}
	in.FQDN = in.Host
	if s := r.optional(base+".fqdn", raw.FQDN); s != "" {
		if p := fqdnProblem(s); p != "" {
			r.fail(base+".fqdn", "%s", p)
		} else {
			in.FQDN = s
		}
	}
	if s := r.optional(base+".sql_instance_name", raw.SQLInstanceName); s != "" {
		if p := sqlInstanceNameProblem(s); p != "" {
			r.fail(base+".sql_instance_name", "%s", p)
		} else {
			in.SQLInstanceName = s
		}
	}
	return in
}

// buildDisplayName reads the name shown in confirmations (mgc@NAME), or derives it from the host: the first label
// in upper case (the whole address for an IP literal), plus \INSTANCE for a named instance, as SQL Server itself
// names instances.
func buildDisplayName(r *reader, path string, v any, in Instance) string {
	if s := r.optional(path, v); s != "" {
		switch {
		case utf8.RuneCountInString(s) > maxDisplayName:
			r.fail(path, "is longer than %d characters", maxDisplayName)
		case strings.IndexFunc(s, unicode.IsSpace) >= 0:
			r.fail(path, "%s contains a space; operators type this name to confirm steps", quoteShort(s))
		case strings.Contains(s, "@"):
			r.fail(path, "%s contains '@', which separates database and instance in confirmations", quoteShort(s))
		}
		return s
	}
	if in.Host == "" {
		return ""
	}
	name := in.Host
	if _, err := netip.ParseAddr(name); err != nil {
		name, _, _ = strings.Cut(name, ".")
	}
	name = strings.ToUpper(name)
	if in.InstanceName != "" {
		name += `\` + strings.ToUpper(in.InstanceName)
	}
	return name
}

// buildEncrypt reads the TDS encryption mode. A TOML boolean is accepted for true and false because that is what
// people write; "disable" sends passwords in clear and is accepted only in training.
func buildEncrypt(r *reader, path string, v any, opts Options) Encrypt {
	if b, isBool := v.(bool); isBool {
		if b {
			return EncryptTrue
		}
		return EncryptFalse
	}
	s := r.optional(path, v)
	switch e := Encrypt(strings.ToLower(s)); e {
	case "":
		return EncryptTrue
	case EncryptTrue, EncryptStrict, EncryptFalse:
		return e
	case EncryptDisable:
		if !opts.Training {
			r.fail(path, "\"disable\" sends passwords and data in clear text; it is only accepted in training "+
				"(use \"true\" or \"strict\")")
		}
		return e
	}
	r.fail(path, "%s is not an encryption mode; use \"true\", \"strict\" or \"false\"", quoteShort(s))
	return EncryptTrue
}

// authRef reads a required reference to an [auth.*] section.
func authRef(r *reader, path string, v any, auths map[string]Auth) (Auth, bool) {
	name, ok := r.required(path, v)
	if !ok {
		return Auth{}, false
	}
	a, found := auths[name]
	if !found {
		msg := fmt.Sprintf("no [auth.%s] section", quoteKeyPart(name))
		names := make([]string, 0, len(auths))
		for n := range auths {
			names = append(names, n)
		}
		sort.Strings(names)
		if s := closest(name, names); s != "" {
			msg += "; did you mean " + quoteShort(s) + "?"
		} else if len(names) > 0 {
			msg += fmt.Sprintf(" (sections: %s)", strings.Join(names, ", "))
		}
		r.fail(path, "%s", msg)
		return Auth{}, false
	}
	return a, true
}

// checkDistinct refuses two roles with the same display name or the same server: confirmations would be
// ambiguous, and a step meant for one instance would run on the other.
func checkDistinct(r *reader, in map[Role]Instance) {
	names := make(map[string]Role)
	servers := make(map[string]Role)
	for _, role := range Roles() {
		inst, ok := in[role]
		if !ok || inst.Host == "" {
			continue
		}
		base := "instances." + string(role)
		if other, dup := names[strings.ToLower(inst.Name)]; dup && inst.Name != "" {
			if r.pos.exact(base+".name") > 0 {
				r.fail(base+".name", "%s is also the name of instances.%s; set name to tell them apart",
					quoteShort(inst.Name), other)
			} else {
				r.fail(base+".host", "gives the display name %s, which is also the name of instances.%s; "+
					"set name to tell them apart", quoteShort(inst.Name), other)
			}
		} else {
			names[strings.ToLower(inst.Name)] = role
		}
		server := strings.ToLower(fmt.Sprintf("%s:%d\\%s", inst.Host, inst.Port, inst.InstanceName))
		if other, dup := servers[server]; dup {
			r.fail(base+".host", "is the same server as instances.%s (host, port and instance); the four roles are four instances", other)
		} else {
			servers[server] = role
		}
	}
}

// buildLync reads [lync].
func buildLync(r *reader, raw *rawLync, auths map[string]Auth) Lync {
	l := Lync{Port: DefaultWinRMPort, OperationTimeout: DefaultOperationTimeout}
	if raw == nil {
		r.missingSection("lync", "; it says where the Lync cmdlets run (host, auth)")
		return l
	}
	if s, ok := r.required("lync.host", raw.Host); ok {
		if p := hostProblem(s); p != "" {
			r.fail("lync.host", "%s", p)
		}
		l.Host = s
	}
	l.FQDN = l.Host
	if s := r.optional("lync.fqdn", raw.FQDN); s != "" {
		if p := fqdnProblem(s); p != "" {
			r.fail("lync.fqdn", "%s", p)
		} else {
			l.FQDN = s
		}
	}
	port, _ := r.integer("lync.port", raw.Port, DefaultWinRMPort, 1, 65535, tcpPortRange)
	l.Port = int(port)
	if a, ok := authRef(r, "lync.auth", raw.Auth, auths); ok {
		// WinRM has no SQL logins, and its Kerberos client can use a password or a credential cache only.
		switch {
		case a.Method == MethodSQL:
			r.fail("lync.auth", "[auth.%s] uses method = \"sql\"; WinRM needs \"ntlm\" or \"kerberos\"", quoteKeyPart(a.Name))
		case a.Method == MethodKerberos && a.Krb5Keytab != "":
			r.fail("lync.auth", "[auth.%s] uses krb5_keytab, which WinRM cannot use; run kinit -kt and give krb5_ccache",
				quoteKeyPart(a.Name))
		}
		l.Auth = a
	}
	l.CAFile = authFile(r, "lync.ca_file", raw.CAFile)
	l.OperationTimeout = r.duration("lync.operation_timeout", raw.OperationTimeout, DefaultOperationTimeout,
		minOperationTimeout, maxOperationTimeout)
	return l
}
