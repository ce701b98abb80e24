package tsql

// selectOrCTE parses a SELECT statement, or WITH common table expressions followed by SELECT, INSERT, UPDATE or
// DELETE.
func (p *parser) selectOrCTE(base stmtBase) (Statement, *Error) {
	if !p.peek().isKeyword("WITH") {
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &selectStmt{stmtBase: base, q: q}, nil
	}
	ctes, err := p.ctes()
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); {
	case t.isKeyword("SELECT") || t.isOp("("):
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		q.ctes = ctes
		return &selectStmt{stmtBase: base, q: q}, nil
	case t.isKeyword("INSERT") || t.isKeyword("UPDATE") || t.isKeyword("DELETE"):
		if err := p.skipStatement(false); err != nil {
			return nil, err
		}
		return &unsupportedStmt{stmtBase: base, what: "common table expressions with " + t.upper}, nil
	}
	return nil, p.fail()
}

// ctes parses WITH name [(cols)] AS (query) [, ...].
func (p *parser) ctes() ([]cte, *Error) {
	p.pos++ // WITH
	var out []cte
	for {
		name, err := p.name()
		if err != nil {
			return nil, err
		}
		c := cte{name: name}
		if p.acceptOp("(") {
			if c.columns, err = p.nameList(); err != nil {
				return nil, err
			}
		}
		if err := p.expect("AS"); err != nil {
			return nil, err
		}
		if c.q, err = p.parenQuery(); err != nil {
			return nil, err
		}
		out = append(out, c)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}

// nameList parses name, name ... ) (the opening parenthesis is already read).
func (p *parser) nameList() ([]string, *Error) {
	var names []string
	for {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		names = append(names, n)
		if !p.acceptOp(",") {
			return names, p.expectOp(")")
		}
	}
}

// query parses a query expression with its ORDER BY, OFFSET/FETCH and OPTION clauses.
func (p *parser) query() (*query, *Error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	q := &query{line: p.peek().line}
	if p.peek().isKeyword("WITH") {
		ctes, err := p.ctes()
		if err != nil {
			return nil, err
		}
		q.ctes = ctes
	}
	body, err := p.queryBody()
	if err != nil {
		return nil, err
	}
	q.body = body
	if p.accept("ORDER") {
		if err := p.expect("BY"); err != nil {
			return nil, err
		}
		for {
			x, err := p.value()
			if err != nil {
				return nil, err
			}
			item := orderItem{x: x}
			if p.accept("DESC") {
				item.desc = true
			} else {
				p.accept("ASC")
			}
			q.orderBy = append(q.orderBy, item)
			if !p.acceptOp(",") {
				break
			}
		}
		if err := p.offsetFetch(q); err != nil {
			return nil, err
		}
	}
	if p.accept("FOR") {
		if err := p.skipStatement(false); err != nil {
			return nil, err
		}
		q.body = &selectCore{items: []selectItem{{x: &unsupportedExpr{what: "FOR XML and FOR BROWSE"}}}}
	}
	if p.accept("OPTION") {
		if err := p.skipParens(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

func (p *parser) offsetFetch(q *query) *Error {
	if !p.accept("OFFSET") {
		return nil
	}
	x, err := p.value()
	if err != nil {
		return err
	}
	q.offset = x
	if !p.accept("ROW") && !p.accept("ROWS") {
		return p.fail()
	}
	if !p.accept("FETCH") {
		return nil
	}
	if !p.accept("NEXT") && !p.accept("FIRST") {
		return p.fail()
	}
	if q.fetch, err = p.value(); err != nil {
		return err
	}
	if !p.accept("ROW") && !p.accept("ROWS") {
		return p.fail()
	}
	return p.expect("ONLY")
}

// queryBody parses SELECTs joined by UNION [ALL], EXCEPT and INTERSECT (left to right).
func (p *parser) queryBody() (queryBody, *Error) {
	l, err := p.queryTerm()
	if err != nil {
		return nil, err
	}
	for n := 0; ; n++ {
		if n > maxChain {
			return nil, p.tooDeep()
		}
		var op string
		switch {
		case p.accept("UNION"):
			op = "UNION"
			if p.accept("ALL") {
				op = "UNION ALL"
			}
		case p.accept("EXCEPT"):
			op = "EXCEPT"
		case p.accept("INTERSECT"):
			op = "INTERSECT"
		default:
			return l, nil
		}
		r, err := p.queryTerm()
		if err != nil {
			return nil, err
		}
		l = &setOp{op: op, l: l, r: r}
	}
}

func (p *parser) queryTerm() (queryBody, *Error) {
	if p.peek().isOp("(") {
		q, err := p.parenQuery()
		if err != nil {
			return nil, err
		}
		return &nestedQuery{q: q}, nil
	}
	return p.selectCore()
}

func (p *parser) selectCore() (*selectCore, *Error) {
	if err := p.expect("SELECT"); err != nil {
		return nil, err
	}
	s := &selectCore{}
	if p.accept("DISTINCT") {
		s.distinct = true
	} else {
		p.accept("ALL")
	}
	if p.accept("TOP") {
		if err := p.top(s); err != nil {
			return nil, err
		}
	}
	for {
		item, err := p.selectItem()
		if err != nil {
			return nil, err
		}
		s.items = append(s.items, item)
		if !p.acceptOp(",") {
			break
		}
	}
	if p.accept("INTO") {
		parts, err := p.multiPart()
		if err != nil {
			return nil, err
		}
		n := objectName(parts)
		s.into = &n
	}
	if p.accept("FROM") {
		from, err := p.fromList()
		if err != nil {
			return nil, err
		}
		s.from = from
	}
	var err *Error
	if p.accept("WHERE") {
		if s.where, err = p.condition(); err != nil {
			return nil, err
		}
	}
	if p.accept("GROUP") {
		if err := p.expect("BY"); err != nil {
			return nil, err
		}
		for {
			x, err := p.value()
			if err != nil {
				return nil, err
			}
			s.groupBy = append(s.groupBy, x)
			if !p.acceptOp(",") {
				break
			}
		}
		if p.peek().isKeyword("WITH") && (p.peekAt(1).isKeyword("ROLLUP") || p.peekAt(1).isKeyword("CUBE")) {
			p.pos += 2
			s.items = append(s.items, selectItem{x: &unsupportedExpr{what: "GROUP BY WITH ROLLUP and CUBE"}})
		}
	}
	if p.accept("HAVING") {
		if s.having, err = p.condition(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (p *parser) top(s *selectCore) *Error {
	if p.peek().isOp("(") {
		p.pos++
		x, err := p.value()
		if err != nil {
			return err
		}
		if err := p.expectOp(")"); err != nil {
			return err
		}
		s.top = x
	} else {
		t := p.peek()
		if t.kind != tokInt && t.kind != tokNumber {
			return p.fail()
		}
		p.pos++
		s.top = numberLiteral(t)
	}
	s.topPercent = p.accept("PERCENT")
	if p.peek().isKeyword("WITH") && p.peekAt(1).isKeyword("TIES") {
		p.pos += 2
		s.withTies = true
	}
	return nil
}

// selectItem parses *, t.*, @v = expr, alias = expr, or expr [[AS] alias].
func (p *parser) selectItem() (selectItem, *Error) {
	if p.acceptOp("*") {
		return selectItem{star: true}, nil
	}
	if q, ok := p.qualifiedStar(); ok {
		return selectItem{star: true, qualifier: q}, nil
	}
	t, nx := p.peek(), p.peekAt(1)
	if t.kind == tokVar && nx.kind == tokOp && isAssignOp(nx.text) {
		p.pos += 2
		x, err := p.value()
		if err != nil {
			return selectItem{}, err
		}
		return selectItem{x: x, assignVar: &varRef{name: t.text, slot: -1}, assignOp: nx.text}, nil
	}
	if (t.isName() || t.kind == tokString) && nx.isOp("=") {
		p.pos += 2
		x, err := p.value()
		if err != nil {
			return selectItem{}, err
		}
		return selectItem{x: x, alias: t.val, hasAlias: true}, nil
	}
	x, err := p.value()
	if err != nil {
		return selectItem{}, err
	}
	item := selectItem{x: x}
	if p.accept("AS") {
		a := p.peek()
		if !a.isName() && a.kind != tokString {
			return item, p.fail()
		}
		p.pos++
		item.alias, item.hasAlias = a.val, true
	} else if a := p.peek(); a.isName() || a.kind == tokString {
		p.pos++
		item.alias, item.hasAlias = a.val, true
	}
	return item, nil
}

func isAssignOp(op string) bool {
	switch op {
	case "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=":
		return true
	}
	return false
}

// qualifiedStar reads name[.name...].* when it is there.
func (p *parser) qualifiedStar() ([]string, bool) {
	i := p.pos
	var parts []string
	for {
		t := p.toks[i]
		if !t.isName() || !p.toks[i+1].isOp(".") {
			return nil, false
		}
		parts = append(parts, t.val)
		i += 2
		if p.toks[i].isOp("*") {
			p.pos = i + 1
			return parts, true
		}
		if len(parts) > 3 {
			return nil, false
		}
	}
}
