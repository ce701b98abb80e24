package pwsh

import "strings"

// Pipelines and command mode: a | b | c, command names, -Parameters, arguments and redirections.

// pipeline parses pipeline elements separated by '|'. It returns nil when nothing starts here.
func (p *parser) pipeline() *pipeline {
	start := p.pos
	pipe := &pipeline{}
	for p.err == nil {
		p.skipSpace()
		el := p.pipeElement(len(pipe.elems) == 0)
		if el == nil {
			return nil
		}
		pipe.elems = append(pipe.elems, el)
		end := p.pos
		p.skipSpace()
		if p.peek() != '|' {
			p.pos = end
			break
		}
		bar := p.pos
		p.pos++
		p.skipNewlines()
		if p.atStatementEnd() {
			p.fail(bar, bar+1, "EmptyPipeElement", "An empty pipe element is not allowed.")
			return nil
		}
	}
	if p.err != nil || len(pipe.elems) == 0 {
		return nil
	}
	pipe.extent = extent{start, pipe.elems[len(pipe.elems)-1].span().end}
	return pipe
}

// pipeElement parses a command, or an expression when it is the first element.
func (p *parser) pipeElement(first bool) pipeElem {
	if p.atStatementEnd() {
		return nil
	}
	if p.startsExpression() {
		if !first {
			p.fail(p.pos, p.pos+1, "ExpressionsMustBeFirstInPipeline",
				"Expressions are only allowed as the first element of a pipeline.")
			return nil
		}
		start := p.pos
		x := p.expression()
		if x == nil {
			if p.err == nil {
				p.unexpected()
			}
			return nil
		}
		el := &exprElem{x: x}
		end := p.pos
		for p.err == nil {
			p.skipSpace()
			r, ok := p.redirection()
			if !ok {
				break
			}
			el.redirs = append(el.redirs, r)
			end = p.pos
		}
		p.pos = end
		el.extent = extent{start, end}
		return el
	}
	if c := p.command(); c != nil {
		return c
	}
	return nil
}

// startsExpression reports whether the element at the current position is parsed in expression mode.
func (p *parser) startsExpression() bool {
	c, next := p.peek(), p.peekAt(1)
	switch {
	case c == '$' || c == '(' || c == '@' || c == '{' || c == '[' || c == '!' || c == ',' || c == '+':
		return true
	case isSingleQuote(c) || isDoubleQuote(c):
		return true
	case isDigit(c) || (c == '.' && isDigit(next)):
		_, end, ok := scanNumber(p.src, p.pos)
		return ok && (end >= len(p.src) || endsNumber(p.src[end]))
	case isDash(c):
		if isLetter(next) {
			switch strings.ToLower(p.wordFrom(p.pos + 1)) {
			case "not", "bnot", "split", "join", "csplit", "isplit":
				return true
			}
			return false
		}
		return true
	}
	return false
}

// wordFrom returns the run of letters starting at i.
func (p *parser) wordFrom(i int) string {
	j := i
	for j < len(p.src) && isLetter(p.src[j]) {
		j++
	}
	return string(p.src[i:j])
}

