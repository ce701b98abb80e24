package sim

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// Application locks (sp_getapplock): named locks in a database, scoped by a database principal, owned by a session
// or by its transaction. They live on the session that holds them, so closing, killing or losing the connection
// releases them with the session, as SQL Server releases session-owned application locks at logout.

// lockMode is a set of lock modes; a lock taken several times in different modes holds their union.
type lockMode uint8

// The requestable modes of sp_getapplock.
const (
	modeIS lockMode = 1 << iota // IntentShared
	modeS                       // Shared
	modeU                       // Update
	modeIX                      // IntentExclusive
	modeX                       // Exclusive
)

// parseLockMode reads @LockMode: SQL Server compares it case-insensitively and, as a varchar, ignores trailing
// spaces.
func parseLockMode(s string) (lockMode, bool) {
	switch strings.ToLower(strings.TrimRight(s, " ")) {
	case "intentshared":
		return modeIS, true
	case "shared":
		return modeS, true
	case "update":
		return modeU, true
	case "intentexclusive":
		return modeIX, true
	case "exclusive":
		return modeX, true
	}
	return 0, false
}

// parseLockOwner reads @LockOwner: txn is true for 'Transaction'.
func parseLockOwner(s string) (txn, ok bool) {
	switch strings.ToLower(strings.TrimRight(s, " ")) {
	case "transaction":
		return true, true
	case "session":
		return false, true
	}
	return false, false
}

// canonical reduces a union of modes to the one lock mode SQL Server holds for it: X covers everything, U with IX
// is UIX, S with IX is SIX, U covers S and IS.
func (m lockMode) canonical() string {
	switch {
	case m == 0:
		return ""
	case m&modeX != 0:
		return "X"
	case m&modeU != 0 && m&modeIX != 0:
		return "UIX"
	case m&modeS != 0 && m&modeIX != 0:
		return "SIX"
	case m&modeU != 0:
		return "U"
	case m&modeIX != 0:
		return "IX"
	case m&modeS != 0:
		return "S"
	}
	return "IS"
}

// name is the mode as APPLOCK_MODE spells it.
func (m lockMode) name() string {
	return map[string]string{"": "NoLock", "X": "Exclusive", "UIX": "UpdateIntentExclusive",
		"SIX": "SharedIntentExclusive", "U": "Update", "IX": "IntentExclusive", "S": "Shared",
		"IS": "IntentShared"}[m.canonical()]
}

// compatible says whether a request for mode req can be granted while another owner holds held (SQL Server's lock
// compatibility matrix).
func compatible(held, req lockMode) bool {
	switch held.canonical() {
	case "":
		return true
	case "IS":
		return req != modeX
	case "S":
		return req == modeIS || req == modeS || req == modeU
	case "U":
		return req == modeIS || req == modeS
	case "IX":
		return req == modeIS || req == modeIX
	case "SIX", "UIX":
		return req == modeIS
	}
	return false
}

// appKey identifies a lock resource: the database it was taken in, the database principal and the name.
type appKey struct {
	db        int
	principal int
	resource  string
}

// appLock is one owner's hold on a resource: the union of the modes granted and how many grants are outstanding
// (each sp_getapplock needs its own sp_releaseapplock).
type appLock struct {
	key   appKey
	txn   bool // owned by the transaction, else by the session
	mode  lockMode
	count int
}

// appLockWait is a request a session is waiting on.
type appLockWait struct {
	key  appKey
	txn  bool
	mode lockMode
}

// maxAppLockResource is the length of @Resource, nvarchar(255): longer names are cut.
const maxAppLockResource = 255

// appLockResource cuts a resource name to nvarchar(255) (counting characters, not bytes).
func appLockResource(s string) string { return truncChars(s, maxAppLockResource) }

// dbPrincipals are the database principals every database has, by lower-case name, with their principal_id.
var dbPrincipals = map[string]int{"public": 0, "dbo": 1, "guest": 2, "information_schema": 3, "sys": 4,
	"db_owner": 16384, "db_accessadmin": 16385, "db_securityadmin": 16386, "db_ddladmin": 16387,
	"db_backupoperator": 16389, "db_datareader": 16390, "db_datawriter": 16391, "db_denydatareader": 16392,
	"db_denydatawriter": 16393}

// principalID finds a database principal; the console's logins are sysadmin, hence dbo, hence members of all.
func principalID(name string) (int, bool) {
	id, ok := dbPrincipals[strings.ToLower(strings.TrimRight(name, " "))]
	return id, ok
}

// description is sys.dm_tran_locks.resource_description for the resource: the principal id, up to 32 characters of
// the name in brackets, and a hash of the whole name. SQL Server's hash is undocumented; this one has its shape.
func (k appKey) description() string {
	short := truncChars(k.resource, 32)
	h := fnv.New32a()
	h.Write([]byte(k.resource))
	return fmt.Sprintf("%d:[%s]:(%08x)", k.principal, short, h.Sum32())
}

