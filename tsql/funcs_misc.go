package tsql

import (
	"cmp"
	"math"
	"strconv"
	"strings"
	"time"
)

func init() {
	register(0, 0, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		r := c.sc.r
		up := strings.ToUpper(name)
		typ := tDateTime
		if strings.HasPrefix(up, "SYS") {
			typ = sqlType{kind: kDateTime2}
		}
		utc := strings.Contains(up, "UTC")
		fn := once(func(*frame) (Value, error) {
			now := r.host.Now()
			if utc {
				now = now.UTC()
			}
			return naive(now), nil
		})
		return cexpr{eval: fn, typ: typ, constant: true}, nil
	}, "GETDATE", "SYSDATETIME", "GETUTCDATE", "SYSUTCDATETIME")
	register(2, 2, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		typ := a[0].typ
		if a[0].isNull {
			typ = a[1].typ
		}
		fn := func(f *frame) (Value, error) {
			v, err := a[0].eval(f)
			if err != nil || v != nil {
				return v, err
			}
			return coerce(a[1], typ, f)
		}
		return cexpr{eval: fn, typ: typ, constant: a[0].constant && a[1].constant}, nil
	}, "ISNULL")
	register(2, -1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		var acc typeAcc
		constant := true
		for _, x := range a {
			acc.add(x)
			constant = constant && x.constant
		}
		typ := acc.result()
		fn := func(f *frame) (Value, error) {
			for _, x := range a {
				v, err := coerce(x, typ, f)
				if err != nil || v != nil {
					return v, err
				}
			}
			return nil, nil
		}
		return cexpr{eval: fn, typ: typ, constant: constant}, nil
	}, "COALESCE")
	register(2, 2, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, a[0].typ, false, func(v []Value) (Value, error) {
			n, null, err := compareValues(v[0], v[1], a[0].typ, a[1].typ)
			if err != nil {
				return nil, err
			}
			if !null && n == 0 {
				return nil, nil
			}
			return v[0], nil
		}), nil
	}, "NULLIF")
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		part := datePart(strings.ToLower(name))
		return scalarFn(a, tInt, true, func(v []Value) (Value, error) {
			t, err := dateArg(v[0], a[0].typ)
			if err != nil {
				return nil, err
			}
			return datePartOf(part, t), nil
		}), nil
	}, "YEAR", "MONTH", "DAY")
	register(1, 2, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, sqlType{kind: kDate}, true, func(v []Value) (Value, error) {
			t, err := dateArg(v[0], a[0].typ)
			if err != nil {
				return nil, err
			}
			if len(v) > 1 {
				n, err := intArg(v[1], a[1].typ)
				if err != nil {
					return nil, err
				}
				var derr *Error
				if t, derr = dateAdd("month", n, t, tDateTime); derr != nil {
					return nil, derr
				}
			}
			return time.Date(t.Year(), t.Month(), daysIn(t.Year(), t.Month()), 0, 0, 0, 0, time.UTC), nil
		}), nil
	}, "EOMONTH")
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		up := strings.ToUpper(name)
		typ := a[0].typ
		if typ.isString() || typ.kind == kBit {
			typ = tFloat
		}
		return scalarFn(a, typ, true, func(v []Value) (Value, error) {
			x, err := convertTo(v[0], a[0].typ, numericOrFloat(typ))
			if err != nil {
				return nil, err
			}
			i, f, isInt, ok := numberOf(x)
			if !ok {
				return nil, invalidOperand(a[0].typ, "+")
			}
			switch up {
			case "ABS":
				if isInt {
					if i == math.MinInt64 {
						return nil, overflowErr(typ)
					}
					if i < 0 {
						return -i, nil
					}
					return i, nil
				}
				return math.Abs(f), nil
			case "SIGN":
				if isInt {
					return int64(cmp.Compare(i, 0)), nil
				}
				return float64(cmpFloat(f, 0)), nil
			case "FLOOR", "CEILING":
				if isInt {
					return i, nil
				}
				if up == "FLOOR" {
					return math.Floor(f), nil
				}
				return math.Ceil(f), nil
			case "SQRT":
				if f < 0 {
					return nil, newErr(3623, 16, "An invalid floating point operation occurred.")
				}
				return math.Sqrt(f), nil
			}
			return nil, nil
		}), nil
	}, "ABS", "SIGN", "FLOOR", "CEILING", "SQRT")
	register(2, 3, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		typ := a[0].typ
		if typ.isString() {
			typ = tFloat
		}
		return scalarFn(a, typ, true, func(v []Value) (Value, error) {
			n, err := intArg(v[1], a[1].typ)
			if err != nil {
				return nil, err
			}
			truncate := false
			if len(v) > 2 {
				m, err := intArg(v[2], a[2].typ)
				if err != nil {
					return nil, err
				}
				truncate = m != 0
			}
			x, err := convertTo(v[0], a[0].typ, numericOrFloat(typ))
			if err != nil {
				return nil, err
			}
			return round(x, n, truncate), nil
		}), nil
	}, "ROUND")
	register(2, 2, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, tFloat, true, func(v []Value) (Value, error) {
			x, err := convertTo(v[0], a[0].typ, tFloat)
			if err != nil {
				return nil, err
			}
			y, err := convertTo(v[1], a[1].typ, tFloat)
			if err != nil {
				return nil, err
			}
			r := math.Pow(x.(float64), y.(float64))
			if math.IsInf(r, 0) || math.IsNaN(r) {
				return nil, newErr(3623, 16, "An invalid floating point operation occurred.")
			}
			return r, nil
		}), nil
	}, "POWER")
	register(1, 3, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, sqlType{kind: kVarChar, size: 10}, true, func(v []Value) (Value, error) {
			return strFunc(v, a)
		}), nil
	}, "STR")
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		numeric := strings.EqualFold(name, "ISNUMERIC")
		return scalarFn(a, tInt, false, func(v []Value) (Value, error) {
			if v[0] == nil {
				return int64(0), nil
			}
			var err *Error
			if numeric {
				_, err = convert(v[0], a[0].typ, tFloat, -1, false)
			} else {
				_, err = convert(v[0], a[0].typ, tDateTime, -1, false)
			}
			if err != nil {
				return int64(0), nil
			}
			return int64(1), nil
		}), nil
	}, "ISNUMERIC", "ISDATE")
	register(0, 0, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		r := c.sc.r
		up := strings.ToUpper(name)
		typ := tInt
		if up == "ERROR_MESSAGE" {
			typ = sqlType{kind: kNVarChar, size: 4000}
		} else if up == "ERROR_PROCEDURE" {
			typ = tSysname
		}
		fn := func(*frame) (Value, error) {
			if len(r.caught) == 0 {
				return nil, nil
			}
			e := r.caught[len(r.caught)-1]
			switch up {
			case "ERROR_NUMBER":
				return int64(e.Number), nil
			case "ERROR_SEVERITY":
				return int64(e.Class), nil
			case "ERROR_STATE":
				return int64(e.State), nil
			case "ERROR_LINE":
				return int64(e.Line), nil
			case "ERROR_PROCEDURE":
				if e.Proc == "" {
					return nil, nil
				}
				return e.Proc, nil
			}
			return e.Text, nil
		}
		return cexpr{eval: fn, typ: typ, constant: true}, nil
	}, "ERROR_NUMBER", "ERROR_MESSAGE", "ERROR_SEVERITY", "ERROR_STATE", "ERROR_LINE", "ERROR_PROCEDURE")
	register(0, 0, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return constVal(nil, sqlType{kind: kDecimal, prec: 38}), nil
	}, "SCOPE_IDENTITY")
}

