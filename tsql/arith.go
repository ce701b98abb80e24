package tsql

import (
	"math"
	"time"
)

var opNames = map[string]string{"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "modulo",
	"&": "&", "|": "|", "^": "^"}

// arithType is the static result type of a binary operator, following data type precedence.
func arithType(op string, at, bt sqlType) sqlType {
	if at.kind == kVariant || bt.kind == kVariant {
		return tVariant
	}
	if op == "+" && at.isString() && bt.isString() {
		k := kVarChar
		if at.kind == kNVarChar || at.kind == kNChar || bt.kind == kNVarChar || bt.kind == kNChar {
			k = kNVarChar
		}
		size := 0
		if at.size > 0 && bt.size > 0 {
			size = at.size + bt.size
			if size > 8000 {
				size = 0
			}
		}
		return sqlType{kind: k, size: size}
	}
	if at.isDate() || bt.isDate() {
		return higher(at, bt)
	}
	// A string operand is converted to the other operand's numeric type.
	if at.isString() {
		at = bt
	}
	if bt.isString() {
		bt = at
	}
	t := higher(at, bt)
	if t.kind == kBit {
		t = tInt
	}
	if t.kind == kDecimal {
		s1, s2 := at.scale, bt.scale
		switch op {
		case "*":
			t.scale = s1 + s2
		case "/":
			t.scale = s1 + bt.prec + 1
			if t.scale < 6 {
				t.scale = 6
			}
		default:
			if s2 > s1 {
				s1 = s2
			}
			t.scale = s1
		}
		if t.scale > 38 {
			t.scale = 38
		}
		t.prec = 38
	}
	return t
}

// arith applies a binary operator to two values (NULL in, NULL out) with SQL Server's conversions, overflow
// checks and divide-by-zero error.
func arith(op string, a, b Value, at, bt, rt sqlType) (Value, *Error) {
	a, b = norm(a), norm(b)
	if a == nil || b == nil {
		return nil, nil
	}
	at, bt = effType(a, at), effType(b, bt)
	if as, ok := a.(string); ok {
		if bs, ok := b.(string); ok {
			if op != "+" {
				return nil, invalidOperand(at, op)
			}
			if len(as)+len(bs) > maxString {
				return nil, stringTooLong(len(as) + len(bs))
			}
			return as + bs, nil
		}
	}
	if _, ok := a.(time.Time); ok {
		return dateArith(op, a, b, at, bt)
	}
	if _, ok := b.(time.Time); ok {
		if op != "+" {
			return nil, invalidOperand(bt, op)
		}
		return dateArith(op, b, a, bt, at)
	}
	var err *Error
	if _, ok := a.(string); ok {
		if a, err = convert(a, at, numericTarget(bt), -1, false); err != nil {
			return nil, err
		}
		at = numericTarget(bt)
	}
	if _, ok := b.(string); ok {
		if b, err = convert(b, bt, numericTarget(at), -1, false); err != nil {
			return nil, err
		}
		bt = numericTarget(at)
	}
	ai, af, aInt, ok1 := numberOf(a)
	bi, bf, bInt, ok2 := numberOf(b)
	if !ok1 {
		return nil, invalidOperand(at, op)
	}
	if !ok2 {
		return nil, invalidOperand(bt, op)
	}
	if rt.kind == kVariant {
		rt = higher(at, bt)
	}
	if aInt && bInt && (rt.isInteger() || (rt.kind == kDecimal && rt.scale == 0)) {
		return intArith(op, ai, bi, rt)
	}
	switch op {
	case "&", "|", "^":
		return nil, invalidOperand(tFloat, op)
	}
	var r float64
	switch op {
	case "+":
		r = af + bf
	case "-":
		r = af - bf
	case "*":
		r = af * bf
	case "/":
		if bf == 0 {
			return nil, divideByZero()
		}
		r = af / bf
	case "%":
		if bf == 0 {
			return nil, divideByZero()
		}
		r = math.Mod(af, bf)
	}
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return nil, overflowErr(tFloat)
	}
	if rt.kind == kDecimal {
		p := math.Pow(10, float64(rt.scale))
		if rt.scale <= 15 {
			r = math.Round(r*p) / p
		}
	}
	return r, nil
}

// numericTarget is the type a string operand converts to next to t.
func numericTarget(t sqlType) sqlType {
	switch {
	case t.kind == kDecimal && t.scale == 0:
		return tBigInt
	case t.kind == kDecimal:
		return tFloat
	case t.kind == kBit:
		return tInt
	case t.isNumeric():
		return t
	}
	return tInt
}

func intArith(op string, a, b int64, rt sqlType) (Value, *Error) {
	var r int64
	overflow := false
	switch op {
	case "+":
		r = a + b
		overflow = (b > 0 && r < a) || (b < 0 && r > a)
	case "-":
		r = a - b
		overflow = (b < 0 && r < a) || (b > 0 && r > a)
	case "*":
		r = a * b
		overflow = a != 0 && (r/a != b || (a == -1 && b == math.MinInt64))
	case "/":
		if b == 0 {
			return nil, divideByZero()
		}
		if a == math.MinInt64 && b == -1 {
			overflow = true
		} else {
			r = a / b
		}
	case "%":
		if b == 0 {
			return nil, divideByZero()
		}
		if b != -1 {
			r = a % b
		}
	case "&":
		r = a & b
	case "|":
		r = a | b
	case "^":
		r = a ^ b
	}
	lo, hi := intRange(rt.kind)
	if rt.kind == kBit || rt.kind == kTinyInt || rt.kind == kSmallInt {
		lo, hi = intRange(kInt)
	}
	if overflow || r < lo || r > hi {
		return nil, overflowErr(rt)
	}
	return r, nil
}

// dateArith adds or subtracts days (a number) or another datetime to a datetime.
func dateArith(op string, t Value, other Value, tt, ot sqlType) (Value, *Error) {
	base := naive(t.(time.Time))
	if tt.kind != kDateTime {
		return nil, invalidOperand(tt, op)
	}
	var days float64
	switch o := other.(type) {
	case time.Time:
		days = daysSinceEpoch(o)
	case string:
		v, err := convert(o, ot, tDateTime, -1, false)
		if err != nil {
			return nil, err
		}
		days = daysSinceEpoch(v.(time.Time))
	default:
		_, f, _, ok := numberOf(o)
		if !ok {
			return nil, invalidOperand(ot, op)
		}
		days = f
	}
	switch op {
	case "+":
	case "-":
		days = -days
	default:
		return nil, invalidOperand(tt, op)
	}
	if math.Abs(days) > 3.7e6 {
		return nil, addOverflow(tt)
	}
	r := addDays(base, days)
	if r.Year() < 1753 || r.Year() > 9999 {
		return nil, addOverflow(tt)
	}
	return r, nil
}

func invalidOperand(t sqlType, op string) *Error {
	return newErr(8117, 16, "Operand data type %s is invalid for %s operator.", t.name(), opNames[op])
}

func divideByZero() *Error {
	return newErr(8134, 16, "Divide by zero error encountered.")
}

func stringTooLong(n int) *Error {
	return newErr(50000, 16, "The training simulator limits strings to %d bytes; this value would be %d bytes.", maxString, n)
}
