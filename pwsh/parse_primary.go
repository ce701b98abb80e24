package pwsh

import "strings"

// Primary expressions: variables, numbers, strings, ( ), $( ), @( ), @{ } and { }.

// primary parses a primary expression in expression mode.
func (p *parser) primary() expr {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	start := p.pos
	c, next := p.peek(), p.peekAt(1)
	switch {
	case p.eof():
		return nil
	case c == '$':
		if next == '(' {
			return p.subexpression(false)
		}
		return p.variable()
	case c == '@':
		switch {
		case next == '(':
			return p.subexpression(true)
		case next == '{':
			return p.hashLiteral()
		case (isSingleQuote(next) || isDoubleQuote(next)) && p.hereStringAhead():
			return p.hereString()
		}
		p.fail(start, start+1, "SplattingNotPermitted",
			"The splatting operator '@' cannot be used to reference variables in an expression.")
		return nil
	case c == '(':
		return p.paren()
	case c == '{':
		return p.scriptBlock()
	case isSingleQuote(c):
		return p.singleQuoted()
	case isDoubleQuote(c):
		return p.doubleQuoted()
	case isDigit(c) || (c == '.' && isDigit(next)):
		v, end, ok := scanNumber(p.src, p.pos)
		if !ok || (end < len(p.src) && !endsNumber(p.src[end])) {
			p.pos = max(end, p.pos)
			p.unexpectedFrom(start)
			return nil
		}
		p.pos = end
		return &constExpr{extent: extent{start, end}, v: v}
	}
	return nil
}

// unexpectedFrom reports the token that starts at start as unexpected.
func (p *parser) unexpectedFrom(start int) {
	p.pos = start
	p.unexpected()
}

// variable parses $name, ${name}, $_, $?, $$ and $^.
func (p *parser) variable() expr {
	start := p.pos
	p.pos++
	c := p.peek()
	switch {
	case c == '{':
		p.pos++
		var sb strings.Builder
		for !p.eof() && p.peek() != '}' {
			if p.peek() == '`' && p.pos+1 < len(p.src) {
				p.pos++
			}
			sb.WriteRune(p.peek())
			p.pos++
		}
		if p.eof() {
			p.fail(start, p.pos, "MissingEndCurlyBrace", "Missing closing '}' in variable name.")
			return nil
		}
		p.pos++
		if sb.Len() == 0 {
			p.fail(start, p.pos, "EmptyVariableReference", "Empty ${} variable reference; there should be a name between the braces.")
			return nil
		}
		return &varExpr{extent: extent{start, p.pos}, name: sb.String()}
	case c == '$' || c == '?' || c == '^':
		p.pos++
		return &varExpr{extent: extent{start, p.pos}, name: string(c)}
	case isVarChar(c):
		p.scanVarName()
		return &varExpr{extent: extent{start, p.pos}, name: string(p.src[start+1 : p.pos])}
	}
	p.fail(start, start+1, "InvalidVariableReference", "Variable reference is not valid. '$' was not followed by a "+
		"valid variable name character. Consider using ${} to delimit the name.")
	return nil
}

// scanVarName advances over an unbraced variable name; a colon belongs to it when a name character follows, so
// $env:TEMP and $global:x are single names while "$server:" ends at the colon.
func (p *parser) scanVarName() {
	for !p.eof() {
		c := p.peek()
		if isVarChar(c) {
			p.pos++
			continue
		}
		if c == ':' && isIdentChar(p.peekAt(1)) && p.pos+1 < len(p.src) {
			p.pos++
			continue
		}
		return
	}
}

// subexpression parses $( statements ) or, when array is set, @( statements ).
func (p *parser) subexpression(array bool) expr {
	start := p.pos
	p.pos += 2
	stmts := p.statementList(')')
	if p.err != nil {
		return nil
	}
	if p.peek() != ')' {
		p.fail(p.pos, p.pos+1, "MissingEndParenthesisInSubexpression", "Missing closing ')' in subexpression.")
		return nil
	}
	p.pos++
	return &subExpr{extent: extent{start, p.pos}, stmts: stmts, array: array}
}

