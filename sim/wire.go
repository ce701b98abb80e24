package sim

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"pcfailback/tsql"
)

// WireLogin is what a client presents when it logs in to an instance over a network protocol (TDS LOGIN7). The
// password is not part of it: credentials are the network server's concern, while which logins an instance
// refuses (the primary-login-denied scenario) is the estate's.
type WireLogin struct {
	User        string // login_name; "" means sa
	App         string // program_name
	Workstation string // host_name
	// Database is the database the session starts in; "" means master, the default database of every login.
	Database       string
	ReadOnlyIntent bool
	// ClientInterface is the client library's name (sys.dm_exec_sessions.client_interface_name); "" keeps the
	// in-process runner's value.
	ClientInterface string
	// ClientPID is the client's process id (host_process_id); 0 keeps a stable made-up one.
	ClientPID int
}

// WireSession is one session (SPID) opened over a network protocol. Batches and calls run one at a time;
// out receives messages and complete, typed result sets as they happen, so a server can encode them.
type WireSession interface {
	// SPID is the session id (51 and up).
	SPID() int
	// Database is the session's current database (it changes with USE).
	Database() string
	// Run runs one batch. It returns the batch's first SQL error (already sent to out), ctx.Err() when ctx
	// ended it, ErrSessionKilled when the session was killed (the server then drops the connection), or
	// ErrConnectionDropped when the client's link dropped (the server closes the connection without a word).
	Run(ctx context.Context, batch string, out tsql.Output) error
	// Call runs a remote procedure call (sp_executesql with typed parameters, or any procedure); errors as Run.
	Call(ctx context.Context, proc tsql.ObjectName, args []tsql.Arg, out tsql.Output) error
	// Reset returns the session to its state after login (current database, SET options), as a client's
	// connection pool asks before reusing a connection.
	Reset(ctx context.Context) error
	// Close ends the session.
	Close() error
}

// ErrSessionKilled is returned by a WireSession whose session was killed (KILL, ROLLBACK IMMEDIATE): SQL Server
// drops such a connection.
var ErrSessionKilled = errSessionKilled

// WireSQL is one instance of the estate as a network server in front of it sees it.
type WireSQL struct {
	sim  *Sim
	inst *instance
}

// WireSQL returns the instance named server (server name or FQDN, case-insensitive) for a network server.
func (s *Sim) WireSQL(server string) (*WireSQL, error) {
	s.mu.Lock()
	in := s.instance(server)
	s.mu.Unlock()
	if in == nil {
		return nil, fmt.Errorf("sim: no SQL Server instance %q in the estate", server)
	}
	return &WireSQL{sim: s, inst: in}, nil
}

// ServerName is the instance's @@SERVERNAME.
func (w *WireSQL) ServerName() string { return w.inst.spec.Server }

// ProductVersion is SERVERPROPERTY('ProductVersion'), e.g. "11.0.7001.0".
func (w *WireSQL) ProductVersion() string { return w.inst.spec.Version }

// Open logs in and opens a session. A refused login is Msg 18456 (state 5: the login does not exist on the
// instance, as on a rebuilt server); a database that cannot be opened is Msg 4060 followed by 18456, as SQL
// Server sends them. Errors are *tsql.Error or tsql.Errors.
func (w *WireSQL) Open(ctx context.Context, l WireLogin) (WireSession, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, in := w.sim, w.inst
	user := l.User
	if user == "" {
		user = "sa"
	}
	failed := &tsql.Error{Message: tsql.Message{Number: 18456, Class: 14, State: 1,
		Text: fmt.Sprintf("Login failed for user '%s'.", user)}}
	s.lock()
	defer s.unlock()
	if in.deniedLogins[strings.ToLower(user)] || (in.deniedLogins["*"] && !strings.EqualFold(user, "sa")) {
		failed.State = 5
		return nil, failed
	}
	database := l.Database
	if database == "" {
		database = "master"
	}
	ss := s.newSession(in, kindUser, user, l.App, l.Workstation, "master")
	ss.readIntent = l.ReadOnlyIntent
	if l.ClientInterface != "" {
		ss.clientIface = l.ClientInterface
	}
	if l.ClientPID > 0 {
		ss.hostPID = l.ClientPID
	}
	d := in.db(database)
	if d == nil || ss.canEnter(d, database) != nil {
		return nil, tsql.Errors{
			{Message: tsql.Message{Number: 4060, Class: 11, State: 1,
				Text: fmt.Sprintf("Cannot open database \"%s\" requested by the login. The login failed.", database)}},
			failed,
		}
	}
	ss.db = d.name
	in.addSession(ss)
	return &wireSession{session: ss, tsess: &tsql.Session{}, loginDB: d.name}, nil
}

