// Package transcript holds the console's record of what the servers said: one Line per SQL message, result row
// summary, PowerShell output line or console event, and the file every line is appended to on disk.
package transcript

import "time"

// Kind classifies a line so the log pane can mark it (never by colour alone).
type Kind int

// Line kinds.
const (
	// Info is an informational server message (SQL severity 0-10, PowerShell verbose).
	Info Kind = iota
	// Output is ordinary output: PowerShell stdout, a result row rendered as text.
	Output
	// Warning is a PowerShell warning or a console warning.
	Warning
	// Error is a SQL error (severity 11+), a PowerShell error record or a failed step.
	Error
	// Progress is a BACKUP/RESTORE "n percent processed." message.
	Progress
	// Console is something the console itself did: a step started, finished, was cancelled or skipped.
	Console
	// Statement echoes a batch or script the console sent, as the operator confirmed it.
	Statement
)

// String is the kind's tag in the log file.
func (k Kind) String() string {
	switch k {
	case Info:
		return "info"
	case Output:
		return "out"
	case Warning:
		return "warn"
	case Error:
		return "ERROR"
	case Progress:
		return "progress"
	case Console:
		return "console"
	case Statement:
		return "sent"
	}
	return "?"
}

// Line is one line of the transcript.
type Line struct {
	// At is when the line was produced, in the console's clock (simulated time in training).
	At time.Time
	// Source is the SQL instance or Lync host that produced the line, or "console".
	Source string
	// Step is the checklist step the line belongs to ("F3"), or "probe", or "" for the console.
	Step string
	Kind Kind
	// Number is the SQL Server message number (3211, 3201 ...), 0 when there is none.
	Number int32
	Text   string
}
