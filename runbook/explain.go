package runbook

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"pcfailback/remote"
	"pcfailback/steps"
)

// Plain explanations of the failures the procedure runs into (procedure.md §4.3, drivers.md), used where a step's
// failure reason is made: the error as the server said it, then what it means here and what to do.

// explanation is one known failure: a SQL Server message number (0 for a transport fault), text that identifies it
// inside another error's text (a cmdlet that quotes SQL Server), and what to tell the operator.
type explanation struct {
	number int32
	// fragment identifies the message in a text that does not carry its number.
	fragment string
	explain  func(server, text string) string
}

// osError reads "Operating system error 5(Access is denied.)" (3201) or "failed: 112(There is not enough space on
// the disk.)" (3202): the Windows error number inside a backup device error.
var osError = regexp.MustCompile(`(?:[Oo]perating system error |failed: )(\d{1,5})\(`)

// osErrorOf returns the Windows error number a 3201/3202 text carries, -1 when none.
func osErrorOf(text string) int {
	m := osError.FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return -1
	}
	return n
}

// account names the service account of the instance that raised a message.
func account(server string) string {
	if server == "" {
		return "the instance's SQL Server service account"
	}
	return server + "'s SQL Server service account"
}

var explanations = []explanation{
	{number: 3201, fragment: "Cannot open backup device", explain: func(server, text string) string {
		switch osErrorOf(text) {
		case 5:
			return "access denied: " + account(server) + " (not the Agent account, not yours) lacks rights on the share " +
				"or its folder. Grant it write (BACKUP) or read (RESTORE) there, then run the step again"
		case 2, 3:
			return "the file or folder does not exist as " + account(server) + " sees it: check the path and that the " +
				"backup was written where the step expects it"
		case 53, 67:
			return "the network path is not found from " + orText(server, "the instance") + ": check the share's server " +
				"name, DNS and that the server is up"
		case 112:
			return "the share is full: free space on it (it needs at least the size of the database), then run the step again"
		}
		return "SQL Server could not open the backup file; the operating system error in the message says why"
	}},
	{number: 3202, fragment: "failed: 112(", explain: func(_, text string) string {
		if osErrorOf(text) == 112 {
			return "the share ran out of space while the backup was written (OS error 112): free space on the share (at least " +
				"the size of mgc; F0 compares them), then run F3 again; the partial file is not a backup"
		}
		return "writing the backup file failed; the operating system error in the message says why (a device or network fault)"
	}},
	{number: 3013, explain: func(string, string) string {
		return "the BACKUP or RESTORE stopped; the message before it says why"
	}},
	{number: 3101, fragment: "Exclusive access could not be obtained", explain: func(string, string) string {
		return "other sessions are in the database and RESTORE needs it to itself: the panels show who (host, program); " +
			"stop that application, or let F4's SET SINGLE_USER WITH ROLLBACK IMMEDIATE disconnect them, then run the step again"
	}},
	{number: 3102, explain: func(string, string) string {
		return "the session doing the RESTORE is itself in the database: RESTORE must run from master"
	}},
	{number: 3104, fragment: "configured for database mirroring", explain: func(server, _ string) string {
		return "the database is still mirrored on " + orText(server, "the target") + ": remove mirroring there (ALTER DATABASE ... " +
			"SET PARTNER OFF), then run the step again"
	}},
	{number: 1418, fragment: "can not be reached or does not exist", explain: func(string, string) string {
		return "the partner's database mirroring endpoint cannot be reached: open TCP port 5022 between the primary and " +
			"its mirror (firewalls on both and between), check the endpoints are started, then run F5a again"
	}},
	{number: 1488, fragment: "database is in single user mode", explain: func(string, string) string {
		return "mirroring cannot start on a SINGLE_USER database: ALTER DATABASE ... SET MULTI_USER on the primary first"
	}},
	{number: 18456, fragment: "Login failed for user", explain: func(server, _ string) string {
		return "the login was refused by " + orText(server, "the instance") + ": on a rebuilt server the login (or the DBA " +
			"group's) may not exist yet, or the password is wrong. Create the login there, or check the credentials"
	}},
	{number: 4060, fragment: "Cannot open database", explain: func(string, string) string {
		return "the database named at login cannot be opened (it is RESTORING, held in SINGLE_USER by another session, " +
			"or missing): connect to master and check the database's state on the panels"
	}},
	{number: 3183, fragment: "RESTORE detected an error on page", explain: func(string, string) string {
		return "the backup file is damaged (a page failed its checksum): do not restore it. Take the backup again (F3), " +
			"if possible to another share, and verify it (F3b)"
	}},
	{number: 3189, fragment: "Damage to the backup set was detected", explain: func(string, string) string {
		return "the backup file is damaged: F4 stays blocked. Take the backup again (F3), if possible to another share, " +
			"and verify it (F3b)"
	}},
	{number: 3169, fragment: "That version is incompatible with this server", explain: func(string, string) string {
		return "the backup comes from a newer SQL Server than the target: a backup cannot be restored on an older " +
			"version. Upgrade the target instance first"
	}},
	{number: 15404, fragment: "Could not obtain information about Windows NT group/user", explain: func(string, string) string {
		return "SQL Server could not look the Windows account up in Active Directory (typically a job owned by a domain " +
			"login): make sa the owner of the log-shipping jobs (sp_update_job @owner_login_name = N'sa')"
	}},
	{number: 5052, fragment: "ALTER DATABASE is not permitted while a database is in the Restoring state", explain: func(string, string) string {
		return "the database is RESTORING: it takes no ALTER DATABASE until a restore completes"
	}},
}