// wireSession is WireSession: the interpreter runs with the session as its Host and writes straight to the
// caller's Output, so result sets keep their column types.
type wireSession struct {
	*session
	mu      sync.Mutex // one request at a time
	tsess   *tsql.Session
	loginDB string
}

// SPID implements WireSession.
func (q *wireSession) SPID() int { return q.spid }

// Database implements WireSession.
func (q *wireSession) Database() string {
	q.sim.mu.Lock()
	defer q.sim.mu.Unlock()
	return q.db
}

// Run implements WireSession.
func (q *wireSession) Run(ctx context.Context, batch string, out tsql.Output) error {
	return q.request(ctx, batch, func() error {
		return tsql.Run(ctx, q.session, q.tsess, batch, quietOutput{ss: q.session, out: out})
	})
}

// Call implements WireSession. The execution is recorded with the statement of sp_executesql, or as EXEC of the
// procedure, so Executed reads the same whichever way a client sent it.
func (q *wireSession) Call(ctx context.Context, proc tsql.ObjectName, args []tsql.Arg, out tsql.Output) error {
	text := "EXEC " + proc.String()
	if strings.EqualFold(proc.Object, "sp_executesql") {
		for i, a := range args {
			if s, ok := a.Value.(string); ok && (strings.EqualFold(a.Name, "@stmt") || strings.EqualFold(a.Name, "@statement") || (a.Name == "" && i == 0)) {
				text = s
				break
			}
		}
	}
	return q.request(ctx, text, func() error {
		return tsql.Call(ctx, q.session, q.tsess, proc, args, quietOutput{ss: q.session, out: out})
	})
}

// request runs one batch or call with the bookkeeping the in-process runner does: the Execution record, the
// session shown as running in sys.dm_exec_requests, and a killed session reported as such.
func (q *wireSession) request(ctx context.Context, text string, run func() error) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := q.sim
	s.lock()
	switch {
	case q.dropped.Load():
		s.unlock()
		return ErrConnectionDropped
	case q.closed:
		s.unlock()
		return errClosed
	case q.killed:
		s.unlock()
		return errSessionKilled
	}
	idx := s.record(Execution{At: s.now, Kind: ExecSQL, Target: q.inst.spec.Server, Session: q.spid, Login: q.login,
		Database: q.db, Text: text})
	q.running, q.command, q.reqStart, q.lastStart, q.wrote = true, "SELECT", s.now, s.now, false
	q.reads += int64(len(text)/64 + 1)
	s.unlock()

	err := run()

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
		return ErrConnectionDropped
	case killed:
		return errSessionKilled
	}
	return err
}

// Reset implements WireSession.
func (q *wireSession) Reset(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	s := q.sim
	s.lock()
	defer s.unlock()
	if q.killed {
		return errSessionKilled
	}
	q.tsess = &tsql.Session{}
	q.resetAppState()
	if err := q.canEnter(q.inst.db(q.loginDB), q.loginDB); err != nil {
		return err
	}
	q.db = q.inst.db(q.loginDB).name
	return nil
}

// Close implements WireSession: the session leaves the instance.
func (q *wireSession) Close() error {
	q.leave()
	return nil
}
