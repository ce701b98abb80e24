package pwsh

import (
	"fmt"
	"strings"
)

// maxParseDepth bounds nesting (parentheses, blocks, subexpressions) so hostile input cannot exhaust the stack.
const maxParseDepth = 300

// parser is a recursive-descent parser working straight on the runes. PowerShell's tokens depend on where they
// appear (command mode versus expression mode), so there is no separate token stream.
//
// The first error is kept and the position jumps to the end of input, which ends every loop; callers only need
// to cope with nil results.
type parser struct {
	src   []rune
	pos   int
	depth int
	err   *ParseError
}

// Parse parses a script without running it.
func Parse(script string) (*Script, error) {
	p := &parser{src: []rune(script)}
	if len(p.src) > 0 && p.src[0] == '\ufeff' {
		// A byte order mark left by an editor is not part of the script.
		p.pos = 1
	}
	stmts := p.statementList(0)
	if p.err != nil {
		return nil, p.err
	}
	return &Script{src: p.src, stmts: stmts}, nil
}

func (p *parser) fail(start, end int, id, format string, args ...any) {
	if p.err == nil {
		ex := extent{start, end}
		line, col, _ := lineCol(p.src, clamp(start, 0, len(p.src)))
		p.err = &ParseError{Line: line, Column: col, ID: id, Message: fmt.Sprintf(format, args...),
			position: positionLines(p.src, ex)}
	}
	p.pos = len(p.src)
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() rune { return p.peekAt(0) }

func (p *parser) peekAt(n int) rune {
	if i := p.pos + n; i >= 0 && i < len(p.src) {
		return p.src[i]
	}
	return 0
}

// enter guards recursion; every recursive production calls it and defers leave.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxParseDepth {
		p.fail(p.pos, p.pos+1, "ScriptTooComplex", "The script is nested too deeply to be parsed.")
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// skipSpace skips whitespace, line continuations (a backtick right before a newline) and comments, but not
// newlines.
func (p *parser) skipSpace() {
	for !p.eof() {
		c := p.peek()
		switch {
		case isSpace(c):
			p.pos++
		case c == '`' && isNewline(p.peekAt(1)):
			p.pos += 2
			if p.src[p.pos-1] == '\r' && p.peek() == '\n' {
				p.pos++
			}
		case c == '<' && p.peekAt(1) == '#':
			start := p.pos
			p.pos += 2
			for !p.eof() && !(p.peek() == '#' && p.peekAt(1) == '>') {
				p.pos++
			}
			if p.eof() {
				p.fail(start, start+2, "MissingTerminatorMultiLineComment",
					"Missing the terminator '#>' for the block comment.")
				return
			}
			p.pos += 2
		case c == '#':
			for !p.eof() && !isNewline(p.peek()) {
				p.pos++
			}
		default:
			return
		}
	}
}

// skipNewlines skips whitespace, comments and newlines.
func (p *parser) skipNewlines() {
	for {
		p.skipSpace()
		if p.eof() || !isNewline(p.peek()) {
			return
		}
		p.pos++
	}
}

// atStatementEnd reports whether the current character ends a statement or pipeline.
func (p *parser) atStatementEnd() bool {
	if p.eof() {
		return true
	}
	switch c := p.peek(); c {
	case ';', ')', '}', '|':
		return true
	default:
		return isNewline(c)
	}
}

// statementList parses statements up to term (0 for end of input, '}' or ')'), leaving term unconsumed.
func (p *parser) statementList(term rune) []stmt {
	var out []stmt
	for p.err == nil {
		p.skipNewlines()
		for p.peek() == ';' {
			p.pos++
			p.skipNewlines()
		}
		if p.eof() {
			break
		}
		c := p.peek()
		if term != 0 && c == term {
			break
		}
		if c == ')' || c == '}' || c == '|' {
			p.unexpected()
			break
		}
		before := p.pos
		if s := p.statement(); s != nil {
			out = append(out, s)
		}
		p.skipSpace()
		if p.err != nil {
			break
		}
		if p.pos == before || !(p.eof() || isNewline(p.peek()) || p.peek() == ';' || (term != 0 && p.peek() == term)) {
			p.unexpected()
		}
	}
	return out
}

// unexpected reports the token at the current position.
func (p *parser) unexpected() {
	start := p.pos
	end := start + 1
	for end < len(p.src) && !forcesNewToken(p.src[end]) && !forcesNewToken(p.src[start]) {
		end++
	}
	tok := string(p.src[start:min(end, len(p.src))])
	if tok == "|" {
		p.fail(start, end, "EmptyPipeElement", "An empty pipe element is not allowed.")
		return
	}
	p.fail(start, end, "UnexpectedToken", "Unexpected token '%s' in expression or statement.", tok)
}

// keywordAt returns the lower-case keyword at the current position, or "".
func (p *parser) keywordAt() string {
	i := p.pos
	for i < len(p.src) && ('a' <= p.src[i] && p.src[i] <= 'z' || 'A' <= p.src[i] && p.src[i] <= 'Z') {
		i++
	}
	if i == p.pos {
		return ""
	}
	if i < len(p.src) {
		c := p.src[i]
		if !forcesNewToken(c) && !isSingleQuote(c) && !isDoubleQuote(c) && c != '$' {
			return ""
		}
	}
	word := strings.ToLower(string(p.src[p.pos:i]))
	if _, ok := keywords[word]; ok {
		return word
	}
	return ""
}

// keywords maps the statement keywords to whether this shell supports them.
var keywords = map[string]bool{
	"if": true, "foreach": true, "exit": true, "return": true, "throw": true, "break": true, "continue": true,
	"try":   true,
	"while": false, "do": false, "for": false, "switch": false, "function": false, "filter": false,
	"workflow": false, "param": false, "begin": false, "process": false, "end": false, "data": false,
	"class": false, "enum": false, "using": false, "trap": false, "until": false, "dynamicparam": false,
	"configuration": false,
}

// statement parses one statement.
func (p *parser) statement() stmt {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	start := p.pos
	if kw := p.keywordAt(); kw != "" {
		if !keywords[kw] {
			p.fail(start, start+len(kw), "UnsupportedKeyword",
				"The '%s' keyword is not supported by this Management Shell.", kw)
			return nil
		}
		p.pos += len(kw)
		switch kw {
		case "if":
			return p.ifStatement(start)
		case "foreach":
			return p.foreachStatement(start)
		case "try":
			return p.tryStatement(start)
		default:
			return p.flowStatement(start, kw)
		}
	}
	pipe := p.pipeline()
	if pipe == nil {
		return nil
	}
	save := p.pos
	p.skipSpace()
	if op := p.assignOp(); op != "" {
		opStart := p.pos
		el, ok := pipe.elems[0].(*exprElem)
		if len(pipe.elems) != 1 || !ok || len(el.redirs) > 0 || !assignable(el.x) {
			p.fail(pipe.start, opStart, "InvalidLeftHandSide", "The assignment expression is not valid. The input "+
				"to an assignment operator must be an object that is able to accept assignments, such as a "+
				"variable or a property.")
			return nil
		}
		p.pos += len([]rune(op))
		p.skipNewlines()
		if p.atStatementEnd() {
			p.fail(opStart, opStart+len(op), "ExpectedValueExpression",
				"You must provide a value expression on the right-hand side of the '%s' operator.", op)
			return nil
		}
		value := p.statement()
		if value == nil {
			return nil
		}
		return &assignStmt{extent: extent{start, value.span().end}, target: el.x, op: op, value: value}
	}
	p.pos = save
	return &pipelineStmt{extent: pipe.extent, pipe: pipe}
}

// assignOp returns the assignment operator at the current position ("=", "+=" ...), or "".
func (p *parser) assignOp() string {
	c, next := p.peek(), p.peekAt(1)
	if c == '=' {
		return "="
	}
	if next == '=' {
		switch {
		case c == '+', c == '*', c == '/', c == '%':
			return string(c) + "="
		case isDash(c):
			return "-="
		}
	}
	return ""
}

// assignable reports whether x can be the left side of an assignment.
func assignable(x expr) bool {
	switch x := x.(type) {
	case *varExpr:
		return true
	case *memberExpr:
		return !x.static
	case *indexExpr:
		return true
	case *castExpr:
		return assignable(x.x)
	}
	return false
}
