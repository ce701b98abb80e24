package tsql

import (
	"strconv"
	"strings"
)

// primary parses literals, variables, names, function calls, CASE, CAST/CONVERT, parentheses and subqueries.
func (p *parser) primary() (expr, *Error) {
	t := p.peek()
	switch t.kind {
	case tokInt, tokNumber:
		p.pos++
		return numberLiteral(t), nil
	case tokString:
		p.pos++
		return stringLiteral(t), nil
	case tokBinary:
		p.pos++
		b := parseBinary(t.val)
		return &literal{val: b, typ: sqlType{kind: kBinary, size: len(b)}}, nil
	case tokVar:
		p.pos++
		return &varRef{name: t.text, slot: -1}, nil
	case tokGlobal:
		p.pos++
		return &globalRef{name: strings.ToUpper(t.text[2:])}, nil
	case tokOp:
		if t.text != "(" {
			return nil, p.fail()
		}
		if nx := p.peekAt(1); nx.isKeyword("SELECT") || nx.isKeyword("WITH") {
			q, err := p.parenQuery()
			if err != nil {
				return nil, err
			}
			return &subqueryExpr{q: q}, nil
		}
		p.pos++
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		return x, p.expectOp(")")
	case tokQuoted:
		return p.nameOrCall()
	case tokIdent:
		return p.keywordPrimary(t)
	}
	return nil, p.fail()
}

// keywordPrimary handles a word at the start of an operand: NULL, CASE, CAST, the reserved words that are
// functions, and plain names.
func (p *parser) keywordPrimary(t token) (expr, *Error) {
	switch t.upper {
	case "NULL":
		p.pos++
		return &literal{val: nil, typ: tInt}, nil
	case "CASE":
		return p.caseExpr()
	case "CAST", "TRY_CAST":
		if p.peekAt(1).isOp("(") {
			return p.cast(t.upper == "TRY_CAST")
		}
	case "CONVERT", "TRY_CONVERT":
		return p.convert(t.upper == "TRY_CONVERT")
	case "CURRENT_TIMESTAMP":
		p.pos++
		return &funcCall{name: ObjectName{Object: "GETDATE"}}, nil
	case "CURRENT_USER", "SESSION_USER", "USER":
		p.pos++
		return &funcCall{name: ObjectName{Object: "USER_NAME"}}, nil
	case "SYSTEM_USER":
		p.pos++
		return &funcCall{name: ObjectName{Object: "SUSER_SNAME"}}, nil
	case "LEFT", "RIGHT", "COALESCE", "NULLIF":
		if p.peekAt(1).isOp("(") {
			p.pos++
			return p.callArgs(ObjectName{Object: t.text})
		}
	}
	if t.isReserved() {
		return nil, p.fail()
	}
	return p.nameOrCall()
}

// nameOrCall parses a column reference or a function call.
func (p *parser) nameOrCall() (expr, *Error) {
	parts, err := p.multiPart()
	if err != nil {
		return nil, err
	}
	if !p.peek().isOp("(") {
		return &colRef{parts: parts}, nil
	}
	name := objectName(parts)
	if len(parts) == 1 {
		switch up := strings.ToUpper(parts[0]); up {
		case "IIF":
			return p.iif()
		case "DATEADD", "DATEDIFF", "DATEPART", "DATENAME", "DATEDIFF_BIG":
			return p.datePartCall(up)
		}
	}
	return p.callArgs(name)
}

