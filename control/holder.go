package control

import (
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"
	"unicode"
)

// Holder says who holds control: the console that took it, as its context info names it.
type Holder struct {
	// User is the operating system user running the console.
	User string
	// Host is the machine the console runs on (the jump host).
	Host string
	// Since is when the console took control.
	Since time.Time
	// PID is the console's process id on Host.
	PID int
	// Session is the holder's session id (SPID) on the backup instance; 0 when unknown.
	Session int
	// Login is the SQL Server login of that session, as sys.dm_exec_sessions shows it ("" for the holder's own
	// view of itself).
	Login string
	// FromSession is set when the session carried no identity a console wrote: User, Host, Since and PID then
	// come from the session's login_name, host_name, login_time and host_process_id.
	FromSession bool
}

// Me describes the running console as of now: its operating system user, host name and process id.
func Me(now time.Time) Holder {
	h := Holder{Since: now, PID: os.Getpid()}
	if u, err := user.Current(); err == nil && u.Username != "" {
		h.User = u.Username
	}
	for _, env := range []string{"USER", "USERNAME", "LOGNAME"} {
		if h.User == "" {
			h.User = os.Getenv(env)
		}
	}
	if name, err := os.Hostname(); err == nil {
		h.Host = name
	}
	return h
}

// String names the holder for a banner: "alice on jump01 since 14:03:10 (pid 4242)", with the time in the local
// time zone of the console showing it. Everything in it came from the server, so control characters (a newline, a
// terminal escape) are shown escaped rather than acted on.
func (h Holder) String() string {
	if h.User == "" && h.Host == "" && h.Since.IsZero() {
		if h.Session != 0 {
			return fmt.Sprintf("session %d (its identity could not be read)", h.Session)
		}
		return "another console (its identity could not be read)"
	}
	var b strings.Builder
	who := h.User
	if who == "" {
		who = "someone"
	}
	b.WriteString(printable(who))
	if h.Host != "" {
		b.WriteString(" on ")
		b.WriteString(printable(h.Host))
	}
	if !h.Since.IsZero() {
		b.WriteString(" since ")
		b.WriteString(h.Since.Local().Format("15:04:05"))
	}
	switch {
	case h.FromSession && h.Session != 0:
		fmt.Fprintf(&b, " (session %d)", h.Session)
	case h.PID > 0:
		fmt.Fprintf(&b, " (pid %d)", h.PID)
	}
	return b.String()
}

// printable escapes control and format characters (newlines, escapes, bidirectional overrides) so that a name
// cannot change how a terminal shows what follows it.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
