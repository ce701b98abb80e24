package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"
)

func TestExampleFileLoads(t *testing.T) {
	c, err := Load(filepath.Join("..", "config.example.toml"))
	if err != nil {
		t.Fatalf("the example file must load cleanly:\n%v", err)
	}
	if c.Environment != "Contoso production" || c.PoolFQDN != "pchat.contoso.local" {
		t.Errorf("environment %q pool %q", c.Environment, c.PoolFQDN)
	}
	if c.Share != `\\fs01.contoso.local\pchatls` || c.CopyFolder != `D:\LSCopy\mgc` || c.MirrorShare != `\\fs01.contoso.local\csmirror` {
		t.Errorf("paths: %q %q %q", c.Share, c.CopyFolder, c.MirrorShare)
	}
	for _, role := range Roles() {
		in := c.Instance(role)
		if in.Role != role || in.Host == "" || in.Auth.Name != "dba" || in.Port != 1433 || in.Encrypt != EncryptTrue {
			t.Errorf("%s: %+v", role, in)
		}
	}
	if got := c.Instance(RolePrimary).Name; got != "SQLPRIMARY" {
		t.Errorf("primary name %q", got)
	}
	if c.Lync.Auth.Method != MethodNTLM || !c.Lync.Auth.PasswordPrompt || c.Lync.OperationTimeout != 20*time.Second {
		t.Errorf("lync: %+v", c.Lync)
	}
	if c.Auth["dba"].PasswordEnv != "PCFAILBACK_DBA_PASSWORD" {
		t.Errorf("dba: %+v", c.Auth["dba"])
	}
}

func TestExampleFileExplainsEveryKey(t *testing.T) {
	// Every key of the schema must appear in the example, so the example stays the reference.
	data := readExample(t)
	var walk func(path []string)
	walk = func(path []string) {
		for _, k := range schemaKeys(path) {
			if !strings.Contains(data, k) {
				t.Errorf("config.example.toml does not mention %s", strings.Join(append(path, k), "."))
			}
			if sub := schemaKeys(append(append([]string(nil), path...), k)); sub != nil {
				walk(append(append([]string(nil), path...), k))
			}
		}
	}
	walk(nil)
	walk([]string{"auth", "any"})
}

func TestDefaultsApplied(t *testing.T) {
	c := mustParse(t, validDoc)
	if c.Path != testFile {
		t.Errorf("Path %q", c.Path)
	}
	if c.ReadOnly || c.RefreshInterval != 5*time.Second || c.PoolIdentity != "" || c.TimeZone != "" || c.Location != time.Local {
		t.Errorf("top level defaults: %+v", c)
	}
	if c.Databases != (Databases{Chat: "mgc", Compliance: "mgccomp"}) {
		t.Errorf("databases %+v", c.Databases)
	}
	want := map[Role]string{RolePrimary: "SQLPRIMARY", RolePrimaryMirror: "SQLPRIMARYMIR", RoleBackup: "SQLBACKUP", RoleBackupMirror: "SQLBACKUPMIR"}
	for role, name := range want {
		in := c.Instance(role)
		if in.Name != name || in.Port != 1433 || in.Encrypt != EncryptTrue || in.TrustServerCertificate || in.CAFile != "" || in.InstanceName != "" {
			t.Errorf("%s: %+v", role, in)
		}
	}
	if c.Lync.Port != 5986 || c.Lync.OperationTimeout != 20*time.Second {
		t.Errorf("lync %+v", c.Lync)
	}
	if want := filepath.Join(xdg.StateHome, "pcfailback", "logs"); c.Log.Dir != want || c.Log.Scrollback != 10000 {
		t.Errorf("log %+v, want dir %s", c.Log, want)
	}
	if !reflect.DeepEqual(c.PrimaryServers, []string{"pc01.contoso.local", "pc02.contoso.local"}) {
		t.Errorf("servers %v", c.PrimaryServers)
	}
}

