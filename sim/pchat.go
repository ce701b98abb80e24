package sim

import (
	"strings"
	"time"
)

// Persistent Chat server behaviour: how many sessions each active server keeps, how often it looks at its
// configuration, and how fast its users write.
const (
	pcChatSessions = 3
	pcCompSessions = 1
	pcPollEvery    = 30 * time.Second
	pcProgram      = "Persistent Chat Service"

	// chatWriteRate and compWriteRate are log positions per second per connected server; messageRate is chat
	// messages per second per server (the content counter).
	chatWriteRate = 25
	compWriteRate = 4
)

// pcServer is one Persistent Chat server: it connects to the principal mgc and mgccomp of the data center the
// pool state selects while it is on the active list.
type pcServer struct {
	fqdn     string
	short    string // host_name: the short host name, upper case
	dc       string // rolePrimary or roleBackup: the data center it sits in
	account  string // the machine account it logs in as
	phase    time.Duration
	sessions []*session
	target   *instance

	nextCheck time.Time // next look at the configuration; zero when there is nothing to do
	drainAt   time.Time // removed from the active list: sessions close at this time
}

// pcTarget is the instance the pool's servers should use: the principal of the primary pair when the pool is
// Normal, of the backup pair when it is FailedOver.
func (s *Sim) pcTarget() *instance {
	a, b := s.instanceByRole(rolePrimary), s.instanceByRole(rolePrimaryMirror)
	if s.lync.poolState == poolFailedOver {
		a, b = s.instanceByRole(roleBackup), s.instanceByRole(roleBackupMirror)
	}
	if d := a.db(s.topo.ChatDB); d != nil && d.isMirror() {
		if pd := b.db(s.topo.ChatDB); pd != nil && pd.mirror != nil && pd.mirror.role == rolePrincipal {
			return b
		}
	}
	return a
}

// usable says an ordinary application may open a session in database name on in: the database is online,
// writable, not a mirror, and open to everyone (MULTI_USER).
func usable(in *instance, name string) bool {
	d := in.db(name)
	return d != nil && d.state == stateOnline && d.access == accessMulti && !d.readOnly && !d.isMirror() &&
		d.busy == ""
}

// nextTick is the server's first poll time strictly after t: polls happen on a fixed 30-second grid shifted by
// the server's phase, so when they happen does not depend on when anyone looked.
func (pc *pcServer) nextTick(t time.Time) time.Time {
	base := t.Truncate(pcPollEvery).Add(pc.phase)
	for !base.After(t) {
		base = base.Add(pcPollEvery)
	}
	return base
}

// nudge asks every server to look at its configuration at its next poll (the configuration or a database it
// depends on has changed).
func (s *Sim) nudge() {
	for _, pc := range s.pcs {
		at := pc.nextTick(s.now)
		if pc.nextCheck.IsZero() || at.Before(pc.nextCheck) {
			pc.nextCheck = at
		}
	}
	for _, a := range s.apps {
		at := s.now.Add(a.retry)
		if a.nextCheck.IsZero() || at.Before(a.nextCheck) {
			a.nextCheck = at
		}
	}
}

// pcActive says the server is on the pool's active list.
func (s *Sim) pcActive(pc *pcServer) bool { return s.lync.active[strings.ToLower(pc.fqdn)] }

// pcPoll is a server looking at its configuration: connect to the right principal when active and allowed,
// move when the principal changed, keep polling while it wants to connect but may not.
func (s *Sim) pcPoll(pc *pcServer) {
	pc.nextCheck = time.Time{}
	if !s.pcActive(pc) {
		return
	}
	want := s.pcTarget()
	if pc.target != nil && pc.target != want {
		pc.closeAll()
	}
	waiting := false
	for _, spec := range []struct {
		db string
		n  int
	}{{s.topo.ChatDB, pcChatSessions}, {s.topo.ComplianceDB, pcCompSessions}} {
		missing := spec.n - pc.count(spec.db)
		if missing <= 0 {
			continue
		}
		if !usable(want, spec.db) {
			waiting = true
			continue
		}
		for i := 0; i < missing; i++ {
			ss := s.newSession(want, kindPChat, pc.account, pcProgram, pc.short, want.db(spec.db).name)
			ss.pc = pc
			want.addSession(ss)
			pc.sessions = append(pc.sessions, ss)
		}
		pc.target = want
	}
	if waiting {
		pc.nextCheck = pc.nextTick(s.now)
	}
}

// pcDrain closes the sessions of a server that left the active list DrainAfter ago.
func (s *Sim) pcDrain(pc *pcServer) {
	pc.drainAt = time.Time{}
	if s.pcActive(pc) {
		return
	}
	pc.closeAll()
}

// count is how many of the server's sessions are in database name.
func (pc *pcServer) count(name string) int {
	n := 0
	for _, ss := range pc.sessions {
		if nameEq(ss.db, name) {
			n++
		}
	}
	return n
}

// closeAll ends every session of the server (it disconnects).
func (pc *pcServer) closeAll() {
	for _, ss := range pc.sessions {
		ss.closed = true
		ss.inst.removeSession(ss)
	}
	pc.sessions = nil
	pc.target = nil
}

// sessionGone forgets a session that was killed; the server notices and reconnects at its next poll.
func (pc *pcServer) sessionGone(ss *session) {
	for i, x := range pc.sessions {
		if x == ss {
			pc.sessions = append(pc.sessions[:i], pc.sessions[i+1:]...)
			break
		}
	}
	if len(pc.sessions) == 0 {
		pc.target = nil
	}
	pc.nextCheck = pc.nextTick(ss.sim.now)
}

// appClient is another application holding sessions in a database (a scenario's "rogue" client). It reconnects
// when allowed; with grabsSingleUser it even takes the only session of a SINGLE_USER database.
type appClient struct {
	inst            *instance
	db              string
	want            int
	login, app      string
	host            string
	sessions        []*session
	nextCheck       time.Time
	retry           time.Duration
	grabsSingleUser bool
}

// appPoll reconnects an application's missing sessions.
func (s *Sim) appPoll(a *appClient) {
	a.nextCheck = time.Time{}
	missing := a.want - len(a.sessions)
	if missing <= 0 {
		return
	}
	d := a.inst.db(a.db)
	ok := usable(a.inst, a.db)
	if !ok && a.grabsSingleUser && d != nil && d.state == stateOnline && d.access == accessSingle &&
		d.busy == "" && len(a.inst.sessionsIn(d, nil)) == 0 {
		ok, missing = true, 1
	}
	if !ok {
		a.nextCheck = s.now.Add(a.retry)
		return
	}
	for i := 0; i < missing; i++ {
		ss := s.newSession(a.inst, kindApp, a.login, a.app, a.host, d.name)
		ss.app2 = a
		a.inst.addSession(ss)
		a.sessions = append(a.sessions, ss)
	}
}

// sessionGone forgets a killed session; the application retries later.
func (a *appClient) sessionGone(ss *session) {
	for i, x := range a.sessions {
		if x == ss {
			a.sessions = append(a.sessions[:i], a.sessions[i+1:]...)
			break
		}
	}
	at := ss.sim.now.Add(a.retry)
	if a.nextCheck.IsZero() || at.Before(a.nextCheck) {
		a.nextCheck = at
	}
}
