package tsql

import (
	"bytes"
	"cmp"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// tri is a value of SQL's three-valued logic.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// foldRune folds a rune for the case-insensitive default collation (SQL_Latin1_General_CP1_CI_AS).
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// ciCompare compares two strings case-insensitively, ignoring trailing spaces as SQL Server's = does.
func ciCompare(a, b string) int {
	a = strings.TrimRight(a, " ")
	b = strings.TrimRight(b, " ")
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		fa, fb := foldRune(ra), foldRune(rb)
		if fa != fb {
			if fa < fb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
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

// numberOf returns a numeric value as int64 or float64; isInt tells which.
func numberOf(v Value) (i int64, f float64, isInt, ok bool) {
	switch x := v.(type) {
	case int64:
		return x, float64(x), true, true
	case bool:
		if x {
			return 1, 1, true, true
		}
		return 0, 0, true, true
	case float64:
		return 0, x, false, true
	}
	return 0, 0, false, false
}

// compareValues compares two non-NULL-checked values after SQL Server's implicit conversions: the operand of
// lower type precedence is converted to the other's type. null is true when either is NULL.
func compareValues(a, b Value, at, bt sqlType) (c int, null bool, err *Error) {
	a, b = norm(a), norm(b)
	if a == nil || b == nil {
		return 0, true, nil
	}
	at, bt = effType(a, at), effType(b, bt)
	// Convert the lower-precedence operand to the higher type when their Go representations differ.
	if sameClass(a, b) {
		return compareSame(a, b), false, nil
	}
	if bt.precedence() > at.precedence() || (bt.precedence() == at.precedence() && isStringValue(a)) {
		ca, err := convert(a, at, targetFor(bt, b), -1, false)
		if err != nil {
			return 0, false, err
		}
		return compareSame(ca, b), false, nil
	}
	cb, err := convert(b, bt, targetFor(at, a), -1, false)
	if err != nil {
		return 0, false, err
	}
	return compareSame(a, cb), false, nil
}

// targetFor picks the type to convert the other operand to: a decimal holding an int64 compares as a decimal
// with scale, so that '1.5' > 1 works against numeric columns.
func targetFor(t sqlType, v Value) sqlType {
	if t.kind == kDecimal {
		return tFloat
	}
	if t.isString() {
		return sqlType{kind: t.kind}
	}
	if _, ok := v.(float64); ok {
		return tFloat
	}
	return t
}

func isStringValue(v Value) bool {
	_, ok := v.(string)
	return ok
}

// sameClass reports whether two values can be compared without conversion.
func sameClass(a, b Value) bool {
	switch a.(type) {
	case int64, bool, float64:
		_, _, _, ok := numberOf(b)
		return ok
	case string:
		_, ok := b.(string)
		return ok
	case time.Time:
		_, ok := b.(time.Time)
		return ok
	case GUID:
		_, ok := b.(GUID)
		return ok
	case []byte:
		_, ok := b.([]byte)
		return ok
	}
	return false
}

// compareSame compares two values of the same class.
func compareSame(a, b Value) int {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return ciCompare(x, y)
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return naive(x).Compare(naive(y))
		}
	case GUID:
		if y, ok := b.(GUID); ok {
			return compareGUID(x, y)
		}
	case []byte:
		if y, ok := b.([]byte); ok {
			return bytes.Compare(x, y)
		}
	}
	ai, af, aInt, ok1 := numberOf(a)
	bi, bf, bInt, ok2 := numberOf(b)
	if ok1 && ok2 {
		if aInt && bInt {
			return cmp.Compare(ai, bi)
		}
		return cmpFloat(af, bf)
	}
	return 0
}

// compareGUID orders uniqueidentifiers as SQL Server does: by the last six bytes first.
func compareGUID(a, b GUID) int {
	order := [16]int{10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3}
	for _, i := range order {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// sortCompare orders values for ORDER BY: NULL first, then by value. Values of one column share a type, so a
// failed conversion only happens for mixed unions and compares as equal.
func sortCompare(a, b Value, t sqlType) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	c, _, err := compareValues(a, b, t, t)
	if err != nil {
		return 0
	}
	return c
}

// groupKey renders a value so that values equal under the collation get equal keys (GROUP BY, DISTINCT, UNION).
func groupKey(b *strings.Builder, v Value) {
	switch x := norm(v).(type) {
	case nil:
		b.WriteString("\x00n")
	case int64:
		b.WriteString("\x00i")
		b.WriteString(strconv.FormatInt(x, 10))
	case bool:
		if x {
			b.WriteString("\x00i1")
		} else {
			b.WriteString("\x00i0")
		}
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e18 {
			b.WriteString("\x00i")
			b.WriteString(strconv.FormatInt(int64(x), 10))
		} else {
			b.WriteString("\x00f")
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		}
	case string:
		b.WriteString("\x00s")
		for _, r := range strings.TrimRight(x, " ") {
			b.WriteRune(foldRune(r))
		}
	case time.Time:
		b.WriteString("\x00t")
		b.WriteString(naive(x).Format(time.RFC3339Nano))
	case GUID:
		b.WriteString("\x00g")
		b.WriteString(x.String())
	case []byte:
		b.WriteString("\x00b")
		b.WriteString(hexText(x, false))
	}
}

// effType returns t when it describes v's Go representation, else the type v's representation implies (a static
// type can be wrong for values of unknown origin, such as a server function's result).
func effType(v Value, t sqlType) sqlType {
	ok := false
	switch v.(type) {
	case string:
		ok = t.isString()
	case int64:
		ok = t.isInteger() || (t.kind == kDecimal && t.scale == 0)
	case bool:
		ok = t.kind == kBit
	case float64:
		ok = t.kind == kFloat || t.kind == kDecimal
	case time.Time:
		ok = t.isDate()
	case GUID:
		ok = t.kind == kGUID
	case []byte:
		ok = t.kind == kBinary
	}
	if ok {
		return t
	}
	return valueType(v)
}
