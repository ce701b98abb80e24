package pwsh

import (
	"math"
	"strings"
	"time"
)

// Binary operators. As in PowerShell the left operand decides: a string left side concatenates, a number adds,
// an array appends, and an array on the left of a comparison filters its elements.

func (in *interp) evalBinary(x *binaryExpr) (Value, error) {
	l, err := in.eval(x.l)
	if err != nil {
		return nil, err
	}
	switch x.op {
	case "and":
		if !toBool(l) {
			return false, nil
		}
		r, err := in.eval(x.r)
		return toBool(r), err
	case "or":
		if toBool(l) {
			return true, nil
		}
		r, err := in.eval(x.r)
		return toBool(r), err
	}
	r, err := in.eval(x.r)
	if err != nil {
		return nil, err
	}
	switch x.op {
	case "+", "-", "*", "/", "%":
		return in.arith(x.op, l, r, x.extent)
	case "xor":
		return toBool(l) != toBool(r), nil
	case "band", "bor", "bxor":
		a, okA := toInt(l)
		b, okB := toInt(r)
		if !okA || !okB {
			bad := l
			if okA {
				bad = r
			}
			return nil, in.convertError(x.extent, bad, "System.Int64")
		}
		switch x.op {
		case "band":
			return a & b, nil
		case "bor":
			return a | b, nil
		}
		return a ^ b, nil
	case "..":
		return in.rangeOp(l, r, x.extent)
	case "f":
		return in.formatOperator(l, r, x.extent)
	case "join":
		return in.join(l, toStr(r), x.extent)
	case "split":
		return in.split(l, r, x.cs, x.extent)
	case "replace":
		return in.replace(l, r, x.cs, x.extent)
	case "is", "isnot", "as":
		return in.typeOp(x.op, l, r, x.extent)
	}
	return in.compareOp(x.op, l, r, x.cs, x.extent)
}

// arith applies + - * / % (also for +=, ++ and unary minus).
func (in *interp) arith(op string, l, r Value, ex extent) (Value, error) {
	switch lv := l.(type) {
	case string:
		switch op {
		case "+":
			s := lv + toStr(r)
			if len(s) > in.lim.stringLen {
				return nil, in.tooLarge(ex)
			}
			return s, nil
		case "*":
			n, ok := toInt(r)
			if !ok {
				return nil, in.convertError(ex, r, "System.Int32")
			}
			if n <= 0 || lv == "" {
				return "", nil
			}
			if n > int64(in.lim.stringLen/len(lv)) {
				return nil, in.tooLarge(ex)
			}
			return strings.Repeat(lv, int(n)), nil
		}
	case []Value:
		switch op {
		case "+":
			add := []Value{r}
			if ra, ok := r.([]Value); ok {
				add = ra
			}
			if len(lv)+len(add) > in.lim.arrayLen {
				return nil, in.tooLarge(ex)
			}
			out := make([]Value, 0, len(lv)+len(add))
			return append(append(out, lv...), add...), nil
		case "*":
			n, ok := toInt(r)
			if !ok {
				return nil, in.convertError(ex, r, "System.Int32")
			}
			if n <= 0 || len(lv) == 0 {
				return []Value{}, nil
			}
			if n > int64(in.lim.arrayLen/len(lv)) {
				return nil, in.tooLarge(ex)
			}
			out := make([]Value, 0, len(lv)*int(n))
			for i := int64(0); i < n; i++ {
				out = append(out, lv...)
			}
			return out, nil
		}
		return nil, in.opMissing(l, op, ex)
	case *Hashtable:
		rh, ok := r.(*Hashtable)
		if op != "+" || !ok {
			if op == "+" {
				return nil, in.rtError(ex, "InvalidOperation", "AddHashTableToNonHashTable",
					"A hash table can only be added to another hash table.")
			}
			return nil, in.opMissing(l, op, ex)
		}
		out := &Hashtable{Keys: append([]string(nil), lv.Keys...), Values: append([]Value(nil), lv.Values...)}
		for i, k := range rh.Keys {
			if _, at := hashGet(out, k); at >= 0 {
				return nil, in.rtError(ex, "NotSpecified", "System.ArgumentException", "Item has already been added. "+
					"Key in dictionary: '%s'  Key being added: '%s'", k, k)
			}
			if i < len(rh.Values) {
				out.Keys = append(out.Keys, k)
				out.Values = append(out.Values, rh.Values[i])
			}
		}
		return out, nil
	case nil:
		if op == "+" {
			switch rv := r.(type) {
			case []Value:
				return append([]Value{}, rv...), nil
			case string, *Hashtable:
				return rv, nil
			}
		}
	case *Object, time.Time, *scriptBlock, *typeRef, *errorValue:
		return nil, in.opMissing(l, op, ex)
	}
	a, ok := toNumber(l)
	if !ok {
		return nil, in.opMissing(l, op, ex)
	}
	b, ok := toNumber(r)
	if !ok {
		if _, isArr := r.([]Value); isArr || r == nil {
			return nil, in.opMissing(r, op, ex)
		}
		return nil, in.convertError(ex, r, typeName(a))
	}
	return in.numeric(op, a, b, ex)
}