// numericOrFloat is the type math functions compute in.
func numericOrFloat(t sqlType) sqlType {
	if t.isNumeric() {
		if t.kind == kBit {
			return tInt
		}
		return t
	}
	return tFloat
}

// round implements ROUND(x, n[, truncate]).
func round(x Value, n int64, truncate bool) Value {
	if n > 30 {
		n = 30
	}
	if n < -30 {
		n = -30
	}
	p := math.Pow(10, float64(n))
	switch v := x.(type) {
	case int64:
		if n >= 0 {
			return v
		}
		f := float64(v) * p
		if truncate {
			f = math.Trunc(f)
		} else {
			f = math.Round(f)
		}
		return int64(f / p)
	case float64:
		f := v * p
		if truncate {
			f = math.Trunc(f)
		} else {
			f = math.Round(f)
		}
		return f / p
	}
	return x
}

// strFunc implements STR(float [, length [, decimals]]): right-aligned text, asterisks when it does not fit.
func strFunc(v []Value, a []cexpr) (Value, error) {
	x, err := convertTo(v[0], a[0].typ, tFloat)
	if err != nil {
		return nil, err
	}
	length, dec := int64(10), int64(0)
	if len(v) > 1 {
		if length, err = intArg(v[1], a[1].typ); err != nil {
			return nil, err
		}
	}
	if len(v) > 2 {
		if dec, err = intArg(v[2], a[2].typ); err != nil {
			return nil, err
		}
	}
	if length < 1 || length > 8000 {
		return nil, nil
	}
	if dec < 0 {
		dec = 0
	}
	if dec > 16 {
		dec = 16
	}
	s := strconv.FormatFloat(x.(float64), 'f', int(dec), 64)
	for int64(len(s)) > length && dec > 0 {
		dec--
		s = strconv.FormatFloat(x.(float64), 'f', int(dec), 64)
	}
	if int64(len(s)) > length {
		return strings.Repeat("*", int(length)), nil
	}
	return strings.Repeat(" ", int(length)-len(s)) + s, nil
}

