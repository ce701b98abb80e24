// Package clixml reads and writes the CLIXML that powershell.exe writes to a redirected stderr: a "#< CLIXML"
// line, then an <Objs> document whose <S S="Error|warning|verbose|debug"> elements each carry one line of an
// error, warning, verbose or debug record, with control characters escaped as _xHHHH_ (UTF-16 code units).
// Progress records arrive as <Obj S="progress"> elements and carry no text for the log.
//
// The shape follows what powershell.exe 5.1 emits as reported by the projects that parse it (error lines as
// S="Error", warnings as S="warning", verbose and debug in lower case, "_x000D__x000A_" ending each line); it was
// not checked against a Windows host here. The Decoder and the Encoder are each other's inverse so the simulator
// and the production runner agree, and the Decoder accepts the stream names in any case.
package clixml

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Header is the line powershell.exe writes before the first <Objs> document on stderr.
const Header = "#< CLIXML"

// Namespace is the CLIXML namespace of the <Objs> element.
const Namespace = "http://schemas.microsoft.com/powershell/2004/04"

// isHex reports whether b is an ASCII hex digit.
func isHex(b byte) bool {
	return ('0' <= b && b <= '9') || ('a' <= b && b <= 'f') || ('A' <= b && b <= 'F')
}

// hexVal is the value of an ASCII hex digit (isHex must hold).
func hexVal(b byte) uint16 {
	switch {
	case b <= '9':
		return uint16(b - '0')
	case b >= 'a':
		return uint16(b-'a') + 10
	}
	return uint16(b-'A') + 10
}

// escapeAt reports whether s[i:] starts an _xHHHH_ escape and returns its code unit. Only a lower-case x
// counts, as in .NET's XmlConvert.DecodeName, which PowerShell's deserializer uses.
func escapeAt(s string, i int) (uint16, bool) {
	if i < 0 || i+7 > len(s) || s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
		return 0, false
	}
	var v uint16
	for _, b := range []byte(s[i+2 : i+6]) {
		if !isHex(b) {
			return 0, false
		}
		v = v<<4 | hexVal(b)
	}
	return v, true
}

// Unescape decodes _xHHHH_ escapes, left to right. Escapes are UTF-16 code units, so a pair of surrogate
// escapes makes one character; a lone surrogate becomes U+FFFD.
func Unescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		u, ok := escapeAt(s, i)
		if !ok {
			b.WriteByte(s[i])
			i++
			continue
		}
		i += 7
		if utf16.IsSurrogate(rune(u)) {
			if lo, ok := escapeAt(s, i); ok && u < 0xDC00 && lo >= 0xDC00 && lo <= 0xDFFF {
				b.WriteRune(utf16.DecodeRune(rune(u), rune(lo)))
				i += 7
				continue
			}
			b.WriteRune(utf8.RuneError)
			continue
		}
		b.WriteRune(rune(u))
	}
	return b.String()
}

// Escape is the inverse of Unescape, done the way PowerShell's serializer does it: control characters and the
// two non-characters XML cannot carry become _xHHHH_, and an underscore of the text that would read as the start
// of an escape becomes _x005F_. Invalid UTF-8 becomes U+FFFD. XML escaping of <, > and & is left to the writer.
func Escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	// First pass: escape the characters, remembering where the text's own underscores landed. The second pass
	// can then test each of those against the final text, where a control character's escape that follows
	// "_x0041" could complete a pattern that the original text did not have.
	var b strings.Builder
	b.Grow(len(s) + 16)
	var unders []int
	for _, r := range s {
		switch {
		case r == '_':
			unders = append(unders, b.Len())
			b.WriteByte('_')
		case r < 0x20 || r == 0x7F || r == 0xFFFE || r == 0xFFFF:
			writeUnit(&b, uint16(r))
		default:
			b.WriteRune(r)
		}
	}
	mid := b.String()
	var e strings.Builder
	e.Grow(len(mid) + 8*len(unders))
	last := 0
	for _, at := range unders {
		if _, ok := escapeAt(mid, at); ok {
			e.WriteString(mid[last:at])
			e.WriteString("_x005F_")
			last = at + 1
		}
	}
	e.WriteString(mid[last:])
	return e.String()
}

// writeUnit writes one _xHHHH_ escape.
func writeUnit(b *strings.Builder, u uint16) {
	const digits = "0123456789ABCDEF"
	b.WriteString("_x")
	b.WriteByte(digits[u>>12&0xF])
	b.WriteByte(digits[u>>8&0xF])
	b.WriteByte(digits[u>>4&0xF])
	b.WriteByte(digits[u&0xF])
	b.WriteByte('_')
}
