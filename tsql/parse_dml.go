package tsql

import "strings"

// execBody parses what follows EXEC: ( dynamic SQL ), or [@rc =] procedure [arguments].
func (p *parser) execBody(base stmtBase) (Statement, *Error) {
	s := &execStmt{stmtBase: base}
	if p.peek().isOp("(") {
		p.pos++
		x, err := p.value()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		s.dynamic = x
		if p.accept("AS") {
			return &unsupportedStmt{stmtBase: base, what: "EXECUTE AS"}, p.skipStatement(false)
		}
		if p.accept("AT") {
			return &unsupportedStmt{stmtBase: base, what: "EXECUTE ... AT a linked server"}, p.skipStatement(false)
		}
		return s, nil
	}
	if t := p.peek(); t.kind == tokVar {
		p.pos++
		if p.acceptOp("=") {
			s.status = &varRef{name: t.text, slot: -1}
		} else {
			s.procVar = &varRef{name: t.text, slot: -1}
		}
	}
	if s.procVar == nil {
		if p.peek().isKeyword("AS") {
			return &unsupportedStmt{stmtBase: base, what: "EXECUTE AS"}, p.skipStatement(false)
		}
		if t := p.peek(); t.kind == tokVar && s.status != nil {
			p.pos++
			s.procVar = &varRef{name: t.text, slot: -1}
		} else {
			parts, err := p.multiPart()
			if err != nil {
				return nil, err
			}
			s.proc = objectName(parts)
			if p.acceptOp(";") {
				// Numbered procedures (proc;1) are a relic; ";" then a number is read as part of the name.
				if p.peek().kind == tokInt {
					p.pos++
				} else {
					p.pos--
				}
			}
		}
	}
	named := false
	for i := 0; startsArg(p.peek()); i++ {
		a, err := p.execArg()
		if err != nil {
			return nil, err
		}
		if a.name == "" && named {
			e := newErr(119, 15, "Must pass parameter number %d and subsequent parameters as '@name = value'. After the form "+
				"'@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.", i+1)
			e.Line, e.Abort = int32(base.line), true
			return nil, e
		}
		named = named || a.name != ""
		s.args = append(s.args, a)
		if !p.acceptOp(",") {
			break
		}
		if !startsArg(p.peek()) {
			return nil, p.fail()
		}
	}
	if p.peek().isKeyword("WITH") && (p.peekAt(1).isKeyword("RECOMPILE") || p.peekAt(1).isKeyword("RESULT")) {
		return &unsupportedStmt{stmtBase: base, what: "EXECUTE ... WITH options"}, p.skipStatement(false)
	}
	return s, nil
}

// startsArg reports whether t can begin a procedure argument.
func startsArg(t token) bool {
	switch t.kind {
	case tokString, tokInt, tokNumber, tokBinary, tokVar, tokGlobal, tokQuoted:
		return true
	case tokOp:
		return t.text == "-" || t.text == "+"
	case tokIdent:
		return !reserved[t.upper] || t.upper == "NULL" || t.upper == "DEFAULT"
	}
	return false
}

// execArg parses [@name =] value|DEFAULT [OUTPUT|OUT]. A bare word is a string, as SQL Server allows for
// procedure arguments (sp_who2 active).
func (p *parser) execArg() (execArg, *Error) {
	var a execArg
	if t := p.peek(); t.kind == tokVar && p.peekAt(1).isOp("=") {
		a.name = t.text
		p.pos += 2
	}
	t := p.peek()
	switch {
	case p.accept("DEFAULT"):
	case t.kind == tokIdent && t.upper != "NULL" && !reserved[t.upper] && !p.peekAt(1).isOp("."):
		p.pos++
		a.x = &literal{val: t.val, typ: sqlType{kind: kNVarChar, size: len(t.val)}}
	case t.kind == tokQuoted:
		p.pos++
		a.x = &literal{val: t.val, typ: sqlType{kind: kNVarChar, size: len(t.val)}}
	default:
		x, err := p.unary()
		if err != nil {
			return a, err
		}
		switch x.(type) {
		case *literal, *varRef, *globalRef:
		default:
			return a, p.fail()
		}
		a.x = x
	}
	a.output = p.accept("OUTPUT") || p.accept("OUT")
	if a.output && a.x != nil {
		if _, ok := a.x.(*varRef); !ok {
			e := newErr(179, 15, "Cannot use the OUTPUT option when passing a constant to a stored procedure.")
			e.Line, e.Abort = int32(t.line), true
			return a, e
		}
	}
	return a, nil
}

// dmlTarget parses the target of INSERT, UPDATE or DELETE: a table variable or a table name.
func (p *parser) dmlTarget() (*ObjectName, *varRef, *Error) {
	if t := p.peek(); t.kind == tokVar {
		p.pos++
		return nil, &varRef{name: t.text, slot: -1}, nil
	}
	parts, err := p.multiPart()
	if err != nil {
		return nil, nil, err
	}
	n := objectName(parts)
	return &n, nil, p.hints()
}