// opMissing is the error for an operator the left operand's type does not define.
func (in *interp) opMissing(v Value, op string, ex extent) error {
	names := map[string]string{"+": "op_Addition", "-": "op_Subtraction", "*": "op_Multiply", "/": "op_Division",
		"%": "op_Modulus"}
	return in.rtError(ex, "InvalidOperation", "MethodNotFound",
		"Method invocation failed because [%s] does not contain a method named '%s'.", typeName(v), names[op])
}

// numeric does arithmetic on int64 and float64, moving to float64 when an integer result would overflow or a
// division is not exact.
func (in *interp) numeric(op string, a, b Value, ex extent) (Value, error) {
	x, xInt := a.(int64)
	y, yInt := b.(int64)
	if xInt && yInt {
		switch op {
		case "+":
			if s := x + y; (s > x) == (y > 0) {
				return s, nil
			}
		case "-":
			if d := x - y; (d < x) == (y > 0) {
				return d, nil
			}
		case "*":
			if x == 0 || y == 0 {
				return int64(0), nil
			}
			if p := x * y; p/y == x && !(x == -1 && y == minInt64) && !(y == -1 && x == minInt64) {
				return p, nil
			}
		case "/":
			if y == 0 {
				return nil, in.divideByZero(ex)
			}
			if x%y == 0 && !(x == minInt64 && y == -1) {
				return x / y, nil
			}
		case "%":
			if y == 0 {
				return nil, in.divideByZero(ex)
			}
			if y == -1 {
				return int64(0), nil
			}
			return x % y, nil
		}
	}
	f, g := toFloat(a), toFloat(b)
	switch op {
	case "+":
		return f + g, nil
	case "-":
		return f - g, nil
	case "*":
		return f * g, nil
	case "/":
		if g == 0 && xInt && yInt {
			return nil, in.divideByZero(ex)
		}
		return f / g, nil
	}
	return math.Mod(f, g), nil
}

func (in *interp) divideByZero(ex extent) error {
	return in.rtError(ex, "NotSpecified", "RuntimeException", "Attempted to divide by zero.")
}

// rangeOp is a..b: the integers from a to b, either direction.
func (in *interp) rangeOp(l, r Value, ex extent) (Value, error) {
	a, ok := toInt(l)
	if !ok {
		return nil, in.convertError(ex, l, "System.Int32")
	}
	b, ok := toInt(r)
	if !ok {
		return nil, in.convertError(ex, r, "System.Int32")
	}
	n := b - a
	step := int64(1)
	if n < 0 {
		n, step = -n, -1
	}
	if n < 0 || n >= int64(in.lim.arrayLen) {
		return nil, in.tooLarge(ex)
	}
	out := make([]Value, 0, n+1)
	for i := int64(0); i <= n; i++ {
		out = append(out, a+i*step)
	}
	return out, nil
}
