// Package remote defines how the console reaches servers: a SQL runner that executes T-SQL batches on an
// instance and a PowerShell runner that executes scripts on a Lync host. Both stream what the server says as it
// says it and are cancelled through their context.
//
// The simulator implements these interfaces in-process; the production implementations (go-mssqldb, WinRM) sit
// behind the same shapes, so the step engine and the probes never know which one they talk to.
package remote

import (
	"context"
	"fmt"
	"time"
)

// SQLEventKind says what a SQLEvent carries.
type SQLEventKind int

// The kinds of SQL events, in the order a server can send them.
const (
	// SQLInfoMsg is an informational message (severity 0-10): PRINT, "10 percent processed.", 4035, 3014.
	SQLInfoMsg SQLEventKind = iota
	// SQLErrorMsg is an error message (severity 11 and above). The batch may go on after it.
	SQLErrorMsg
	// SQLResultStart opens a result set; Columns holds its columns.
	SQLResultStart
	// SQLRow is one row of the current result set; Values holds it.
	SQLRow
	// SQLRowsAffected reports a statement's row count; Count holds it.
	SQLRowsAffected
)

// String names the kind for logs.
func (k SQLEventKind) String() string {
	switch k {
	case SQLInfoMsg:
		return "info"
	case SQLErrorMsg:
		return "error"
	case SQLResultStart:
		return "result"
	case SQLRow:
		return "row"
	case SQLRowsAffected:
		return "rows-affected"
	}
	return fmt.Sprintf("SQLEventKind(%d)", int(k))
}

// Column describes one column of a result set.
type Column struct {
	Name string
	// Type is the SQL Server type name as the server reports it, e.g. "nvarchar", "int", "datetime".
	Type string
}

// SQLEvent is one thing a SQL Server instance said while running a batch.
type SQLEvent struct {
	Kind SQLEventKind
	// At is when the console received the event.
	At time.Time

	// Message fields, for SQLInfoMsg and SQLErrorMsg.
	Number int32
	Class  uint8
	State  uint8
	Line   int32
	Proc   string
	Server string
	Text   string

	// Columns opens a result set (SQLResultStart).
	Columns []Column
	// Values is one row (SQLRow). Values are nil (NULL), int64, float64, bool, string, time.Time or []byte.
	Values []any
	// Count is the row count of SQLRowsAffected.
	Count int64
}

// SQLError is a message of severity 11 or above, returned as a batch's result when it was the first error.
type SQLError struct {
	Number int32
	Class  uint8
	State  uint8
	Line   int32
	Server string
	Text   string
}

// Error renders the error the way SSMS and sqlcmd print it.
func (e *SQLError) Error() string {
	return fmt.Sprintf("Msg %d, Level %d, State %d, Line %d: %s", e.Number, e.Class, e.State, e.Line, e.Text)
}

// ErrorFromEvent turns a SQLErrorMsg event into an error value.
func ErrorFromEvent(ev SQLEvent) *SQLError {
	return &SQLError{Number: ev.Number, Class: ev.Class, State: ev.State, Line: ev.Line, Server: ev.Server, Text: ev.Text}
}

// SQLSession is one connection (one SPID) to an instance. Statements that must share a session, such as
// SET SINGLE_USER, RESTORE and SET MULTI_USER, run as successive batches on the same SQLSession.
type SQLSession interface {
	// Run executes one batch (no GO separators) and calls emit for every event, in arrival order, never
	// concurrently. It returns the first SQL error of the batch as a *SQLError, ctx.Err() when cancelled (the
	// statement is cancelled at the server), or a transport error. A nil result means the batch raised no error.
	Run(ctx context.Context, batch string, emit func(SQLEvent)) error
	// Close ends the session.
	Close() error
}

// SQLConn reaches one SQL Server instance.
type SQLConn interface {
	// Connect opens a new session whose current database is database ("" means the login's default).
	Connect(ctx context.Context, database string) (SQLSession, error)
}

// PSStream says which stream a PowerShell line came from.
type PSStream int

// PowerShell output streams.
const (
	Stdout PSStream = iota
	Stderr
)

// String names the stream for logs.
func (s PSStream) String() string {
	if s == Stderr {
		return "stderr"
	}
	return "stdout"
}

// PSLine is one complete line of PowerShell output.
type PSLine struct {
	Stream PSStream
	At     time.Time
	Text   string
}

// PSRunner runs PowerShell scripts on one host.
type PSRunner interface {
	// Run executes script and calls emit once per complete line, in arrival order, never concurrently. It
	// returns the process exit code; err is non-nil for transport or authentication failures and cancellation.
	Run(ctx context.Context, script string, emit func(PSLine)) (exitCode int, err error)
}
