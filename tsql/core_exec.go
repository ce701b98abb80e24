package tsql

import (
	"math"
	"strings"
)

// coreExec runs one compiled SELECT: FROM and WHERE, GROUP BY and HAVING, the select list, DISTINCT, ORDER BY
// and TOP, in SQL Server's logical order.
type coreExec struct {
	r        *runner
	plans    []plan
	width    int
	where    condFn
	grouped  bool
	groupBy  []cexpr
	having   condFn
	items    []outItem
	distinct bool
	keys     []sortKey
	lim      limits
	sq       *subquery
}

// source produces the rows of FROM that satisfy WHERE.
func (e *coreExec) source(parent *frame) ([][][]Value, error) {
	x := &planCtx{r: e.r, width: e.width}
	var rows [][][]Value
	if len(e.plans) == 0 {
		rows = [][][]Value{make([][]Value, e.width)}
	}
	for i, p := range e.plans {
		rs, err := p.rows(x, parent)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			rows = rs
			continue
		}
		var out [][][]Value
		for _, l := range rows {
			if err := x.grow(len(rs)); err != nil {
				return nil, err
			}
			for _, r := range rs {
				out = append(out, merge(e.width, l, r))
			}
		}
		rows = out
	}
	if e.where == nil {
		return rows, nil
	}
	fr := &frame{parent: parent}
	kept := rows[:0]
	for _, row := range rows {
		fr.row = row
		t, err := e.where(fr)
		if err != nil {
			return nil, err
		}
		if t == triTrue {
			kept = append(kept, row)
		}
	}
	return kept, nil
}

// frames turns rows into the frames the select list is evaluated on: one per row, or one per group.
func (e *coreExec) frames(parent *frame, rows [][][]Value) ([]*frame, error) {
	if !e.grouped {
		out := make([]*frame, len(rows))
		for i, row := range rows {
			out[i] = &frame{parent: parent, row: row}
		}
		return out, nil
	}
	var order []string
	groups := map[string][][][]Value{}
	if len(e.groupBy) == 0 {
		order = []string{""}
		groups[""] = rows
	} else {
		fr := &frame{parent: parent}
		var b strings.Builder
		for _, row := range rows {
			fr.row = row
			b.Reset()
			for _, g := range e.groupBy {
				v, err := g.eval(fr)
				if err != nil {
					return nil, err
				}
				groupKey(&b, v)
			}
			k := b.String()
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], row)
		}
	}
	var out []*frame
	for _, k := range order {
		g := groups[k]
		rep := make([][]Value, e.width)
		if len(g) > 0 {
			rep = g[0]
		}
		f := &frame{parent: parent, row: rep, group: g}
		if f.group == nil {
			f.group = [][][]Value{}
		}
		if e.having != nil {
			t, err := e.having(f)
			if err != nil {
				return nil, err
			}
			if t != triTrue {
				continue
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func (e *coreExec) run(parent *frame) ([][]Value, error) {
	rows, err := e.source(parent)
	if err != nil {
		return nil, err
	}
	frames, err := e.frames(parent, rows)
	if err != nil {
		return nil, err
	}
	if e.sq.assigns {
		return nil, e.assign(frames)
	}
	out := make([]outRow, 0, len(frames))
	for _, f := range frames {
		var r outRow
		for _, it := range e.items {
			v, err := it.ex.eval(f)
			if err != nil {
				return nil, err
			}
			r.vals = append(r.vals, v)
		}
		if len(e.keys) > 0 {
			r.keys = make([]Value, len(e.keys))
			for i, k := range e.keys {
				if k.out >= 0 {
					r.keys[i] = r.vals[k.out]
					continue
				}
				v, err := k.ex.eval(f)
				if err != nil {
					return nil, err
				}
				r.keys[i] = v
			}
		}
		out = append(out, r)
	}
	if e.distinct {
		seen := map[string]bool{}
		kept := out[:0]
		for _, r := range out {
			k := rowKey(r.vals)
			if !seen[k] {
				seen[k] = true
				kept = append(kept, r)
			}
		}
		out = kept
	}
	types := make([]sqlType, len(e.keys))
	for i, k := range e.keys {
		if k.out >= 0 {
			types[i] = e.items[k.out].ex.typ
		} else {
			types[i] = k.ex.typ
		}
	}
	switch {
	case len(e.keys) > 0 && e.lim.isTopOne():
		// TOP (1) ... ORDER BY, the usual "newest row" query: one pass instead of a sort.
		best := 0
		for i := 1; i < len(out); i++ {
			if compareKeys(out[i].keys, out[best].keys, e.keys, types) < 0 {
				best = i
			}
		}
		if len(out) > 1 {
			out = out[best : best+1]
		}
	case len(e.keys) > 0:
		sortRows(out, e.keys, types)
	}
	if out, err = applyLimits(out, e.lim, e.keys, types); err != nil {
		return nil, err
	}
	res := make([][]Value, len(out))
	for i, r := range out {
		res[i] = r.vals
	}
	return res, nil
}

// assign runs SELECT @v = ...: rows assign in turn (in ORDER BY order when there is one), so the last row's
// values remain and @s = @s + col concatenates.
func (e *coreExec) assign(frames []*frame) error {
	if len(e.keys) > 0 {
		rows := make([]outRow, len(frames))
		types := make([]sqlType, len(e.keys))
		for i, f := range frames {
			rows[i].keys = make([]Value, len(e.keys))
			for j, k := range e.keys {
				v, err := k.ex.eval(f)
				if err != nil {
					return err
				}
				rows[i].keys[j], types[j] = v, k.ex.typ
			}
			rows[i].vals = []Value{int64(i)}
		}
		sortRows(rows, e.keys, types)
		sorted := make([]*frame, len(frames))
		for i, r := range rows {
			sorted[i] = frames[r.vals[0].(int64)]
		}
		frames = sorted
	}
	limit := e.r.sess.rowLimit
	if e.lim.top != nil {
		n, err := limitValue(e.lim.top, e.lim.percent)
		if err != nil {
			return err
		}
		if e.lim.percent {
			n = math.Ceil(n * float64(len(frames)) / 100)
		}
		if limit == 0 || int64(n) < limit {
			limit = int64(n)
		}
		if limit == 0 {
			e.sq.count = 0
			return nil
		}
	}
	count := int64(0)
	for _, f := range frames {
		if limit > 0 && count >= limit {
			break
		}
		for _, it := range e.items {
			v, err := it.ex.eval(f)
			if err != nil {
				return err
			}
			if err := assignVar(it.assign, it.assignOp, v, it.ex.typ); err != nil {
				return err
			}
		}
		count++
	}
	e.sq.count = count
	return nil
}
