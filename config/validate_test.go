package config

import (
	"fmt"
	"strings"
	"testing"
)

// ruleCase is one broken document and the problem it must produce.
type ruleCase struct {
	name  string
	doc   func(t *testing.T) string
	field string
	// at is text on the line the problem must cite; empty for problems without a line.
	at   string
	msg  string
	opts Options
}

// checkRule parses the case's document and checks that the problem is reported as "file:line: field: ...msg...".
func checkRule(t *testing.T, tc ruleCase) {
	t.Helper()
	doc := tc.doc(t)
	es := parseErrors(t, doc, tc.opts)
	e := findError(t, es, tc.field)
	want := testFile + ": " + tc.field + ": "
	if tc.at != "" {
		want = fmt.Sprintf("%s:%d: %s: ", testFile, lineOf(t, doc, tc.at), tc.field)
	}
	if got := e.Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, tc.msg) {
		t.Errorf("got  %q\nwant prefix %q containing %q", got, want, tc.msg)
	}
}

// set replaces text in validDoc.
func set(old, new string) func(t *testing.T) string {
	return func(t *testing.T) string { return replace(t, old, new) }
}

// add inserts a line after anchor.
func add(anchor, extra string) func(t *testing.T) string {
	return func(t *testing.T) string { return after(t, anchor, extra) }
}

