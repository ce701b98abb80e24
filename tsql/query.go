package tsql

import "strings"

// subquery is a compiled query: its result columns and how to run it for an outer row.
type subquery struct {
	cols []column
	run  func(parent *frame) ([][]Value, error)
	// correlated queries depend on the outer row; the others run once per statement.
	correlated bool
	cached     bool
	cache      [][]Value
	// assigns is set for SELECT @v = ...: run assigns and returns no rows; count is the rows it went through.
	assigns bool
	count   int64
}

// rows runs the query for an outer row, once only when it does not depend on it.
func (q *subquery) rows(f *frame) ([][]Value, error) {
	if q.correlated {
		return q.run(f)
	}
	if !q.cached {
		rows, err := q.run(f)
		if err != nil {
			return nil, err
		}
		q.cache, q.cached = rows, true
	}
	return q.cache, nil
}

// maxRows bounds the rows one query level may produce, so a careless cross join fails instead of exhausting
// memory.
const maxRows = 250000

func tooManyRows() *Error {
	return newErr(50000, 16, "The training simulator stopped this query: it would produce more than %d rows.", maxRows)
}

// subquery compiles a query nested in an expression (correlated to the current query level).
func (c *compiler) subquery(q *query) (*subquery, error) {
	sq, err := c.query(q, c.qs, false)
	if err != nil {
		return nil, err
	}
	return sq, nil
}

func (c *compiler) scalarSubquery(e *subqueryExpr) (cexpr, error) {
	q, err := c.subquery(e.q)
	if err != nil {
		return cexpr{}, err
	}
	if len(q.cols) != 1 {
		return cexpr{}, onlyOneColumn()
	}
	fn := func(f *frame) (Value, error) {
		rows, err := q.rows(f)
		if err != nil {
			return nil, err
		}
		switch len(rows) {
		case 0:
			return nil, nil
		case 1:
			return rows[0][0], nil
		}
		return nil, newErr(512, 16, "Subquery returned more than 1 value. This is not permitted when the subquery follows =, !=, <, <= , >, >= or when the subquery is used as an expression.")
	}
	return cexpr{eval: fn, typ: q.cols[0].typ, constant: !q.correlated}, nil
}

// query compiles a query expression. top is true for a statement's own query, where ORDER BY needs no TOP.
func (c *compiler) query(q *query, parent *qscope, top bool) (*subquery, error) {
	if q == nil {
		return nil, newErr(102, 15, "Incorrect syntax near ')'.")
	}
	cc := *c
	if len(q.ctes) > 0 {
		cc.ctes = &cteScope{parent: c.ctes, defs: q.ctes}
	}
	if len(q.orderBy) > 0 && !top && q.offset == nil && !hasTop(q.body) {
		return nil, newErr(1033, 15, "The ORDER BY clause is invalid in views, inline functions, derived tables, subqueries, and common table expressions, unless TOP, OFFSET or FOR XML is also specified.")
	}
	if core, ok := q.body.(*selectCore); ok {
		return cc.core(core, parent, q)
	}
	sq, first, err := cc.body(q.body, parent)
	if err != nil {
		return nil, err
	}
	if len(q.orderBy) == 0 && q.offset == nil {
		return sq, nil
	}
	return cc.orderSet(sq, first, q)
}

func hasTop(b queryBody) bool {
	core, ok := b.(*selectCore)
	return ok && core.top != nil
}

// body compiles a query body that is not a single SELECT: a set operation or a parenthesized query. first is
// the leftmost SELECT, whose items name the columns.
func (c *compiler) body(b queryBody, parent *qscope) (*subquery, *selectCore, error) {
	switch b := b.(type) {
	case *selectCore:
		sq, err := c.core(b, parent, nil)
		return sq, b, err
	case *nestedQuery:
		sq, err := c.query(b.q, parent, false)
		return sq, leftmost(b.q.body), err
	case *setOp:
		l, first, err := c.body(b.l, parent)
		if err != nil {
			return nil, nil, err
		}
		r, _, err := c.body(b.r, parent)
		if err != nil {
			return nil, nil, err
		}
		sq, err := setOperation(b.op, l, r)
		return sq, first, err
	}
	return nil, nil, newErr(102, 15, "Incorrect syntax near 'SELECT'.")
}

func leftmost(b queryBody) *selectCore {
	for {
		switch x := b.(type) {
		case *selectCore:
			return x
		case *setOp:
			b = x.l
		case *nestedQuery:
			b = x.q.body
		default:
			return nil
		}
	}
}

// setOperation combines two queries with UNION [ALL], EXCEPT or INTERSECT. Columns take the type of higher
// precedence; duplicates are removed except for UNION ALL.
func setOperation(op string, l, r *subquery) (*subquery, error) {
	if l.assigns || r.assigns {
		return nil, newErr(141, 15, "A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.")
	}
	if len(l.cols) != len(r.cols) {
		return nil, newErr(205, 16, "All queries combined using a UNION, INTERSECT or EXCEPT operator must have an equal number of expressions in their target lists.")
	}
	cols := make([]column, len(l.cols))
	for i := range cols {
		var acc typeAcc
		acc.add(cexpr{typ: l.cols[i].typ})
		acc.add(cexpr{typ: r.cols[i].typ})
		cols[i] = column{name: l.cols[i].name, typ: acc.result()}
	}
	sq := &subquery{cols: cols, correlated: l.correlated || r.correlated}
	sq.run = func(parent *frame) ([][]Value, error) {
		a, err := l.rows(parent)
		if err != nil {
			return nil, err
		}
		b, err := r.rows(parent)
		if err != nil {
			return nil, err
		}
		if a, err = convertRows(a, l.cols, cols); err != nil {
			return nil, err
		}
		if b, err = convertRows(b, r.cols, cols); err != nil {
			return nil, err
		}
		switch op {
		case "UNION ALL":
			return append(append([][]Value{}, a...), b...), nil
		case "UNION":
			return distinctRows(append(append([][]Value{}, a...), b...)), nil
		}
		inRight := map[string]bool{}
		for _, row := range b {
			inRight[rowKey(row)] = true
		}
		var out [][]Value
		for _, row := range distinctRows(a) {
			if inRight[rowKey(row)] == (op == "INTERSECT") {
				out = append(out, row)
			}
		}
		return out, nil
	}
	return sq, nil
}

// convertRows converts the values of rows whose column types differ from the combined types.
func convertRows(rows [][]Value, from, to []column) ([][]Value, error) {
	need := false
	for i := range from {
		if from[i].typ.kind != to[i].typ.kind {
			need = true
		}
	}
	if !need {
		return rows, nil
	}
	out := make([][]Value, len(rows))
	for i, row := range rows {
		nr := make([]Value, len(row))
		for j, v := range row {
			if j < len(from) && from[j].typ.kind != to[j].typ.kind && v != nil {
				cv, err := convert(v, from[j].typ, to[j].typ, -1, false)
				if err != nil {
					return nil, err
				}
				v = cv
			}
			nr[j] = v
		}
		out[i] = nr
	}
	return out, nil
}

func rowKey(row []Value) string {
	var b strings.Builder
	for _, v := range row {
		groupKey(&b, v)
	}
	return b.String()
}

// distinctRows keeps the first of each group of rows equal under the collation.
func distinctRows(rows [][]Value) [][]Value {
	seen := make(map[string]bool, len(rows))
	out := rows[:0:0]
	for _, row := range rows {
		k := rowKey(row)
		if !seen[k] {
			seen[k] = true
			out = append(out, row)
		}
	}
	return out
}
