package config

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// valueSlots are places in validDoc where FuzzParseValue puts its string: a line to replace, or (when key is
// set) a line to add the key after.
var valueSlots = []struct{ line, key string }{
	{`environment = "Lab"`, "environment"},
	{`pool_fqdn = "pchat.contoso.local"`, "pool_fqdn"},
	{`environment = "Lab"`, "+pool_identity"},
	{`share = '\\fs01.contoso.local\pchatls'`, "share"},
	{`copy_folder = 'D:\LSCopy\mgc'`, "copy_folder"},
	{`mirror_share = '\\fs01.contoso.local\csmirror'`, "mirror_share"},
	{`environment = "Lab"`, "+time_zone"},
	{`environment = "Lab"`, "+refresh_interval"},
	{`host = "sqlprimary.contoso.local"`, "host"},
	{`host = "sqlprimary.contoso.local"`, "+name"},
	{`host = "sqlprimary.contoso.local"`, "+instance"},
	{`host = "sqlprimary.contoso.local"`, "+encrypt"},
	{`host = "sqlprimary.contoso.local"`, "+ca_file"},
	{`host = "sqlprimary.contoso.local"`, "+sql_instance_name"},
	{`host = "sqlbackup.contoso.local"`, "+name"},
	{`host = "lyncfe01.contoso.local"`, "host"},
	{`host = "lyncfe01.contoso.local"`, "+operation_timeout"},
	{`user = "pcadmin"`, "user"},
	{`method = "sql"`, "method"},
	{`password_env = "PCFAILBACK_DBA_PASSWORD"`, "password_env"},
	{`primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, "primary_servers"},
}

// tomlString writes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func FuzzParseValue(f *testing.F) {
	for i, v := range []string{"Lab", "pchat.contoso.local", "service:1", `\\fs01\x`, `D:\x`, `\\fs\y\`, "Europe/Paris",
		"10s", "sql01", "SQL01", "INST", "strict", "ca.pem", "PCHAT", "sqlprimary", "lync01.contoso.local", "1m",
		"pcadmin", "kerberos", "PCFAILBACK_X", "pc09.contoso.local", "fe80::1%eth0", "disable", "", " ", "~/x"} {
		f.Add(uint8(i%len(valueSlots)), v)
	}
	f.Fuzz(func(t *testing.T, slot uint8, value string) {
		if !utf8.ValidString(value) {
			return // TOML cannot carry it; the document-level fuzzer covers invalid bytes.
		}
		s := valueSlots[int(slot)%len(valueSlots)]
		var doc string
		switch {
		case strings.HasPrefix(s.key, "+"):
			doc = strings.Replace(validDoc, s.line, s.line+"\n"+s.key[1:]+" = "+tomlString(value), 1)
		case s.key == "primary_servers":
			doc = strings.Replace(validDoc, s.line, "primary_servers = ["+tomlString(value)+"]", 1)
		default:
			doc = strings.Replace(validDoc, s.line, s.key+" = "+tomlString(value), 1)
		}
		c, err := Parse("/fuzz/config.toml", []byte(doc))
		if err != nil {
			if c != nil || err.Error() == "" {
				t.Fatalf("bad failure: %v", err)
			}
			return
		}
		checkInvariants(t, c)
		for _, in := range c.Instances {
			if strings.ContainsAny(in.Name, " @\t") || hostProblem(in.Host) != "" {
				t.Fatalf("accepted instance %+v", in)
			}
		}
	})
}
