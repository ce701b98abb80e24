package config

import (
	"encoding/hex"
	"strings"
	"testing"
)

func TestDigestIgnoresLayoutButNotValues(t *testing.T) {
	base := mustParse(t, validDoc).Digest()
	if len(base) != 64 {
		t.Fatalf("digest %q is not 64 hex characters", base)
	}
	if _, err := hex.DecodeString(base); err != nil {
		t.Fatalf("digest %q is not hex: %v", base, err)
	}
	same := map[string]string{
		"comments and blank lines": "# estate\n\n" + strings.ReplaceAll(validDoc, "\n[", "\n# section\n["),
		"explicit defaults": after(t, `environment = "Lab"`, "read_only = false\nrefresh_interval = \"5000ms\"") +
			"\n[databases]\nchat = \"mgc\"\ncompliance = \"mgccomp\"\n[log]\nscrollback = 10000\n",
		"explicit port and encrypt":   after(t, `host = "sqlprimary.contoso.local"`, "port = 1433\nencrypt = true"),
		"trailing backslash on share": replace(t, `share = '\\fs01.contoso.local\pchatls'`, `share = "\\\\fs01.contoso.local\\pchatls\\"`),
		"key order": replace(t, "host = \"lyncfe01.contoso.local\"\nauth = \"lync\"",
			"auth = \"lync\"\nhost = \"lyncfe01.contoso.local\""),
	}
	for name, doc := range same {
		if got := mustParse(t, doc).Digest(); got != base {
			t.Errorf("%s changed the digest", name)
		}
	}
	differs := map[string]string{
		"environment":   replace(t, `environment = "Lab"`, `environment = "Lab2"`),
		"read only":     after(t, `environment = "Lab"`, "read_only = true"),
		"server order":  replace(t, `["pc01.contoso.local", "pc02.contoso.local"]`, `["pc02.contoso.local", "pc01.contoso.local"]`),
		"instance port": after(t, `host = "sqlprimary.contoso.local"`, "port = 1434"),
		"auth source":   replace(t, `password_env = "PCFAILBACK_DBA_PASSWORD"`, `password_env = "OTHER"`),
		"unused auth":   validDoc + "\n[auth.spare]\nmethod = \"sql\"\nuser = \"x\"\npassword_prompt = true\n",
		"log dir":       validDoc + "\n[log]\ndir = \"/var/log/pcfailback\"\n",
		"time zone":     after(t, `environment = "Lab"`, `time_zone = "UTC"`),
	}
	for name, doc := range differs {
		if got := mustParse(t, doc).Digest(); got == base {
			t.Errorf("%s did not change the digest", name)
		}
	}
}

func TestDigestDoesNotDependOnPath(t *testing.T) {
	a, err := Parse("/etc/pcfailback/a.toml", []byte(validDoc))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("/home/op/b.toml", []byte(validDoc))
	if err != nil {
		t.Fatal(err)
	}
	if a.Digest() != b.Digest() {
		t.Error("the same content in two files digests differently")
	}
	var nilConfig *Config
	if nilConfig.Digest() != "" {
		t.Error("nil config has a digest")
	}
}
