package sim

import (
	"fmt"
	"strings"

	"pcfailback/tsql"
)

// SQL Server messages the simulator raises, with their real numbers, severities and texts (templates from the
// SQL Server 2012 message catalog, sys.messages).

// sqlError builds one error message.
func sqlError(number int32, class, state uint8, format string, args ...any) *tsql.Error {
	return &tsql.Error{Message: tsql.Message{Number: number, Class: class, State: state, Text: fmt.Sprintf(format, args...)}}
}

// infoMsg builds an informational message (severity 10, which the server sends as class 0).
func infoMsg(number int32, format string, args ...any) tsql.Message {
	return tsql.Message{Number: number, Class: 0, State: 1, Text: fmt.Sprintf(format, args...)}
}

// terminating is message 3013 (BACKUP DATABASE/BACKUP LOG/RESTORE .../VERIFY DATABASE is terminating
// abnormally.) that ends every failed BACKUP or RESTORE.
func terminating(stmt string) *tsql.Error {
	return sqlError(3013, 16, 1, "%s is terminating abnormally.", stmt)
}

// fail wraps specific errors with the 3013 that follows them.
func fail(stmt string, errs ...*tsql.Error) tsql.Errors {
	return append(tsql.Errors(errs), terminating(stmt))
}

func errCannotOpenDevice(device string, osErr int, state uint8) *tsql.Error {
	return sqlError(3201, 16, state, "Cannot open backup device '%s'. Operating system error %s.", device, osErrorText(osErr))
}

func errWriteFailed(device string, osErr int) *tsql.Error {
	return sqlError(3202, 16, 1, "Write on \"%s\" failed: %s", device, osErrorText(osErr))
}

func errDBNotExist(name string) *tsql.Error {
	return sqlError(911, 16, 1, "Database '%s' does not exist. Make sure that the name is entered correctly.", name)
}

func errInRestore(name string) *tsql.Error {
	return sqlError(927, 14, 2, "Database '%s' cannot be opened. It is in the middle of a restore.", name)
}

func errIsMirror(name string) *tsql.Error {
	return sqlError(954, 14, 1, "The database \"%s\" cannot be opened. It is acting as a mirror database.", name)
}

func errOffline(name string) *tsql.Error {
	return sqlError(942, 14, 4, "Database '%s' cannot be opened because it is offline.", name)
}

func errSingleUserInUse(name string) *tsql.Error {
	return sqlError(924, 14, 1, "Database '%s' is already open and can only have one user at a time.", name)
}

func errNotMirrored(name string) *tsql.Error {
	return sqlError(1416, 16, 31, "Database \"%s\" is not configured for database mirroring.", name)
}

// errRestoreMirrored is 3104 in the text of the instance's version (SQL Server 2012 mentions availability groups).
func errRestoreMirrored(major int, name string) *tsql.Error {
	if major >= 11 {
		return sqlError(3104, 16, 1, "RESTORE cannot operate on database '%s' because it is configured for database "+
			"mirroring or has joined an availability group. If you intend to restore the database, use ALTER "+
			"DATABASE to remove mirroring or to remove the database from its availability group.", name)
	}
	return sqlError(3104, 16, 1, "RESTORE cannot operate on database '%s' because it is configured for database "+
		"mirroring. Use ALTER DATABASE to remove mirroring if you intend to restore the database.", name)
}

func errExclusiveAccess() *tsql.Error {
	return sqlError(3101, 16, 1, "Exclusive access could not be obtained because the database is in use.")
}

func errInUseBySession(stmt, name string) *tsql.Error {
	return sqlError(3102, 16, 1, "%s cannot process database '%s' because it is in use by this session. It is "+
		"recommended that the master database be used when performing this operation.", stmt, name)
}

func errAlterFailed() *tsql.Error { return sqlError(5069, 16, 1, "ALTER DATABASE statement failed.") }

// procError builds an error raised inside a stored procedure (Proc filled as SQL Server reports it).
func procError(proc string, number int32, class, state uint8, format string, args ...any) *tsql.Error {
	e := sqlError(number, class, state, format, args...)
	e.Proc = proc
	e.Line = 1
	return e
}

// errorsText renders errors the way sqllogship and SQL Agent quote them in history messages.
func errorsText(err error) string {
	var parts []string
	switch e := err.(type) {
	case tsql.Errors:
		for _, x := range e {
			parts = append(parts, fmt.Sprintf("%s (Error %d)", x.Text, x.Number))
		}
	case *tsql.Error:
		parts = append(parts, fmt.Sprintf("%s (Error %d)", e.Text, e.Number))
	default:
		if err != nil {
			parts = append(parts, err.Error())
		}
	}
	return strings.Join(parts, "  ")
}