func TestTopLevelRules(t *testing.T) {
	cases := []ruleCase{
		{"environment missing", set(`environment = "Lab"`, ``), "environment", "", "required key is missing", Options{}},
		{"environment empty", set(`environment = "Lab"`, `environment = "  "`), "environment", `environment =`, "must not be empty", Options{}},
		{"environment wrong type", set(`environment = "Lab"`, `environment = 42`), "environment", `environment =`, "expected a string, got an integer", Options{}},
		{"environment too long", set(`environment = "Lab"`, `environment = "`+strings.Repeat("x", 81)+`"`), "environment", `environment =`, "longer than 80", Options{}},
		{"environment escape sequence", set(`environment = "Lab"`, `environment = "\u001b[31mPROD"`), "environment", `environment =`, "control character", Options{}},
		{"environment bidi override", set(`environment = "Lab"`, `environment = "Lab\u202e"`), "environment", `environment =`, "control character", Options{}},
		{"read_only not a boolean", add(`environment = "Lab"`, `read_only = "yes"`), "read_only", `read_only`, "expected true or false, got a string", Options{}},
		{"refresh too short", add(`environment = "Lab"`, `refresh_interval = "500ms"`), "refresh_interval", `refresh_interval`, "out of range (1s..5m0s)", Options{}},
		{"refresh too long", add(`environment = "Lab"`, `refresh_interval = "6m"`), "refresh_interval", `refresh_interval`, "out of range", Options{}},
		{"refresh not a duration", add(`environment = "Lab"`, `refresh_interval = "5"`), "refresh_interval", `refresh_interval`, `"5" is not a duration`, Options{}},
		{"refresh as integer", add(`environment = "Lab"`, `refresh_interval = 5`), "refresh_interval", `refresh_interval`, "expected a duration string", Options{}},
		{"pool missing", set(`pool_fqdn = "pchat.contoso.local"`, ``), "pool_fqdn", "", "required key is missing", Options{}},
		{"pool not qualified", set(`pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "pchat"`), "pool_fqdn", `pool_fqdn`, "not fully qualified", Options{}},
		{"pool is an IP", set(`pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "10.1.2.3"`), "pool_fqdn", `pool_fqdn`, "IP address; Lync needs the FQDN", Options{}},
		{"pool empty label", set(`pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "pchat..contoso.local"`), "pool_fqdn", `pool_fqdn`, "empty label", Options{}},
		{"pool underscore", set(`pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "p_chat.contoso.local"`), "pool_fqdn", `pool_fqdn`, `'_' is not allowed`, Options{}},
		{"pool space", set(`pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "pchat .contoso.local"`), "pool_fqdn", `pool_fqdn`, "contains a space", Options{}},
		{"pool label dash", set(`pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "-pchat.contoso.local"`), "pool_fqdn", `pool_fqdn`, "starts or ends with '-'", Options{}},
		{"pool label too long", set(`pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "`+strings.Repeat("a", 64)+`.local"`), "pool_fqdn", `pool_fqdn`, "longer than 63", Options{}},
		{"pool broken IPv4", set(`pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "10.0.0"`), "pool_fqdn", `pool_fqdn`, "not a valid IPv4", Options{}},
		{"pool identity spaces", add(`environment = "Lab"`, `pool_identity = " service:1-PersistentChatServer-1"`), "pool_identity", `pool_identity`, "leading or trailing spaces", Options{}},
		{"share missing", set(`share = '\\fs01.contoso.local\pchatls'`, ``), "share", "", "required key is missing", Options{}},
		{"share with slashes", set(`share = '\\fs01.contoso.local\pchatls'`, `share = '//fs01/pchatls'`), "share", `share =`, "uses backslashes", Options{}},
		{"share local path", set(`share = '\\fs01.contoso.local\pchatls'`, `share = 'C:\pchatls'`), "share", `share =`, "is not a UNC path", Options{}},
		{"share without share", set(`share = '\\fs01.contoso.local\pchatls'`, `share = '\\fs01'`), "share", `share =`, "no share", Options{}},
		{"share bad server", set(`share = '\\fs01.contoso.local\pchatls'`, `share = '\\fs 01\pchatls'`), "share", `share =`, "server part", Options{}},
		{"share bad character", set(`share = '\\fs01.contoso.local\pchatls'`, `share = '\\fs01\pch*tls'`), "share", `share =`, `'*' is not allowed`, Options{}},
		{"share empty folder", set(`share = '\\fs01.contoso.local\pchatls'`, `share = '\\fs01\a\\b'`), "share", `share =`, "empty folder name", Options{}},
		{"share triple backslash", set(`share = '\\fs01.contoso.local\pchatls'`, `share = '\\\fs01\a'`), "share", `share =`, "is not a UNC path", Options{}},
		{"share double-quoted single backslashes", set(`share = '\\fs01.contoso.local\pchatls'`, `share = "\\fs01\\pchatls"`), "share", `share =`, "is not a UNC path", Options{}},
		{"mirror share missing", set(`mirror_share = '\\fs01.contoso.local\csmirror'`, ``), "mirror_share", "", "required key is missing", Options{}},
		{"mirror share not UNC", set(`mirror_share = '\\fs01.contoso.local\csmirror'`, `mirror_share = 'E:\csmirror'`), "mirror_share", `mirror_share`, "is not a UNC path", Options{}},
		{"copy folder relative", set(`copy_folder = 'D:\LSCopy\mgc'`, `copy_folder = 'LSCopy\mgc'`), "copy_folder", `copy_folder`, "not an absolute Windows path", Options{}},
		{"copy folder drive relative", set(`copy_folder = 'D:\LSCopy\mgc'`, `copy_folder = 'D:LSCopy'`), "copy_folder", `copy_folder`, "not an absolute Windows path", Options{}},
		{"copy folder dot dot", set(`copy_folder = 'D:\LSCopy\mgc'`, `copy_folder = 'D:\LSCopy\..\mgc'`), "copy_folder", `copy_folder`, "'..' are not allowed", Options{}},
		{"copy folder trailing dot", set(`copy_folder = 'D:\LSCopy\mgc'`, `copy_folder = 'D:\LSCopy.\mgc'`), "copy_folder", `copy_folder`, "ends with a space or a dot", Options{}},
		{"copy folder colon", set(`copy_folder = 'D:\LSCopy\mgc'`, `copy_folder = 'D:\LS:Copy'`), "copy_folder", `copy_folder`, `':' is not allowed`, Options{}},
		{"copy folder slashes", set(`copy_folder = 'D:\LSCopy\mgc'`, `copy_folder = 'D:/LSCopy/mgc'`), "copy_folder", `copy_folder`, "use backslashes", Options{}},
		{"copy folder too long", set(`copy_folder = 'D:\LSCopy\mgc'`, `copy_folder = 'D:\`+strings.Repeat(`abcdefghij\`, 40)+`'`), "copy_folder", `copy_folder`, "longer than 400", Options{}},
		{"servers missing", set(`primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, ``), "primary_servers", "", "required key is missing", Options{}},
		{"servers empty", set(`primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, `primary_servers = []`), "primary_servers", `primary_servers`, "lists 0 servers; a Persistent Chat pool has 1 to 4", Options{}},
		{"servers five", set(`primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, `primary_servers = ["a.c.l", "b.c.l", "c.c.l", "d.c.l", "e.c.l"]`), "primary_servers", `primary_servers`, "lists 5 servers", Options{}},
		{"servers not an array", set(`primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, `primary_servers = "pc01.contoso.local"`), "primary_servers", `primary_servers`, "expected an array of strings, got a string", Options{}},
		{"servers element type", set(`primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, "primary_servers = [\n  \"pc01.contoso.local\",\n  7,\n]"), "primary_servers[1]", `  7,`, "expected a string, got an integer", Options{}},
		{"servers duplicate", set(`primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, "primary_servers = [\n  \"pc01.contoso.local\",\n  \"PC01.contoso.local\",\n]"), "primary_servers[1]", `"PC01`, "listed twice (also primary_servers[0])", Options{}},
		{"servers not qualified", set(`primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]`, `primary_servers = ["pc01"]`), "primary_servers[0]", `primary_servers`, "not fully qualified", Options{}},
		{"time zone unknown", add(`environment = "Lab"`, `time_zone = "Mars/Olympus_Mons"`), "time_zone", `time_zone`, "not a known time zone", Options{}},
		{"time zone type", add(`environment = "Lab"`, `time_zone = 1`), "time_zone", `time_zone`, "expected a string", Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkRule(t, tc) })
	}
}

func TestDatabaseAndLogRules(t *testing.T) {
	dbs := func(body string) func(t *testing.T) string {
		return func(t *testing.T) string { return validDoc + "\n[databases]\n" + body + "\n" }
	}
	logs := func(body string) func(t *testing.T) string {
		return func(t *testing.T) string { return validDoc + "\n[log]\n" + body + "\n" }
	}
	cases := []ruleCase{
		{"chat empty", dbs(`chat = ""`), "databases.chat", `chat =`, "must not be empty", Options{}},
		{"chat too long", dbs(`chat = "` + strings.Repeat("m", 129) + `"`), "databases.chat", `chat =`, "longer than 128", Options{}},
		{"chat too long in UTF-16", dbs(`chat = "` + strings.Repeat("😀", 65) + `"`), "databases.chat", `chat =`, "longer than 128", Options{}},
		{"chat NUL", dbs(`chat = "mgc\u0000"`), "databases.chat", `chat =`, "control character", Options{}},
		{"chat spaces", dbs(`chat = "mgc "`), "databases.chat", `chat =`, "leading or trailing spaces", Options{}},
		{"chat type", dbs(`chat = ["mgc"]`), "databases.chat", `chat =`, "expected a string, got an array", Options{}},
		{"same database twice", dbs("chat = \"mgc\"\ncompliance = \"MGC\""), "databases.compliance", `compliance =`, "also the chat database", Options{}},
		{"scrollback too small", logs(`scrollback = 50`), "log.scrollback", `scrollback`, "50 is not a valid number of lines (100..1000000)", Options{}},
		{"scrollback too large", logs(`scrollback = 1_000_001`), "log.scrollback", `scrollback`, "is not a valid number of lines", Options{}},
		{"scrollback float", logs(`scrollback = 100.5`), "log.scrollback", `scrollback`, "expected an integer, got a float", Options{}},
		{"log dir tilde", logs(`dir = "~/logs"`), "log.dir", `dir =`, "'~' is not expanded", Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkRule(t, tc) })
	}
}

