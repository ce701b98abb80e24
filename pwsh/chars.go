package pwsh

import "unicode"

// The character classes below follow the Windows PowerShell tokenizer. Administrators paste commands from Word
// documents and web pages, so typographic quotes and dashes count as quotes and dashes, exactly as they do in
// powershell.exe.

// isSingleQuote reports ' and its typographic variants.
func isSingleQuote(c rune) bool {
	return c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201a' || c == '\u201b'
}

// isDoubleQuote reports " and its typographic variants.
func isDoubleQuote(c rune) bool {
	return c == '"' || c == '\u201c' || c == '\u201d' || c == '\u201e'
}

// isDash reports - and the en dash, em dash and horizontal bar.
func isDash(c rune) bool {
	return c == '-' || c == '\u2013' || c == '\u2014' || c == '\u2015'
}

// isNewline reports the characters that end a statement.
func isNewline(c rune) bool { return c == '\n' || c == '\r' }

// isSpace reports whitespace that separates tokens but does not end a statement.
func isSpace(c rune) bool {
	switch c {
	case ' ', '\t', '\v', '\f', '\u00a0', '\u0085':
		return true
	}
	return c > 256 && unicode.Is(unicode.Zs, c)
}

// forcesNewToken reports characters that end a generic token (a command name or a bare word argument).
func forcesNewToken(c rune) bool {
	switch c {
	case 0, '\t', '\n', '\v', '\f', '\r', ' ', '&', '(', ')', ',', ';', '{', '|', '}':
		return true
	}
	return c >= 128 && isSpace(c)
}

// endsNumber reports characters that may directly follow a number in expression mode.
func endsNumber(c rune) bool {
	if forcesNewToken(c) {
		return true
	}
	switch c {
	case '!', '#', '%', '*', '+', '-', '.', '/', '<', '=', '>', ']':
		return true
	}
	return isDash(c)
}

// isIdentStart reports a character that can start a member or keyword name.
func isIdentStart(c rune) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || (c >= 128 && unicode.IsLetter(c))
}

// isIdentChar reports a character that can continue a member or keyword name.
func isIdentChar(c rune) bool {
	return isIdentStart(c) || ('0' <= c && c <= '9') || (c >= 128 && unicode.IsDigit(c))
}

// isVarChar reports a character of an unbraced variable name ($name), which like PowerShell admits '?'.
func isVarChar(c rune) bool { return isIdentChar(c) || c == '?' }

// isDigit reports an ASCII decimal digit.
func isDigit(c rune) bool { return '0' <= c && c <= '9' }

// isLetter reports a letter, the start of a parameter or operator name.
func isLetter(c rune) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || (c >= 128 && unicode.IsLetter(c))
}