// paren parses ( pipeline ), which may also hold an assignment.
func (p *parser) paren() expr {
	start := p.pos
	p.pos++
	p.skipNewlines()
	if p.peek() == ')' {
		p.fail(p.pos, p.pos+1, "ExpectedExpression", "An expression was expected after '('.")
		return nil
	}
	inner := p.statement()
	if inner == nil {
		if p.err == nil {
			p.unexpected()
		}
		return nil
	}
	p.skipNewlines()
	if p.peek() != ')' {
		p.fail(p.pos, p.pos+1, "MissingEndParenthesisInExpression", "Missing closing ')' in expression.")
		return nil
	}
	p.pos++
	return &parenExpr{extent: extent{start, p.pos}, inner: inner}
}

// scriptBlock parses { statements } as a value.
func (p *parser) scriptBlock() expr {
	b := p.block()
	if b == nil {
		return nil
	}
	return &blockExpr{extent: b.extent, body: b, text: string(p.src[b.start+1 : b.end-1])}
}

// hashLiteral parses @{ key = value; ... }.
func (p *parser) hashLiteral() expr {
	start := p.pos
	p.pos += 2
	h := &hashExpr{}
	seen := map[string]bool{}
	for p.err == nil {
		p.skipNewlines()
		for p.peek() == ';' {
			p.pos++
			p.skipNewlines()
		}
		if p.peek() == '}' {
			p.pos++
			h.extent = extent{start, p.pos}
			return h
		}
		if p.eof() {
			p.fail(start, start+2, "MissingEndCurlyBrace", "Missing closing '}' in hash literal.")
			return nil
		}
		keyStart := p.pos
		key := p.hashKey()
		if key == nil {
			if p.err == nil {
				p.fail(keyStart, keyStart+1, "MissingKeyInHashLiteral", "Missing key before '=' in hash literal.")
			}
			return nil
		}
		if k, ok := key.(*constExpr); ok {
			name := strings.ToLower(toStr(k.v))
			if seen[name] {
				p.fail(key.span().start, key.span().end, "DuplicateKeyInHashLiteral",
					"Duplicate keys '%s' are not allowed in hash literals.", toStr(k.v))
				return nil
			}
			seen[name] = true
		}
		p.skipSpace()
		if p.peek() != '=' {
			p.fail(p.pos, p.pos+1, "MissingEqualsInHashLiteral", "Missing '=' operator after key in hash literal.")
			return nil
		}
		p.pos++
		p.skipNewlines()
		if p.atStatementEnd() {
			p.fail(p.pos, p.pos+1, "MissingStatementInHashLiteral", "Missing statement after '=' in hash literal.")
			return nil
		}
		value := p.statement()
		if value == nil {
			return nil
		}
		h.keys = append(h.keys, key)
		h.values = append(h.values, value)
		p.skipSpace()
		if c := p.peek(); !p.eof() && c != ';' && c != '}' && !isNewline(c) {
			p.fail(p.pos, p.pos+1, "MissingEndCurlyBrace", "Missing closing '}' in hash literal.")
			return nil
		}
	}
	return nil
}

// hashKey parses a key: a bare name, a quoted string, a number or an expression.
func (p *parser) hashKey() expr {
	start := p.pos
	c := p.peek()
	if isIdentChar(c) {
		for !p.eof() && !forcesNewToken(p.peek()) && p.peek() != '=' {
			p.pos++
		}
		text := string(p.src[start:p.pos])
		var v Value = text
		if n, end, ok := scanNumber(p.src[start:p.pos], 0); ok && end == p.pos-start {
			v = n
		}
		return &constExpr{extent: extent{start, p.pos}, v: v}
	}
	return p.unary()
}
