package sim

import (
	"hash/fnv"
	"sync/atomic"
	"time"
)

// sessionKind says who holds a session.
type sessionKind int

// Session kinds. Only user sessions run batches; the others are the estate's own connections.
const (
	kindUser   sessionKind = iota // opened through Sim.SQL
	kindSystem                    // background tasks, spid < 51
	kindAgent                     // SQL Server Agent's own connections
	kindPChat                     // a Persistent Chat server
	kindApp                       // another application (scenario: sessions that stay connected)
	kindTool                      // a cmdlet's connection (Install-CsMirrorDatabase)
)

// session is one SPID on an instance. User sessions also implement tsql.Host (see host.go).
type session struct {
	sim  *Sim
	inst *instance
	spid int
	kind sessionKind

	login       string
	app         string
	host        string
	hostPID     int
	db          string // current database name
	loginTime   time.Time
	lastStart   time.Time
	lastEnd     time.Time
	readIntent  bool
	systemTask  string // the command of a background task
	isSysadmin  bool
	clientIface string

	// The current request, shown by sys.dm_exec_requests while a batch runs.
	running  bool
	command  string
	pct      float64
	reqStart time.Time
	waitType string
	estDone  time.Duration // estimated_completion_time

	// killed is set when KILL or ROLLBACK IMMEDIATE ended the session; closed when the client closed it.
	killed bool
	closed bool
	// dropped is set when the client's network link went away in the middle of a request (the
	// restore-connection-lost scenario): nothing more reaches the client. Atomic because the output filters read
	// it without the estate lock.
	dropped atomic.Bool

	// wrote records that the current batch attempted a statement that changes state (Executed.Writes).
	wrote bool

	pc   *pcServer  // the Persistent Chat server holding this session
	app2 *appClient // the application holding this session

	// Application locks, SET CONTEXT_INFO and @@TRANCOUNT (applock*.go). The locks live on the session, so they
	// go with it however it ends (close, KILL, dropped connection).
	appLocks    []*appLock
	appWait     *appLockWait
	contextInfo []byte
	tranCount   int

	reads, writes, cpu int64
}

// newSession creates a session on in (callers hold the lock and add it with in.addSession).
func (s *Sim) newSession(in *instance, kind sessionKind, login, app, host, db string) *session {
	spid := in.nextSPID()
	now := s.now
	return &session{
		sim: s, inst: in, spid: spid, kind: kind,
		login: login, app: app, host: host, db: db,
		hostPID:     pidOf(host, app, spid),
		loginTime:   now,
		lastStart:   now,
		lastEnd:     now,
		isSysadmin:  kind != kindPChat && kind != kindApp,
		clientIface: clientInterface(kind),
	}
}

func clientInterface(kind sessionKind) string {
	switch kind {
	case kindPChat, kindTool, kindApp:
		return ".Net SqlClient Data Provider"
	case kindAgent:
		return "ODBC"
	}
	return "go-mssqldb"
}

// status is sys.dm_exec_sessions.status.
func (ss *session) status() string {
	if ss.kind == kindSystem {
		return "sleeping"
	}
	if ss.running {
		return "running"
	}
	return "sleeping"
}

// end removes a session from its instance because it was killed (the client finds its connection gone).
func (ss *session) end() {
	ss.killed = true
	ss.inst.removeSession(ss)
	if ss.pc != nil {
		ss.pc.sessionGone(ss)
	}
	if ss.app2 != nil {
		ss.app2.sessionGone(ss)
	}
}

// leave ends a client's session when the client closes it: it leaves its instance, unless a KILL already removed
// it. Both client runners (in-process and over the wire) close this way.
func (ss *session) leave() {
	s := ss.sim
	s.lock()
	defer s.unlock()
	if ss.closed || ss.killed {
		ss.closed = true
		return
	}
	ss.closed = true
	ss.inst.removeSession(ss)
	s.nudge()
}

// pidOf is a stable client process id for a session (host_process_id): derived from who connects rather than
// drawn from the seeded source, so opening probe sessions does not shift the GUIDs the estate generates.
func pidOf(host, app string, spid int) int {
	h := fnv.New32a()
	h.Write([]byte(host + "|" + app))
	return 1000 + int((h.Sum32()+uint32(spid)*7)%9000)
}
