package tsql

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// intRange is the range of each integer type.
func intRange(k kind) (lo, hi int64) {
	switch k {
	case kBit:
		return 0, 1
	case kTinyInt:
		return 0, 255
	case kSmallInt:
		return math.MinInt16, math.MaxInt16
	case kInt:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func overflowErr(to sqlType) *Error {
	return newErr(8115, 16, "Arithmetic overflow error converting expression to data type %s.", to.name())
}

func notAllowed(from, to sqlType, explicit bool) *Error {
	if explicit {
		return newErr(529, 16, "Explicit conversion from data type %s to %s is not allowed.", from.name(), to.name())
	}
	return newErr(257, 16, "Implicit conversion from data type %s to %s is not allowed. Use the CONVERT function to run this query.",
		from.name(), to.name())
}

// convert converts v of type from to type to, with CONVERT's style (-1 when none was given). explicit selects the
// message for a conversion that does not exist (CAST/CONVERT say "Explicit").
func convert(v Value, from, to sqlType, style int, explicit bool) (Value, *Error) {
	v = norm(v)
	if v == nil {
		return nil, nil
	}
	if from.kind == kVariant {
		from = valueType(v)
	}
	switch {
	case to.kind == kVariant:
		return v, nil
	case to.kind == kBit:
		return toBit(v, from, to, explicit)
	case to.isInteger():
		return toInt(v, from, to, explicit)
	case to.kind == kDecimal || to.kind == kFloat:
		return toFloat(v, from, to, explicit)
	case to.isString():
		return toString(v, from, to, style)
	case to.isDate():
		return toDate(v, from, to, style, explicit)
	case to.kind == kGUID:
		switch x := v.(type) {
		case GUID:
			return x, nil
		case string:
			if g, ok := parseGUID(x); ok {
				return g, nil
			}
			return nil, abortErr(8169, 16, "Conversion failed when converting from a character string to uniqueidentifier.")
		case []byte:
			if len(x) == 16 {
				var g GUID
				copy(g[:], x)
				return g, nil
			}
		}
		return nil, notAllowed(from, to, explicit)
	case to.kind == kBinary:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		case GUID:
			return x[:], nil
		case int64:
			b := make([]byte, 8)
			for i := 7; i >= 0; i-- {
				b[i] = byte(x)
				x >>= 8
			}
			if from.kind != kBigInt {
				b = b[4:]
			}
			return b, nil
		}
		return nil, notAllowed(from, to, explicit)
	}
	return nil, notAllowed(from, to, explicit)
}

func convFailed(s string, from, to sqlType) *Error {
	return abortErr(245, 16, "Conversion failed when converting the %s value '%s' to data type %s.",
		stringName(from), s, to.name())
}

// stringName is the name of a character type in conversion messages; a value of unknown type is nvarchar.
func stringName(t sqlType) string {
	if t.isString() {
		return t.name()
	}
	return "nvarchar"
}

func toBit(v Value, from, to sqlType, explicit bool) (Value, *Error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case string:
		s := strings.TrimSpace(x)
		switch strings.ToUpper(s) {
		case "TRUE":
			return true, nil
		case "FALSE":
			return false, nil
		}
		if s == "" {
			return false, nil
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n != 0, nil
		}
		return nil, convFailed(x, from, to)
	}
	return nil, notAllowed(from, to, explicit)
}

func toInt(v Value, from, to sqlType, explicit bool) (Value, *Error) {
	lo, hi := intRange(to.kind)
	switch x := v.(type) {
	case int64:
		if x < lo || x > hi {
			return nil, overflowErr(to)
		}
		return x, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		t := math.Trunc(x)
		if math.IsNaN(t) || t < float64(lo) || t >= float64(hi)+1 {
			return nil, overflowErr(to)
		}
		return int64(t), nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return int64(0), nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return nil, abortErr(248, 16, "The conversion of the %s value '%s' overflowed an %s column. Use a larger integer column.",
					stringName(from), x, to.name())
			}
			return nil, convFailed(x, from, to)
		}
		if n < lo || n > hi {
			return nil, abortErr(248, 16, "The conversion of the %s value '%s' overflowed an %s column. Use a larger integer column.",
				stringName(from), x, to.name())
		}
		return n, nil
	case time.Time:
		if from.kind == kDateTime {
			return int64(math.Floor(daysSinceEpoch(x) + 0.5)), nil
		}
	}
	return nil, notAllowed(from, to, explicit)
}

