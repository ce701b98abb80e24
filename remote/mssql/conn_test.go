package mssql

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	mssqldb "github.com/microsoft/go-mssqldb"
	"github.com/microsoft/go-mssqldb/msdsn"

	"pcfailback/config"
	"pcfailback/remote"
)

// silentListener accepts connections and never says anything, like a wedged instance or a half-open balancer.
func silentListener(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// A server that accepts TCP and never answers the PRELOGIN fails the connect at the login guard, although the
// caller's context has no deadline.
func TestConnectLoginGuard(t *testing.T) {
	o := fakeOptions(silentListener(t))
	o.LoginTimeout = 300 * time.Millisecond
	c := open(t, o)
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		_, err := c.Connect(context.Background(), "master")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no login reply") {
			t.Fatalf("Connect = %v", err)
		}
		t.Logf("failed after %v", time.Since(start).Round(time.Millisecond))
	case <-time.After(hangGuard):
		t.Fatal("Connect hung on a silent server")
	}
}

// The caller giving up interrupts a login at once, whatever the guard's own limit.
func TestConnectCancelledDuringLogin(t *testing.T) {
	o := fakeOptions(silentListener(t))
	o.LoginTimeout = time.Hour
	c := open(t, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Connect(ctx, "master")
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Connect = %v", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("Connect ignored the cancellation")
	}
}

// A long silent statement is not cut by the login guard: the deadline is lifted once logged in.
func TestLoginGuardDoesNotLimitStatements(t *testing.T) {
	const guard = 100 * time.Millisecond
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		// The condition under test, not a synchronisation: the server stays silent for longer than the guard.
		select {
		case <-time.After(4 * guard):
		case <-ctx.Done():
		}
		w.Info(3014, "BACKUP DATABASE successfully processed 1 pages.")
	})
	o := fakeOptions(srv.port())
	o.LoginTimeout = guard
	s := connect(t, open(t, o), "master")
	evs, err := collect(t, s, "BACKUP DATABASE [mgc] TO DISK = N'x'")
	if err != nil || len(evs) != 1 {
		t.Fatalf("Run = %v, %+v", err, evs)
	}
}

// A wrong password is the server's 18456, with its text, as a *remote.SQLError; the password appears nowhere.
func TestConnectWrongPassword(t *testing.T) {
	srv := startFake(t, "the right one", func(context.Context, string, *fakeWriter) {})
	c := open(t, fakeOptions(srv.port()))
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	_, err := c.Connect(ctx, "master")
	var sqlErr *remote.SQLError
	if !errors.As(err, &sqlErr) {
		t.Fatalf("Connect = %v (%T), want *remote.SQLError", err, err)
	}
	if sqlErr.Number != 18456 || sqlErr.Class != 14 || sqlErr.Text != "Login failed for user 'dba'." {
		t.Errorf("error %+v", *sqlErr)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("the error shows the password: %v", err)
	}
}

// The session's database, the app name and the read-only intent reach the server in LOGIN7.
func TestConnectSendsDatabaseAppAndIntent(t *testing.T) {
	srv := startFake(t, secret, func(context.Context, string, *fakeWriter) {})
	o := fakeOptions(srv.port())
	connect(t, open(t, o), "mgc")
	o.ReadOnly = true
	connect(t, open(t, o), "")
	logins, _ := srv.received()
	if len(logins) != 2 {
		t.Fatalf("%d logins", len(logins))
	}
	if l := logins[0]; l.Database != "mgc" || l.App != "pcfailback" || l.ReadOnly || l.User != "dba" || l.Password != secret {
		t.Errorf("first login %+v", l)
	}
	if l := logins[1]; l.Database != "master" || !l.ReadOnly {
		t.Errorf("read-only login %+v", l)
	}
}

// A script with GO lines runs batch by batch, in order, on the session's one connection; without GO lines it is
// sent as given.
func TestRunScriptBatchesOnOneConnection(t *testing.T) {
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		w.Info(0, strings.TrimSpace(sql))
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	evs, err := collect(t, s, "SET SINGLE_USER\nGO\nRESTORE 'a\\\nb'\nGO 2\nSET MULTI_USER")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, ev := range evs {
		texts = append(texts, ev.Text)
	}
	want := "SET SINGLE_USER|RESTORE 'a\\\nb'|RESTORE 'a\\\nb'|SET MULTI_USER"
	if strings.Join(texts, "|") != want {
		t.Fatalf("ran %q, want %q", texts, want)
	}
	raw := "PRINT 'x\\\r\ny' -- no separator\r\n"
	if _, err := collect(t, s, raw); err != nil {
		t.Fatal(err)
	}
	_, batches := srv.received()
	if len(batches) != 5 || batches[4].SQL != raw {
		t.Fatalf("batches %+v", batches)
	}
	for _, b := range batches {
		if b.Conn != batches[0].Conn {
			t.Fatalf("batches went over different connections: %+v", batches)
		}
	}
}

