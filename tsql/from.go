package tsql

import "strings"

// plan produces the joined rows of a FROM element: each row has one slot per source of the query level, filled
// for the sources the element covers.
type plan interface {
	rows(x *planCtx, parent *frame) ([][][]Value, error)
}

// planCtx is what producing rows needs besides the plan.
type planCtx struct {
	r     *runner
	width int
	count int
}

// grow counts produced rows and checks the row bound and cancellation.
func (x *planCtx) grow(n int) error {
	x.count += n
	if x.count > maxRows {
		return tooManyRows()
	}
	if x.count&4095 < n {
		return x.r.ctx.Err()
	}
	return nil
}

type leafPlan struct {
	idx   int
	fetch func(parent *frame) ([][]Value, error)
}

func (p *leafPlan) rows(x *planCtx, parent *frame) ([][][]Value, error) {
	data, err := p.fetch(parent)
	if err != nil {
		return nil, err
	}
	if err := x.grow(len(data)); err != nil {
		return nil, err
	}
	out := make([][][]Value, len(data))
	// One backing array for all the rows: a scan of a few hundred history rows is one allocation, not hundreds.
	backing := make([][]Value, len(data)*x.width)
	for i, row := range data {
		jr := backing[i*x.width : (i+1)*x.width : (i+1)*x.width]
		jr[p.idx] = row
		out[i] = jr
	}
	return out, nil
}

type joinPlan struct {
	kind        string
	left, right plan
	on          condFn
}

func merge(width int, l, r [][]Value) [][]Value {
	out := make([][]Value, width)
	copy(out, l)
	for i, v := range r {
		if v != nil {
			out[i] = v
		}
	}
	return out
}

func (p *joinPlan) rows(x *planCtx, parent *frame) ([][][]Value, error) {
	ls, err := p.left.rows(x, parent)
	if err != nil {
		return nil, err
	}
	rs, err := p.right.rows(x, parent)
	if err != nil {
		return nil, err
	}
	var out [][][]Value
	rightHit := make([]bool, len(rs))
	fr := &frame{parent: parent}
	for _, l := range ls {
		hit := false
		for j, r := range rs {
			m := merge(x.width, l, r)
			if p.on != nil {
				fr.row = m
				t, err := p.on(fr)
				if err != nil {
					return nil, err
				}
				if t != triTrue {
					continue
				}
			}
			if err := x.grow(1); err != nil {
				return nil, err
			}
			out = append(out, m)
			hit, rightHit[j] = true, true
		}
		if !hit && (p.kind == "LEFT" || p.kind == "FULL") {
			out = append(out, merge(x.width, l, nil))
		}
	}
	if p.kind == "RIGHT" || p.kind == "FULL" {
		for j, r := range rs {
			if !rightHit[j] {
				out = append(out, merge(x.width, r, nil))
			}
		}
	}
	return out, nil
}

type applyPlan struct {
	outer bool
	left  plan
	idx   int
	q     *subquery
}

func (p *applyPlan) rows(x *planCtx, parent *frame) ([][][]Value, error) {
	ls, err := p.left.rows(x, parent)
	if err != nil {
		return nil, err
	}
	var out [][][]Value
	for _, l := range ls {
		rs, err := p.q.rows(&frame{parent: parent, row: l})
		if err != nil {
			return nil, err
		}
		if err := x.grow(len(rs)); err != nil {
			return nil, err
		}
		for _, r := range rs {
			m := merge(x.width, l, nil)
			m[p.idx] = r
			out = append(out, m)
		}
		if len(rs) == 0 && p.outer {
			out = append(out, merge(x.width, l, nil))
		}
	}
	return out, nil
}

// plan compiles a FROM element, registering its sources in the query scope.
func (c *compiler) plan(src tableSource) (plan, error) {
	qs := c.qs
	switch s := src.(type) {
	case *tableName:
		return c.tablePlan(s)
	case *tableVarSource:
		if s.v.slot < 0 || s.v.slot >= len(c.sc.vars) || c.sc.vars[s.v.slot].table == nil {
			return nil, undeclaredTable(s.v.name)
		}
		tv := c.sc.vars[s.v.slot].table
		alias := s.alias
		if alias == "" {
			alias = s.v.name
		}
		idx, err := c.addSource(&source{alias: alias, display: alias, cols: tv.columns()})
		if err != nil {
			return nil, err
		}
		return &leafPlan{idx: idx, fetch: func(*frame) ([][]Value, error) { return tv.rows, nil }}, nil
	case *derivedTable:
		q, err := c.with(qs.parent).query(s.q, qs.parent, false)
		if err != nil {
			return nil, err
		}
		return c.derivedPlan(q, s.alias, s.columns)
	case *joinSource:
		return c.joinPlan(s)
	case *tvfSource:
		return nil, unsupportedErr("table-valued functions such as " + s.name.String())
	}
	return nil, newErr(102, 15, "Incorrect syntax near 'FROM'.")
}

// addSource registers a source; two sources may not share an exposed name (Msg 1011/1013).
func (c *compiler) addSource(s *source) (int, error) {
	for _, o := range c.qs.sources {
		if o.alias != "" && s.alias != "" && strings.EqualFold(o.alias, s.alias) {
			return 0, newErr(1011, 16, "The correlation name '%s' is specified multiple times in a FROM clause.", s.alias)
		}
		if o.alias == "" && s.alias == "" && strings.EqualFold(o.obj.Object, s.obj.Object) &&
			strings.EqualFold(o.obj.Schema, s.obj.Schema) {
			return 0, newErr(1013, 16, "The objects \"%s\" and \"%s\" in the FROM clause have the same exposed names. Use correlation names to distinguish them.",
				o.display, s.display)
		}
	}
	c.qs.sources = append(c.qs.sources, s)
	return len(c.qs.sources) - 1, nil
}