// sqlNumber finds a SQL Server message number inside another error's text: "Msg 3201", "(Error 1488)".
var sqlNumber = regexp.MustCompile(`(?:Msg |\(Error |error )(\d{3,5})\b`)

// ExplainMessage explains a SQL Server message by number (with its text, which for 3201 and 3202 carries the
// operating system error that decides the explanation); server is the instance that raised it. It returns ""
// for a message the console has no explanation for.
func ExplainMessage(number int32, server, text string) string {
	for _, e := range explanations {
		if e.number == number {
			return e.explain(server, text)
		}
	}
	return ""
}

// Explain says in plain words what a step's error means and what to do, "" when the console does not know.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	switch {
	case errors.Is(err, remote.ErrConnectionLost):
		return "the connection broke while the script ran: the server ended that session and rolled back or aborted " +
			"what it was running, so the step did not complete. The panels show what it left; run the step again"
	case errors.Is(err, remote.ErrAccessDenied):
		return "the Lync host's WinRM service refuses the console's account: add the account to the local Administrators " +
			"or Remote Management Users group on the Lync host (it also needs its Lync admin role), then refresh; nothing ran"
	case errors.Is(err, remote.ErrTimeout):
		return "the Lync host's WinRM endpoint took the request and did not answer in time: check that the WinRM service " +
			"runs there and nothing in between holds the connection; check the panels for what changed before running it again"
	}
	var se *remote.SQLError
	if errors.As(err, &se) {
		if x := ExplainMessage(se.Number, se.Server, se.Text); x != "" {
			return x
		}
	}
	return explainText(err.Error())
}

// explainText recognises failures from their text: SQL Server messages quoted by a cmdlet, the Lync cmdlets'
// identity errors, WinRM's refusal of the credentials.
func explainText(text string) string {
	switch {
	case strings.Contains(text, "(HTTP 401)"):
		return "the WinRM listener rejected the credentials (HTTP 401): check the user name, the password and that the " +
			"listener accepts the configured authentication method"
	case strings.Contains(text, "PersistentChatState") && strings.Contains(text, "does not exist"),
		strings.Contains(text, "Cannot find \"PersistentChatState\""),
		strings.Contains(text, "Cannot find Persistent Chat Server collection"):
		return "the pool identity the cmdlet was given does not exist: set pool_identity to the identity " +
			"Get-CsPersistentChatState lists, or leave it empty to use what it reports"
	}
	if m := sqlNumber.FindStringSubmatch(text); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			if x := ExplainMessage(int32(n), "", text); x != "" {
				return x
			}
		}
	}
	for _, e := range explanations {
		if e.fragment != "" && strings.Contains(text, e.fragment) {
			return e.explain("", text)
		}
	}
	return ""
}

// failReason is a failed step's reason: what went wrong as the server or runner said it, then what it means.
func failReason(err error, plan *steps.Plan) string {
	msg := err.Error()
	if errors.Is(err, errCancelled) || strings.Contains(msg, "context canceled") {
		return "cancelled by the operator; the server was told to stop. Check the panels before re-running."
	}
	x := Explain(err)
	if errors.Is(err, remote.ErrConnectionLost) && restores(plan) {
		x = "the connection broke in the middle of the RESTORE: SQL Server ended the session and aborted the restore, " +
			"so the database is left RESTORING (in the user access the script set, SINGLE_USER) with no restore " +
			"recorded, and holds nothing usable. Check the panels, then run the step again: it restores from the start"
	}
	if x == "" {
		return msg
	}
	return msg + " — " + x
}

// restores says a plan restores a database.
func restores(plan *steps.Plan) bool {
	if plan == nil {
		return false
	}
	for _, s := range plan.Scripts {
		if s.Lang == steps.TSQL && strings.Contains(strings.ToUpper(s.Text), "RESTORE DATABASE") {
			return true
		}
	}
	return false
}

// afterLoss adds, to the reason of a step that failed on a lost connection, what the latest probe shows of the
// chat database on each instance the step's SQL scripts ran on: the state the broken session left behind.
func afterLoss(e *Entry, env steps.Env) string {
	if !e.lost || e.Plan == nil {
		return ""
	}
	var parts []string
	seen := map[steps.Target]bool{}
	for _, s := range e.Plan.Scripts {
		if s.Target.Lync || seen[s.Target] {
			continue
		}
		seen[s.Target] = true
		in := env.Snap.Instance(s.Target.Role)
		name := env.Names.Instance(s.Target.Role).Name
		if !in.Reachable {
			parts = append(parts, name+" has not answered a probe since")
			continue
		}
		d := in.Database(env.Names.ChatDB)
		if !d.Exists {
			parts = append(parts, fmt.Sprintf("%s on %s does not exist", env.Names.ChatDB, name))
			continue
		}
		// restorehistory dates are the server's clock: compare them with the server's clock at the step's start.
		start := e.serverStart[s.Target.Role]
		if start.IsZero() {
			start = e.Started
		}
		restored := "no restore recorded since the step started"
		if r := d.LastRestore; r != nil && !r.Date.Before(start.Add(-time.Second)) {
			restored = "restored " + r.Date.Format("15:04:05")
		}
		parts = append(parts, fmt.Sprintf("%s on %s is %s, %s; %s", env.Names.ChatDB, name, orText(d.State, "?"),
			orText(d.UserAccess, "?"), restored))
	}
	if len(parts) == 0 {
		return ""
	}
	return " Now: " + strings.Join(parts, "; ") + "."
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
