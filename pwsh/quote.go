package pwsh

import (
	"strings"
	"unicode/utf8"
)

// Quote returns s as a single-quoted PowerShell string literal. Single-quoted strings expand nothing ($, `
// and newlines are literal), so the only character to escape is the quote itself, which is doubled. PowerShell
// also ends a single-quoted string at the typographic single quotes U+2018, U+2019, U+201A and U+201B, so those
// are doubled too; a doubled pair reads back as its second character, which keeps every one of them intact.
//
// Quote is the one way the console puts names (pool identities, server names, share paths) into a script.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		if isSingleQuote(c) {
			b.WriteString(s[i : i+n])
		}
		// The original bytes, not c: an invalid byte must reach the script as it was given.
		b.WriteString(s[i : i+n])
		i += n
	}
	b.WriteByte('\'')
	return b.String()
}
