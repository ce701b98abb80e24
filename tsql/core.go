package tsql

// outItem is one compiled select list column (or assignment).
type outItem struct {
	ex       cexpr
	src      expr
	name     string
	assign   *variable
	assignOp string
}

// core compiles one SELECT. q carries the ORDER BY, OFFSET and FETCH when this SELECT is the whole query body.
func (c *compiler) core(s *selectCore, parent *qscope, q *query) (*subquery, error) {
	if s.into != nil {
		return nil, unsupportedErr("SELECT ... INTO " + s.into.String())
	}
	qs := &qscope{parent: parent}
	cc := c.with(qs)
	var plans []plan
	for _, src := range s.from {
		p, err := cc.plan(src)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	var where condFn
	if s.where != nil {
		var err error
		if where, err = cc.cond(s.where); err != nil {
			return nil, err
		}
	}
	var order []orderItem
	if q != nil {
		order = q.orderBy
	}
	qs.grouped = len(s.groupBy) > 0 || s.having != nil || anyAgg(s, order)
	var groupBy []cexpr
	if qs.grouped {
		qs.groupCols, qs.groupKeys = map[[2]int]bool{}, map[string]bool{}
		gc := *cc
		gc.aggErr = 144
		for _, g := range s.groupBy {
			if _, ok := g.(*subqueryExpr); ok {
				return nil, newErr(144, 15, "Cannot use an aggregate or a subquery in an expression used for the group by list of a GROUP BY clause.")
			}
			x, err := gc.value(g)
			if err != nil {
				return nil, err
			}
			groupBy = append(groupBy, x)
			if cr, ok := g.(*colRef); ok {
				if b, err := qs.resolveColumn(cr.parts); err == nil && b.up == 0 {
					qs.groupCols[[2]int{b.src, b.col}] = true
				}
			}
			if k := exprKey(g); k != "" {
				qs.groupKeys[k] = true
			}
		}
	}
	sel := *cc
	sel.aggErr, sel.clause = 0, "select list"
	items, err := sel.items(s)
	if err != nil {
		return nil, err
	}
	var having condFn
	if s.having != nil {
		hc := *cc
		hc.aggErr, hc.clause = 0, "HAVING clause"
		if having, err = hc.cond(s.having); err != nil {
			return nil, err
		}
	}
	sq := &subquery{}
	for _, it := range items {
		if it.assign == nil {
			sq.cols = append(sq.cols, column{name: it.name, typ: it.ex.typ})
		} else {
			sq.assigns = true
		}
	}
	if sq.assigns && len(sq.cols) > 0 {
		return nil, newErr(141, 15, "A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.")
	}
	oc := *cc
	oc.aggErr, oc.clause = 0, "ORDER BY clause"
	keys, err := oc.orderKeys(order, items, s.distinct)
	if err != nil {
		return nil, err
	}
	lim, err := c.limits(s, q)
	if err != nil {
		return nil, err
	}
	ex := &coreExec{r: c.sc.r, plans: plans, width: len(qs.sources), where: where, grouped: qs.grouped,
		groupBy: groupBy, having: having, items: items, distinct: s.distinct, keys: keys, lim: lim, sq: sq}
	sq.run = ex.run
	sq.correlated = qs.correlated
	return sq, nil
}

// anyAgg reports whether the select list, HAVING or ORDER BY holds an aggregate (outside subqueries), which
// makes the SELECT an aggregate query even without GROUP BY.
func anyAgg(s *selectCore, order []orderItem) bool {
	for _, it := range s.items {
		if hasAgg(it.x) {
			return true
		}
	}
	for _, o := range order {
		if hasAgg(o.x) {
			return true
		}
	}
	return false
}

// hasAgg reports whether an expression calls an aggregate function outside any subquery.
func hasAgg(e expr) bool {
	switch e := e.(type) {
	case *funcCall:
		if isAggregate(e) {
			return true
		}
		for _, a := range e.args {
			if hasAgg(a) {
				return true
			}
		}
	case *unaryExpr:
		return hasAgg(e.x)
	case *binaryExpr:
		return hasAgg(e.l) || hasAgg(e.r)
	case *compareExpr:
		return hasAgg(e.l) || hasAgg(e.r)
	case *logicExpr:
		return hasAgg(e.l) || hasAgg(e.r)
	case *notExpr:
		return hasAgg(e.x)
	case *isNullExpr:
		return hasAgg(e.x)
	case *inExpr:
		if hasAgg(e.x) {
			return true
		}
		for _, a := range e.list {
			if hasAgg(a) {
				return true
			}
		}
	case *likeExpr:
		return hasAgg(e.x) || hasAgg(e.pattern)
	case *betweenExpr:
		return hasAgg(e.x) || hasAgg(e.lo) || hasAgg(e.hi)
	case *caseExpr:
		if hasAgg(e.operand) || hasAgg(e.els) {
			return true
		}
		for _, w := range e.whens {
			if hasAgg(w.cond) || hasAgg(w.then) {
				return true
			}
		}
	case *castExpr:
		return hasAgg(e.x)
	case *datePartCall:
		for _, a := range e.args {
			if hasAgg(a) {
				return true
			}
		}
	}
	return false
}

// items compiles the select list, expanding * and t.*.
func (c *compiler) items(s *selectCore) ([]outItem, error) {
	qs := c.qs
	var out []outItem
	for _, it := range s.items {
		switch {
		case it.star:
			if len(qs.sources) == 0 {
				return nil, newErr(263, 16, "Must specify table to select from.")
			}
			cols, err := qs.starColumns(it.qualifier)
			if err != nil {
				return nil, err
			}
			for _, sc := range cols {
				src, col := sc[0], sc[1]
				def := qs.sources[src].cols[col]
				if qs.grouped && !qs.groupCols[sc] {
					return nil, newErr(8120, 16, "Column '%s' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause.",
						qs.sources[src].display+"."+def.name)
				}
				fn := func(f *frame) (Value, error) {
					if f == nil || src >= len(f.row) || col >= len(f.row[src]) {
						return nil, nil
					}
					return f.row[src][col], nil
				}
				out = append(out, outItem{ex: cexpr{eval: fn, typ: def.typ, name: def.name}, name: def.name})
			}
		default:
			x, err := c.value(it.x)
			if err != nil {
				return nil, err
			}
			item := outItem{ex: x, name: x.name, src: it.x}
			if it.hasAlias {
				item.name = it.alias
			}
			if it.assignVar != nil {
				if it.assignVar.slot < 0 || it.assignVar.slot >= len(c.sc.vars) {
					return nil, undeclared(it.assignVar.name)
				}
				item.assign, item.assignOp = c.sc.vars[it.assignVar.slot], it.assignOp
			}
			out = append(out, item)
		}
	}
	return out, nil
}
