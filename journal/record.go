package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Kind says what a record is about.
type Kind string

// Record kinds.
const (
	// KindStart opens a console run: who, from where, in which mode, on which configuration.
	KindStart Kind = "start"
	// KindPreview is a step's script shown to the operator: the digest of the exact text and the file stamp.
	KindPreview Kind = "preview"
	// KindConfirm is a confirmation the operator typed.
	KindConfirm Kind = "confirm"
	// KindStepStart is a step sent to its target.
	KindStepStart Kind = "step-start"
	// KindStepEnd is a step's outcome.
	KindStepEnd Kind = "step-end"
	// KindCheck is one postcondition's result.
	KindCheck Kind = "check"
	// KindNote is free text typed by the operator.
	KindNote Kind = "note"
	// KindSkip is a step the operator skipped, with the reason.
	KindSkip Kind = "skip"
	// KindUnskip takes a skip back.
	KindUnskip Kind = "unskip"
	// KindReconcile is the outcome of a step that was in flight, found afterwards from server state.
	KindReconcile Kind = "reconcile"
	// KindControl is a change of who may run steps: control taken, lost, or read-only because another holds it.
	KindControl Kind = "control"
	// KindExit closes a console run.
	KindExit Kind = "exit"
	// KindBreak starts a new chain segment after the journal found its chain damaged. Only the journal writes it.
	KindBreak Kind = "break"
)

// Kinds lists every kind, in the order above.
func Kinds() []Kind {
	return []Kind{KindStart, KindPreview, KindConfirm, KindStepStart, KindStepEnd, KindCheck, KindNote, KindSkip,
		KindUnskip, KindReconcile, KindControl, KindExit, KindBreak}
}

// known reports whether k is one of Kinds.
func (k Kind) known() bool {
	for _, x := range Kinds() {
		if k == x {
			return true
		}
	}
	return false
}

// Outcome is how a step ended (step-end, reconcile) or how a postcondition came out (check).
type Outcome string

// Outcomes.
const (
	// OutcomeDone is a step that ran and whose postconditions held.
	OutcomeDone Outcome = "done"
	// OutcomeFailed is a step that reported an error or whose postconditions failed.
	OutcomeFailed Outcome = "failed"
	// OutcomeCancelled is a step the operator (or SIGTERM) cancelled at the server.
	OutcomeCancelled Outcome = "cancelled"
	// OutcomeUnknown is a step whose effect could not be established.
	OutcomeUnknown Outcome = "unknown"
	// OutcomePass is a postcondition that held.
	OutcomePass Outcome = "pass"
	// OutcomeFail is a postcondition that did not hold.
	OutcomeFail Outcome = "fail"
)

// Mode is what a console run was allowed to do.
type Mode string

// Modes.
const (
	// ModeTraining runs against the simulator.
	ModeTraining Mode = "training"
	// ModeLive runs against real servers.
	ModeLive Mode = "live"
	// ModeReadOnly only monitors.
	ModeReadOnly Mode = "read-only"
)

// Control is a change of who may run steps against the environment.
type Control string

// Control changes.
const (
	// ControlTaken: this run took the environment's lock and may run steps.
	ControlTaken Control = "taken"
	// ControlLost: this run lost the lock (it expired or was broken) and stopped running steps.
	ControlLost Control = "lost"
	// ControlReadOnly: this run is read-only because another console holds the lock (Holder names it).
	ControlReadOnly Control = "read-only"
)

// Exit reasons, for Record.Reason on an exit record.
const (
	// ExitQuit: the operator quit.
	ExitQuit = "quit"
	// ExitHangup: the terminal went away (SIGHUP, SSH link dropped); any running step finished headless first.
	ExitHangup = "hangup"
	// ExitTerminated: SIGTERM; the running step was cancelled at the server.
	ExitTerminated = "terminated"
	// ExitError: the console stopped on an error (Detail has it).
	ExitError = "error"
)