// The first batch that fails ends the script: what follows a failed SET SINGLE_USER must not run.
func TestRunScriptStopsAtTheFailingBatch(t *testing.T) {
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		if strings.Contains(sql, "SINGLE_USER") {
			w.Error(5070, 16, "Database state cannot be changed while other users are using the database 'mgc'")
		}
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	_, err := collect(t, s, "ALTER DATABASE [mgc] SET SINGLE_USER\nGO\nRESTORE DATABASE [mgc]")
	var sqlErr *remote.SQLError
	if !errors.As(err, &sqlErr) || sqlErr.Number != 5070 {
		t.Fatalf("Run = %v", err)
	}
	if _, batches := srv.received(); len(batches) != 1 {
		t.Fatalf("batches after the failure ran: %+v", batches)
	}
}

// Conn.Close ends its sessions and refuses new ones.
func TestConnCloseEndsSessions(t *testing.T) {
	srv := startFake(t, secret, func(context.Context, string, *fakeWriter) {})
	c := open(t, fakeOptions(srv.port()))
	s := connect(t, c, "master")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := collect(t, s, "SELECT 1"); !errors.Is(err, ErrClosed) {
		t.Errorf("Run on a session of a closed Conn = %v", err)
	}
	if _, err := c.Connect(context.Background(), "master"); !errors.Is(err, ErrClosed) {
		t.Errorf("Connect after Close = %v", err)
	}
}

// Whatever the driver would log about connections, logins and failures never holds the password.
func TestDriverLogsHoldNoPassword(t *testing.T) {
	var mu sync.Mutex
	var logged strings.Builder
	mssqldb.SetContextLogger(logFunc(func(_ context.Context, _ msdsn.Log, msg string) {
		mu.Lock()
		logged.WriteString(msg + "\n")
		mu.Unlock()
	}))
	t.Cleanup(func() { mssqldb.SetContextLogger(nil) })
	srv := startFake(t, "other", func(context.Context, string, *fakeWriter) {})
	c := open(t, fakeOptions(srv.port()))
	_, _ = c.Connect(context.Background(), "master")
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logged.String(), secret) {
		t.Fatalf("the driver logged the password: %q", logged.String())
	}
}

// logFunc adapts a function to the driver's ContextLogger.
type logFunc func(ctx context.Context, category msdsn.Log, msg string)

func (f logFunc) Log(ctx context.Context, category msdsn.Log, msg string) { f(ctx, category, msg) }

// Closing a session logs it out at once: its connection ends rather than lingering in a pool, where the instance
// would list it as a sleeping session.
func TestCloseEndsTheConnection(t *testing.T) {
	srv := startFake(t, secret, func(context.Context, string, *fakeWriter) {})
	s := connect(t, open(t, fakeOptions(srv.port())), "mgc")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-srv.ended:
		if id != 1 {
			t.Fatalf("connection %d ended", id)
		}
	case <-time.After(hangGuard):
		t.Fatal("the connection outlived Close")
	}
}

// A message that quotes the password, and the error that does, reach the caller without it.
func TestMessagesNeverShowThePassword(t *testing.T) {
	srv := startFake(t, secret, func(ctx context.Context, sql string, w *fakeWriter) {
		w.Info(0, "echo: "+secret)
		w.Error(102, 15, "Incorrect syntax near '"+secret+"'.")
	})
	s := connect(t, open(t, fakeOptions(srv.port())), "master")
	evs, err := collect(t, s, "PRINT 1")
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("Run = %v", err)
	}
	for _, ev := range evs {
		if strings.Contains(ev.Text, secret) || !strings.Contains(ev.Text, "********") {
			t.Errorf("event %q", ev.Text)
		}
	}
}

// NTLM logs in with integrated authentication: LOGIN7 carries no SQL login and no password.
func TestConnectNTLMSendsNoPassword(t *testing.T) {
	srv := startFake(t, secret, func(context.Context, string, *fakeWriter) {})
	o := fakeOptions(srv.port())
	o.Auth, o.User = config.MethodNTLM, `CONTOSO\dba`
	c := open(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	_, _ = c.Connect(ctx, "master") // the scripted server does not speak SSPI
	logins, _ := srv.received()
	if len(logins) != 1 || logins[0].User != "" || logins[0].Password != "" {
		t.Fatalf("logins %+v", logins)
	}
}

// Kerberos goes through the krb5 provider, which reads the configured krb5.conf.
func TestConnectKerberosUsesTheKrb5Provider(t *testing.T) {
	srv := startFake(t, secret, func(context.Context, string, *fakeWriter) {})
	o := fakeOptions(srv.port())
	o.Auth, o.User, o.Password = config.MethodKerberos, "", ""
	o.Krb5Config, o.Krb5CCache = "/nonexistent/krb5.conf", "/nonexistent/ccache"
	c := open(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	_, err := c.Connect(ctx, "master")
	if err == nil || !strings.Contains(err.Error(), "krb5") {
		t.Fatalf("Connect = %v, want the krb5 provider's complaint", err)
	}
}