func TestInstanceRules(t *testing.T) {
	primary := func(extra string) func(t *testing.T) string {
		return add(`host = "sqlprimary.contoso.local"`, extra)
	}
	cases := []ruleCase{
		{"instances missing", func(t *testing.T) string {
			doc := validDoc
			for _, role := range Roles() {
				start := strings.Index(doc, "[instances."+string(role)+"]")
				end := strings.Index(doc[start:], "\n\n")
				doc = doc[:start] + doc[start+end+2:]
			}
			return doc
		}, "instances", "", "required sections are missing", Options{}},
		{"role missing", set("[instances.backup_mirror]\nhost = \"sqlbackupmir.contoso.local\"\nauth = \"dba\"\n", ""), "instances.backup_mirror", "", "required section [instances.backup_mirror] is missing", Options{}},
		{"role misspelt", set(`[instances.backup_mirror]`, `[instances.backup_mirorr]`), "instances.backup_mirorr", `[instances.backup_mirorr]`, "unknown instance role; the roles are primary, primary_mirror, backup and backup_mirror; did you mean backup_mirror?", Options{}},
		{"instances not a table", func(t *testing.T) string { return "instances = \"x\"\n" + validDoc }, "instances", `instances = "x"`, "expected a table, got a string", Options{}},
		{"host missing", set(`host = "sqlprimary.contoso.local"`, ``), "instances.primary.host", `[instances.primary]`, "required key is missing", Options{}},
		{"host with space", set(`host = "sqlprimary.contoso.local"`, `host = "sql primary"`), "instances.primary.host", `host = "sql primary"`, "contains a space", Options{}},
		{"host bracketed IPv6", set(`host = "sqlprimary.contoso.local"`, `host = "[::1]"`), "instances.primary.host", `host = "[::1]"`, "without brackets", Options{}},
		{"host with port", set(`host = "sqlprimary.contoso.local"`, `host = "sqlprimary:1433"`), "instances.primary.host", `host = "sqlprimary:1433"`, "give the port in the port key", Options{}},
		{"port zero", primary(`port = 0`), "instances.primary.port", `port = 0`, "0 is not a TCP port (1-65535)", Options{}},
		{"port too large", primary(`port = 70000`), "instances.primary.port", `port = 70000`, "70000 is not a TCP port (1-65535)", Options{}},
		{"port as string", primary(`port = "1433"`), "instances.primary.port", `port = "1433"`, "expected an integer, got a string", Options{}},
		{"instance default name", primary(`instance = "MSSQLSERVER"`), "instances.primary.instance", `instance =`, "default instance", Options{}},
		{"instance starts with digit", primary(`instance = "1PC"`), "instances.primary.instance", `instance =`, "must start with a letter", Options{}},
		{"instance too long", primary(`instance = "ABCDEFGHIJKLMNOPQ"`), "instances.primary.instance", `instance =`, "longer than 16", Options{}},
		{"instance bad character", primary(`instance = "PC-1"`), "instances.primary.instance", `instance =`, "not a SQL Server instance name", Options{}},
		{"name with space", primary(`name = "SQL PRIMARY"`), "instances.primary.name", `name =`, "contains a space", Options{}},
		{"name with at", primary(`name = "mgc@SQL"`), "instances.primary.name", `name =`, "contains '@'", Options{}},
		{"name too long", primary(`name = "` + strings.Repeat("N", 65) + `"`), "instances.primary.name", `name =`, "longer than 64", Options{}},
		{"names clash", func(t *testing.T) string {
			return replace(t, `host = "sqlbackup.contoso.local"`, `host = "sqlbackup.contoso.local"`+"\nname = \"sqlprimary\"")
		}, "instances.backup.name", `name = "sqlprimary"`, "also the name of instances.primary", Options{}},
		{"derived names clash", set(`host = "sqlbackup.contoso.local"`, `host = "sqlprimary.fabrikam.local"`), "instances.backup.host", `host = "sqlprimary.fabrikam.local"`, `gives the display name "SQLPRIMARY", which is also the name of instances.primary`, Options{}},
		{"same server twice", func(t *testing.T) string {
			return replace(t, `host = "sqlbackup.contoso.local"`, `host = "SQLPRIMARY.contoso.local"`+"\nname = \"OTHER\"")
		}, "instances.backup.host", `host = "SQLPRIMARY`, "same server as instances.primary", Options{}},
		{"auth missing", set("host = \"sqlprimary.contoso.local\"\nauth = \"dba\"", `host = "sqlprimary.contoso.local"`), "instances.primary.auth", `[instances.primary]`, "required key is missing", Options{}},
		{"auth misspelt", set("host = \"sqlprimary.contoso.local\"\nauth = \"dba\"", "host = \"sqlprimary.contoso.local\"\nauth = \"dab\""), "instances.primary.auth", `auth = "dab"`, `no [auth.dab] section; did you mean "dba"?`, Options{}},
		{"auth unknown", set("host = \"sqlprimary.contoso.local\"\nauth = \"dba\"", "host = \"sqlprimary.contoso.local\"\nauth = \"zzzzzz\""), "instances.primary.auth", `auth = "zzzzzz"`, "no [auth.zzzzzz] section (sections: dba, lync)", Options{}},
		{"encrypt unknown", primary(`encrypt = "maybe"`), "instances.primary.encrypt", `encrypt =`, `"maybe" is not an encryption mode`, Options{}},
		{"encrypt disable", primary(`encrypt = "disable"`), "instances.primary.encrypt", `encrypt =`, "only accepted in training", Options{}},
		{"encrypt number", primary(`encrypt = 1`), "instances.primary.encrypt", `encrypt =`, "expected a string, got an integer", Options{}},
		{"trust with strict", primary("encrypt = \"strict\"\ntrust_server_certificate = true"), "instances.primary.trust_server_certificate", `trust_server_certificate`, "cannot be used with encrypt = \"strict\"", Options{}},
		{"trust with CA file", primary("ca_file = \"/etc/pcfailback/ca.pem\"\ntrust_server_certificate = true"), "instances.primary.trust_server_certificate", `trust_server_certificate`, "ca_file would be ignored", Options{}},
		{"trust not a boolean", primary(`trust_server_certificate = "no"`), "instances.primary.trust_server_certificate", `trust_server_certificate`, "expected true or false", Options{}},
		{"sql instance name", primary(`sql_instance_name = "bad name"`), "instances.primary.sql_instance_name", `sql_instance_name`, "not a SQL Server instance name", Options{}},
		{"fqdn not qualified", primary(`fqdn = "sqlprimary"`), "instances.primary.fqdn", `fqdn = "sqlprimary"`, "is not fully qualified", Options{}},
		{"unknown key with suggestion", primary(`encrypted = "true"`), "instances.primary.encrypted", `encrypted`, "unknown key; did you mean encrypt?", Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkRule(t, tc) })
	}
}

