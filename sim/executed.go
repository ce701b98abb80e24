package sim

import "time"

// ExecKind says what an Execution ran.
type ExecKind int

// Execution kinds.
const (
	ExecSQL ExecKind = iota
	ExecPowerShell
)

// String names the kind.
func (k ExecKind) String() string {
	if k == ExecPowerShell {
		return "powershell"
	}
	return "sql"
}

// Execution is one SQL batch or PowerShell script the estate received.
type Execution struct {
	At       time.Time // simulated time the batch or script arrived
	Kind     ExecKind
	Target   string // SQL Server name or Lync host FQDN
	Session  int    // SPID for SQL, 0 for PowerShell
	Login    string // login name (SQL) or the account the cmdlets run as (PowerShell)
	Database string // the session's database when the batch started (SQL)
	Text     string
	// Writes is set when the batch or script ran (or tried to run) something that changes state: BACKUP,
	// RESTORE other than the *ONLY forms, ALTER DATABASE, KILL, SET CONTEXT_INFO, a procedure that changes state
	// (sp_getapplock and sp_releaseapplock among them), or a Set-, Install-, Invoke- or Uninstall- cmdlet without
	// -WhatIf.
	Writes bool
	// Err is the batch's first error or the script's failure ("" when it succeeded).
	Err string
}

// Executed returns everything executed so far, in arrival order.
func (s *Sim) Executed() []Execution {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Execution(nil), s.exec...)
}

// record appends an execution and returns its index (callers hold the lock). The console sends the same
// health batch every few seconds for hours: identical texts share one copy.
func (s *Sim) record(e Execution) int {
	if t, ok := s.texts[e.Text]; ok {
		e.Text = t
	} else if len(s.texts) < maxInternedTexts {
		s.texts[e.Text] = e.Text
	}
	s.exec = append(s.exec, e)
	return len(s.exec) - 1
}

// maxInternedTexts bounds the table of shared batch texts.
const maxInternedTexts = 4096
