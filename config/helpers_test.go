package config

import (
	"errors"
	"strings"
	"testing"
)

// testFile is the path used in messages of documents parsed from memory.
const testFile = "/home/op/.config/pcfailback/config.toml"

// validDoc is a small complete configuration; tests change one thing in it at a time.
const validDoc = `environment = "Lab"
pool_fqdn = "pchat.contoso.local"
share = '\\fs01.contoso.local\pchatls'
copy_folder = 'D:\LSCopy\mgc'
mirror_share = '\\fs01.contoso.local\csmirror'
primary_servers = ["pc01.contoso.local", "pc02.contoso.local"]

[instances.primary]
host = "sqlprimary.contoso.local"
auth = "dba"

[instances.primary_mirror]
host = "sqlprimarymir.contoso.local"
auth = "dba"

[instances.backup]
host = "sqlbackup.contoso.local"
auth = "dba"

[instances.backup_mirror]
host = "sqlbackupmir.contoso.local"
auth = "dba"

[lync]
host = "lyncfe01.contoso.local"
auth = "lync"

[auth.dba]
method = "sql"
user = "pcadmin"
password_env = "PCFAILBACK_DBA_PASSWORD"

[auth.lync]
method = "ntlm"
user = 'CONTOSO\lyncadmin'
password_prompt = true
`

// replace returns validDoc with old replaced by new; it fails the test when old is not in the document, so a
// change of validDoc cannot silently turn a case into a no-op.
func replace(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(validDoc, old) {
		t.Fatalf("validDoc does not contain %q", old)
	}
	return strings.Replace(validDoc, old, new, 1)
}

// after returns validDoc with extra inserted on the line after anchor.
func after(t *testing.T, anchor, extra string) string {
	t.Helper()
	return replace(t, anchor, anchor+"\n"+extra)
}

// lineOf returns the 1-based line of the first occurrence of s in doc, failing the test when it is absent.
func lineOf(t *testing.T, doc, s string) int {
	t.Helper()
	i := strings.Index(doc, s)
	if i < 0 {
		t.Fatalf("document does not contain %q", s)
	}
	return strings.Count(doc[:i], "\n") + 1
}

// mustParse parses a document that must be valid.
func mustParse(t *testing.T, doc string) *Config {
	t.Helper()
	c, err := Parse(testFile, []byte(doc))
	if err != nil {
		t.Fatalf("unexpected error:\n%v\ndocument:\n%s", err, doc)
	}
	return c
}

// parseErrors parses a document that must be invalid and returns its problems.
func parseErrors(t *testing.T, doc string, opts Options) Errors {
	t.Helper()
	c, err := ParseWith(testFile, []byte(doc), opts)
	if err == nil {
		t.Fatalf("no error; document:\n%s", doc)
	}
	if c != nil {
		t.Errorf("a Config came back with an error")
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error is %T, want Errors: %v", err, err)
	}
	return es
}

// findError returns the problem about field, failing the test (with all problems) when there is none.
func findError(t *testing.T, es Errors, field string) *Error {
	t.Helper()
	for _, e := range es {
		if e.Field == field {
			return e
		}
	}
	t.Fatalf("no problem about %q; got:\n%v", field, es)
	return nil
}