func TestLyncRules(t *testing.T) {
	lync := func(extra string) func(t *testing.T) string {
		return add(`host = "lyncfe01.contoso.local"`, extra)
	}
	cases := []ruleCase{
		{"lync missing", set("[lync]\nhost = \"lyncfe01.contoso.local\"\nauth = \"lync\"\n", ""), "lync", "", "required section [lync] is missing", Options{}},
		{"lync host missing", set(`host = "lyncfe01.contoso.local"`, ``), "lync.host", `[lync]`, "required key is missing", Options{}},
		{"lync host bad", set(`host = "lyncfe01.contoso.local"`, `host = "lync fe"`), "lync.host", `host = "lync fe"`, "contains a space", Options{}},
		{"lync fqdn is an address", lync(`fqdn = "10.1.2.3"`), "lync.fqdn", `fqdn = "10.1.2.3"`, "IP address; Lync needs the FQDN", Options{}},
		{"lync port", lync(`port = 65536`), "lync.port", `port =`, "65536 is not a TCP port (1-65535)", Options{}},
		{"lync timeout too long", lync(`operation_timeout = "61s"`), "lync.operation_timeout", `operation_timeout`, "out of range (1s..1m0s)", Options{}},
		{"lync timeout too short", lync(`operation_timeout = "0s"`), "lync.operation_timeout", `operation_timeout`, "out of range", Options{}},
		{"lync with SQL login", set(`auth = "lync"`, `auth = "dba" # SQL login`), "lync.auth", `auth = "dba" # SQL login`, `uses method = "sql"; WinRM needs "ntlm" or "kerberos"`, Options{}},
		{"lync with keytab", func(t *testing.T) string {
			return replace(t, "method = \"ntlm\"\nuser = 'CONTOSO\\lyncadmin'\npassword_prompt = true",
				"method = \"kerberos\"\nuser = \"lyncadmin\"\nkrb5_keytab = \"/etc/pcfailback/lync.keytab\"")
		}, "lync.auth", `auth = "lync"`, "krb5_keytab, which WinRM cannot use", Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkRule(t, tc) })
	}
}

