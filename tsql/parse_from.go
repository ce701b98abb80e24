package tsql

import "strings"

// fromList parses table sources separated by commas.
func (p *parser) fromList() ([]tableSource, *Error) {
	var out []tableSource
	for {
		s, err := p.joined()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}

// joined parses a table source followed by any joins and applies.
func (p *parser) joined() (tableSource, *Error) {
	left, err := p.tableSource()
	if err != nil {
		return nil, err
	}
	for {
		kind, needOn := "", true
		switch t := p.peek(); {
		case t.isKeyword("JOIN"):
			kind = "INNER"
		case t.isKeyword("INNER"):
			p.pos++
			kind = "INNER"
		case t.isKeyword("LEFT"), t.isKeyword("RIGHT"), t.isKeyword("FULL"):
			p.pos++
			p.accept("OUTER")
			kind = t.upper
		case t.isKeyword("CROSS") && p.peekAt(1).isKeyword("JOIN"):
			p.pos++
			kind, needOn = "CROSS", false
		case t.isKeyword("CROSS") && p.peekAt(1).isKeyword("APPLY"):
			p.pos += 2
			kind, needOn = "CROSS APPLY", false
		case t.isKeyword("OUTER") && p.peekAt(1).isKeyword("APPLY"):
			p.pos += 2
			kind, needOn = "OUTER APPLY", false
		default:
			return left, nil
		}
		if !strings.HasSuffix(kind, "APPLY") {
			for _, hint := range []string{"LOOP", "HASH", "MERGE", "REMOTE"} {
				if p.accept(hint) {
					break
				}
			}
			if err := p.expect("JOIN"); err != nil {
				return nil, err
			}
		}
		if err := p.enter(); err != nil {
			return nil, err
		}
		right, err := p.tableSource()
		p.leave()
		if err != nil {
			return nil, err
		}
		j := &joinSource{kind: kind, left: left, right: right}
		if needOn {
			if err := p.expect("ON"); err != nil {
				return nil, err
			}
			if j.on, err = p.condition(); err != nil {
				return nil, err
			}
		}
		left = j
	}
}

// tableHints are the words that mark (NOLOCK)-style hints written without WITH.
var tableHints = map[string]bool{"NOLOCK": true, "READUNCOMMITTED": true, "READCOMMITTED": true, "READPAST": true,
	"ROWLOCK": true, "PAGLOCK": true, "TABLOCK": true, "TABLOCKX": true, "UPDLOCK": true, "XLOCK": true,
	"HOLDLOCK": true, "SERIALIZABLE": true, "REPEATABLEREAD": true, "NOWAIT": true, "INDEX": true,
	"FORCESEEK": true, "FORCESCAN": true, "SNAPSHOT": true, "READCOMMITTEDLOCK": true, "NOEXPAND": true}

func (p *parser) tableSource() (tableSource, *Error) {
	t := p.peek()
	switch {
	case t.isOp("(") && p.peekAt(1).isKeyword("VALUES"):
		return p.valuesTable()
	case t.isOp("("):
		if nx := p.peekAt(1); nx.isKeyword("SELECT") || nx.isKeyword("WITH") || nx.isOp("(") && p.peekAt(2).isKeyword("SELECT") {
			q, err := p.parenQuery()
			if err != nil {
				return nil, err
			}
			d := &derivedTable{q: q}
			p.accept("AS")
			if d.alias, err = p.name(); err != nil {
				return nil, err
			}
			if p.acceptOp("(") {
				if d.columns, err = p.nameList(); err != nil {
					return nil, err
				}
			}
			return d, nil
		}
		p.pos++
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		s, err := p.joined()
		if err != nil {
			return nil, err
		}
		return s, p.expectOp(")")
	case t.kind == tokVar:
		p.pos++
		s := &tableVarSource{v: &varRef{name: t.text, slot: -1}}
		s.alias = p.alias()
		return s, p.hints()
	}
	if t.kind == tokIdent && reserved[t.upper] {
		if t.upper == "OPENQUERY" || t.upper == "OPENROWSET" || t.upper == "OPENDATASOURCE" || t.upper == "OPENXML" {
			p.pos++
			if err := p.skipParens(); err != nil {
				return nil, err
			}
			p.alias()
			return &tvfSource{name: ObjectName{Object: t.upper}}, nil
		}
		return nil, p.fail()
	}
	parts, err := p.multiPart()
	if err != nil {
		return nil, err
	}
	if p.peek().isOp("(") && !tableHints[p.peekAt(1).upper] {
		if err := p.skipParens(); err != nil {
			return nil, err
		}
		s := &tvfSource{name: objectName(parts)}
		s.alias = p.alias()
		return s, nil
	}
	s := &tableName{name: objectName(parts), line: t.line}
	if err := p.hints(); err != nil {
		return nil, err
	}
	s.alias = p.alias()
	return s, p.hints()
}

// alias reads [AS] alias after a table source.
func (p *parser) alias() string {
	if p.peek().isKeyword("AS") && p.peekAt(1).isName() {
		p.pos += 2
		return p.toks[p.pos-1].val
	}
	if t := p.peek(); t.isName() && !t.isKeyword("APPLY") {
		p.pos++
		return t.val
	}
	return ""
}

// hints skips WITH (hints) or (hint) after a table name; the simulated server has no locks to tune.
func (p *parser) hints() *Error {
	if p.peek().isKeyword("WITH") && p.peekAt(1).isOp("(") {
		p.pos++
		return p.skipParens()
	}
	if p.peek().isOp("(") && tableHints[p.peekAt(1).upper] {
		return p.skipParens()
	}
	return nil
}

// valuesTable parses (VALUES (...), (...)) AS alias (columns): a derived table written as rows, which it becomes
// as SELECTs joined by UNION ALL.
func (p *parser) valuesTable() (tableSource, *Error) {
	p.pos += 2
	var body queryBody
	for n := 0; ; n++ {
		if n > maxChain {
			return nil, p.tooDeep()
		}
		if err := p.expectOp("("); err != nil {
			return nil, err
		}
		core := &selectCore{}
		for {
			x, err := p.value()
			if err != nil {
				return nil, err
			}
			core.items = append(core.items, selectItem{x: x})
			if !p.acceptOp(",") {
				break
			}
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		if body == nil {
			body = core
		} else {
			body = &setOp{op: "UNION ALL", l: body, r: core}
		}
		if !p.acceptOp(",") {
			break
		}
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	d := &derivedTable{q: &query{body: body, line: p.peek().line}}
	p.accept("AS")
	var err *Error
	if d.alias, err = p.name(); err != nil {
		return nil, err
	}
	if !p.acceptOp("(") {
		return nil, p.fail()
	}
	if d.columns, err = p.nameList(); err != nil {
		return nil, err
	}
	return d, nil
}