// callArgs parses ( [DISTINCT|ALL] args | * ) after a function name, and a following OVER clause.
func (p *parser) callArgs(name ObjectName) (expr, *Error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	f := &funcCall{name: name}
	switch {
	case p.acceptOp("*"):
		f.star = true
	case p.peek().isOp(")"):
	default:
		if p.accept("DISTINCT") {
			f.distinct = true
		} else {
			p.accept("ALL")
		}
		for {
			x, err := p.value()
			if err != nil {
				return nil, err
			}
			f.args = append(f.args, x)
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	if p.accept("OVER") {
		if err := p.skipParens(); err != nil {
			return nil, err
		}
		return &unsupportedExpr{what: "window functions (OVER)"}, nil
	}
	if p.accept("WITHIN") {
		if err := p.expect("GROUP"); err != nil {
			return nil, err
		}
		if err := p.skipParens(); err != nil {
			return nil, err
		}
		return &unsupportedExpr{what: "WITHIN GROUP"}, nil
	}
	return f, nil
}

// skipParens skips a balanced parenthesized token sequence.
func (p *parser) skipParens() *Error {
	if err := p.expectOp("("); err != nil {
		return err
	}
	depth := 1
	for depth > 0 {
		t := p.next()
		switch {
		case t.kind == tokEOF:
			return syntaxErr(t)
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			depth--
		}
	}
	return nil
}

func (p *parser) datePartCall(fn string) (expr, *Error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	w, err := p.anyWord()
	if err != nil {
		return nil, err
	}
	part, ok := lookupDatePart(w.val)
	if !ok {
		opt := strings.ToLower(fn)
		if opt == "datediff_big" {
			opt = "datediff"
		}
		e := newErr(155, 15, "'%s' is not a recognized %s option.", w.val, opt)
		e.Line, e.Abort = int32(w.line), true
		return nil, e
	}
	c := &datePartCall{fn: fn, part: part}
	for p.acceptOp(",") {
		x, err := p.value()
		if err != nil {
			return nil, err
		}
		c.args = append(c.args, x)
	}
	return c, p.expectOp(")")
}

func (p *parser) caseExpr() (expr, *Error) {
	p.pos++
	c := &caseExpr{}
	if !p.peek().isKeyword("WHEN") {
		x, err := p.value()
		if err != nil {
			return nil, err
		}
		c.operand = x
	}
	for p.accept("WHEN") {
		var cond expr
		var err *Error
		if c.operand != nil {
			cond, err = p.value()
		} else {
			cond, err = p.condition()
		}
		if err != nil {
			return nil, err
		}
		if err := p.expect("THEN"); err != nil {
			return nil, err
		}
		then, err := p.value()
		if err != nil {
			return nil, err
		}
		c.whens = append(c.whens, whenClause{cond: cond, then: then})
	}
	if len(c.whens) == 0 {
		return nil, p.fail()
	}
	if p.accept("ELSE") {
		x, err := p.value()
		if err != nil {
			return nil, err
		}
		c.els = x
	}
	return c, p.expect("END")
}

func (p *parser) cast(try bool) (expr, *Error) {
	p.pos += 2
	x, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.expect("AS"); err != nil {
		return nil, err
	}
	ts, err := p.typeSpec()
	if err != nil {
		return nil, err
	}
	return &castExpr{x: x, typ: ts, try: try}, p.expectOp(")")
}

func (p *parser) convert(try bool) (expr, *Error) {
	p.pos++
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	ts, err := p.typeSpec()
	if err != nil {
		return nil, err
	}
	if err := p.expectOp(","); err != nil {
		return nil, err
	}
	x, err := p.value()
	if err != nil {
		return nil, err
	}
	c := &castExpr{x: x, typ: ts, try: try, convert: true}
	if p.acceptOp(",") {
		if c.style, err = p.value(); err != nil {
			return nil, err
		}
	}
	return c, p.expectOp(")")
}

// typeSpec parses a data type: name [ ( n | MAX [, n] ) ].
func (p *parser) typeSpec() (typeSpec, *Error) {
	t := p.peek()
	if t.kind != tokIdent && t.kind != tokQuoted {
		return typeSpec{}, p.fail()
	}
	p.pos++
	ts := typeSpec{name: strings.ToUpper(t.val), line: t.line}
	if ts.name == "SYS" && p.acceptOp(".") {
		w, err := p.anyWord()
		if err != nil {
			return ts, err
		}
		ts.name = strings.ToUpper(w.val)
	}
	if ts.name == "DOUBLE" {
		p.accept("PRECISION")
		ts.name = "FLOAT"
	}
	if !p.acceptOp("(") {
		return ts, nil
	}
	for {
		switch t := p.next(); {
		case t.isKeyword("MAX"):
			ts.max = true
		case t.kind == tokInt:
			n, err := strconv.Atoi(t.text)
			if err != nil || n > 1<<30 {
				return ts, syntaxErr(t)
			}
			ts.args = append(ts.args, n)
		default:
			return ts, syntaxErr(t)
		}
		if !p.acceptOp(",") {
			break
		}
	}
	return ts, p.expectOp(")")
}

// iif parses IIF(condition, then, else) into the CASE expression it stands for.
func (p *parser) iif() (expr, *Error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	cond, err := p.condition()
	if err != nil {
		return nil, err
	}
	if err := p.expectOp(","); err != nil {
		return nil, err
	}
	then, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.expectOp(","); err != nil {
		return nil, err
	}
	els, err := p.value()
	if err != nil {
		return nil, err
	}
	return &caseExpr{whens: []whenClause{{cond: cond, then: then}}, els: els}, p.expectOp(")")
}
