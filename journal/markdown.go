package journal

import (
	"fmt"
	"strings"
	"unicode"
)

// maxCell bounds one text in the export; a longer note is cut with an ellipsis (the journal keeps it whole).
const maxCell = 2000

// md makes untrusted text safe inside a Markdown table cell or list item: one line (a line break shows as ↵);
// Markdown and HTML punctuation backslash-escaped so nothing becomes a link, emphasis, code, table column or tag
// (the text never starts a line, so line-start syntax such as "#", "-" or "1." cannot trigger); and control
// characters (ANSI escapes, bidirectional overrides) written out as \uXXXX so neither a terminal nor a renderer
// acts on them.
func md(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n >= maxCell {
			b.WriteString("…")
			break
		}
		n++
		switch {
		case r == '\n':
			b.WriteString(" ↵ ")
		case r == '\r':
		case r == '\t':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>|~&$", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == ' ' || (unicode.IsPrint(r) && !needsEscape(r)):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, `\\u%04x`, r)
		}
	}
	return b.String()
}

// hexDigest shows a digest by its first 12 hex digits in a code span; anything that is not a digest (a damaged
// file) is shown as text.
func hexDigest(s string) string {
	if len(s) != 64 || strings.Trim(s, "0123456789abcdef") != "" {
		return md(s)
	}
	return "`" + s[:12] + "`"
}