// Record is one line of the journal. Append fills Seq, Run and Prev, and At when it is zero; the other fields
// depend on Kind and are left out of the line when empty.
type Record struct {
	// Seq numbers the records of a journal 1, 2, 3 … in file order.
	Seq int64 `json:"seq"`
	// At is when the record was written, with fractional seconds and zone: the console stamps the estate's clock (the
	// simulated time in training, as its log file does); Append stamps the wall clock when At is zero.
	At   time.Time `json:"at"`
	Kind Kind      `json:"kind"`
	// Run is the random id of the console run that wrote the record (see the package documentation).
	Run string `json:"run"`
	// Prev is the hex SHA-256 of the previous record's line, without its line end; "" for the first record.
	Prev string `json:"prev"`

	// Environment, User, SSHClient, Host, Mode, ConfigDigest, Version and PID describe a run (start).
	Environment  string `json:"environment,omitempty"`
	User         string `json:"user,omitempty"`
	SSHClient    string `json:"ssh_client,omitempty"`
	Host         string `json:"host,omitempty"`
	Mode         Mode   `json:"mode,omitempty"`
	ConfigDigest string `json:"config_digest,omitempty"`
	Version      string `json:"version,omitempty"`
	PID          int    `json:"pid,omitempty"`
	// LogFile is the run's log file (start), or the file a step's output went to (step-end).
	LogFile string `json:"log_file,omitempty"`

	// Step is the checklist step ("F3") of preview, confirm, step-start, step-end, check, skip, unskip and
	// reconcile records.
	Step string `json:"step,omitempty"`
	// Target is the instance or host a step runs on.
	Target string `json:"target,omitempty"`
	// ScriptDigest is Digest of the exact script text previewed or run.
	ScriptDigest string `json:"script_digest,omitempty"`
	// Stamp is the time the previewed plan's file names and schedule dates are made from.
	Stamp time.Time `json:"stamp,omitzero"`
	// Typed is the confirmation text the operator typed.
	Typed string `json:"typed,omitempty"`
	// Outcome is a step's outcome (step-end, reconcile) or a postcondition's (check: pass or fail).
	Outcome Outcome `json:"outcome,omitempty"`
	// ErrorNumber and ErrorText are the error a step failed with: the SQL Server message number, or 0.
	ErrorNumber int32  `json:"error_number,omitempty"`
	ErrorText   string `json:"error_text,omitempty"`
	// OutputDigest is Digest of the step's output lines as written to LogFile.
	OutputDigest string `json:"output_digest,omitempty"`
	// Duration is how long the step ran.
	Duration Duration `json:"duration,omitzero"`
	// Check names the postcondition of a check record.
	Check string `json:"check,omitempty"`
	// Params are the values a step-start's plan was resolved with (the backup file it writes), and ServerStart
	// each target instance's clock when it started: enough to judge the step's postconditions again after a
	// restart.
	Params      map[string]string    `json:"params,omitempty"`
	ServerStart map[string]time.Time `json:"server_start,omitempty"`

	// Text is an operator's note.
	Text string `json:"text,omitempty"`
	// Reason is why a step was skipped or unskipped, or why the run exited (ExitQuit …).
	Reason string `json:"reason,omitempty"`
	// Detail is a check's detail, a reconcile's evidence, a control change's explanation, an exit's error or
	// what a break record found.
	Detail string `json:"detail,omitempty"`

	// Control and Holder describe a control record; Holder names who holds the lock (user, host, since when).
	Control Control `json:"control,omitempty"`
	Holder  string  `json:"holder,omitempty"`

	// Lines are the line numbers of the problems a break record records.
	Lines []int `json:"lines,omitempty"`
}

// timeLayout is RFC 3339 with a fixed number of fractional digits, so that every line shows them and times line
// up when the file is read in a terminal.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// recordFields is Record without its methods, for encoding/json.
type recordFields Record

// MarshalJSON writes At with fractional seconds always present; the other fields as tagged.
func (r Record) MarshalJSON() ([]byte, error) {
	// The outer Seq and At shadow the embedded ones (encoding/json prefers the shallower field), and come first.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "<" and "&" in a note are harmless in a terminal and should read as typed
	err := enc.Encode(struct {
		Seq int64  `json:"seq"`
		At  string `json:"at"`
		recordFields
	}{r.Seq, r.At.Format(timeLayout), recordFields(r)})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// UnmarshalJSON reads a record written by MarshalJSON (any RFC 3339 time is accepted).
func (r *Record) UnmarshalJSON(b []byte) error {
	var w struct {
		At string `json:"at"`
		*recordFields
	}
	w.recordFields = (*recordFields)(r)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	at, err := time.Parse(time.RFC3339Nano, w.At)
	if err != nil {
		return fmt.Errorf("at: %q is not an RFC 3339 time", w.At)
	}
	r.At = at
	return nil
}

// Duration is a time.Duration written as text ("3m12.5s") so that the file reads plainly.
type Duration time.Duration

// MarshalText writes the duration as time.Duration.String does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a duration written by MarshalText.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration: %q is not a duration", b)
	}
	*d = Duration(v)
	return nil
}
