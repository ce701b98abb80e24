package sim

import (
	"strings"
	"time"
)

// sp_getapplock and sp_releaseapplock are T-SQL wrappers around xp_userlock on SQL Server: the wrapper checks
// @LockMode and @LockOwner and answers -999 with an informational message, xp_userlock checks the rest and raises
// errors. The messages, their numbers and the return codes follow SQL Server's.

func init() {
	defineProc(&procDef{name: "sp_getapplock", writes: true, params: []procParam{opt("@Resource", nil),
		req("@LockMode"), opt("@LockOwner", "Transaction"), opt("@LockTimeout", nil), opt("@DbPrincipal", "public")},
		run: runGetAppLock})
	defineProc(&procDef{name: "sp_releaseapplock", writes: true, params: []procParam{opt("@Resource", nil),
		opt("@LockOwner", "Transaction"), opt("@DbPrincipal", "public")}, run: runReleaseAppLock})
}

// notRecognized is message 15625, which the procedures print (severity 10) before returning -999. line is where
// the procedure body raises it.
func (c *procCall) notRecognized(param string, line int32) (int, error) {
	val := "(null)"
	if !c.isNull(strings.ToLower(param)) {
		val = truncChars(c.text(strings.ToLower(param)), 32)
	}
	m := infoMsg(15625, "Option '%s' not recognized for '%s' parameter.", val, param)
	m.Line = line
	c.info(m)
	return -999, nil
}

// xpError is an error raised inside the procedure by xp_userlock; the procedure then returns -999.
func xpError(number int32, state uint8, format string, args ...any) error {
	return procError("xp_userlock", number, 16, state, format, args...)
}

// appLockTarget checks @Resource and @DbPrincipal as xp_userlock does and builds the lock's key in the session's
// current database.
func (c *procCall) appLockTarget() (appKey, string, error) {
	if c.isNull("@resource") {
		return appKey{}, "", xpError(1224, 5, "An invalid application lock resource was passed to xp_userlock.")
	}
	if c.isNull("@dbprincipal") {
		return appKey{}, "", xpError(1230, 1, "An invalid database principal was passed to xp_userlock.")
	}
	principal := truncChars(c.text("@dbprincipal"), 128)
	id, ok := principalID(principal)
	if !ok {
		return appKey{}, "", xpError(1202, 1, "The database-principal '%s' does not exist or user is not a member.", principal)
	}
	return appKey{db: int(c.ss.dbID()), principal: id, resource: appLockResource(c.text("@resource"))}, principal, nil
}

func runGetAppLock(c *procCall) (int, error) {
	if c.isNull("@lockmode") {
		return c.notRecognized("@LockMode", 26)
	}
	mode, ok := parseLockMode(c.text("@lockmode"))
	if !ok {
		return c.notRecognized("@LockMode", 26)
	}
	if c.isNull("@lockowner") {
		return c.notRecognized("@LockOwner", 39)
	}
	txn, ok := parseLockOwner(c.text("@lockowner"))
	if !ok {
		return c.notRecognized("@LockOwner", 39)
	}
	timeout := -1 // NULL means @@LOCK_TIMEOUT, which is -1 (wait for ever) as the simulator keeps no SET LOCK_TIMEOUT
	if !c.isNull("@locktimeout") {
		n, err := c.int("@locktimeout")
		if err != nil {
			return 0, err
		}
		timeout = n
	}
	if txn && c.ss.tranCount == 0 {
		m := infoMsg(15626, "You attempted to acquire a transactional application lock without an active transaction.")
		m.Line = 52
		c.info(m)
		return -999, nil
	}
	if timeout < -1 {
		return -999, xpError(1227, 2, "An invalid application lock time-out was passed to xp_userlock.")
	}
	key, _, err := c.appLockTarget()
	if err != nil {
		return -999, err
	}
	wait := time.Duration(-1)
	if timeout >= 0 {
		wait = time.Duration(timeout) * time.Millisecond
	}
	return c.ss.acquire(c.ctx, key, txn, mode, wait)
}

func runReleaseAppLock(c *procCall) (int, error) {
	if c.isNull("@lockowner") {
		return c.notRecognized("@LockOwner", 20)
	}
	txn, ok := parseLockOwner(c.text("@lockowner"))
	if !ok {
		return c.notRecognized("@LockOwner", 20)
	}
	key, principal, err := c.appLockTarget()
	if err != nil {
		return -999, err
	}
	if txn && c.ss.tranCount == 0 {
		return -999, xpError(3918, 1, "The statement or function must be executed in the context of a user transaction.")
	}
	if !c.ss.releaseAppLock(key, txn) {
		return -999, xpError(1223, 1, "Cannot release the application lock (Database Principal: '%s', Resource: '%s') "+
			"because it is not currently held.", principal, key.resource)
	}
	return 0, nil
}

// truncChars cuts s to n characters, as a value assigned to a parameter of length n is cut.
func truncChars(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