func TestAuthRules(t *testing.T) {
	// dba replaces the body of [auth.dba].
	dba := func(body string) func(t *testing.T) string {
		return set("method = \"sql\"\nuser = \"pcadmin\"\npassword_env = \"PCFAILBACK_DBA_PASSWORD\"", body)
	}
	cases := []ruleCase{
		{"method missing", dba("user = \"pcadmin\"\npassword_prompt = true"), "auth.dba.method", `[auth.dba]`, "required key is missing", Options{}},
		{"method unknown", dba("method = \"digest\"\nuser = \"pcadmin\"\npassword_prompt = true"), "auth.dba.method", `method = "digest"`, `"digest" is not a method`, Options{}},
		{"basic for SQL Server", dba("method = \"basic\"\nuser = \"pcadmin\"\npassword_prompt = true"), "instances.primary.auth", `auth = "dba"`, "WinRM only", Options{}},
		{"sql user missing", dba("method = \"sql\"\npassword_prompt = true"), "auth.dba.user", `[auth.dba]`, `required for method = "sql"`, Options{}},
		{"sql user with domain", dba("method = \"sql\"\nuser = 'CONTOSO\\dba'\npassword_prompt = true"), "auth.dba.user", `user = 'CONTOSO`, `Windows account`, Options{}},
		{"ntlm user without domain", dba("method = \"ntlm\"\nuser = \"dba\"\npassword_prompt = true"), "auth.dba.user", `user = "dba"`, `is not DOMAIN\user`, Options{}},
		{"ntlm user empty domain", dba("method = \"ntlm\"\nuser = '\\dba'\npassword_prompt = true"), "auth.dba.user", `user = '\dba'`, `is not DOMAIN\user`, Options{}},
		{"ntlm user missing", dba("method = \"ntlm\"\npassword_prompt = true"), "auth.dba.user", `[auth.dba]`, `required for method = "ntlm"`, Options{}},
		{"kerberos user with domain", dba("method = \"kerberos\"\nuser = 'CONTOSO\\dba'\npassword_prompt = true"), "auth.dba.user", `user = 'CONTOSO`, `not DOMAIN\user`, Options{}},
		{"no password source", dba("method = \"sql\"\nuser = \"pcadmin\""), "auth.dba", `[auth.dba]`, "needs a password source", Options{}},
		{"two password sources", dba("method = \"sql\"\nuser = \"pcadmin\"\npassword_env = \"X\"\npassword_prompt = true"), "auth.dba", `[auth.dba]`, "set only one of password_env, password_file and password_prompt", Options{}},
		{"password env invalid", dba("method = \"sql\"\nuser = \"pcadmin\"\npassword_env = \"1PASS\""), "auth.dba.password_env", `password_env`, "must be the name of an environment variable", Options{}},
		{"password file tilde", dba("method = \"sql\"\nuser = \"pcadmin\"\npassword_file = \"~/.pcpass\""), "auth.dba.password_file", `password_file`, "'~' is not expanded", Options{}},
		{"prompt not a boolean", dba("method = \"sql\"\nuser = \"pcadmin\"\npassword_prompt = \"yes\""), "auth.dba.password_prompt", `password_prompt`, "expected true or false", Options{}},
		{"kerberos key on ntlm", dba("method = \"ntlm\"\nuser = 'C\\dba'\npassword_prompt = true\nkrb5_ccache = \"/tmp/krb5cc_0\""), "auth.dba.krb5_ccache", `krb5_ccache`, `only used with method = "kerberos"`, Options{}},
		{"realm on sql", dba("method = \"sql\"\nuser = \"pcadmin\"\npassword_prompt = true\nrealm = \"CONTOSO.LOCAL\""), "auth.dba.realm", `realm`, `only used with method = "kerberos"`, Options{}},
		{"kerberos ccache and keytab", dba("method = \"kerberos\"\nuser = \"dba\"\nkrb5_ccache = \"/tmp/cc\"\nkrb5_keytab = \"/etc/kt\""), "auth.dba", `[auth.dba]`, "krb5_ccache and krb5_keytab are alternatives", Options{}},
		{"kerberos password and ccache", dba("method = \"kerberos\"\nuser = \"dba\"\nkrb5_ccache = \"/tmp/cc\"\npassword_prompt = true"), "auth.dba", `[auth.dba]`, "a password source and krb5_ccache/krb5_keytab are alternatives", Options{}},
		{"kerberos keytab without user", dba("method = \"kerberos\"\nkrb5_keytab = \"/etc/kt\""), "auth.dba.user", `[auth.dba]`, "required for kerberos with a password or a keytab", Options{}},
		{"kerberos realm invalid", dba("method = \"kerberos\"\nrealm = \"CONTOSO LOCAL\""), "auth.dba.realm", `realm`, "is not a Kerberos realm", Options{}},
		{"password key", dba("method = \"sql\"\nuser = \"pcadmin\"\npassword_prompt = true\npassword = \"x\""), "auth.dba.password", `password = "x"`, "use password_env, password_file or password_prompt", Options{}},
		{"auth not a table", func(t *testing.T) string { return "auth = 3\n" + validDoc }, "auth", `auth = 3`, "expected a table, got an integer", Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkRule(t, tc) })
	}
}