// dateArg converts a function argument to a date and time.
func dateArg(v Value, t sqlType) (time.Time, error) {
	cv, err := convertTo(v, t, tDateTime)
	if err != nil {
		return time.Time{}, err
	}
	tm, ok := cv.(time.Time)
	if !ok {
		return time.Time{}, newErr(8116, 16, "Argument data type %s is invalid for argument 1 of datepart function.", t.name())
	}
	return tm, nil
}

// agentDatetime is msdb.dbo.agent_datetime(run_date, run_time): SQL Agent's yyyymmdd and hhmmss integers as a
// datetime. Like the real function, a value that is not a valid date fails the conversion.
func agentDatetime(a []cexpr) cexpr {
	return scalarFn(a, tDateTime, true, func(v []Value) (Value, error) {
		d, err := intArg(v[0], a[0].typ)
		if err != nil {
			return nil, err
		}
		t, err := intArg(v[1], a[1].typ)
		if err != nil {
			return nil, err
		}
		y, mo, day := int(d/10000), int(d/100%100), int(d%100)
		h, mi, s := int(t/10000), int(t/100%100), int(t%100)
		if !validDay(y, mo, day) || y < 1753 || t < 0 || h > 23 || mi > 59 || s > 59 {
			return nil, abortErr(241, 16, "Conversion failed when converting date and/or time from character string.")
		}
		return time.Date(y, time.Month(mo), day, h, mi, s, 0, time.UTC), nil
	})
}

// datePart compiles DATEADD, DATEDIFF, DATEPART and DATENAME.
func (c *compiler) datePart(e *datePartCall) (cexpr, error) {
	want := map[string]int{"DATEADD": 2, "DATEDIFF": 2, "DATEDIFF_BIG": 2, "DATEPART": 1, "DATENAME": 1}[e.fn]
	if len(e.args) != want {
		return cexpr{}, argCountErr(strings.ToLower(e.fn), want+1)
	}
	args := make([]cexpr, len(e.args))
	for i, x := range e.args {
		v, err := c.value(x)
		if err != nil {
			return cexpr{}, err
		}
		args[i] = v
	}
	part := e.part
	switch e.fn {
	case "DATEADD":
		typ := args[1].typ
		if !typ.isDate() {
			typ = tDateTime
		}
		return scalarFn(args, typ, true, func(v []Value) (Value, error) {
			n, err := convertTo(v[0], args[0].typ, tInt)
			if err != nil {
				return nil, err
			}
			t, err := dateArg(v[1], args[1].typ)
			if err != nil {
				return nil, err
			}
			r, derr := dateAdd(part, n.(int64), t, typ)
			if derr != nil {
				return nil, derr
			}
			return r, nil
		}), nil
	case "DATEDIFF", "DATEDIFF_BIG":
		return scalarFn(args, tInt, true, func(v []Value) (Value, error) {
			a, err := dateArg(v[0], args[0].typ)
			if err != nil {
				return nil, err
			}
			b, err := dateArg(v[1], args[1].typ)
			if err != nil {
				return nil, err
			}
			n, derr := dateDiff(part, a, b)
			if derr != nil {
				return nil, derr
			}
			return n, nil
		}), nil
	case "DATENAME":
		return scalarFn(args, sqlType{kind: kNVarChar, size: 30}, true, func(v []Value) (Value, error) {
			t, err := dateArg(v[0], args[0].typ)
			if err != nil {
				return nil, err
			}
			return dateName(part, t), nil
		}), nil
	}
	return scalarFn(args, tInt, true, func(v []Value) (Value, error) {
		t, err := dateArg(v[0], args[0].typ)
		if err != nil {
			return nil, err
		}
		return datePartOf(part, t), nil
	}), nil
}

// cast compiles CAST, CONVERT and their TRY_ forms.
func (c *compiler) cast(e *castExpr) (cexpr, error) {
	x, err := c.value(e.x)
	if err != nil {
		return cexpr{}, err
	}
	to, ok := e.typ.resolve(false)
	if !ok {
		return cexpr{}, newErr(243, 16, "Type %s is not a defined system type.", e.typ.String())
	}
	var style *cexpr
	if e.style != nil {
		s, err := c.value(e.style)
		if err != nil {
			return cexpr{}, err
		}
		style = &s
	}
	try := e.try
	fn := func(f *frame) (Value, error) {
		v, err := x.eval(f)
		if err != nil || v == nil {
			return nil, err
		}
		st := -1
		if style != nil {
			sv, err := style.eval(f)
			if err != nil {
				return nil, err
			}
			if sv != nil {
				n, err := intArg(sv, style.typ)
				if err != nil {
					return nil, err
				}
				st = int(n)
			}
		}
		r, cerr := convert(v, x.typ, to, st, true)
		if cerr != nil {
			if try && cerr.Number != 529 {
				return nil, nil
			}
			return nil, cerr
		}
		return r, nil
	}
	return cexpr{eval: fn, typ: to, constant: x.constant && (style == nil || style.constant)}, nil
}
