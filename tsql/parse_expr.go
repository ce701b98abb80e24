package tsql

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// value parses an expression where a value is expected.
func (p *parser) value() (expr, *Error) {
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if isCond(e) {
		return nil, p.condMisplaced()
	}
	return e, nil
}

// condMisplaced is the syntax error for a comparison where a value is expected (SELECT 1 = 1).
func (p *parser) condMisplaced() *Error {
	if p.condOp.kind != tokEOF {
		return syntaxErr(p.condOp)
	}
	return p.fail()
}

// condition parses an expression where a condition is expected (WHERE, IF, WHILE, ON, HAVING, WHEN).
func (p *parser) condition() (expr, *Error) {
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if !isCond(e) {
		e := newErr(4145, 15, "An expression of non-boolean type specified in a context where a condition is expected, near '%s'.",
			nearText(p.peek()))
		e.Line = int32(p.peek().line)
		e.Abort = true
		return nil, e
	}
	return e, nil
}

// expr parses a full expression: OR of ANDs of (NOT) predicates.
func (p *parser) expr() (expr, *Error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.logicChain("OR", false, p.andExpr)
}

func (p *parser) andExpr() (expr, *Error) { return p.logicChain("AND", true, p.notExpr) }

// logicChain parses next (keyword next)*, folding the operands left to right into logicExpr nodes. Both
// operands must be conditions; the chain length is bounded like every other chain.
func (p *parser) logicChain(keyword string, and bool, next func() (expr, *Error)) (expr, *Error) {
	l, err := next()
	if err != nil {
		return nil, err
	}
	for n := 0; p.accept(keyword); n++ {
		if n > maxChain {
			return nil, p.tooDeep()
		}
		r, err := next()
		if err != nil {
			return nil, err
		}
		if !isCond(l) || !isCond(r) {
			return nil, p.fail()
		}
		l = &logicExpr{and: and, l: l, r: r}
	}
	return l, nil
}

func (p *parser) notExpr() (expr, *Error) {
	if p.accept("NOT") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.notExpr()
		if err != nil {
			return nil, err
		}
		if !isCond(x) {
			return nil, p.fail()
		}
		return &notExpr{x: x}, nil
	}
	return p.predicate()
}

var compareOps = map[string]string{"=": "=", "<>": "<>", "!=": "<>", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "!<": ">=", "!>": "<="}

func (p *parser) predicate() (expr, *Error) {
	if p.accept("EXISTS") {
		q, err := p.parenQuery()
		if err != nil {
			return nil, err
		}
		return &existsExpr{q: q}, nil
	}
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	if isCond(l) {
		return l, nil
	}
	t := p.peek()
	if op, ok := compareOps[t.text]; ok && t.kind == tokOp {
		p.pos++
		p.condOp = t
		r, err := p.additive()
		if err != nil {
			return nil, err
		}
		if isCond(r) {
			return nil, p.fail()
		}
		return &compareExpr{op: op, l: l, r: r}, nil
	}
	if p.accept("IS") {
		not := p.accept("NOT")
		if err := p.expect("NULL"); err != nil {
			return nil, err
		}
		return &isNullExpr{x: l, not: not}, nil
	}
	not := false
	if p.peek().isKeyword("NOT") {
		nx := p.peekAt(1)
		if nx.isKeyword("IN") || nx.isKeyword("LIKE") || nx.isKeyword("BETWEEN") {
			p.pos++
			not = true
		}
	}
	switch {
	case p.accept("IN"):
		return p.inTail(l, not)
	case p.accept("LIKE"):
		pat, err := p.additive()
		if err != nil {
			return nil, err
		}
		e := &likeExpr{x: l, pattern: pat, not: not}
		if p.accept("ESCAPE") {
			if e.escape, err = p.additive(); err != nil {
				return nil, err
			}
		}
		if isCond(pat) || (e.escape != nil && isCond(e.escape)) {
			return nil, p.fail()
		}
		return e, nil
	case p.accept("BETWEEN"):
		lo, err := p.additive()
		if err != nil {
			return nil, err
		}
		if err := p.expect("AND"); err != nil {
			return nil, err
		}
		hi, err := p.additive()
		if err != nil {
			return nil, err
		}
		if isCond(lo) || isCond(hi) {
			return nil, p.fail()
		}
		return &betweenExpr{x: l, lo: lo, hi: hi, not: not}, nil
	}
	return l, nil
}

