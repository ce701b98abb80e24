package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"pcfailback/remote"
	"pcfailback/tsql"
)

// SQL returns a connector to one instance (by server name or FQDN, case-insensitive) for a login.
func (s *Sim) SQL(server string, login Login) (remote.SQLConn, error) {
	s.mu.Lock()
	in := s.instance(server)
	s.mu.Unlock()
	if in == nil {
		return nil, fmt.Errorf("sim: no SQL Server instance %q in the estate", server)
	}
	if login.User == "" {
		login.User = "sa"
	}
	return &sqlConn{sim: s, inst: in, login: login}, nil
}

// sqlConn is remote.SQLConn for one instance.
type sqlConn struct {
	sim   *Sim
	inst  *instance
	login Login
}

// Connect implements remote.SQLConn: it opens a session (SPID 51 and up) whose current database is database.
func (c *sqlConn) Connect(ctx context.Context, database string) (remote.SQLSession, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, in := c.sim, c.inst
	s.lock()
	defer s.unlock()
	user := c.login.User
	if in.deniedLogins[strings.ToLower(user)] || (in.deniedLogins["*"] && !strings.EqualFold(user, "sa")) {
		return nil, &remote.SQLError{Number: 18456, Class: 14, State: 1, Server: in.spec.Server,
			Text: fmt.Sprintf("Login failed for user '%s'.", user)}
	}
	if database == "" {
		database = "master"
	}
	ss := s.newSession(in, kindUser, user, c.login.App, c.login.Workstation, "master")
	ss.readIntent = c.login.ReadOnlyIntent
	d := in.db(database)
	if d == nil || ss.canEnter(d, database) != nil {
		return nil, &remote.SQLError{Number: 4060, Class: 11, State: 1, Server: in.spec.Server,
			Text: fmt.Sprintf("Cannot open database \"%s\" requested by the login. The login failed.", database)}
	}
	ss.db = d.name
	in.addSession(ss)
	return &sqlSession{session: ss, tsess: &tsql.Session{}}, nil
}

// sqlSession is remote.SQLSession: it runs batches through the T-SQL interpreter with the session as its Host.
type sqlSession struct {
	*session
	mu    sync.Mutex
	tsess *tsql.Session
}

// errClosed is returned for batches sent on a closed session.
var errClosed = errors.New("sim: the session is closed")

// Run implements remote.SQLSession.
func (q *sqlSession) Run(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := q.sim
	s.lock()
	switch {
	case q.dropped.Load():
		s.unlock()
		return linkLost(q.inst.spec.Server)
	case q.closed:
		s.unlock()
		return errClosed
	case q.killed:
		s.unlock()
		return errSessionKilled
	}
	idx := s.record(Execution{At: s.now, Kind: ExecSQL, Target: q.inst.spec.Server, Session: q.spid, Login: q.login,
		Database: q.db, Text: batch})
	q.running, q.command, q.reqStart, q.lastStart, q.wrote = true, "SELECT", s.now, s.now, false
	q.reads += int64(len(batch)/64 + 1)
	s.unlock()

	if emit == nil {
		emit = func(remote.SQLEvent) {}
	}
	err := tsql.Run(ctx, q.session, q.tsess, batch, quietOutput{ss: q.session, out: &eventOutput{sim: s, server: q.inst.spec.Server, emit: emit}})

	s.lock()
	q.running = false
	q.lastEnd = s.now
	q.endRequest()
	killed := q.killed
	s.exec[idx].Writes = q.wrote
	if err != nil {
		s.exec[idx].Err = err.Error()
	}
	s.unlock()
	switch {
	case q.dropped.Load():
		return linkLost(q.inst.spec.Server)
	case killed || errors.Is(err, errSessionKilled):
		return errSessionKilled
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	}
	var te *tsql.Error
	if errors.As(err, &te) {
		return &remote.SQLError{Number: te.Number, Class: te.Class, State: te.State, Line: te.Line,
			Server: q.inst.spec.Server, Text: te.Text}
	}
	var tes tsql.Errors
	if errors.As(err, &tes) && len(tes) > 0 {
		e := tes[0]
		return &remote.SQLError{Number: e.Number, Class: e.Class, State: e.State, Line: e.Line,
			Server: q.inst.spec.Server, Text: e.Text}
	}
	return err
}

// Close implements remote.SQLSession: the session leaves the instance.
func (q *sqlSession) Close() error {
	q.leave()
	return nil
}

// eventOutput turns the interpreter's output into remote.SQLEvents, stamped with simulated time as they happen.
type eventOutput struct {
	sim    *Sim
	server string
	emit   func(remote.SQLEvent)
}

func (o *eventOutput) message(kind remote.SQLEventKind, m tsql.Message) {
	o.emit(remote.SQLEvent{Kind: kind, At: o.sim.clk.Now(), Number: m.Number, Class: m.Class, State: m.State,
		Line: m.Line, Proc: m.Proc, Server: o.server, Text: m.Text})
}

// Info implements tsql.Output.
func (o *eventOutput) Info(m tsql.Message) { o.message(remote.SQLInfoMsg, m) }

// Error implements tsql.Output.
func (o *eventOutput) Error(m tsql.Message) { o.message(remote.SQLErrorMsg, m) }

// ResultSet implements tsql.Output: one SQLResultStart, then one SQLRow per row.
func (o *eventOutput) ResultSet(t *tsql.Table) {
	if t == nil {
		return
	}
	at := o.sim.clk.Now()
	cols := make([]remote.Column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = remote.Column{Name: c.Name, Type: c.Type.Name()}
	}
	o.emit(remote.SQLEvent{Kind: remote.SQLResultStart, At: at, Server: o.server, Columns: cols})
	for _, row := range t.Rows {
		vals := make([]any, len(row))
		for i, v := range row {
			vals[i] = eventValue(v)
		}
		o.emit(remote.SQLEvent{Kind: remote.SQLRow, At: at, Server: o.server, Values: vals})
	}
}

// RowsAffected implements tsql.Output.
func (o *eventOutput) RowsAffected(n int64) {
	o.emit(remote.SQLEvent{Kind: remote.SQLRowsAffected, At: o.sim.clk.Now(), Server: o.server, Count: n})
}

// eventValue converts a SQL value to the types remote.SQLEvent carries (uniqueidentifiers as their text).
func eventValue(v tsql.Value) any {
	switch x := v.(type) {
	case tsql.GUID:
		return x.String()
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}