func TestDecoderRules(t *testing.T) {
	cases := []ruleCase{
		{"unknown top-level key with suggestion", add(`environment = "Lab"`, `refresh_intervall = "5s"`), "refresh_intervall", `refresh_intervall`, "unknown key; did you mean refresh_interval?", Options{}},
		{"unknown key without suggestion", add(`environment = "Lab"`, `colour = "blue"`), "colour", `colour`, "unknown key", Options{}},
		{"unknown section", func(t *testing.T) string { return validDoc + "\n[ui]\ntheme = \"dark\"\n" }, "ui", `[ui]`, "unknown key", Options{}},
		{"duplicate key", add(`environment = "Lab"`, `environment = "Prod"`), "environment", `environment = "Prod"`, "already defined", Options{}},
		{"array of tables", set("[lync]", "[[lync]]"), "lync", `[[lync]]`, "expected a table, got an array of tables ([[...]]); write [lync]", Options{}},
		{"array of tables after table", func(t *testing.T) string { return validDoc + "\n[[lync]]\nhost = \"x\"\n" }, "lync", `[[lync]]`, "already exists as a table", Options{}},
		{"top-level password", add(`environment = "Lab"`, `password = "x"`), "password", `password = "x"`, "a password cannot be written in the configuration file", Options{}},
		{"quoted odd key", add(`environment = "Lab"`, `"odd key" = 1`), `"odd key"`, `"odd key"`, "unknown key", Options{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkRule(t, tc) })
	}
}

