// Package tsql parses and runs the subset of Transact-SQL that the failback procedure and a DBA's health checks
// use: SELECT over system views (joins, APPLY, aggregates, CASE, TOP, ORDER BY), variables, IF/BEGIN/END, EXEC of
// stored procedures with OUTPUT parameters, BACKUP, RESTORE, ALTER DATABASE, USE, KILL and WAITFOR.
//
// The package knows the language, not the server: every table, procedure and BACKUP/RESTORE/ALTER DATABASE
// semantics come from a Host. The simulator is the Host; this split keeps the parser fuzzable on its own and the
// estate's behaviour in one place.
package tsql

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Value is a SQL scalar: nil (NULL), int64, float64, bool (bit), string, time.Time (datetime) or GUID.
type Value = any

// GUID is a uniqueidentifier value.
type GUID [16]byte

// String renders the GUID in SQL Server's textual form (upper case, dashed).
func (g GUID) String() string {
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", g[0:4], g[4:6], g[6:8], g[8:10], g[10:16]))
}

// Type is a column's SQL Server data type.
type Type int

// Column types used by the system views the console and DBAs query.
const (
	TypeNVarChar Type = iota
	TypeVarChar
	TypeInt
	TypeBigInt
	TypeSmallInt
	TypeTinyInt
	TypeBit
	TypeDateTime
	TypeFloat
	// TypeNumeric is numeric(p,0) such as LSNs; its values are int64.
	TypeNumeric
	TypeUniqueIdentifier
)

// Name is the type's T-SQL name as result set metadata reports it.
func (t Type) Name() string {
	switch t {
	case TypeNVarChar:
		return "nvarchar"
	case TypeVarChar:
		return "varchar"
	case TypeInt:
		return "int"
	case TypeBigInt:
		return "bigint"
	case TypeSmallInt:
		return "smallint"
	case TypeTinyInt:
		return "tinyint"
	case TypeBit:
		return "bit"
	case TypeDateTime:
		return "datetime"
	case TypeFloat:
		return "float"
	case TypeNumeric:
		return "numeric"
	case TypeUniqueIdentifier:
		return "uniqueidentifier"
	}
	return "sql_variant"
}

// Column describes one column of a table or result set.
type Column struct {
	Name string
	Type Type
	// Size is the declared length of character columns in characters (0 = max).
	Size int
}

// Table is a table's or result set's columns and rows. Rows hold Values in column order.
type Table struct {
	Columns []Column
	Rows    [][]Value
}

// Message is an informational or error message as SQL Server sends it.
type Message struct {
	Number int32
	State  uint8
	// Class is the severity: 0 for informational messages (SQL Server reports severity 10 as 0), 11-16 for
	// user-correctable errors, 17 and above for resource and fatal errors.
	Class uint8
	Text  string
	Proc  string
	// Line is the line within the batch (1-based); the interpreter fills it when a Host leaves it 0.
	Line int32
}

// Error is a SQL Server error raised while running a batch.
type Error struct {
	Message
	// Abort ends the whole batch, not only the statement (SQL Server does this for severity 20 and above and for
	// some errors such as a syntax error).
	Abort bool
}

// Error renders the error the way sqlcmd prints it.
func (e *Error) Error() string {
	return fmt.Sprintf("Msg %d, Level %d, State %d, Line %d: %s", e.Number, e.Class, e.State, e.Line, e.Text)
}

// Errorf builds a severity-class error with a formatted text and state 1.
func Errorf(number int32, class uint8, format string, args ...any) *Error {
	return &Error{Message: Message{Number: number, State: 1, Class: class, Text: fmt.Sprintf(format, args...)}}
}

// Errors is several errors raised by one statement, in the order SQL Server sends them (for example 3201 then
// 3013 for a failed BACKUP). The last one sets @@ERROR.
type Errors []*Error

// Error renders all the errors, one per line.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Output receives what a batch produces, in order. It is called from the goroutine running the batch.
type Output interface {
	// Info receives an informational message (PRINT, STATS progress, 4035, 3014, 5701 ...).
	Info(m Message)
	// Error receives an error message.
	Error(m Message)
	// ResultSet receives one complete result set.
	ResultSet(t *Table)
	// RowsAffected receives a statement's row count (not sent under SET NOCOUNT ON).
	RowsAffected(n int64)
}

// ObjectName is a possibly qualified object name: [server.][database.][schema.]object. Empty parts were omitted.
type ObjectName struct {
	Server, Database, Schema, Object string
}

// String renders the name as written, without brackets.
func (n ObjectName) String() string {
	var parts []string
	for _, p := range []string{n.Server, n.Database, n.Schema} {
		if p != "" || len(parts) > 0 {
			parts = append(parts, p)
		}
	}
	return strings.Join(append(parts, n.Object), ".")
}

// Arg is one argument of EXEC: positional when Name is empty. For OUTPUT arguments the Host writes the result
// back into Value and the interpreter copies it into the variable.
type Arg struct {
	Name    string // with the leading @, as written; "" for positional arguments
	Value   Value
	Output  bool
	Default bool // the DEFAULT keyword was passed
}

// BackupKind says what a BACKUP statement backs up.
type BackupKind int