// heldMode is the union of what the session holds on key under one owner (0 when nothing).
func (ss *session) heldMode(key appKey, txn bool) lockMode {
	if l := ss.findAppLock(key, txn); l != nil {
		return l.mode
	}
	return 0
}

func (ss *session) findAppLock(key appKey, txn bool) *appLock {
	for _, l := range ss.appLocks {
		if l.key == key && l.txn == txn {
			return l
		}
	}
	return nil
}

// blockers are the other sessions whose holds on key conflict with a request for mode (callers hold the lock). A
// session's own holds never block it, whichever owner took them.
func (ss *session) blockers(key appKey, mode lockMode) []*session {
	var out []*session
	for _, x := range ss.inst.sessions {
		if x == ss {
			continue
		}
		for _, l := range x.appLocks {
			if l.key == key && !compatible(l.mode, mode) {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// grant records one more grant of mode on key.
func (ss *session) grant(key appKey, txn bool, mode lockMode) {
	if l := ss.findAppLock(key, txn); l != nil {
		l.mode |= mode
		l.count++
		return
	}
	ss.appLocks = append(ss.appLocks, &appLock{key: key, txn: txn, mode: mode, count: 1})
}

// releaseAppLock gives back one grant; false when the owner holds nothing on key.
func (ss *session) releaseAppLock(key appKey, txn bool) bool {
	for i, l := range ss.appLocks {
		if l.key != key || l.txn != txn {
			continue
		}
		l.count--
		if l.count <= 0 {
			ss.appLocks = append(ss.appLocks[:i], ss.appLocks[i+1:]...)
		}
		return true
	}
	return false
}

// dropAppLocks releases every lock of the transaction owner (txnOnly) or of both owners.
func (ss *session) dropAppLocks(txnOnly bool) {
	kept := ss.appLocks[:0]
	for _, l := range ss.appLocks {
		if txnOnly && !l.txn {
			kept = append(kept, l)
		}
	}
	for i := len(kept); i < len(ss.appLocks); i++ {
		ss.appLocks[i] = nil
	}
	ss.appLocks = kept
}

// deadlocked says whether the session's wait closes a cycle: one of the sessions blocking it waits, directly or
// through others, for something it holds. The session that finds the cycle is the victim (sp_getapplock returns
// -3 to it); SQL Server's deadlock monitor chooses by priority and cost, which the simulator does not model.
func (ss *session) deadlocked() bool {
	if ss.appWait == nil {
		return false
	}
	seen := map[*session]bool{}
	var leadsBack func(x *session) bool
	leadsBack = func(x *session) bool {
		if x == ss {
			return true
		}
		if seen[x] || x.appWait == nil {
			return false
		}
		seen[x] = true
		for _, b := range x.blockers(x.appWait.key, x.appWait.mode) {
			if leadsBack(b) {
				return true
			}
		}
		return false
	}
	for _, b := range ss.blockers(ss.appWait.key, ss.appWait.mode) {
		if leadsBack(b) {
			return true
		}
	}
	return false
}

// appLockPoll is how often, in simulated time, a waiting request looks again.
const appLockPoll = 100 * time.Millisecond

// acquire takes an application lock for sp_getapplock and returns its status: 0 granted at once, 1 granted after
// waiting, -1 timed out, -3 chosen as deadlock victim. timeout < 0 waits for ever. Callers hold the lock; it is
// released while the request waits, as the session is then suspended (wait type LCK_M_<mode>).
func (ss *session) acquire(ctx context.Context, key appKey, txn bool, mode lockMode, timeout time.Duration) (int, error) {
	if len(ss.blockers(key, mode)) == 0 {
		ss.grant(key, txn, mode)
		return 0, nil
	}
	if timeout == 0 {
		return -1, nil
	}
	s := ss.sim
	deadline := s.now.Add(timeout)
	ss.appWait = &appLockWait{key: key, txn: txn, mode: mode}
	defer func() { ss.appWait = nil; ss.waitType = "" }()
	for {
		if ss.deadlocked() {
			return -3, nil
		}
		if timeout > 0 && !s.now.Before(deadline) {
			return -1, nil
		}
		wait := appLockPoll
		if timeout > 0 {
			wait = min(wait, deadline.Sub(s.now))
		}
		ss.waitType = "LCK_M_" + mode.canonical()
		s.unlock()
		err := s.clk.Sleep(ctx, wait)
		s.lock()
		if err != nil {
			return 0, err
		}
		if ss.killed {
			return 0, errSessionKilled
		}
		if len(ss.blockers(key, mode)) == 0 {
			ss.grant(key, txn, mode)
			return 1, nil
		}
	}
}