func TestSyntaxErrorHasLineAndColumn(t *testing.T) {
	doc := replace(t, `pool_fqdn = "pchat.contoso.local"`, `pool_fqdn = "pchat.contoso.local`)
	es := parseErrors(t, doc, Options{})
	if len(es) != 1 {
		t.Fatalf("want exactly the syntax error, got:\n%v", es)
	}
	e := es[0]
	if e.Line != 2 || e.Column == 0 || e.Field != "" {
		t.Errorf("got line %d column %d field %q, want line 2, a column, no field", e.Line, e.Column, e.Field)
	}
	if !strings.HasPrefix(e.Error(), fmt.Sprintf("%s:2:%d: ", testFile, e.Column)) {
		t.Errorf("got %q", e.Error())
	}
}

func TestTrainingAcceptsDisable(t *testing.T) {
	doc := after(t, `host = "sqlprimary.contoso.local"`, `encrypt = "disable"`)
	c, err := ParseWith(testFile, []byte(doc), Options{Training: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Instance(RolePrimary).Encrypt; got != EncryptDisable {
		t.Errorf("encrypt = %q, want disable", got)
	}
}

func TestLyncAcceptsBasic(t *testing.T) {
	c := mustParse(t, replace(t, "[auth.lync]\nmethod = \"ntlm\"\nuser = 'CONTOSO\\lyncadmin'", "[auth.lync]\nmethod = \"basic\"\nuser = 'lyncadmin'"))
	if c.Lync.Auth.Method != MethodBasic {
		t.Fatalf("lync auth method %q, want basic", c.Lync.Auth.Method)
	}
}