// derivedPlan registers a compiled query as a source named alias.
func (c *compiler) derivedPlan(q *subquery, alias string, names []string) (plan, error) {
	if q.assigns {
		return nil, newErr(141, 15, "A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.")
	}
	cols, err := derivedColumns(q, alias, names)
	if err != nil {
		return nil, err
	}
	idx, err := c.addSource(&source{alias: alias, display: alias, cols: cols})
	if err != nil {
		return nil, err
	}
	return &leafPlan{idx: idx, fetch: q.rows}, nil
}

// derivedColumns names the columns of a derived table or CTE: from the column list when given, else from the
// query, where every column needs a name (Msg 8155).
func derivedColumns(q *subquery, alias string, names []string) ([]column, error) {
	cols := make([]column, len(q.cols))
	if len(names) > 0 && len(names) != len(q.cols) {
		return nil, newErr(8158, 16, "'%s' has more columns than were specified in the column list.", alias)
	}
	for i, col := range q.cols {
		cols[i] = col
		if len(names) > 0 {
			cols[i].name = names[i]
		}
		if cols[i].name == "" {
			return nil, newErr(8155, 16, "No column name was specified for column %d of '%s'.", i+1, alias)
		}
	}
	return cols, nil
}

// tablePlan resolves a table or view name: a CTE in scope, else the Host's table, fetched once per reference.
func (c *compiler) tablePlan(s *tableName) (plan, error) {
	if s.name.Schema == "" && s.name.Database == "" && s.name.Server == "" {
		if def, scope, ok := c.ctes.lookup(s.name.Object); ok {
			r := c.sc.r
			r.expansions++
			if r.expansions > maxExpansions {
				return nil, newErr(50000, 16, "The training simulator stopped expanding common table expressions after %d references.", maxExpansions)
			}
			sub := c.with(c.qs.parent)
			sub.ctes = scope
			q, err := sub.query(def.q, c.qs.parent, false)
			if err != nil {
				return nil, err
			}
			alias := s.alias
			if alias == "" {
				alias = def.name
			}
			cols, err := derivedColumns(q, def.name, def.columns)
			if err != nil {
				return nil, err
			}
			idx, err := c.addSource(&source{alias: alias, display: alias, cols: cols})
			if err != nil {
				return nil, err
			}
			return &leafPlan{idx: idx, fetch: q.rows}, nil
		}
	}
	r := c.sc.r
	t, err := r.host.Table(r.ctx, s.name)
	if err != nil {
		return nil, err
	}
	if t == nil {
		t = &Table{}
	}
	cols := make([]column, len(t.Columns))
	for i, col := range t.Columns {
		cols[i] = column{name: col.Name, typ: fromColumn(col.Type, col.Size)}
	}
	rows := normalizedRows(t.Rows)
	display := s.alias
	if display == "" {
		display = s.name.String()
	}
	idx, err := c.addSource(&source{alias: s.alias, obj: s.name, display: display, cols: cols})
	if err != nil {
		return nil, err
	}
	return &leafPlan{idx: idx, fetch: func(*frame) ([][]Value, error) { return rows, nil }}, nil
}

// maxExpansions bounds how many CTE references one statement expands (each one compiles the CTE again).
const maxExpansions = 10000

// normalizedRows returns rows with canonical values, copying only when a Host handed over odd ones.
func normalizedRows(rows [][]Value) [][]Value {
	for i, row := range rows {
		if needsNorm(row) {
			out := make([][]Value, len(rows))
			copy(out, rows[:i])
			for j := i; j < len(rows); j++ {
				nr := make([]Value, len(rows[j]))
				for k, v := range rows[j] {
					nr[k] = norm(v)
				}
				out[j] = nr
			}
			return out
		}
	}
	return rows
}

// joinPlan compiles a join or APPLY. ON sees only the sources of the join; APPLY's right side sees the left
// side's columns (it is correlated to each left row).
func (c *compiler) joinPlan(s *joinSource) (plan, error) {
	qs := c.qs
	start := len(qs.sources)
	left, err := c.plan(s.left)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(s.kind, "APPLY") {
		d, ok := s.right.(*derivedTable)
		if !ok {
			right, err := c.plan(s.right)
			if err != nil {
				return nil, err
			}
			return &joinPlan{kind: "CROSS", left: left, right: right}, nil
		}
		saved := qs.vis
		qs.vis = visibility(len(qs.sources), start, len(qs.sources))
		q, err := c.with(qs).query(d.q, qs, false)
		qs.vis = saved
		if err != nil {
			return nil, err
		}
		if q.assigns {
			return nil, newErr(141, 15, "A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.")
		}
		cols, err := derivedColumns(q, d.alias, d.columns)
		if err != nil {
			return nil, err
		}
		idx, err := c.addSource(&source{alias: d.alias, display: d.alias, cols: cols})
		if err != nil {
			return nil, err
		}
		return &applyPlan{outer: s.kind == "OUTER APPLY", left: left, idx: idx, q: q}, nil
	}
	right, err := c.plan(s.right)
	if err != nil {
		return nil, err
	}
	j := &joinPlan{kind: s.kind, left: left, right: right}
	if s.on != nil {
		saved := qs.vis
		qs.vis = visibility(len(qs.sources), start, len(qs.sources))
		oc := *c
		oc.aggErr, oc.clause = 147, ""
		j.on, err = oc.cond(s.on)
		qs.vis = saved
		if err != nil {
			return nil, err
		}
	}
	return j, nil
}

// visibility marks sources [from, to) of n as visible.
func visibility(n, from, to int) []bool {
	v := make([]bool, n+1)
	for i := from; i < to; i++ {
		v[i] = true
	}
	return v
}
