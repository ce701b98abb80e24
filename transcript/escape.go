package transcript

import (
	"strconv"
	"unicode/utf8"
)

// Escape returns s with every character that could steer a terminal or hide text replaced by a visible escape, so
// that a server message can be shown on screen or written to the log file without sending escape sequences to
// whoever reads it: C0 controls other than tab (including line breaks; split the text with TextLines first) and DEL
// become \xNN, C1 controls, bidirectional formatting characters and the Unicode line and paragraph separators
// become \uNNNN, and bytes that are not valid UTF-8 become \xNN. Backslashes are kept as they are, because UNC
// paths (\\share\backup) are common in this log and must stay readable; the escaping is therefore for safety and
// legibility, not a reversible encoding. A string that needs no escaping is returned as is, without allocating.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	return string(appendEscaped(b, s[i:]))
}

// AppendEscaped appends the escaped form of s (see Escape) to b.
func AppendEscaped(b []byte, s string) []byte {
	i := firstUnsafe(s)
	if i < 0 {
		return append(b, s...)
	}
	b = append(b, s[:i]...)
	return appendEscaped(b, s[i:])
}

// firstUnsafe returns the byte index of the first character Escape would change, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' || c == 0x7f {
				b = appendHexByte(b, c)
			} else {
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = appendHexByte(b, c)
		case unsafeRune(r):
			b = append(b, `\u`...)
			h := strconv.FormatInt(int64(r), 16)
			for n := len(h); n < 4; n++ {
				b = append(b, '0')
			}
			b = append(b, h...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

func appendHexByte(b []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'x', hex[c>>4], hex[c&0x0f])
}

// unsafeRune reports the non-ASCII characters Escape replaces. C1 controls include CSI (U+009B), which some
// terminals honour like ESC [; the bidirectional controls can make a line read differently from what it says
// ("Trojan Source"); the separators start new lines in some terminals and editors.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
