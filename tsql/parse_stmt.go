package tsql

import (
	"strconv"
	"strings"
)

// declare parses DECLARE @a type [= expr], @t TABLE (...), ...
func (p *parser) declare(base stmtBase) (Statement, *Error) {
	p.pos++
	s := &declareStmt{stmtBase: base}
	if t := p.peek(); t.isName() && p.peekAt(1).isKeyword("CURSOR") {
		return &unsupportedStmt{stmtBase: base, what: "cursors"}, p.skipStatement(false)
	}
	for {
		d, err := p.varDecl(false)
		if err != nil {
			return nil, err
		}
		s.vars = append(s.vars, d)
		if !p.acceptOp(",") {
			return s, nil
		}
	}
}

// varDecl parses one variable declaration; params allows OUTPUT (sp_executesql parameter lists).
func (p *parser) varDecl(params bool) (varDecl, *Error) {
	t := p.peek()
	if t.kind != tokVar {
		return varDecl{}, p.fail()
	}
	p.pos++
	d := varDecl{v: &varRef{name: t.text, slot: -1}}
	p.accept("AS")
	if !params && p.accept("TABLE") {
		cols, err := p.tableDef()
		if err != nil {
			return d, err
		}
		d.table = cols
		return d, nil
	}
	ts, err := p.typeSpec()
	if err != nil {
		return d, err
	}
	d.typ = ts
	if p.acceptOp("=") {
		if d.init, err = p.value(); err != nil {
			return d, err
		}
	}
	if params && (p.accept("OUTPUT") || p.accept("OUT")) {
		d.out = true
	}
	return d, nil
}

// tableDef parses the column list of DECLARE @t TABLE ( ... ). Constraints are read; only NOT NULL, DEFAULT and
// IDENTITY have an effect.
func (p *parser) tableDef() ([]colDef, *Error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var cols []colDef
	for {
		switch t := p.peek(); {
		case t.isKeyword("PRIMARY") || t.isKeyword("UNIQUE") || t.isKeyword("CHECK") || t.isKeyword("INDEX") ||
			t.isKeyword("CONSTRAINT"):
			if err := p.skipConstraint(); err != nil {
				return nil, err
			}
		default:
			c, err := p.colDef()
			if err != nil {
				return nil, err
			}
			cols = append(cols, c)
		}
		if !p.acceptOp(",") {
			break
		}
	}
	if len(cols) == 0 {
		return nil, p.fail()
	}
	return cols, p.expectOp(")")
}

// skipConstraint skips a table-level constraint up to the next comma or closing parenthesis.
func (p *parser) skipConstraint() *Error {
	for {
		t := p.peek()
		switch {
		case t.kind == tokEOF:
			return p.fail()
		case t.isOp(","), t.isOp(")"):
			return nil
		case t.isOp("("):
			if err := p.skipParens(); err != nil {
				return err
			}
		default:
			p.pos++
		}
	}
}

func (p *parser) colDef() (colDef, *Error) {
	name, err := p.name()
	if err != nil {
		return colDef{}, err
	}
	c := colDef{name: name}
	if c.typ, err = p.typeSpec(); err != nil {
		return c, err
	}
	for {
		switch t := p.peek(); {
		case p.accept("NULL"):
		case t.isKeyword("NOT") && p.peekAt(1).isKeyword("NULL"):
			p.pos += 2
			c.notNull = true
		case p.accept("PRIMARY"):
			if err := p.expect("KEY"); err != nil {
				return c, err
			}
			c.notNull = true
			_ = p.accept("CLUSTERED") || p.accept("NONCLUSTERED")
		case p.accept("UNIQUE"):
			_ = p.accept("CLUSTERED") || p.accept("NONCLUSTERED")
		case p.accept("DEFAULT"):
			if c.def, err = p.value(); err != nil {
				return c, err
			}
		case p.accept("IDENTITY"):
			c.identity, c.seed, c.incr, c.notNull = true, 1, 1, true
			if p.acceptOp("(") {
				seed, err := p.signedInt()
				if err != nil {
					return c, err
				}
				if err := p.expectOp(","); err != nil {
					return c, err
				}
				incr, err := p.signedInt()
				if err != nil {
					return c, err
				}
				if err := p.expectOp(")"); err != nil {
					return c, err
				}
				c.seed, c.incr = seed, incr
			}
		case p.accept("COLLATE"):
			if _, err := p.anyWord(); err != nil {
				return c, err
			}
		case p.accept("CHECK"):
			if err := p.skipParens(); err != nil {
				return c, err
			}
		default:
			return c, nil
		}
	}
}

