package sim

import (
	"context"
	"strings"

	"pcfailback/tsql"
)

// The session as a tsql.SessionHost: SET CONTEXT_INFO and @@TRANCOUNT reach the estate, so that other sessions see
// the context info in sys.dm_exec_sessions and transaction-owned application locks end with their transaction.
var _ tsql.SessionHost = (*session)(nil)

// SetContextInfo implements tsql.SessionHost. Setting it is recorded as a write: it changes what every other
// session sees of this one.
func (ss *session) SetContextInfo(ctx context.Context, info []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s := ss.sim
	s.lock()
	defer s.unlock()
	if ss.killed {
		return errSessionKilled
	}
	ss.wrote = true
	ss.contextInfo = append([]byte(nil), info...)
	return nil
}

// TranCountChanged implements tsql.SessionHost: the end of the outermost transaction releases the locks it owned.
func (ss *session) TranCountChanged(n int) {
	s := ss.sim
	s.lock()
	defer s.unlock()
	ss.tranCount = n
	if n == 0 {
		ss.dropAppLocks(true)
	}
}

// resetAppState is what sp_reset_connection does to application locks and the transaction: both end.
func (ss *session) resetAppState() {
	ss.dropAppLocks(false)
	ss.tranCount = 0
}

// contextInfoValue is sys.dm_exec_sessions.context_info: the bytes as set, NULL when never set.
func (ss *session) contextInfoValue() tsql.Value {
	if ss.contextInfo == nil {
		return nil
	}
	return append([]byte(nil), ss.contextInfo...)
}

// contextInfoPadded is CONTEXT_INFO() and sys.sysprocesses.context_info: binary(128), the value padded with zero
// bytes; NULL when never set.
func (ss *session) contextInfoPadded() tsql.Value {
	if ss.contextInfo == nil {
		return nil
	}
	out := make([]byte, tsql.MaxContextInfo)
	copy(out, ss.contextInfo)
	return out
}

// appLockFunc evaluates CONTEXT_INFO(), APPLOCK_MODE(principal, resource, owner) and APPLOCK_TEST(principal,
// resource, mode, owner) for the session (callers hold the lock). name is upper case.
func (ss *session) appLockFunc(name string, args []tsql.Value) (tsql.Value, error) {
	want := map[string]int{"CONTEXT_INFO": 0, "APPLOCK_MODE": 3, "APPLOCK_TEST": 4}[name]
	if len(args) != want {
		return nil, sqlError(174, 15, 1, "The %s function requires %d argument(s).", strings.ToLower(name), want)
	}
	if name == "CONTEXT_INFO" {
		return ss.contextInfoPadded(), nil
	}
	if args[0] == nil {
		return nil, sqlError(1230, 16, 3, "An invalid database principal was passed to %s.", name)
	}
	if args[1] == nil {
		return nil, sqlError(1224, 16, 1, "An invalid application lock resource was passed to %s.", name)
	}
	principal := toText(args[0])
	id, ok := principalID(principal)
	if !ok {
		return nil, sqlError(1202, 16, 1, "The database-principal '%s' does not exist or user is not a member.", principal)
	}
	key := appKey{db: int(ss.dbID()), principal: id, resource: appLockResource(toText(args[1]))}
	owner := args[len(args)-1]
	txn, ok := parseLockOwner(toText(owner))
	if owner == nil {
		txn, ok = true, true // NULL means the default owner, the transaction
	}
	if !ok {
		return nil, sqlError(1226, 16, 1, "An invalid application lock owner was passed to %s.", name)
	}
	if txn && ss.tranCount == 0 {
		return nil, sqlError(3918, 16, 1, "The statement or function must be executed in the context of a user transaction.")
	}
	if name == "APPLOCK_MODE" {
		return ss.heldMode(key, txn).name(), nil
	}
	if args[2] == nil {
		return nil, sqlError(1225, 16, 2, "An invalid application lock mode was passed to %s.", name)
	}
	mode, ok := parseLockMode(toText(args[2]))
	if !ok {
		return nil, sqlError(1225, 16, 3, "An invalid application lock mode was passed to %s.", name)
	}
	if len(ss.blockers(key, mode)) > 0 {
		return int64(0), nil
	}
	return int64(1), nil
}
