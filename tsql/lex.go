package tsql

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lexer splits a batch into tokens. It works on the whole batch up front: batches are small and the parser needs
// arbitrary look-ahead to tell statements apart without terminators.
type lexer struct {
	src  string
	pos  int
	line int
	toks []token
}

// lex tokenizes src. The last token is always tokEOF.
func lex(src string) ([]token, *Error) {
	lx := &lexer{src: src, line: 1, toks: make([]token, 0, len(src)/4+8)}
	for {
		if err := lx.skipSpace(); err != nil {
			return nil, err
		}
		if lx.pos >= len(lx.src) {
			lx.toks = append(lx.toks, token{kind: tokEOF, line: lx.line})
			return lx.toks, nil
		}
		if err := lx.next(); err != nil {
			return nil, err
		}
	}
}

// skipSpace skips white space and comments, counting lines.
func (lx *lexer) skipSpace() *Error {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\n':
			lx.line++
			lx.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
		case c == '-' && strings.HasPrefix(lx.src[lx.pos:], "--"):
			end := strings.IndexByte(lx.src[lx.pos:], '\n')
			if end < 0 {
				lx.pos = len(lx.src)
			} else {
				lx.pos += end
			}
		case c == '/' && strings.HasPrefix(lx.src[lx.pos:], "/*"):
			if err := lx.blockComment(); err != nil {
				return err
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
			if !unicode.IsSpace(r) {
				return nil
			}
			lx.pos += n
		default:
			return nil
		}
	}
	return nil
}

// blockComment skips a /* ... */ comment; T-SQL block comments nest.
func (lx *lexer) blockComment() *Error {
	depth := 0
	for lx.pos < len(lx.src) {
		switch {
		case strings.HasPrefix(lx.src[lx.pos:], "/*"):
			depth++
			lx.pos += 2
		case strings.HasPrefix(lx.src[lx.pos:], "*/"):
			depth--
			lx.pos += 2
			if depth == 0 {
				return nil
			}
		default:
			if lx.src[lx.pos] == '\n' {
				lx.line++
			}
			lx.pos++
		}
	}
	e := newErr(113, 15, "Missing end comment mark '*/'.")
	e.Line = int32(lx.line)
	return e
}

func (lx *lexer) emit(kind tokKind, start, line int, val string) {
	text := lx.src[start:lx.pos]
	t := token{kind: kind, text: text, val: val, line: line}
	if kind == tokIdent {
		t.upper = strings.ToUpper(text)
	}
	lx.toks = append(lx.toks, t)
}

// next reads one token at lx.pos (which is not space).
func (lx *lexer) next() *Error {
	start, line := lx.pos, lx.line
	c := lx.src[lx.pos]
	switch {
	case (c == 'N' || c == 'n') && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '\'':
		lx.pos++
		s, err := lx.quoted('\'', line)
		if err != nil {
			return err
		}
		lx.emit(tokString, start, line, s)
		lx.toks[len(lx.toks)-1].unicode = true
	case c == '\'':
		s, err := lx.quoted('\'', line)
		if err != nil {
			return err
		}
		lx.emit(tokString, start, line, s)
	case c == '[':
		s, err := lx.quoted(']', line)
		if err != nil {
			return err
		}
		lx.emit(tokQuoted, start, line, s)
	case c == '"':
		s, err := lx.quoted('"', line)
		if err != nil {
			return err
		}
		lx.emit(tokQuoted, start, line, s)
	case c == '0' && lx.pos+1 < len(lx.src) && (lx.src[lx.pos+1] == 'x' || lx.src[lx.pos+1] == 'X'):
		lx.pos += 2
		for lx.pos < len(lx.src) && isHex(lx.src[lx.pos]) {
			lx.pos++
		}
		lx.emit(tokBinary, start, line, lx.src[start+2:lx.pos])
	case isDigit(c) || (c == '.' && lx.pos+1 < len(lx.src) && isDigit(lx.src[lx.pos+1])):
		lx.number(start, line)
	case c == '@':
		lx.pos++
		kind := tokVar
		if lx.pos < len(lx.src) && lx.src[lx.pos] == '@' {
			lx.pos++
			kind = tokGlobal
		}
		nameStart := lx.pos
		lx.identChars()
		if lx.pos == nameStart {
			lx.emit(tokOp, start, line, "")
			return nil
		}
		lx.emit(kind, start, line, lx.src[start:lx.pos])
	default:
		r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
		if r == '_' || r == '#' || unicode.IsLetter(r) {
			lx.pos += n
			lx.identChars()
			lx.emit(tokIdent, start, line, lx.src[start:lx.pos])
			return nil
		}
		lx.operator(n)
		lx.emit(tokOp, start, line, lx.src[start:lx.pos])
	}
	return nil
}

// identChars advances over the characters that may follow the first one of an identifier.
func (lx *lexer) identChars() {
	for lx.pos < len(lx.src) {
		r, n := utf8.DecodeRuneInString(lx.src[lx.pos:])
		if r == '_' || r == '#' || r == '@' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			lx.pos += n
			continue
		}
		return
	}
}

// twoCharOps are the operators made of two characters.
var twoCharOps = []string{"<>", "!=", "<=", ">=", "!<", "!>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "::"}

func (lx *lexer) operator(n int) {
	rest := lx.src[lx.pos:]
	for _, op := range twoCharOps {
		if strings.HasPrefix(rest, op) {
			lx.pos += 2
			return
		}
	}
	lx.pos += n
}

// number reads an integer, decimal or float literal.
func (lx *lexer) number(start, line int) {
	kind := tokInt
	for lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]) {
		lx.pos++
	}
	if lx.pos < len(lx.src) && lx.src[lx.pos] == '.' {
		kind = tokNumber
		lx.pos++
		for lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]) {
			lx.pos++
		}
	}
	if lx.pos < len(lx.src) && (lx.src[lx.pos] == 'e' || lx.src[lx.pos] == 'E') {
		kind = tokNumber
		lx.pos++
		if lx.pos < len(lx.src) && (lx.src[lx.pos] == '+' || lx.src[lx.pos] == '-') {
			lx.pos++
		}
		for lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]) {
			lx.pos++
		}
	}
	lx.emit(kind, start, line, lx.src[start:lx.pos])
}

// quoted reads a string or quoted identifier starting at the opening character; the closing character doubled
// stands for itself.
func (lx *lexer) quoted(closing byte, line int) (string, *Error) {
	lx.pos++ // opening quote
	var b strings.Builder
	from := lx.pos
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == '\n' {
			lx.line++
		}
		if c != closing {
			lx.pos++
			continue
		}
		if lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == closing {
			b.WriteString(lx.src[from : lx.pos+1])
			lx.pos += 2
			from = lx.pos
			continue
		}
		b.WriteString(lx.src[from:lx.pos])
		lx.pos++
		return b.String(), nil
	}
	b.WriteString(lx.src[from:])
	e := newErr(105, 15, "Unclosed quotation mark after the character string '%s'.", b.String())
	e.Line = int32(line)
	return "", e
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
