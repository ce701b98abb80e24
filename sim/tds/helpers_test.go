package tds

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-sql/sqlexp"
	mssql "github.com/microsoft/go-mssqldb"

	"pcfailback/clock"
	"pcfailback/sim"
	"pcfailback/sim/certs"
)

// epoch is the simulated start of every test estate.
var epoch = time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)

// Test credentials.
const (
	testUser     = "pcfailback"
	testPassword = "C0rrect horse;battery@staple'"
)

// fixture is a simulated estate with a TDS server in front of one instance, on loopback.
type fixture struct {
	t      testing.TB
	sim    *sim.Sim
	srv    *Server
	addr   *net.TCPAddr
	caFile string
	server string
}

// options of a fixture.
type options struct {
	server   string      // instance, default SQLBACKUP
	clock    clock.Clock // default a virtual clock at epoch
	scenario string
	tls      bool
	conns    chan<- ConnEvent
	users    map[string]string
	anyLogin bool // Config.Users nil: every login accepted
}

// start builds the estate and serves one instance on an ephemeral loopback port until the test ends.
func start(t testing.TB, o options) *fixture {
	t.Helper()
	return serve(t, newSim(t, o), o)
}

// newSim builds the estate of a fixture.
func newSim(t testing.TB, o options) *sim.Sim {
	t.Helper()
	if o.clock == nil {
		o.clock = clock.NewVirtual(epoch)
	}
	s, err := sim.New(sim.Options{Seed: 42, Clock: o.clock, Scenario: o.scenario, ChatDBSizeMB: 1024})
	if err != nil {
		t.Fatalf("sim.New: %v", err)
	}
	return s
}

// serve puts a TDS server in front of instance o.server of s.
func serve(t testing.TB, s *sim.Sim, o options) *fixture {
	t.Helper()
	if o.server == "" {
		o.server = "SQLBACKUP"
	}
	if o.users == nil && !o.anyLogin {
		o.users = map[string]string{testUser: testPassword}
	}
	w, err := s.WireSQL(o.server)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, sim: s, server: o.server}
	cfg := Config{Backend: w, Users: o.users, Conns: o.conns}
	if o.tls {
		ca, err := certs.NewCA("pcfailback test CA")
		if err != nil {
			t.Fatal(err)
		}
		cert, err := ca.Issue(strings.ToLower(o.server)+".contoso.local", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		f.caFile = filepath.Join(t.TempDir(), "ca.pem")
		if err := os.WriteFile(f.caFile, ca.PEM, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f.srv = NewServer(cfg)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = l.Addr().(*net.TCPAddr)
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(l) }()
	t.Cleanup(func() {
		f.srv.Close()
		if err := <-served; err != nil && !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return f
}

// dsn is a go-mssqldb URL for the fixture's server; query adds or overrides parameters (encrypt=disable unless
// given).
func (f *fixture) dsn(user, password string, query url.Values) string {
	q := url.Values{"encrypt": {"disable"}, "app name": {"pcfailback-test"}, "database": {"master"}}
	for k, v := range query {
		q[k] = v
	}
	u := url.URL{Scheme: "sqlserver", User: url.UserPassword(user, password), Host: f.addr.String(), RawQuery: q.Encode()}
	return u.String()
}

// open returns a *sql.DB for the fixture's server, closed when the test ends.
func (f *fixture) open(query url.Values) *sql.DB {
	f.t.Helper()
	db, err := sql.Open("sqlserver", f.dsn(testUser, testPassword, query))
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { db.Close() })
	return db
}

// conn pins one connection (one session) of a fresh pool.
func (f *fixture) conn(ctx context.Context, query url.Values) *sql.Conn {
	f.t.Helper()
	c, err := f.open(query).Conn(ctx)
	if err != nil {
		f.t.Fatalf("Conn: %v", err)
	}
	f.t.Cleanup(func() { c.Close() })
	return c
}

// testCtx bounds a test's waits (a hang guard, not a timing assertion).
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// resultSet is one result set as the driver returned it.
type resultSet struct {
	cols  []string
	types []string // DatabaseTypeName
	rows  [][]any
}

// outcome is everything one query produced, in arrival order.
type outcome struct {
	sets     []resultSet
	infos    []mssql.Error
	errs     []mssql.Error
	affected []int64
	err      error // rows.Err or ctx.Err
}

// query runs text on c the way the console's runner does: messages streamed with sqlexp, rows drained at
// each result set. onInfo, if set, is called for each INFO as it arrives.
func query(ctx context.Context, c *sql.Conn, text string, onInfo func(mssql.Error), args ...any) outcome {
	var o outcome
	rm := &sqlexp.ReturnMessage{}
	rows, err := c.QueryContext(ctx, text, append(args, rm)...)
	if err != nil {
		o.err = err
		return o
	}
	defer rows.Close()
	for more := true; more; {
		switch m := rm.Message(ctx).(type) {
		case sqlexp.MsgNotice:
			e, _ := m.Message.(mssql.Error)
			o.infos = append(o.infos, e)
			if onInfo != nil {
				onInfo(e)
			}
		case sqlexp.MsgError:
			var e mssql.Error
			if errors.As(m.Error, &e) {
				o.errs = append(o.errs, e)
			} else {
				o.err = m.Error
			}
		case sqlexp.MsgRowsAffected:
			o.affected = append(o.affected, m.Count)
		case sqlexp.MsgNext:
			cols, _ := rows.Columns()
			cts, _ := rows.ColumnTypes()
			set := resultSet{cols: cols}
			for _, ct := range cts {
				set.types = append(set.types, ct.DatabaseTypeName())
			}
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					o.err = err
					return o
				}
				set.rows = append(set.rows, vals)
			}
			o.sets = append(o.sets, set)
		case sqlexp.MsgNextResultSet:
			more = rows.NextResultSet()
		}
	}
	if err := rows.Err(); err != nil {
		o.err = err
	} else if err := ctx.Err(); err != nil {
		o.err = err
	}
	return o
}

// mustQuery is query that fails the test on any error.
func mustQuery(t testing.TB, ctx context.Context, c *sql.Conn, text string, args ...any) outcome {
	t.Helper()
	o := query(ctx, c, text, nil, args...)
	if o.err != nil || len(o.errs) > 0 {
		t.Fatalf("%s: err %v, SQL errors %v", firstLine(text), o.err, o.errs)
	}
	return o
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// cell returns the value of column col in row i of set s.
func (s resultSet) cell(i int, col string) any {
	for j, c := range s.cols {
		if strings.EqualFold(c, col) {
			return s.rows[i][j]
		}
	}
	panic(fmt.Sprintf("no column %q in %v", col, s.cols))
}
