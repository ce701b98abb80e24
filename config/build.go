package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/adrg/xdg"
)

// Limits of the values that have one.
const (
	minRefresh        = time.Second
	maxRefresh        = 5 * time.Minute
	maxEnvironment    = 80  // shown in a one-line header
	maxPoolIdentity   = 256 // an Identity such as service:1-PersistentChatServer-1 is far shorter
	maxPrimaryServers = 4   // a Persistent Chat pool has at most four active servers
	maxDatabaseName   = 128 // sysname: nvarchar(128)
	minScrollback     = 100
	maxScrollback     = 1_000_000
)

// build validates the raw document into a Config, recording every problem in r.
func build(r *reader, raw *rawConfig, opts Options) *Config {
	c := &Config{Path: r.file, lines: r.pos}
	if s, ok := r.required("environment", raw.Environment); ok {
		if utf8.RuneCountInString(s) > maxEnvironment {
			r.fail("environment", "is longer than %d characters; it must fit in the header", maxEnvironment)
		}
		c.Environment = strings.TrimSpace(s)
	}
	c.ReadOnly = r.boolean("read_only", raw.ReadOnly, false)
	c.RefreshInterval = r.duration("refresh_interval", raw.RefreshInterval, DefaultRefreshInterval, minRefresh, maxRefresh)
	if s, ok := r.required("pool_fqdn", raw.PoolFQDN); ok {
		if p := fqdnProblem(s); p != "" {
			r.fail("pool_fqdn", "%s", p)
		}
		c.PoolFQDN = s
	}
	c.PoolIdentity = buildPoolIdentity(r, raw.PoolIdentity)
	c.Share = buildUNC(r, "share", raw.Share)
	c.MirrorShare = buildUNC(r, "mirror_share", raw.MirrorShare)
	if s, ok := r.required("copy_folder", raw.CopyFolder); ok {
		folder, p := windowsFolder(s)
		if p != "" {
			r.fail("copy_folder", "%s", p)
		}
		c.CopyFolder = folder
	}
	c.PrimaryServers = buildPrimaryServers(r, raw.PrimaryServers)
	c.TimeZone, c.Location = buildTimeZone(r, raw.TimeZone)
	c.Databases = buildDatabases(r, raw.Databases)
	c.Auth = buildAuths(r, raw.Auth)
	c.Instances = buildInstances(r, raw.Instances, c.Auth, opts)
	c.Lync = buildLync(r, raw.Lync, c.Auth)
	c.Log, c.logDirDefault = buildLog(r, raw.Log)
	return c
}

// buildPoolIdentity reads the optional -Identity of the Persistent Chat cmdlets.
func buildPoolIdentity(r *reader, v any) string {
	s := r.optional("pool_identity", v)
	switch {
	case utf8.RuneCountInString(s) > maxPoolIdentity:
		r.fail("pool_identity", "is longer than %d characters", maxPoolIdentity)
	case s != strings.TrimSpace(s):
		r.fail("pool_identity", "%s has leading or trailing spaces", quoteShort(s))
	}
	return s
}

// buildUNC reads a required UNC share.
func buildUNC(r *reader, path string, v any) string {
	s, ok := r.required(path, v)
	if !ok {
		return ""
	}
	unc, p := uncPath(s)
	if p != "" {
		r.fail(path, "%s", p)
	}
	return unc
}

// buildPrimaryServers reads the 1-4 FQDNs of the primary data center's Persistent Chat servers.
func buildPrimaryServers(r *reader, v any) []string {
	const path = "primary_servers"
	if v == nil {
		r.missing(path)
		return nil
	}
	list, _ := r.stringList(path, v)
	if arr, isArr := v.([]any); isArr && (len(arr) == 0 || len(arr) > maxPrimaryServers) {
		r.fail(path, "lists %d servers; a Persistent Chat pool has 1 to %d active servers", len(arr), maxPrimaryServers)
	}
	seen := make(map[string]int)
	for i, s := range list {
		elem := elemPath(path, i)
		if p := fqdnProblem(s); p != "" {
			r.fail(elem, "%s", p)
			continue
		}
		key := strings.ToLower(s)
		if first, dup := seen[key]; dup {
			r.fail(elem, "%s is listed twice (also %s)", quoteShort(s), elemPath(path, first))
			continue
		}
		seen[key] = i
	}
	return list
}

// buildTimeZone loads the optional IANA zone; empty means the local zone.
func buildTimeZone(r *reader, v any) (string, *time.Location) {
	s := r.optional("time_zone", v)
	if s == "" {
		return "", time.Local
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		r.fail("time_zone", "%s is not a known time zone (use an IANA name such as \"Europe/Paris\", or leave it empty for local time)", quoteShort(s))
		return s, time.Local
	}
	return s, loc
}

// buildDatabases reads [databases] with its defaults.
func buildDatabases(r *reader, raw *rawDatabases) Databases {
	d := Databases{Chat: DefaultChatDatabase, Compliance: DefaultComplianceDB}
	if raw == nil {
		return d
	}
	d.Chat = databaseName(r, "databases.chat", raw.Chat, d.Chat)
	d.Compliance = databaseName(r, "databases.compliance", raw.Compliance, d.Compliance)
	if strings.EqualFold(d.Chat, d.Compliance) {
		r.fail("databases.compliance", "%s is also the chat database; the two stores are separate databases", quoteShort(d.Compliance))
	}
	return d
}

// databaseName reads one database name: a sysname, so at most 128 UTF-16 code units, and no control characters.
func databaseName(r *reader, path string, v any, def string) string {
	if v == nil {
		return def
	}
	s, ok := r.str(path, v)
	switch {
	case !ok:
		return def
	case s == "":
		r.fail(path, "must not be empty (leave the key out for %q)", def)
	case utf16Len(s) > maxDatabaseName:
		r.fail(path, "is longer than %d characters, the limit for a database name", maxDatabaseName)
	case s != strings.TrimSpace(s):
		r.fail(path, "%s has leading or trailing spaces", quoteShort(s))
	}
	return s
}

// utf16Len counts UTF-16 code units, the unit SQL Server's nvarchar limits are in.
func utf16Len(s string) int {
	n := 0
	for _, c := range s {
		n++
		if c > 0xFFFF {
			n++
		}
	}
	return n
}

// buildLog reads [log] with its defaults; dirDefault reports that log.dir was left out.
func buildLog(r *reader, raw *rawLog) (l Log, dirDefault bool) {
	l = Log{Dir: filepath.Join(xdg.StateHome, "pcfailback", "logs"), Scrollback: DefaultScrollback}
	if raw == nil {
		return l, true
	}
	dirDefault = true
	if s := r.optional("log.dir", raw.Dir); s != "" {
		dir, p := localPath(r.file, s)
		if p != "" {
			r.fail("log.dir", "%s", p)
		} else {
			l.Dir, dirDefault = dir, false
		}
	}
	n, _ := r.integer("log.scrollback", raw.Scrollback, DefaultScrollback, minScrollback, maxScrollback,
		fmt.Sprintf("a valid number of lines (%d..%d)", minScrollback, maxScrollback))
	l.Scrollback = int(n)
	return l, dirDefault
}