func (p *parser) insert(base stmtBase) (Statement, *Error) {
	p.pos++
	if p.accept("TOP") {
		return &unsupportedStmt{stmtBase: base, what: "INSERT TOP"}, p.skipStatement(false)
	}
	p.accept("INTO")
	s := &insertStmt{stmtBase: base}
	var err *Error
	if s.target, s.tv, err = p.dmlTarget(); err != nil {
		return nil, err
	}
	if p.peek().isOp("(") && !p.peekAt(1).isKeyword("SELECT") && !p.peekAt(1).isKeyword("WITH") {
		p.pos++
		if s.columns, err = p.nameList(); err != nil {
			return nil, err
		}
	}
	switch t := p.peek(); {
	case p.accept("OUTPUT"):
		return &unsupportedStmt{stmtBase: base, what: "the OUTPUT clause"}, p.skipStatement(false)
	case p.accept("VALUES"):
		for {
			if err := p.expectOp("("); err != nil {
				return nil, err
			}
			var row []expr
			for {
				if p.accept("DEFAULT") {
					row = append(row, nil)
				} else {
					x, err := p.value()
					if err != nil {
						return nil, err
					}
					row = append(row, x)
				}
				if !p.acceptOp(",") {
					break
				}
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			s.values = append(s.values, row)
			if !p.acceptOp(",") {
				break
			}
		}
	case t.isKeyword("SELECT") || t.isKeyword("WITH") || t.isOp("("):
		if s.q, err = p.query(); err != nil {
			return nil, err
		}
	case t.isKeyword("EXEC") || t.isKeyword("EXECUTE"):
		p.pos++
		st, err := p.execBody(stmtBase{line: t.line})
		if err != nil {
			return nil, err
		}
		e, ok := st.(*execStmt)
		if !ok {
			return st, nil
		}
		s.exec = e
	case p.accept("DEFAULT"):
		if err := p.expect("VALUES"); err != nil {
			return nil, err
		}
		s.defaults = true
	default:
		return nil, p.fail()
	}
	return s, nil
}

func (p *parser) update(base stmtBase) (Statement, *Error) {
	p.pos++
	if p.accept("TOP") {
		return &unsupportedStmt{stmtBase: base, what: "UPDATE TOP"}, p.skipStatement(false)
	}
	s := &updateStmt{stmtBase: base}
	var err *Error
	if s.target, s.tv, err = p.dmlTarget(); err != nil {
		return nil, err
	}
	if err := p.expect("SET"); err != nil {
		return nil, err
	}
	for {
		var c setClause
		t := p.peek()
		if t.kind == tokVar {
			p.pos++
			c.v = &varRef{name: t.text, slot: -1}
		} else {
			parts, err := p.multiPart()
			if err != nil {
				return nil, err
			}
			c.col = parts[len(parts)-1]
		}
		op := p.peek()
		if op.kind != tokOp || !isAssignOp(op.text) {
			return nil, p.fail()
		}
		p.pos++
		c.op = op.text
		if c.x, err = p.value(); err != nil {
			return nil, err
		}
		s.sets = append(s.sets, c)
		if !p.acceptOp(",") {
			break
		}
	}
	if p.accept("OUTPUT") {
		return &unsupportedStmt{stmtBase: base, what: "the OUTPUT clause"}, p.skipStatement(false)
	}
	if p.accept("FROM") {
		if s.from, err = p.fromList(); err != nil {
			return nil, err
		}
	}
	if p.accept("WHERE") {
		if p.peek().isKeyword("CURRENT") {
			return &unsupportedStmt{stmtBase: base, what: "cursors"}, p.skipStatement(false)
		}
		if s.where, err = p.condition(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (p *parser) delete(base stmtBase) (Statement, *Error) {
	p.pos++
	if p.accept("TOP") {
		return &unsupportedStmt{stmtBase: base, what: "DELETE TOP"}, p.skipStatement(false)
	}
	p.accept("FROM")
	s := &deleteStmt{stmtBase: base}
	var err *Error
	if s.target, s.tv, err = p.dmlTarget(); err != nil {
		return nil, err
	}
	if s.tv != nil || s.target != nil {
		if a := p.peek(); a.isName() && !strings.EqualFold(a.val, "THROW") {
			p.pos++
			s.alias = a.val
		}
	}
	if p.accept("OUTPUT") {
		return &unsupportedStmt{stmtBase: base, what: "the OUTPUT clause"}, p.skipStatement(false)
	}
	if p.accept("FROM") {
		if s.from, err = p.fromList(); err != nil {
			return nil, err
		}
	}
	if p.accept("WHERE") {
		if p.peek().isKeyword("CURRENT") {
			return &unsupportedStmt{stmtBase: base, what: "cursors"}, p.skipStatement(false)
		}
		if s.where, err = p.condition(); err != nil {
			return nil, err
		}
	}
	return s, nil
}
