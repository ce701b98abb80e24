package tds

import (
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"pcfailback/sim"
)

// loginError connects with the given credentials and returns the driver's error.
func loginError(t *testing.T, f *fixture, user, password string, q url.Values) error {
	t.Helper()
	db, err := sql.Open("sqlserver", f.dsn(user, password, q))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return db.PingContext(testCtx(t))
}

// sqlError extracts the SQL Server error a login failed with.
// The driver prefixes the text of login errors with "login error: ".
func sqlError(t *testing.T, err error) mssql.Error {
	t.Helper()
	var e mssql.Error
	if !errors.As(err, &e) {
		t.Fatalf("want a SQL Server error, got %v", err)
	}
	return e
}

// userSession finds the one session the test's login opened.
func userSession(t *testing.T, f *fixture) sim.WireSessionInfo {
	t.Helper()
	var found []sim.WireSessionInfo
	for _, s := range f.sim.UserSessions(f.server) {
		if s.Login == testUser {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("sessions of %s: %+v", testUser, found)
	}
	return found[0]
}

func TestPlainLoginOpensASessionWithTheClientsDetails(t *testing.T) {
	events := make(chan ConnEvent, 4)
	f := start(t, options{conns: events})
	ctx := testCtx(t)
	c := f.conn(ctx, url.Values{"workstation id": {"CONSOLE01"}, "database": {"msdb"}})
	o := mustQuery(t, ctx, c, "SELECT DB_NAME() AS db, @@SPID AS spid, HOST_NAME() AS host, APP_NAME() AS app, SUSER_SNAME() AS login;")
	s := userSession(t, f)
	row := o.sets[0]
	if row.cell(0, "db") != "msdb" || row.cell(0, "spid") != int64(s.SPID) || row.cell(0, "host") != "CONSOLE01" ||
		row.cell(0, "app") != "pcfailback-test" || row.cell(0, "login") != testUser {
		t.Fatalf("session as the server sees it: %v (sim: %+v)", row.rows[0], s)
	}
	if s.ReadOnlyIntent || s.ClientInterface != "go-mssqldb" || s.Database != "msdb" {
		t.Fatalf("sim session %+v", s)
	}
	ev := <-events
	if ev.Err != nil || ev.Encryption != "none" || ev.User != testUser || ev.SPID != s.SPID || ev.TDSVersion != verTDS74 || ev.PacketSize != 4096 {
		t.Fatalf("connection event %+v", ev)
	}
	if st := f.srv.Stats(); st.Logins != 1 || st.LoginFailures != 0 || st.Batches != 1 || st.BytesIn == 0 || st.BytesOut == 0 {
		t.Fatalf("stats %+v", st)
	}
	// Closing the connection ends the session.
	c.Close()
	f.srv.Close()
	if got := f.sim.UserSessions(f.server); len(got) != 0 {
		t.Fatalf("sessions after the client left: %+v", got)
	}
}

func TestReadOnlyIntentReachesTheSession(t *testing.T) {
	f := start(t, options{})
	ctx := testCtx(t)
	c := f.conn(ctx, url.Values{"ApplicationIntent": {"ReadOnly"}})
	mustQuery(t, ctx, c, "SELECT 1;")
	if s := userSession(t, f); !s.ReadOnlyIntent {
		t.Fatalf("session %+v has no read-only intent", s)
	}
}

func TestEncryptTrueVerifiesTheCertificateAgainstThePrivateCA(t *testing.T) {
	events := make(chan ConnEvent, 4)
	f := start(t, options{tls: true, conns: events})
	ctx := testCtx(t)
	for _, q := range []url.Values{
		{"encrypt": {"true"}, "certificate": {f.caFile}, "hostNameInCertificate": {"sqlbackup.contoso.local"}},
		{"encrypt": {"true"}, "certificate": {f.caFile}}, // the certificate also names 127.0.0.1
	} {
		c := f.conn(ctx, q)
		o := mustQuery(t, ctx, c, "SELECT @@SERVERNAME AS s;")
		if o.sets[0].rows[0][0] != "SQLBACKUP" {
			t.Fatalf("over TLS: %+v", o)
		}
		if ev := <-events; ev.Encryption != "full" || ev.Err != nil {
			t.Fatalf("event %+v", ev)
		}
	}
}

func TestEncryptTrueRefusesAWrongHostNameAndAnUnknownCA(t *testing.T) {
	events := make(chan ConnEvent, 4)
	f := start(t, options{tls: true, conns: events})
	cases := map[string]url.Values{
		"wrong host": {"encrypt": {"true"}, "certificate": {f.caFile}, "hostNameInCertificate": {"sqlprimary.contoso.local"}},
		"unknown CA": {"encrypt": {"true"}},
	}
	for name, q := range cases {
		err := loginError(t, f, testUser, testPassword, q)
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("%s: want a certificate error, got %v", name, err)
		}
		// The server sees the client abandon the handshake.
		if ev := <-events; ev.Err == nil || ev.SPID != 0 {
			t.Errorf("%s: event %+v", name, ev)
		}
	}
	if got := f.sim.UserSessions(f.server); len(got) != 0 {
		t.Fatalf("a refused handshake opened sessions: %+v", got)
	}
	if st := f.srv.Stats(); st.Logins != 0 || st.LoginFailures != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestEncryptFalseEncryptsTheLoginOnly(t *testing.T) {
	events := make(chan ConnEvent, 4)
	f := start(t, options{tls: true, conns: events})
	ctx := testCtx(t)
	c := f.conn(ctx, url.Values{"encrypt": {"false"}, "certificate": {f.caFile}})
	o := mustQuery(t, ctx, c, "SELECT N'after the login' AS s;")
	if o.sets[0].rows[0][0] != "after the login" {
		t.Fatalf("%+v", o)
	}
	if ev := <-events; ev.Encryption != "login" || ev.Err != nil {
		t.Fatalf("event %+v", ev)
	}
}

func TestEncryptTrueFailsWhenTheServerHasNoCertificate(t *testing.T) {
	f := start(t, options{})
	err := loginError(t, f, testUser, testPassword, url.Values{"encrypt": {"true"}})
	if err == nil || !strings.Contains(err.Error(), "does not support encryption") {
		t.Fatalf("want the driver's refusal, got %v", err)
	}
}

func TestWrongPasswordIs18456State8(t *testing.T) {
	f := start(t, options{tls: true})
	for _, q := range []url.Values{nil, {"encrypt": {"true"}, "certificate": {f.caFile}}} {
		e := sqlError(t, loginError(t, f, testUser, "wrong", q))
		if e.Number != 18456 || e.Class != 14 || e.State != 8 || !strings.HasSuffix(e.Message, "Login failed for user 'pcfailback'.") {
			t.Fatalf("wrong password: %d class %d state %d %q", e.Number, e.Class, e.State, e.Message)
		}
	}
	e := sqlError(t, loginError(t, f, "nobody", testPassword, nil))
	if e.Number != 18456 || e.State != 5 || !strings.HasSuffix(e.Message, "Login failed for user 'nobody'.") {
		t.Fatalf("unknown login: %+v", e)
	}
	// Login names are case-insensitive, passwords are not.
	if err := loginError(t, f, strings.ToUpper(testUser), testPassword, nil); err != nil {
		t.Fatalf("upper-case login: %v", err)
	}
	if e := sqlError(t, loginError(t, f, testUser, strings.ToUpper(testPassword), nil)); e.Number != 18456 {
		t.Fatalf("upper-case password: %+v", e)
	}
}

func TestTheSimulatorsLoginRefusalComesThroughAs18456(t *testing.T) {
	f := start(t, options{server: "SQLPRIMARY", scenario: "primary-login-denied"})
	e := sqlError(t, loginError(t, f, testUser, testPassword, nil))
	if e.Number != 18456 || e.Class != 14 || !strings.HasSuffix(e.Message, "Login failed for user 'pcfailback'.") {
		t.Fatalf("denied login: %d class %d state %d %q", e.Number, e.Class, e.State, e.Message)
	}
}

func TestADatabaseThatCannotBeOpenedFailsTheLoginWith4060(t *testing.T) {
	f := start(t, options{})
	e := sqlError(t, loginError(t, f, testUser, testPassword, url.Values{"database": {"nosuchdb"}}))
	if e.Number != 18456 || len(e.All) != 2 || e.All[0].Number != 4060 ||
		e.All[0].Message != `Cannot open database "nosuchdb" requested by the login. The login failed.` {
		t.Fatalf("login to a missing database: %+v", e)
	}
}

func TestIntegratedAuthenticationIsRefusedClearly(t *testing.T) {
	f := start(t, options{})
	e := sqlError(t, loginError(t, f, `CONTOSO\dba`, "secret", nil))
	if e.Number != 18452 || !strings.Contains(e.Message, "integrated authentication") {
		t.Fatalf("NTLM login: %+v", e)
	}
}

func TestUsersNilAcceptsEveryLoginAndEmptyAcceptsNone(t *testing.T) {
	f := start(t, options{users: map[string]string{}})
	if e := sqlError(t, loginError(t, f, testUser, testPassword, nil)); e.Number != 18456 {
		t.Fatalf("empty Users: %+v", e)
	}
	g := start(t, options{anyLogin: true})
	if err := loginError(t, g, "anyone", "anything", nil); err != nil {
		t.Fatalf("nil Users: %v", err)
	}
}
