package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// CheckFiles checks the local files the configuration names (CA bundles, password files, Kerberos files) before
// anything connects, and reports every problem with the line of its key. Parse does not touch the file system;
// the console calls this at start-up so a missing CA file is found before the bridge call, not during a step.
// It reads no secret: a password file is opened and vetted but not read.
func (c *Config) CheckFiles() error {
	if c == nil {
		return nil
	}
	r := &reader{file: c.Path, pos: c.lines}
	for _, role := range Roles() {
		if in, ok := c.Instances[role]; ok && in.CAFile != "" {
			checkReadable(r, "instances."+string(role)+".ca_file", in.CAFile)
		}
	}
	if c.Lync.CAFile != "" {
		checkReadable(r, "lync.ca_file", c.Lync.CAFile)
	}
	names := make([]string, 0, len(c.Auth))
	for n := range c.Auth {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := c.Auth[n]
		base := "auth." + quoteKeyPart(n)
		if a.PasswordFile != "" {
			if f, err := openPasswordFile(base, a.PasswordFile); err != nil {
				// The field already names the section and the key; keep what follows them.
				msg := strings.TrimPrefix(err.Error(), base+": password_file")
				r.fail(base+".password_file", "%s", strings.TrimLeft(msg, ": "))
			} else {
				f.Close()
			}
		}
		if a.Krb5Config != "" {
			checkReadable(r, base+".krb5_config", a.Krb5Config)
		}
		if a.Krb5CCache != "" {
			checkReadable(r, base+".krb5_ccache", a.Krb5CCache)
		}
		if a.Krb5Keytab != "" {
			checkReadable(r, base+".krb5_keytab", a.Krb5Keytab)
		}
	}
	if len(r.errs) == 0 {
		return nil
	}
	sortErrors(r.errs)
	return r.errs
}

// checkReadable records a problem when path is not a regular file the console can open.
func checkReadable(r *reader, field, path string) {
	st, err := os.Stat(path)
	if err != nil {
		r.fail(field, "%s", openMessageFor(path, err))
		return
	}
	if !st.Mode().IsRegular() {
		r.fail(field, "%s is not a regular file", path)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		r.fail(field, "%s", openMessageFor(path, err))
		return
	}
	f.Close()
}

// openMessageFor says why a file the configuration names cannot be used.
func openMessageFor(path string, err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return path + ": file not found"
	}
	return fmt.Sprintf("%s: %s", path, openMessage(err))
}
