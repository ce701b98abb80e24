package pwsh

import "strings"

// String literals: 'verbatim', "expandable", and the @' '@ / @" "@ here-strings.

// escapeChar is the character a backtick escape stands for in expandable strings and bare words.
func escapeChar(c rune) rune {
	switch c {
	case '0':
		return 0
	case 'a':
		return 7
	case 'b':
		return 8
	case 'f':
		return 12
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'v':
		return 11
	}
	return c
}

// singleQuoted parses '...'. A doubled quote (any of the single-quote characters) stands for its second one.
func (p *parser) singleQuoted() expr {
	start := p.pos
	p.pos++
	var sb strings.Builder
	for {
		if p.eof() {
			p.fail(start, p.pos, "TerminatorExpectedAtEndOfString", "The string is missing the terminator: '.")
			return nil
		}
		c := p.peek()
		if isSingleQuote(c) {
			if !isSingleQuote(p.peekAt(1)) {
				p.pos++
				break
			}
			p.pos++
			c = p.peek()
		}
		sb.WriteRune(c)
		p.pos++
	}
	return &constExpr{extent: extent{start, p.pos}, v: sb.String()}
}

// doubleQuoted parses "...", with $variables, $( ) subexpressions and backtick escapes.
func (p *parser) doubleQuoted() expr {
	start := p.pos
	p.pos++
	var parts []expr
	var sb strings.Builder
	textStart := p.pos
	for {
		if p.eof() {
			p.fail(start, p.pos, "TerminatorExpectedAtEndOfString", "The string is missing the terminator: \".")
			return nil
		}
		c := p.peek()
		switch {
		case isDoubleQuote(c):
			if isDoubleQuote(p.peekAt(1)) {
				sb.WriteRune(p.peekAt(1))
				p.pos += 2
				continue
			}
			if sb.Len() > 0 {
				parts = append(parts, &constExpr{extent: extent{textStart, p.pos}, v: sb.String()})
			}
			p.pos++
			return makeExpandable(extent{start, p.pos}, parts)
		case c == '`':
			if p.pos+1 >= len(p.src) {
				p.pos++
				continue
			}
			sb.WriteRune(escapeChar(p.src[p.pos+1]))
			p.pos += 2
		case c == '$':
			at := p.pos
			x := p.dollarInString()
			if p.err != nil {
				return nil
			}
			if x == nil {
				sb.WriteRune('$')
				p.pos++
				continue
			}
			if sb.Len() > 0 {
				parts = append(parts, &constExpr{extent: extent{textStart, at}, v: sb.String()})
				sb.Reset()
			}
			parts = append(parts, x)
			textStart = p.pos
		default:
			sb.WriteRune(c)
			p.pos++
		}
	}
}

// dollarInString parses what follows '$' inside an expandable string: $(...), ${name} or $name. It returns nil,
// without moving, when the '$' is literal. Only the variable itself expands: "$x.Name" is $x then ".Name".
func (p *parser) dollarInString() expr {
	next := p.peekAt(1)
	switch {
	case next == '(':
		return p.subexpression(false)
	case next == '{' || next == '$' || next == '?' || next == '^' || isIdentChar(next):
		return p.variable()
	}
	return nil
}

func makeExpandable(ex extent, parts []expr) expr {
	if len(parts) == 0 {
		return &constExpr{extent: ex, v: ""}
	}
	if len(parts) == 1 {
		if k, ok := parts[0].(*constExpr); ok {
			return &constExpr{extent: ex, v: k.v}
		}
	}
	return &expandExpr{extent: ex, parts: parts}
}

// hereStringAhead reports whether the '@' at the current position opens a here-string: @' or @" followed only
// by whitespace up to the end of the line.
func (p *parser) hereStringAhead() bool {
	i := p.pos + 2
	for i < len(p.src) && isSpace(p.src[i]) {
		i++
	}
	return i < len(p.src) && isNewline(p.src[i])
}

// hereString parses @'...'@ or @"..."@. The closing quote must start a line; the newline before it is not part
// of the string.
func (p *parser) hereString() expr {
	start := p.pos
	expand := isDoubleQuote(p.peekAt(1))
	p.pos += 2
	for isSpace(p.peek()) {
		p.pos++
	}
	if p.peek() == '\r' && p.peekAt(1) == '\n' {
		p.pos++
	}
	p.pos++
	var parts []expr
	var sb strings.Builder
	textStart := p.pos
	atLineStart := true
	for {
		if p.eof() {
			p.fail(start, p.pos, "TerminatorExpectedAtEndOfString", "The string is missing the terminator: %c@.",
				p.src[start+1])
			return nil
		}
		c := p.peek()
		if atLineStart && ((expand && isDoubleQuote(c)) || (!expand && isSingleQuote(c))) && p.peekAt(1) == '@' {
			text := strings.TrimSuffix(strings.TrimSuffix(sb.String(), "\n"), "\r")
			if text != "" {
				parts = append(parts, &constExpr{extent: extent{textStart, p.pos}, v: text})
			}
			p.pos += 2
			return makeExpandable(extent{start, p.pos}, parts)
		}
		atLineStart = false
		switch {
		case isNewline(c):
			sb.WriteRune(c)
			p.pos++
			atLineStart = !(c == '\r' && p.peek() == '\n')
		case expand && c == '`' && p.pos+1 < len(p.src):
			sb.WriteRune(escapeChar(p.src[p.pos+1]))
			p.pos += 2
		case expand && c == '$':
			at := p.pos
			x := p.dollarInString()
			if p.err != nil {
				return nil
			}
			if x == nil {
				sb.WriteRune('$')
				p.pos++
				continue
			}
			if sb.Len() > 0 {
				parts = append(parts, &constExpr{extent: extent{textStart, at}, v: sb.String()})
				sb.Reset()
			}
			parts = append(parts, x)
			textStart = p.pos
		default:
			sb.WriteRune(c)
			p.pos++
		}
	}
}