func (p *parser) signedInt() (int64, *Error) {
	neg := p.acceptOp("-")
	t := p.peek()
	if t.kind != tokInt {
		return 0, p.fail()
	}
	p.pos++
	n, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return 0, syntaxErr(t)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// set parses SET @v = expr and SET options.
func (p *parser) set(base stmtBase) (Statement, *Error) {
	p.pos++
	t := p.peek()
	if t.kind == tokVar {
		p.pos++
		op := p.peek()
		if op.kind != tokOp || !isAssignOp(op.text) {
			return nil, p.fail()
		}
		p.pos++
		x, err := p.value()
		if err != nil {
			return nil, err
		}
		return &setVarStmt{stmtBase: base, v: &varRef{name: t.text, slot: -1}, op: op.text, x: x}, nil
	}
	if p.accept("CONTEXT_INFO") {
		return p.contextInfo(base)
	}
	s := &setOptionStmt{stmtBase: base}
	switch {
	case p.accept("TRANSACTION"):
		if err := p.expect("ISOLATION"); err != nil {
			return nil, err
		}
		if err := p.expect("LEVEL"); err != nil {
			return nil, err
		}
		s.options = []string{"TRANSACTION ISOLATION LEVEL"}
		for i := 0; i < 2; i++ {
			switch t := p.peek(); t.upper {
			case "READ", "UNCOMMITTED", "COMMITTED", "REPEATABLE", "SNAPSHOT", "SERIALIZABLE":
				s.value += p.next().upper + " "
			}
		}
		s.value = strings.TrimSpace(s.value)
		return s, nil
	case p.accept("IDENTITY_INSERT"):
		if _, err := p.multiPart(); err != nil {
			return nil, err
		}
		s.options = []string{"IDENTITY_INSERT"}
	case p.accept("STATISTICS"):
		s.options = []string{"STATISTICS"}
		for {
			if _, err := p.anyWord(); err != nil {
				return nil, err
			}
			if !p.acceptOp(",") {
				break
			}
		}
	default:
		for {
			w, err := p.anyWord()
			if err != nil {
				return nil, err
			}
			s.options = append(s.options, strings.ToUpper(w.val))
			if !p.acceptOp(",") {
				break
			}
		}
	}
	v := p.peek()
	switch v.kind {
	case tokIdent, tokQuoted, tokInt, tokNumber, tokString, tokVar, tokBinary:
		p.pos++
		s.value = strings.ToUpper(v.val)
		if v.kind == tokIdent {
			s.value = v.upper
		}
	case tokOp:
		if v.text != "-" || p.peekAt(1).kind != tokInt {
			return nil, p.fail()
		}
		p.pos += 2
		s.value = "-" + p.toks[p.pos-1].text
	default:
		return nil, p.fail()
	}
	return s, nil
}

func (p *parser) raiserror(base stmtBase) (Statement, *Error) {
	p.pos++
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	s := &raiserrorStmt{stmtBase: base}
	var err *Error
	if s.msg, err = p.value(); err != nil {
		return nil, err
	}
	if err := p.expectOp(","); err != nil {
		return nil, err
	}
	if s.severity, err = p.value(); err != nil {
		return nil, err
	}
	if err := p.expectOp(","); err != nil {
		return nil, err
	}
	if s.state, err = p.value(); err != nil {
		return nil, err
	}
	for p.acceptOp(",") {
		x, err := p.value()
		if err != nil {
			return nil, err
		}
		s.args = append(s.args, x)
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	if p.accept("WITH") {
		for {
			switch {
			case p.accept("LOG"):
				s.log = true
			case p.accept("NOWAIT"):
				s.nowait = true
			case p.accept("SETERROR"):
				s.setErr = true
			default:
				return nil, p.fail()
			}
			if !p.acceptOp(",") {
				break
			}
		}
	}
	return s, nil
}

func (p *parser) throw(base stmtBase) (Statement, *Error) {
	p.pos++
	s := &throwStmt{stmtBase: base}
	if !startsValue(p.peek()) {
		return s, nil
	}
	var err *Error
	if s.number, err = p.value(); err != nil {
		return nil, err
	}
	if err := p.expectOp(","); err != nil {
		return nil, err
	}
	if s.message, err = p.value(); err != nil {
		return nil, err
	}
	if err := p.expectOp(","); err != nil {
		return nil, err
	}
	if s.state, err = p.value(); err != nil {
		return nil, err
	}
	return s, nil
}

func (p *parser) kill(base stmtBase) (Statement, *Error) {
	p.pos++
	t := p.peek()
	if t.kind != tokInt {
		if t.kind == tokString || t.kind == tokVar {
			p.pos++
			return &unsupportedStmt{stmtBase: base, what: "KILL of a unit of work or a variable"}, nil
		}
		return nil, p.fail()
	}
	p.pos++
	n, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return nil, syntaxErr(t)
	}
	if p.peek().isKeyword("WITH") && p.peekAt(1).isKeyword("STATUSONLY") {
		p.pos += 2
	}
	return &killStmt{stmtBase: base, spid: n}, nil
}

func (p *parser) waitfor(base stmtBase) (Statement, *Error) {
	p.pos++
	s := &waitforStmt{stmtBase: base}
	switch {
	case p.accept("DELAY"):
	case p.accept("TIME"):
		s.at = true
	default:
		return &unsupportedStmt{stmtBase: base, what: "WAITFOR on Service Broker queues"}, p.skipStatement(false)
	}
	t := p.peek()
	if t.kind != tokString && t.kind != tokVar {
		return nil, p.fail()
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	s.x = x
	return s, nil
}
