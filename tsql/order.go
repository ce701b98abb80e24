package tsql

import (
	"math"
	"sort"
	"strings"
)

// sortKey is one ORDER BY item: an output column (out >= 0) or an expression over the query's rows.
type sortKey struct {
	out  int
	ex   cexpr
	desc bool
}

// limits are TOP, OFFSET and FETCH.
type limits struct {
	top           *cexpr
	percent, ties bool
	offset, fetch *cexpr
}

// orderKeys resolves ORDER BY items: an ordinal, an output column name or alias, or an expression (which must
// be in the select list under DISTINCT).
func (c *compiler) orderKeys(order []orderItem, items []outItem, distinct bool) ([]sortKey, error) {
	var keys []sortKey
	outs := outputItems(items)
	for _, o := range order {
		k := sortKey{out: -1, desc: o.desc}
		if i, ok, err := ordinal(o.x, len(outs)); err != nil {
			return nil, err
		} else if ok {
			k.out = i
			keys = append(keys, k)
			continue
		}
		if cr, ok := o.x.(*colRef); ok && len(cr.parts) == 1 {
			for i, it := range outs {
				if strings.EqualFold(it.name, cr.parts[0]) {
					k.out = i
					break
				}
			}
		}
		if k.out < 0 {
			ex, err := c.value(o.x)
			if err != nil {
				return nil, err
			}
			k.ex = ex
			if distinct {
				k.out = matchItem(o.x, items)
				if k.out < 0 {
					return nil, newErr(145, 15, "ORDER BY items must appear in the select list if SELECT DISTINCT is specified.")
				}
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// outputItems are the items that produce columns (not assignments).
func outputItems(items []outItem) []outItem {
	var out []outItem
	for _, it := range items {
		if it.assign == nil {
			out = append(out, it)
		}
	}
	return out
}

// ordinal reads ORDER BY n.
func ordinal(e expr, n int) (int, bool, error) {
	lit, ok := e.(*literal)
	if !ok {
		return 0, false, nil
	}
	v, ok := lit.val.(int64)
	if !ok {
		return 0, false, nil
	}
	if v < 1 || v > int64(n) {
		return 0, false, newErr(108, 15, "The ORDER BY position number %d is out of range of the number of items in the select list.", v)
	}
	return int(v - 1), true, nil
}

// matchItem finds the select list expression written like e.
func matchItem(e expr, items []outItem) int {
	k := exprKey(e)
	if k == "" {
		return -1
	}
	for i, it := range outputItems(items) {
		if it.src != nil && exprKey(it.src) == k {
			return i
		}
	}
	return -1
}

// limits compiles TOP and OFFSET/FETCH, which must not depend on the rows.
func (c *compiler) limits(s *selectCore, q *query) (limits, error) {
	var l limits
	stmt := c.with(nil)
	if s.top != nil {
		x, err := stmt.value(s.top)
		if err != nil {
			return l, err
		}
		l.top, l.percent, l.ties = &x, s.topPercent, s.withTies
	}
	if q != nil && q.offset != nil {
		x, err := stmt.value(q.offset)
		if err != nil {
			return l, err
		}
		l.offset = &x
		if q.fetch != nil {
			y, err := stmt.value(q.fetch)
			if err != nil {
				return l, err
			}
			l.fetch = &y
		}
	}
	return l, nil
}

// count evaluates a TOP, OFFSET or FETCH value.
func limitValue(x *cexpr, percent bool) (float64, error) {
	v, err := x.eval(nil)
	if err != nil {
		return 0, err
	}
	t := tBigInt
	if percent {
		t = tFloat
	}
	cv, err := convertTo(v, x.typ, t)
	if err != nil {
		return 0, err
	}
	_, f, _, ok := numberOf(cv)
	if !ok || f < 0 {
		return 0, newErr(1014, 15, "A TOP or FETCH clause contains an invalid value.")
	}
	if percent && f > 100 {
		return 0, newErr(1031, 15, "Percent values must be between 0 and 100.")
	}
	return f, nil
}

// outRow is a result row with its sort keys.
type outRow struct {
	vals []Value
	keys []Value
}

// sortRows orders rows by their keys (NULL first ascending), keeping the input order of ties.
func sortRows(rows []outRow, keys []sortKey, types []sqlType) {
	sort.SliceStable(rows, func(i, j int) bool {
		return compareKeys(rows[i].keys, rows[j].keys, keys, types) < 0
	})
}

func compareKeys(a, b []Value, keys []sortKey, types []sqlType) int {
	for k := range keys {
		c := sortCompare(a[k], b[k], types[k])
		if keys[k].desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// applyLimits applies OFFSET/FETCH and TOP [PERCENT] [WITH TIES] to sorted rows.
func applyLimits(rows []outRow, l limits, keys []sortKey, types []sqlType) ([]outRow, error) {
	if l.offset != nil {
		n, err := limitValue(l.offset, false)
		if err != nil {
			return nil, err
		}
		if int(math.Min(n, float64(len(rows)))) >= len(rows) {
			rows = nil
		} else {
			rows = rows[int(n):]
		}
		if l.fetch != nil {
			m, err := limitValue(l.fetch, false)
			if err != nil {
				return nil, err
			}
			if m < float64(len(rows)) {
				rows = rows[:int(m)]
			}
		}
	}
	if l.top == nil {
		return rows, nil
	}
	n, err := limitValue(l.top, l.percent)
	if err != nil {
		return nil, err
	}
	if l.percent {
		n = math.Ceil(n * float64(len(rows)) / 100)
	}
	if n >= float64(len(rows)) {
		return rows, nil
	}
	cut := int(n)
	if l.ties && cut > 0 && len(keys) > 0 {
		for cut < len(rows) && compareKeys(rows[cut-1].keys, rows[cut].keys, keys, types) == 0 {
			cut++
		}
	}
	return rows[:cut], nil
}

// orderSet orders the result of a set operation by its output columns.
func (c *compiler) orderSet(sq *subquery, first *selectCore, q *query) (*subquery, error) {
	var keys []sortKey
	for _, o := range q.orderBy {
		k := sortKey{out: -1, desc: o.desc}
		if i, ok, err := ordinal(o.x, len(sq.cols)); err != nil {
			return nil, err
		} else if ok {
			k.out = i
		}
		if cr, ok := o.x.(*colRef); ok && k.out < 0 {
			for i, col := range sq.cols {
				if strings.EqualFold(col.name, cr.parts[len(cr.parts)-1]) {
					k.out = i
					break
				}
			}
		}
		if k.out < 0 && first != nil {
			key := exprKey(o.x)
			n := 0
			for _, it := range first.items {
				if it.star {
					break
				}
				if key != "" && exprKey(it.x) == key {
					k.out = n
					break
				}
				n++
			}
		}
		if k.out < 0 {
			return nil, newErr(104, 15, "ORDER BY items must appear in the select list if the statement contains a UNION, INTERSECT or EXCEPT operator.")
		}
		keys = append(keys, k)
	}
	lim, err := c.limits(&selectCore{}, q)
	if err != nil {
		return nil, err
	}
	types := make([]sqlType, len(keys))
	for i, k := range keys {
		types[i] = sq.cols[k.out].typ
	}
	inner := sq.rows
	out := &subquery{cols: sq.cols, correlated: sq.correlated}
	out.run = func(parent *frame) ([][]Value, error) {
		rows, err := inner(parent)
		if err != nil {
			return nil, err
		}
		ors := make([]outRow, len(rows))
		for i, r := range rows {
			ks := make([]Value, len(keys))
			for j, k := range keys {
				ks[j] = r[k.out]
			}
			ors[i] = outRow{vals: r, keys: ks}
		}
		sortRows(ors, keys, types)
		if ors, err = applyLimits(ors, lim, keys, types); err != nil {
			return nil, err
		}
		res := make([][]Value, len(ors))
		for i, r := range ors {
			res[i] = r.vals
		}
		return res, nil
	}
	return out, nil
}

// isTopOne reports whether the limits are a plain TOP (1) (a literal, no PERCENT, TIES or OFFSET).
func (l limits) isTopOne() bool {
	if l.top == nil || l.percent || l.ties || l.offset != nil || !l.top.constant {
		return false
	}
	v, err := l.top.eval(nil)
	n, ok := v.(int64)
	return err == nil && ok && n == 1
}
