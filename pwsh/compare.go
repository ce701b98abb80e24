package pwsh

import (
	"cmp"
	"strings"
	"time"
)

// Comparison operators. The left operand decides the type the right one is converted to; string comparisons
// ignore case unless the operator has the c prefix.

func (in *interp) compareOp(op string, l, r Value, cs bool, ex extent) (Value, error) {
	switch op {
	case "contains", "notcontains":
		return in.containsValue(enumerate(l), r, cs) == (op == "contains"), nil
	case "in", "notin":
		return in.containsValue(enumerate(r), l, cs) == (op == "in"), nil
	}
	if arr, ok := l.([]Value); ok {
		out := []Value{}
		for _, e := range arr {
			m, err := in.compareScalar(op, e, r, cs, ex, false)
			if err != nil {
				return nil, err
			}
			if m {
				out = append(out, e)
			}
		}
		return out, nil
	}
	return in.compareScalar(op, l, r, cs, ex, true)
}

func (in *interp) containsValue(coll []Value, v Value, cs bool) bool {
	for _, e := range coll {
		if equalValues(e, v, cs) {
			return true
		}
	}
	return false
}

func (in *interp) compareScalar(op string, l, r Value, cs bool, ex extent, scalar bool) (bool, error) {
	switch op {
	case "eq":
		return equalValues(l, r, cs), nil
	case "ne":
		return !equalValues(l, r, cs), nil
	case "gt", "ge", "lt", "le":
		c, err := in.order(l, r, cs, ex)
		if err != nil {
			return false, err
		}
		switch op {
		case "gt":
			return c > 0, nil
		case "ge":
			return c >= 0, nil
		case "lt":
			return c < 0, nil
		}
		return c <= 0, nil
	case "like", "notlike":
		m, err := in.wildcardMatch(toStr(l), toStr(r), cs, ex)
		return m == (op == "like"), err
	case "match", "notmatch":
		m, err := in.regexMatch(toStr(l), toStr(r), cs, ex, scalar)
		return m == (op == "match"), err
	}
	return false, nil
}

// equalValues is -eq for one pair of values.
func equalValues(l, r Value, cs bool) bool {
	switch lv := l.(type) {
	case nil:
		return r == nil
	case string:
		if r == nil {
			return false
		}
		rs := toStr(r)
		if cs {
			return lv == rs
		}
		return strings.EqualFold(lv, rs)
	case bool:
		return r != nil && lv == toBool(r)
	case int64, float64:
		if r == nil {
			return false
		}
		rn, ok := toNumber(r)
		if !ok {
			return false
		}
		if a, okA := lv.(int64); okA {
			if b, okB := rn.(int64); okB {
				return a == b
			}
		}
		return toFloat(lv) == toFloat(rn)
	case Enum:
		switch rv := r.(type) {
		case Enum:
			return strings.EqualFold(lv.Name, rv.Name) && lv.Value == rv.Value
		case string:
			if strings.EqualFold(lv.Name, strings.TrimSpace(rv)) {
				return true
			}
			n, ok := parseNumber(rv)
			return ok && toFloat(n) == float64(lv.Value)
		case int64, float64:
			return toFloat(rv) == float64(lv.Value)
		}
		return false
	case time.Time:
		rt, ok := asTimeIn(r, lv.Location())
		return ok && lv.Equal(rt)
	case *Object:
		ro, ok := r.(*Object)
		return ok && ro == lv
	case *Hashtable:
		rh, ok := r.(*Hashtable)
		return ok && rh == lv
	case *scriptBlock:
		rb, ok := r.(*scriptBlock)
		return ok && rb == lv
	case *typeRef:
		rt, ok := r.(*typeRef)
		return ok && rt.name == lv.name
	case *errorValue:
		re, ok := r.(*errorValue)
		return ok && re.rec == lv.rec
	}
	return false
}

// order compares two values for -gt, -lt and Sort-Object.
func (in *interp) order(l, r Value, cs bool, ex extent) (int, error) {
	if l == nil {
		if r == nil {
			return 0, nil
		}
		return -1, nil
	}
	if r == nil {
		return 1, nil
	}
	switch lv := l.(type) {
	case string:
		rs := toStr(r)
		if !cs {
			if c := strings.Compare(strings.ToLower(lv), strings.ToLower(rs)); c != 0 {
				return c, nil
			}
			return 0, nil
		}
		return strings.Compare(lv, rs), nil
	case int64, float64:
		rn, ok := toNumber(r)
		if !ok {
			return 0, in.compareError(l, r, ex)
		}
		if a, okA := lv.(int64); okA {
			if b, okB := rn.(int64); okB {
				return cmp.Compare(a, b), nil
			}
		}
		return cmpFloat(toFloat(lv), toFloat(rn)), nil
	case bool:
		return cmp.Compare(boolInt(lv), boolInt(toBool(r))), nil
	case Enum:
		switch rv := r.(type) {
		case Enum:
			return cmp.Compare(lv.Value, rv.Value), nil
		case int64, float64:
			return cmpFloat(float64(lv.Value), toFloat(rv)), nil
		case string:
			if strings.EqualFold(lv.Name, rv) {
				return 0, nil
			}
			if n, ok := parseNumber(rv); ok {
				return cmpFloat(float64(lv.Value), toFloat(n)), nil
			}
		}
		return 0, in.compareError(l, r, ex)
	case time.Time:
		rt, ok := asTimeIn(r, lv.Location())
		if !ok {
			return 0, in.compareError(l, r, ex)
		}
		return lv.Compare(rt), nil
	}
	return 0, in.rtError(ex, "InvalidOperation", "NotIcomparable", "Cannot compare \"%s\" because it is not IComparable.",
		toStr(l))
}

func (in *interp) compareError(l, r Value, ex extent) error {
	return in.rtError(ex, "InvalidOperation", "ComparisonFailure", "Could not compare \"%s\" to \"%s\". Error: "+
		"\"Cannot convert value \"%s\" to type \"%s\". Error: \"Input string was not in a correct format.\"\"",
		toStr(l), toStr(r), toStr(r), typeName(l))
}

// cmpFloat orders floats; unlike cmp.Compare it leaves NaN unordered (0) rather than below every number.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// sortCompare orders values for Sort-Object: it never fails, falling back to comparing text.
func (in *interp) sortCompare(a, b Value, cs bool) int {
	if c, err := in.order(a, b, cs, extent{}); err == nil {
		return c
	}
	return strings.Compare(strings.ToLower(toStr(a)), strings.ToLower(toStr(b)))
}