func (p *parser) inTail(l expr, not bool) (expr, *Error) {
	if !p.peek().isOp("(") {
		return nil, p.fail()
	}
	if nx := p.peekAt(1); nx.isKeyword("SELECT") || nx.isKeyword("WITH") {
		q, err := p.parenQuery()
		if err != nil {
			return nil, err
		}
		return &inExpr{x: l, q: q, not: not}, nil
	}
	p.pos++
	e := &inExpr{x: l, not: not}
	for {
		x, err := p.value()
		if err != nil {
			return nil, err
		}
		e.list = append(e.list, x)
		if !p.acceptOp(",") {
			break
		}
	}
	return e, p.expectOp(")")
}

// parenQuery parses ( query ).
func (p *parser) parenQuery() (*query, *Error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return q, p.expectOp(")")
}

func (p *parser) additive() (expr, *Error) {
	l, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	for n := 0; ; n++ {
		if n > maxChain {
			return nil, p.tooDeep()
		}
		t := p.peek()
		if t.kind != tokOp || (t.text != "+" && t.text != "-" && t.text != "&" && t.text != "|" && t.text != "^") {
			return l, nil
		}
		p.pos++
		r, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		if isCond(l) || isCond(r) {
			return nil, syntaxErr(t)
		}
		l = &binaryExpr{op: t.text, l: l, r: r}
	}
}

func (p *parser) multiplicative() (expr, *Error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for n := 0; ; n++ {
		if n > maxChain {
			return nil, p.tooDeep()
		}
		t := p.peek()
		if t.kind != tokOp || (t.text != "*" && t.text != "/" && t.text != "%") {
			return l, nil
		}
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		if isCond(l) || isCond(r) {
			return nil, syntaxErr(t)
		}
		l = &binaryExpr{op: t.text, l: l, r: r}
	}
}

func (p *parser) unary() (expr, *Error) {
	t := p.peek()
	if t.kind == tokOp && (t.text == "-" || t.text == "+" || t.text == "~") {
		p.pos++
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		if isCond(x) {
			return nil, syntaxErr(t)
		}
		if lit, ok := x.(*literal); ok && t.text != "~" {
			if neg, ok := negateLiteral(lit, t.text == "-"); ok {
				return neg, nil
			}
		}
		return &unaryExpr{op: t.text, x: x}, nil
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.accept("COLLATE") {
		if _, err := p.anyWord(); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// negateLiteral folds a sign into a numeric literal so that -2147483648 is an int, as in SQL Server.
func negateLiteral(l *literal, neg bool) (*literal, bool) {
	switch v := l.val.(type) {
	case int64:
		if !neg {
			return l, true
		}
		typ := l.typ
		if -v >= -2147483648 && -v <= 2147483647 && typ.kind == kDecimal {
			typ = tInt
		}
		return &literal{val: -v, typ: typ}, true
	case float64:
		if !neg {
			return l, true
		}
		return &literal{val: -v, typ: l.typ}, true
	}
	return nil, false
}

// numberLiteral types a numeric literal as SQL Server does: int when it fits, else numeric; a literal with a
// point is numeric(p,s), one with an exponent float.
func numberLiteral(t token) *literal {
	if t.kind == tokInt {
		if n, err := strconv.ParseInt(t.text, 10, 64); err == nil {
			if n <= 2147483647 {
				return &literal{val: n, typ: tInt}
			}
			return &literal{val: n, typ: sqlType{kind: kDecimal, prec: len(t.text)}}
		}
		f, _ := strconv.ParseFloat(t.text, 64)
		return &literal{val: f, typ: tFloat}
	}
	f, err := strconv.ParseFloat(t.text, 64)
	if err != nil {
		// "1e" and the like: SQL Server reads the digits it has.
		f, _ = strconv.ParseFloat(strings.TrimRight(t.text, "eE+-"), 64)
	}
	if strings.ContainsAny(t.text, "eE") {
		return &literal{val: f, typ: tFloat}
	}
	scale := 0
	if i := strings.IndexByte(t.text, '.'); i >= 0 {
		scale = len(t.text) - i - 1
	}
	prec := len(strings.Replace(t.text, ".", "", 1))
	if prec < scale+1 {
		prec = scale + 1
	}
	if scale == 0 && f >= -9e18 && f <= 9e18 {
		return &literal{val: int64(f), typ: sqlType{kind: kDecimal, prec: prec}}
	}
	return &literal{val: f, typ: sqlType{kind: kDecimal, prec: prec, scale: scale}}
}

func stringLiteral(t token) *literal {
	n := utf8.RuneCountInString(t.val)
	if n == 0 {
		n = 1
	}
	k := kVarChar
	if t.unicode {
		k = kNVarChar
	}
	return &literal{val: t.val, typ: sqlType{kind: k, size: n}}
}