// command parses a command invocation in command mode.
func (p *parser) command() *command {
	start := p.pos
	cmd := &command{}
	if c := p.peek(); c == '&' || (c == '.' && (isSpace(p.peekAt(1)) || p.peekAt(1) == '{')) {
		p.pos++
		p.skipSpace()
		if p.atStatementEnd() {
			p.fail(start, start+1, "MissingExpression", "Missing expression after '%c'.", c)
			return nil
		}
		cmd.nameExpr = p.argument()
		if cmd.nameExpr == nil {
			return nil
		}
	} else {
		name := p.genericToken()
		if name == nil {
			p.unexpected()
			return nil
		}
		if k, ok := name.(*constExpr); ok {
			cmd.name = toStr(k.v)
		} else {
			cmd.nameExpr = name
		}
		cmd.nameExt = name.span()
	}
	end := p.pos
	noMoreParams := false
	for p.err == nil {
		p.skipSpace()
		if p.atStatementEnd() {
			break
		}
		c := p.peek()
		if c == '&' {
			p.fail(p.pos, p.pos+1, "AmpersandNotAllowed", "The ampersand (&) character is not allowed. The & "+
				"operator is reserved for future use; wrap an ampersand in double quotation marks (\"&\") to pass "+
				"it as part of a string.")
			return nil
		}
		if r, ok := p.redirection(); ok {
			cmd.redirs = append(cmd.redirs, r)
			end = p.pos
			continue
		}
		if c == '<' {
			p.fail(p.pos, p.pos+1, "RedirectionNotSupported", "The '<' operator is reserved for future use.")
			return nil
		}
		elStart := p.pos
		var el cmdElem
		switch {
		case isDash(c) && !noMoreParams && (isLetter(p.peekAt(1)) || p.peekAt(1) == '_' || p.peekAt(1) == '?'):
			el = p.parameter()
		case isDash(c) && isDash(p.peekAt(1)) && forcesNewToken(p.peekAt(2)):
			p.pos += 2
			noMoreParams = true
			end = p.pos
			continue
		case c == '@' && isVarChar(p.peekAt(1)):
			p.pos++
			n := p.pos
			for !p.eof() && isVarChar(p.peek()) {
				p.pos++
			}
			el.splat = string(p.src[n:p.pos])
		default:
			el.arg = p.argument()
			if el.arg == nil {
				if p.err == nil {
					p.unexpected()
				}
				return nil
			}
		}
		if p.err != nil {
			return nil
		}
		el.extent = extent{elStart, p.pos}
		cmd.elems = append(cmd.elems, el)
		end = p.pos
	}
	if p.err != nil {
		return nil
	}
	p.pos = end
	cmd.extent = extent{start, end}
	return cmd
}

// parameter parses -Name or -Name:value.
func (p *parser) parameter() cmdElem {
	start := p.pos
	p.pos++
	n := p.pos
	for !p.eof() && !forcesNewToken(p.peek()) && p.peek() != ':' {
		p.pos++
	}
	el := cmdElem{isParam: true, param: string(p.src[n:p.pos])}
	if p.peek() == ':' {
		p.pos++
		el.hasColon = true
		p.skipSpace()
		if p.atStatementEnd() {
			p.fail(start, p.pos, "ParameterRequiresArgument", "Missing an argument for parameter '%s'.", el.param)
			return el
		}
		el.arg = p.argument()
	}
	return el
}

// redirection parses N>$null, N>&1, >$null and the like at the current position.
func (p *parser) redirection() (redirection, bool) {
	start := p.pos
	i := p.pos
	stream := 1
	switch c := p.peek(); {
	case c == '*' && p.peekAt(1) == '>':
		stream = 0
		i++
	case c >= '1' && c <= '6' && p.peekAt(1) == '>':
		stream = int(c - '0')
		i++
	case c == '>':
	default:
		return redirection{}, false
	}
	i++ // '>'
	if i < len(p.src) && p.src[i] == '>' {
		i++
	}
	p.pos = i
	r := redirection{stream: stream}
	if p.peek() == '&' {
		if p.peekAt(1) != '1' || stream == 1 {
			p.fail(start, p.pos+2, "RedirectionNotSupported", "The redirection operator is not supported here; "+
				"only N>&1 (merge into the output) and N>$null are.")
			return r, false
		}
		p.pos += 2
		r.merge = true
	} else {
		p.skipSpace()
		target := p.pos
		if p.atStatementEnd() {
			p.fail(start, p.pos, "MissingFileSpecification", "Missing file specification after redirection operator.")
			return r, false
		}
		x := p.argument()
		if v, ok := x.(*varExpr); !ok || !strings.EqualFold(v.name, "null") {
			p.fail(target, max(p.pos, target+1), "RedirectionNotSupported",
				"Redirecting output to a file is not supported by this Management Shell; use >$null to discard it.")
			return r, false
		}
	}
	r.extent = extent{start, p.pos}
	return r, true
}

// argument parses one command argument: a primary, and more after commas ('a','b' is one array argument).
func (p *parser) argument() expr {
	start := p.pos
	first := p.argumentPrimary()
	if first == nil {
		return nil
	}
	elems := []expr{first}
	for p.err == nil {
		save := p.pos
		p.skipSpace()
		if p.peek() != ',' {
			p.pos = save
			break
		}
		comma := p.pos
		p.pos++
		p.skipNewlines()
		if p.atStatementEnd() {
			p.fail(comma, comma+1, "MissingExpressionAfterToken", "Missing argument in parameter list.")
			return nil
		}
		next := p.argumentPrimary()
		if next == nil {
			return nil
		}
		elems = append(elems, next)
	}
	if len(elems) == 1 {
		return first
	}
	return &arrayExpr{extent: extent{start, p.pos}, elems: elems}
}