// toFloat converts to float or decimal. Decimals of scale 0 are int64 values (as numeric LSN columns are);
// others are float64 rounded to the scale.
func toFloat(v Value, from, to sqlType, explicit bool) (Value, *Error) {
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
		if to.kind == kDecimal && to.scale == 0 {
			if err := decimalFits(f, to); err != nil {
				return nil, err
			}
			return x, nil
		}
	case bool:
		f = 0
		if x {
			f = 1
		}
	case float64:
		f = x
	case string:
		s := strings.TrimSpace(x)
		p, err := strconv.ParseFloat(s, 64)
		if err != nil || strings.ContainsAny(s, "xXpP_") || strings.EqualFold(s, "inf") || strings.EqualFold(s, "nan") ||
			strings.HasSuffix(strings.ToLower(s), "infinity") {
			target := "float"
			if to.kind == kDecimal {
				target = "numeric"
			}
			return nil, abortErr(8114, 16, "Error converting data type %s to %s.", stringName(from), target)
		}
		f = p
	case time.Time:
		if from.kind != kDateTime {
			return nil, notAllowed(from, to, explicit)
		}
		f = daysSinceEpoch(x)
	default:
		return nil, notAllowed(from, to, explicit)
	}
	if to.kind == kFloat {
		return f, nil
	}
	p := math.Pow(10, float64(to.scale))
	f = math.Round(f*p) / p
	if err := decimalFits(f, to); err != nil {
		return nil, err
	}
	if to.scale == 0 {
		return int64(f), nil
	}
	return f, nil
}

// decimalFits checks a value against decimal(p,s): p-s digits before the point.
func decimalFits(f float64, to sqlType) *Error {
	prec := to.prec
	if prec <= 0 || prec > 38 {
		prec = 38
	}
	limit := math.Pow(10, float64(prec-to.scale))
	if math.IsNaN(f) || math.Abs(f) >= limit || (to.scale == 0 && math.Abs(f) > math.MaxInt64/2) {
		return newErr(8115, 16, "Arithmetic overflow error converting %s to data type numeric.", "expression")
	}
	return nil
}

func toString(v Value, from, to sqlType, style int) (Value, *Error) {
	var s string
	switch x := v.(type) {
	case time.Time:
		s = formatDate(x, from, style)
	case []byte:
		if style == 1 || style == 2 {
			s = hexText(x, style == 1)
		} else {
			s = string(x)
		}
	case float64:
		if from.kind != kDecimal && (style == 1 || style == 2 || style == 3) {
			digits := 8
			if style != 1 {
				digits = 17
			}
			s = strconv.FormatFloat(x, 'e', digits-1, 64)
		} else {
			s = toText(x, from)
		}
	default:
		s = toText(v, from)
	}
	if to.kind == kChar || to.kind == kNChar {
		if to.size > 0 && utf8.RuneCountInString(s) < to.size && to.size <= 8000 {
			s += strings.Repeat(" ", to.size-utf8.RuneCountInString(s))
		}
	}
	return truncRunes(s, to.size), nil
}

func hexText(b []byte, prefix bool) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 2+2*len(b))
	if prefix {
		out = append(out, '0', 'x')
	}
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func toDate(v Value, from, to sqlType, style int, explicit bool) (Value, *Error) {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = naive(x)
	case string:
		p, ok := parseDate(x, style)
		if !ok {
			return nil, abortErr(241, 16, "Conversion failed when converting date and/or time from character string.")
		}
		t = p
	case int64:
		if to.kind != kDateTime {
			return nil, notAllowed(from, to, explicit)
		}
		t = sqlEpoch.AddDate(0, 0, int(clampInt(x, -53690, 2958463)))
	case float64:
		if to.kind != kDateTime || math.IsNaN(x) || x < -53690 || x > 2958463 {
			return nil, notAllowed(from, to, explicit)
		}
		t = addDays(sqlEpoch, x)
	default:
		return nil, notAllowed(from, to, explicit)
	}
	switch to.kind {
	case kDate:
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	case kTime:
		t = time.Date(1900, 1, 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	return t, nil
}

func clampInt(x, lo, hi int64) int64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// sqlEpoch is day 0 of datetime arithmetic.
var sqlEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// daysSinceEpoch is a datetime as a number of days since 1900-01-01 (the float form of datetime).
func daysSinceEpoch(t time.Time) float64 {
	t = naive(t)
	return float64(t.Unix()-sqlEpoch.Unix())/86400 + float64(t.Nanosecond())/86400e9
}

// addDays adds a possibly fractional number of days without overflowing time.Duration.
func addDays(t time.Time, days float64) time.Time {
	whole := math.Floor(days)
	return t.AddDate(0, 0, int(whole)).Add(time.Duration((days - whole) * 86400e9))
}