func TestValuesAndNormalisation(t *testing.T) {
	doc := replace(t, `share = '\\fs01.contoso.local\pchatls'`, `share = '\\fs01\pchatls\failback\'`)
	doc = strings.Replace(doc, `copy_folder = 'D:\LSCopy\mgc'`, `copy_folder = 'e:\'`, 1)
	doc = strings.Replace(doc, `host = "sqlprimary.contoso.local"`, "host = \"sqlprimary.contoso.local\"\ninstance = \"pchat\"", 1)
	doc = strings.Replace(doc, `host = "sqlbackup.contoso.local"`, "host = \"fd00::15\"\nport = 14330\nencrypt = false", 1)
	doc = strings.Replace(doc, `host = "sqlbackupmir.contoso.local"`, "host = \"10.1.2.3\"\nencrypt = \"STRICT\"\nsql_instance_name = \"PCHAT\"\nfqdn = \"sqlbackupmir.contoso.local\"", 1)
	doc = "read_only = true\n" + doc + `
[databases]
chat = "mgc_dr"
[log]
dir = "logs"
scrollback = 100
`
	doc = strings.Replace(doc, `environment = "Lab"`, "environment = \"Lab\"\nrefresh_interval = \"1m30s\"\ntime_zone = \"Europe/Paris\"\npool_identity = \"service:1-PersistentChatServer-1\"", 1)
	c := mustParse(t, doc)
	if c.Share != `\\fs01\pchatls\failback` || c.CopyFolder != `e:\` {
		t.Errorf("share %q copy %q", c.Share, c.CopyFolder)
	}
	if bm := c.Instance(RoleBackupMirror); bm.Host != "10.1.2.3" || bm.FQDN != "sqlbackupmir.contoso.local" {
		t.Errorf("fqdn: host %q fqdn %q", bm.Host, bm.FQDN)
	}
	if c.Lync.FQDN != c.Lync.Host {
		t.Errorf("lync fqdn defaults to host: %q vs %q", c.Lync.FQDN, c.Lync.Host)
	}
	p := c.Instance(RolePrimary)
	if p.FQDN != p.Host {
		t.Errorf("fqdn defaults to host: %q vs %q", p.FQDN, p.Host)
	}
	if p.InstanceName != "pchat" || p.Port != 0 || p.Name != `SQLPRIMARY\PCHAT` {
		t.Errorf("named instance without port: %+v", p)
	}
	b := c.Instance(RoleBackup)
	if b.Host != "fd00::15" || b.Port != 14330 || b.Name != "FD00::15" || b.Encrypt != EncryptFalse {
		t.Errorf("IPv6 backup: %+v", b)
	}
	bm := c.Instance(RoleBackupMirror)
	if bm.Name != "10.1.2.3" || bm.Encrypt != EncryptStrict || bm.SQLInstanceName != "PCHAT" {
		t.Errorf("IPv4 backup mirror: %+v", bm)
	}
	if !c.ReadOnly || c.RefreshInterval != 90*time.Second || c.TimeZone != "Europe/Paris" || c.Location.String() != "Europe/Paris" {
		t.Errorf("top level: ro %v refresh %v tz %q %v", c.ReadOnly, c.RefreshInterval, c.TimeZone, c.Location)
	}
	if c.PoolIdentity != "service:1-PersistentChatServer-1" {
		t.Errorf("identity %q", c.PoolIdentity)
	}
	if c.Databases != (Databases{Chat: "mgc_dr", Compliance: "mgccomp"}) {
		t.Errorf("databases %+v", c.Databases)
	}
	if want := filepath.Join(filepath.Dir(testFile), "logs"); c.Log.Dir != want || c.Log.Scrollback != 100 {
		t.Errorf("log %+v want dir %s", c.Log, want)
	}
}

func TestKerberosDefaults(t *testing.T) {
	doc := replace(t, "method = \"sql\"\nuser = \"pcadmin\"\npassword_env = \"PCFAILBACK_DBA_PASSWORD\"",
		"method = \"Kerberos\"\nkrb5_ccache = \"cc/krb5cc\"")
	a := mustParse(t, doc).Auth["dba"]
	if a.Method != MethodKerberos || a.Krb5Config != DefaultKrb5Config || a.NeedsPassword() {
		t.Errorf("%+v", a)
	}
	if want := filepath.Join(filepath.Dir(testFile), "cc", "krb5cc"); a.Krb5CCache != want {
		t.Errorf("ccache %q want %q", a.Krb5CCache, want)
	}
}

func TestInlineTablesAndDottedKeysCiteLines(t *testing.T) {
	// An inline table spread over lines and a dotted key: both must be placed before the first [table] header.
	body := replace(t, "[lync]\nhost = \"lyncfe01.contoso.local\"\nauth = \"lync\"\n", "")
	doc := "lync = { host = \"lyncfe01.contoso.local\",\n  auth = \"lync\",\n  port = 0 }\n" +
		"databases.chat = \"\"\n" + body
	es := parseErrors(t, doc, Options{})
	if e := findError(t, es, "lync.port"); e.Line != 3 {
		t.Errorf("inline table key cited at line %d, want 3: %v", e.Line, e)
	}
	if e := findError(t, es, "databases.chat"); e.Line != 4 {
		t.Errorf("dotted key cited at line %d, want 4: %v", e.Line, e)
	}
}

// readExample returns the example file's text.
func readExample(t *testing.T) string {
	t.Helper()
	data, err := readFile(filepath.Join("..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
