package tsql

import (
	"math"
	"strings"
)

// aggregate compiles COUNT, COUNT_BIG, SUM, AVG, MIN and MAX over the rows of the current group.
func (c *compiler) aggregate(e *funcCall) (cexpr, error) {
	name := strings.ToUpper(e.name.Object)
	switch {
	case c.aggErr == 144:
		return cexpr{}, newErr(144, 15, "Cannot use an aggregate or a subquery in an expression used for the group by list of a GROUP BY clause.")
	case c.aggErr != 0 || c.qs == nil:
		return cexpr{}, newErr(147, 15, "An aggregate may not appear in the WHERE clause unless it is in a subquery contained in a HAVING clause or a select list, and the column being aggregated is an outer reference.")
	case c.inAgg:
		return cexpr{}, newErr(130, 16, "Cannot perform an aggregate function on an expression containing an aggregate or a subquery.")
	}
	if e.star && name != "COUNT" && name != "COUNT_BIG" {
		return cexpr{}, newErr(102, 15, "Incorrect syntax near '*'.")
	}
	if !e.star && len(e.args) != 1 {
		return cexpr{}, argCountErr(e.name.Object, 1)
	}
	resType := tInt
	if name == "COUNT_BIG" {
		resType = tBigInt
	}
	if e.star {
		return cexpr{eval: func(f *frame) (Value, error) {
			return int64(len(groupOf(f))), nil
		}, typ: resType}, nil
	}
	ac := *c
	ac.inAgg = true
	arg, err := ac.value(e.args[0])
	if err != nil {
		return cexpr{}, err
	}
	switch name {
	case "SUM", "AVG":
		t := arg.typ
		if t.isString() || t.isDate() || t.kind == kGUID || t.kind == kBinary || t.kind == kBit {
			return cexpr{}, newErr(8117, 16, "Operand data type %s is invalid for %s operator.", t.name(), strings.ToLower(name))
		}
		resType = t
		if t.kind == kTinyInt || t.kind == kSmallInt {
			resType = tInt
		}
		if t.kind == kDecimal {
			resType = sqlType{kind: kDecimal, prec: 38, scale: t.scale}
			if name == "AVG" && t.scale < 6 {
				resType.scale = 6
			}
		}
	case "MIN", "MAX":
		resType = arg.typ
	}
	distinct := e.distinct
	fn := func(f *frame) (Value, error) {
		vals, err := aggValues(f, arg, distinct)
		if err != nil {
			return nil, err
		}
		return aggregateOf(name, vals, arg.typ, resType)
	}
	return cexpr{eval: fn, typ: resType}, nil
}

// groupOf returns the rows an aggregate runs over: the group, or the current row alone outside grouping.
func groupOf(f *frame) [][][]Value {
	if f == nil {
		return nil
	}
	if f.group != nil {
		return f.group
	}
	return [][][]Value{f.row}
}

// aggValues evaluates the argument over the group, dropping NULLs (and duplicates for DISTINCT).
func aggValues(f *frame, arg cexpr, distinct bool) ([]Value, error) {
	rows := groupOf(f)
	inner := &frame{}
	if f != nil {
		inner.parent = f.parent
	}
	var seen map[string]bool
	if distinct {
		seen = map[string]bool{}
	}
	var out []Value
	var b strings.Builder
	for _, row := range rows {
		inner.row = row
		v, err := arg.eval(inner)
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		if distinct {
			b.Reset()
			groupKey(&b, v)
			if seen[b.String()] {
				continue
			}
			seen[b.String()] = true
		}
		out = append(out, v)
	}
	return out, nil
}

func aggregateOf(name string, vals []Value, argType, resType sqlType) (Value, error) {
	switch name {
	case "COUNT", "COUNT_BIG":
		return int64(len(vals)), nil
	}
	if len(vals) == 0 {
		return nil, nil
	}
	switch name {
	case "MIN", "MAX":
		best := vals[0]
		for _, v := range vals[1:] {
			c, _, err := compareValues(v, best, argType, argType)
			if err != nil {
				return nil, err
			}
			if (name == "MIN" && c < 0) || (name == "MAX" && c > 0) {
				best = v
			}
		}
		return best, nil
	}
	allInt := true
	var si int64
	var sf float64
	for _, v := range vals {
		i, f, isInt, ok := numberOf(norm(v))
		if !ok {
			return nil, newErr(8117, 16, "Operand data type %s is invalid for %s operator.", argType.name(), strings.ToLower(name))
		}
		sf += f
		if isInt && allInt {
			n := si + i
			if (i > 0 && n < si) || (i < 0 && n > si) {
				return nil, overflowErr(resType)
			}
			si = n
		} else {
			allInt = false
		}
	}
	if allInt && (resType.isInteger() || resType.kind == kDecimal && resType.scale == 0) {
		if name == "AVG" {
			si /= int64(len(vals))
		}
		lo, hi := intRange(resType.kind)
		if si < lo || si > hi {
			return nil, overflowErr(resType)
		}
		return si, nil
	}
	if name == "AVG" {
		sf /= float64(len(vals))
	}
	if math.IsInf(sf, 0) || math.IsNaN(sf) {
		return nil, overflowErr(resType)
	}
	return sf, nil
}