// BACKUP statement kinds.
const (
	BackupDatabase BackupKind = iota
	BackupLog
)

// BackupSpec is a parsed BACKUP statement with its expressions evaluated.
type BackupSpec struct {
	Kind     BackupKind
	Database string
	Disks    []string // TO DISK = ... in order
	Init     bool     // INIT (false also for NOINIT, the default)
	Format   bool
	Checksum bool
	CopyOnly bool
	// Compression is nil when neither COMPRESSION nor NO_COMPRESSION was given (server default).
	Compression *bool
	NoRecovery  bool // BACKUP LOG ... WITH NORECOVERY (tail-log backup)
	Skip        bool
	Name        string
	Description string
	MediaName   string
	// Stats is the STATS interval in percent: 0 when STATS was not given, 10 for a bare STATS.
	Stats int
	Line  int32
}

// RestoreKind says what a RESTORE statement does.
type RestoreKind int

// RESTORE statement kinds.
const (
	RestoreDatabase RestoreKind = iota
	RestoreLog
	RestoreVerifyOnly
	RestoreHeaderOnly
	RestoreFileListOnly
	RestoreLabelOnly
)

// Recovery is the recovery option of RESTORE.
type Recovery int

// RESTORE recovery options. RecoveryDefault means none was written (SQL Server then recovers).
const (
	RecoveryDefault Recovery = iota
	RecoveryRecover
	RecoveryNoRecovery
	RecoveryStandby
)

// Move is one MOVE 'logical' TO 'physical' clause.
type Move struct{ Logical, Physical string }

// RestoreSpec is a parsed RESTORE statement with its expressions evaluated.
type RestoreSpec struct {
	Kind        RestoreKind
	Database    string // empty for VERIFYONLY, HEADERONLY, FILELISTONLY, LABELONLY
	Disks       []string
	File        int // FILE = n; 0 when not given (means 1)
	Replace     bool
	Recovery    Recovery
	StandbyFile string
	Checksum    bool
	Stats       int
	Moves       []Move
	Line        int32
}

// AlterAction is what ALTER DATABASE ... SET changes.
type AlterAction int

// ALTER DATABASE actions the interpreter understands.
const (
	AlterPartnerOff AlterAction = iota
	AlterPartnerFailover
	AlterPartnerSuspend
	AlterPartnerResume
	AlterPartnerAddress // SET PARTNER = 'TCP://host:port'
	AlterWitnessOff
	AlterSingleUser
	AlterRestrictedUser
	AlterMultiUser
	AlterReadOnly
	AlterReadWrite
	AlterOffline
	AlterOnline
	AlterRecoveryFull
	AlterRecoveryBulkLogged
	AlterRecoverySimple
)

// Termination is the WITH clause of ALTER DATABASE ... SET.
type Termination int

// ALTER DATABASE termination options.
const (
	TerminateWait Termination = iota // none given: wait for other sessions
	TerminateRollbackImmediate
	TerminateRollbackAfter
	TerminateNoWait
)

// AlterDatabaseSpec is a parsed ALTER DATABASE ... SET statement.
type AlterDatabaseSpec struct {
	Database      string // "CURRENT" is resolved by the Host
	Action        AlterAction
	Termination   Termination
	RollbackAfter int    // seconds, for TerminateRollbackAfter
	Address       string // for AlterPartnerAddress
	Line          int32
}

// Host is the server a batch runs on: one Host per session. Every method may block in simulated time and must
// return ctx.Err() promptly when ctx is done. Methods report SQL errors by returning *Error or Errors; they send
// informational messages and result sets to out as they happen.
type Host interface {
	// Now is the server's current time (GETDATE()).
	Now() time.Time
	// Table resolves a table or view for SELECT, relative to the session's current database. Unknown objects
	// return error 208 "Invalid object name '%s'.".
	Table(ctx context.Context, name ObjectName) (*Table, error)
	// Func evaluates a server function the interpreter does not know itself (DB_ID, DB_NAME, SERVERPROPERTY,
	// SUSER_SNAME, HOST_NAME, APP_NAME ...). name is upper case. known is false for functions the Host does not
	// have either.
	Func(ctx context.Context, name string, args []Value) (v Value, known bool, err error)
	// Global returns a @@ variable the interpreter does not track itself (SPID, SERVERNAME, VERSION ...). name is
	// upper case without "@@".
	Global(name string) (v Value, known bool)
	// Exec runs a stored procedure. It returns the procedure's return status.
	Exec(ctx context.Context, proc ObjectName, args []Arg, out Output) (status int, err error)
	// Use changes the session's current database.
	Use(ctx context.Context, database string) error
	// Backup runs a BACKUP statement.
	Backup(ctx context.Context, spec BackupSpec, out Output) error
	// Restore runs a RESTORE statement.
	Restore(ctx context.Context, spec RestoreSpec, out Output) error
	// AlterDatabase runs an ALTER DATABASE ... SET statement.
	AlterDatabase(ctx context.Context, spec AlterDatabaseSpec, out Output) error
	// Kill ends another session.
	Kill(ctx context.Context, spid int64, out Output) error
	// Sleep waits d of server time (WAITFOR DELAY).
	Sleep(ctx context.Context, d time.Duration) error
}