// argumentPrimary parses one argument value in command mode.
func (p *parser) argumentPrimary() expr {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	start := p.pos
	c, next := p.peek(), p.peekAt(1)
	var x expr
	switch {
	case c == '$':
		if next == '(' {
			x = p.postfix(p.subexpression(false), true)
		} else if !validVarStart(next) {
			return p.genericToken()
		} else {
			x = p.postfix(p.variable(), true)
		}
		if x != nil && !p.eof() && !forcesNewToken(p.peek()) {
			// $dir\file.txt: a variable directly followed by text is one expandable word.
			return p.bareword(start, []expr{x})
		}
		return x
	case c == '@' && (next == '(' || next == '{' || ((isSingleQuote(next) || isDoubleQuote(next)) && p.hereStringAhead())):
		return p.postfix(p.primary(), true)
	case c == '(' || c == '{':
		return p.postfix(p.primary(), true)
	case isSingleQuote(c) || isDoubleQuote(c):
		x = p.primary()
		if x != nil && !p.eof() && !forcesNewToken(p.peek()) {
			return p.bareword(start, []expr{x})
		}
		return x
	}
	return p.genericToken()
}

// genericToken parses a bare word: a command name or an unquoted argument, which may embed quoted parts,
// variables and backtick escapes. A plain word that reads as a number is that number.
func (p *parser) genericToken() expr {
	start := p.pos
	x := p.bareword(start, nil)
	if k, ok := x.(*constExpr); ok {
		if s, isStr := k.v.(string); isStr && k.end-k.start == len([]rune(s)) {
			if v, ok := numberToken([]rune(s)); ok {
				k.v = v
			}
		}
	}
	return x
}

// numberToken reads a whole bare word as a number, with an optional leading minus (-5 is a number argument).
func numberToken(rs []rune) (Value, bool) {
	neg := len(rs) > 1 && isDash(rs[0])
	if neg {
		rs = rs[1:]
	}
	v, end, ok := scanNumber(rs, 0)
	if !ok || end != len(rs) {
		return nil, false
	}
	if !neg {
		return v, true
	}
	switch n := v.(type) {
	case int64:
		if n != minInt64 {
			return -n, true
		}
		return -float64(n), true
	case float64:
		return -n, true
	}
	return nil, false
}

// bareword scans a generic token starting at start, after the already parsed parts.
func (p *parser) bareword(start int, parts []expr) expr {
	var sb strings.Builder
	textStart := p.pos
	flush := func() {
		if sb.Len() > 0 {
			parts = append(parts, &constExpr{extent: extent{textStart, p.pos}, v: sb.String()})
			sb.Reset()
		}
	}
	for p.err == nil && !p.eof() {
		c := p.peek()
		if forcesNewToken(c) {
			break
		}
		switch {
		case c == '`':
			if isNewline(p.peekAt(1)) {
				goto done
			}
			if p.pos+1 < len(p.src) {
				sb.WriteRune(escapeChar(p.src[p.pos+1]))
			}
			p.pos += 2
		case isSingleQuote(c) || isDoubleQuote(c):
			flush()
			if x := p.primary(); x != nil {
				parts = append(parts, x)
			}
			textStart = p.pos
		case c == '$' && (p.peekAt(1) == '(' || validVarStart(p.peekAt(1))):
			flush()
			var x expr
			if p.peekAt(1) == '(' {
				x = p.subexpression(false)
			} else {
				x = p.variable()
			}
			if x != nil {
				parts = append(parts, x)
			}
			textStart = p.pos
		default:
			sb.WriteRune(c)
			p.pos++
		}
	}
done:
	if p.err != nil {
		return nil
	}
	flush()
	if p.pos == start {
		return nil
	}
	ex := extent{start, p.pos}
	if len(parts) == 1 {
		if k, ok := parts[0].(*constExpr); ok {
			return &constExpr{extent: ex, v: k.v}
		}
	}
	return &expandExpr{extent: ex, parts: parts}
}

// validVarStart reports whether c can follow '$' to make a variable reference.
func validVarStart(c rune) bool {
	return isVarChar(c) || c == '{' || c == '$' || c == '^'
}
