package control

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The holder's context info is one line of UTF-8 a DBA can read with CAST(context_info AS varchar(128)):
//
//	pcfailback|2024-03-12T14:03:10+01:00|4242|alice|jump01
//
// magic, the time control was taken (RFC 3339, the holder's offset), the process id, the user and the host. In
// the user and the host, '%', '|' and control characters are written %XX, so a name can hold anything. SQL Server
// keeps at most 128 bytes (and pads CONTEXT_INFO() with zero bytes), so the names are cut to fit, marked with '…'.

// contextMagic starts every context info a console writes.
const contextMagic = "pcfailback"

// maxContextInfo is the size of a session's context info.
const maxContextInfo = 128

// ellipsis marks a name cut to fit.
const ellipsis = "…"

// ContextInfo encodes the holder's identity for SET CONTEXT_INFO: at most 128 bytes, the names cut at a
// character boundary when they do not fit.
func ContextInfo(h Holder) []byte {
	since := h.Since
	if since.Year() < 1 || since.Year() > 9999 {
		since = time.Time{}
	}
	pid := h.PID
	if pid < 0 {
		pid = 0
	}
	head := contextMagic + "|" + since.Truncate(time.Second).Format(time.RFC3339) + "|" + strconv.Itoa(pid) + "|"
	user, host := escapeName(h.User), escapeName(h.Host)
	room := maxContextInfo - len(head) - 1 // the '|' between user and host
	if len(user)+len(host) > room {
		// Share the room: a short name keeps all of it, the other gets the rest.
		half := room / 2
		switch {
		case len(user) <= half:
			host = cutName(host, room-len(user))
		case len(host) <= half:
			user = cutName(user, room-len(host))
		default:
			user, host = cutName(user, half), cutName(host, room-half)
		}
	}
	return []byte(head + user + "|" + host)
}

// escapeName writes '%', '|' and control characters as %XX; everything else stays UTF-8. Invalid UTF-8 becomes
// U+FFFD so that what is written always reads back as text.
func escapeName(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c == '|' || c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// cutName shortens an escaped name to at most n bytes ending in '…', never inside a %XX escape or a UTF-8
// sequence.
func cutName(s string, n int) string {
	if len(s) <= n {
		return s
	}
	keep := n - len(ellipsis)
	if keep < 0 {
		return ""
	}
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	if i := strings.LastIndexByte(s[:keep], '%'); i >= 0 && keep-i < 3 {
		keep = i
	}
	return s[:keep] + ellipsis
}

// ParseContextInfo reads a holder's identity back from context info as SQL Server returns it (zero bytes padding
// it to 128 are ignored). ok is false when the bytes are not a console's identity.
func ParseContextInfo(ci []byte) (h Holder, ok bool) {
	ci = bytes.TrimRight(ci, "\x00")
	if len(ci) > maxContextInfo || !utf8.Valid(ci) {
		return Holder{}, false
	}
	parts := strings.Split(string(ci), "|")
	if len(parts) != 5 || parts[0] != contextMagic {
		return Holder{}, false
	}
	// Only the form ContextInfo writes: whole seconds, RFC 3339.
	since, err := time.Parse(time.RFC3339, parts[1])
	if err != nil || since.Format(time.RFC3339) != parts[1] || since.Year() < 1 || since.Year() > 9999 {
		return Holder{}, false
	}
	if since.Equal(time.Time{}) {
		since = time.Time{}
	}
	pid, err := strconv.Atoi(parts[2])
	if err != nil || pid < 0 || parts[2] != strconv.Itoa(pid) {
		return Holder{}, false
	}
	user, ok1 := unescapeName(parts[3])
	host, ok2 := unescapeName(parts[4])
	if !ok1 || !ok2 {
		return Holder{}, false
	}
	return Holder{User: user, Host: host, Since: since, PID: pid}, true
}

// unescapeName undoes escapeName; false for a malformed escape or a raw control character, which ContextInfo
// never writes.
func unescapeName(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return "", false
		}
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(v))
		i += 2
	}
	out := b.String()
	return out, utf8.ValidString(out)
}
