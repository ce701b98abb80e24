package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("..", "config.example.toml"))
	if err != nil {
		f.Fatal(err)
	}
	seeds := []string{
		string(example),
		validDoc,
		"",
		"environment = \"x\"",
		strings.Replace(validDoc, "[lync]", "[[lync]]", 1),
		strings.Replace(validDoc, `auth = "lync"`, `auth = "dba"`, 1),
		strings.Replace(validDoc, `host = "sqlprimary.contoso.local"`, "host = \"sqlprimary.contoso.local\"\nport = 70000\npassword = \"x\"", 1),
		strings.Replace(validDoc, `primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, "primary_servers = [\n 1,\n \"a.b\",\n \"A.B\",\n]", 1),
		strings.Replace(validDoc, `environment = "Lab"`, `environment = "Lab`, 1),
		"instances = { primary = { host = \"a.b\", auth = \"x\" } }\nauth.x.method = \"kerberos\"\n",
		"[auth.\"a.b\"]\nmethod = \"sql\"\n[instances]\nprimary = 1\n",
		"a.b.c.d = [[1], {x = 2}, \"\\u0000\"]\n",
		string(example[:len(example)/2]),
		"log = { dir = \"~\", scrollback = 99999999999999999999 }\n",
		"time_zone = \"../../etc/passwd\"\nrefresh_interval = \"9223372036854775807ns\"\n",
	}
	for i, s := range seeds {
		f.Add(s, i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, doc string, training bool) {
		const path = "/fuzz/config.toml"
		c, err := ParseWith(path, []byte(doc), Options{Training: training})
		if err != nil {
			if c != nil {
				t.Fatal("config and error both returned")
			}
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T is not a non-empty Errors: %v", err, err)
			}
			for _, e := range es {
				if e.File != path || e.Msg == "" || e.Line < 0 {
					t.Fatalf("malformed problem %+v", e)
				}
			}
			if err.Error() == "" {
				t.Fatal("empty message")
			}
			return
		}
		checkInvariants(t, c)
		again, err := ParseWith(path, []byte(doc), Options{Training: training})
		if err != nil || again.Digest() != c.Digest() {
			t.Fatalf("parsing the same document twice differs: %v", err)
		}
	})
}

// checkInvariants asserts what every accepted configuration guarantees to its users.
func checkInvariants(t *testing.T, c *Config) {
	t.Helper()
	if c.Environment == "" || c.PoolFQDN == "" || c.Share == "" || c.CopyFolder == "" || c.MirrorShare == "" {
		t.Fatalf("required value empty: %+v", c)
	}
	if n := len(c.PrimaryServers); n < 1 || n > 4 {
		t.Fatalf("%d primary servers", n)
	}
	if c.Location == nil || c.RefreshInterval < minRefresh || c.RefreshInterval > maxRefresh {
		t.Fatalf("location %v refresh %v", c.Location, c.RefreshInterval)
	}
	names := map[string]bool{}
	for _, role := range Roles() {
		in, ok := c.Instances[role]
		if !ok || in.Role != role || in.Host == "" || in.Name == "" || in.Auth.Method == "" {
			t.Fatalf("%s: %+v", role, in)
		}
		if in.Port < 0 || in.Port > 65535 || in.Port == 0 && in.InstanceName == "" {
			t.Fatalf("%s: port %d", role, in.Port)
		}
		if names[strings.ToLower(in.Name)] {
			t.Fatalf("%s: duplicate name %q", role, in.Name)
		}
		names[strings.ToLower(in.Name)] = true
	}
	if c.Lync.Host == "" || c.Lync.Port < 1 || c.Lync.Auth.Method == MethodSQL || c.Lync.Auth.Method == "" {
		t.Fatalf("lync %+v", c.Lync)
	}
	if c.Log.Scrollback < minScrollback || c.Log.Scrollback > maxScrollback || c.Log.Dir == "" {
		t.Fatalf("log %+v", c.Log)
	}
	if d := c.Digest(); len(d) != 64 {
		t.Fatalf("digest %q", d)
	}
}

func FuzzWindowsPaths(f *testing.F) {
	for _, s := range []string{`\\fs01\share`, `\\fs01.contoso.local\pchatls\a\`, `D:\LSCopy\mgc`, `d:\`, `D:`, `\\`, `\\\x`,
		`\\10.0.0.1\s`, `\\::1\s`, `C:\a\..\b`, `C:\a.\b`, `\\a\b\\c`, `//a/b`, "C:\\\u00e9t\u00e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// A path that is accepted comes back in canonical form, and the canonical form is accepted unchanged.
		if unc, p := uncPath(s); p == "" {
			if again, p2 := uncPath(unc); p2 != "" || again != unc || !strings.HasPrefix(unc, `\\`) || strings.HasSuffix(unc, `\`) {
				t.Fatalf("uncPath(%q) = %q, then %q %q", s, unc, again, p2)
			}
		}
		if dir, p := windowsFolder(s); p == "" {
			if again, p2 := windowsFolder(dir); p2 != "" || again != dir || strings.Contains(dir, "/") {
				t.Fatalf("windowsFolder(%q) = %q, then %q %q", s, dir, again, p2)
			}
		}
		if hostProblem(s) == "" && (strings.ContainsAny(s, " \\/@") || s == "") {
			t.Fatalf("host %q accepted", s)
		}
	})
}
