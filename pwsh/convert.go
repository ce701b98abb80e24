package pwsh

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Conversions between PowerShell values: to string (as string expansion and -join do it, in the invariant
// culture), to Boolean (as if and -not do it) and to numbers (as arithmetic does it).

// maxText bounds any text the interpreter builds in one piece, above every script-visible limit.
const maxText = 8 << 20

// toStr converts a value to a string the way "$value" does.
func toStr(v Value) string { return toStrDepth(v, 0) }

func toStrDepth(v Value, depth int) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return formatFloat(v)
	case []Value:
		// Arrays join with $OFS (a space); nested arrays show their type name, as in PowerShell. The text stops
		// growing past maxText: an array of many references to one long string must not exhaust memory (the
		// caller's length check then reports it).
		var sb strings.Builder
		for i, e := range v {
			if i > 0 {
				sb.WriteByte(' ')
			}
			if _, nested := e.([]Value); nested {
				sb.WriteString("System.Object[]")
			} else {
				sb.WriteString(toStrDepth(e, depth+1))
			}
			if sb.Len() > maxText {
				break
			}
		}
		return sb.String()
	case *Hashtable:
		return "System.Collections.Hashtable"
	case *Object:
		return objectString(v, depth)
	case time.Time:
		return v.Format("01/02/2006 15:04:05")
	case Enum:
		return v.Name
	case *scriptBlock:
		return v.text
	case *typeRef:
		return v.name
	case *errorValue:
		return v.rec.message
	case *streamRecord:
		return v.text
	case *fmtText:
		return strings.Join(v.lines, "\r\n")
	}
	return ""
}

// objectString renders a PSCustomObject as PowerShell does: @{Name=value; Other=value}.
func objectString(o *Object, depth int) string {
	if o == nil {
		return ""
	}
	if depth > 8 {
		return typeName(o)
	}
	var sb strings.Builder
	sb.WriteString("@{")
	for i, p := range o.Props {
		if i > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString(p.Name)
		sb.WriteByte('=')
		switch pv := p.Value.(type) {
		case []Value:
			sb.WriteString("System.Object[]")
		default:
			sb.WriteString(toStrDepth(pv, depth+1))
		}
	}
	sb.WriteByte('}')
	return sb.String()
}

// formatFloat formats a double as .NET Framework's Double.ToString() does: 15 significant digits, scientific
// notation when the exponent is 15 or more or below -5.
func formatFloat(f float64) string { return formatFloatPrec(f, 15) }

// formatRoundTrip is the "R" format: 15 digits when they read back as the same double, else 17.
func formatRoundTrip(f float64) string {
	s := formatFloatPrec(f, 15)
	if back, err := strconv.ParseFloat(s, 64); err == nil && back == f {
		return s
	}
	return formatFloatPrec(f, 17)
}

func formatFloatPrec(f float64, prec int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	s := strconv.FormatFloat(f, 'e', prec-1, 64)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	mant, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if digits == "" {
		return "0"
	}
	var out string
	if exp >= prec || exp < -5 {
		out = digits[:1]
		if len(digits) > 1 {
			out += "." + digits[1:]
		}
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		e := strconv.Itoa(exp)
		if len(e) < 2 {
			e = "0" + e
		}
		out += "E" + sign + e
	} else if exp < 0 {
		out = "0." + strings.Repeat("0", -exp-1) + digits
	} else if len(digits) <= exp+1 {
		out = digits + strings.Repeat("0", exp+1-len(digits))
	} else {
		out = digits[:exp+1] + "." + digits[exp+1:]
	}
	if neg {
		out = "-" + out
	}
	return out
}

// toBool is PowerShell's truth test.
func toBool(v Value) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case int64:
		return v != 0
	case float64:
		return v != 0
	case Enum:
		return v.Value != 0
	case []Value:
		switch len(v) {
		case 0:
			return false
		case 1:
			if _, nested := v[0].([]Value); nested {
				return true
			}
			return toBool(v[0])
		}
		return true
	}
	return true
}

// toNumber converts a scalar to int64 or float64 for arithmetic. Arrays, objects and unparsable strings fail.
func toNumber(v Value) (Value, bool) {
	switch v := v.(type) {
	case nil:
		return int64(0), true
	case bool:
		if v {
			return int64(1), true
		}
		return int64(0), true
	case int64, float64:
		return v, true
	case string:
		return parseNumber(v)
	case Enum:
		return v.Value, true
	}
	return nil, false
}

// toFloat converts a number to float64.
func toFloat(v Value) float64 {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return 0
}

// toInt converts a value to an integer, rounding halves to even as .NET does. ok is false when it is not a
// number or does not fit.
func toInt(v Value) (int64, bool) {
	if a, isArr := v.([]Value); isArr && len(a) == 1 {
		v = a[0]
	}
	n, ok := toNumber(v)
	if !ok {
		return 0, false
	}
	switch n := n.(type) {
	case int64:
		return n, true
	case float64:
		r := math.RoundToEven(n)
		if math.IsNaN(r) || r < -9.223372036854775e18 || r > 9.223372036854775e18 {
			return 0, false
		}
		return int64(r), true
	}
	return 0, false
}

// enumerate is how a value enters a pipeline: an array's elements, or the value itself.
func enumerate(v Value) []Value {
	if a, ok := v.([]Value); ok {
		return a
	}
	return []Value{v}
}

// loopItems is what foreach iterates: like enumerate, but $null gives no iterations.
func loopItems(v Value) []Value {
	if v == nil {
		return nil
	}
	return enumerate(v)
}

// collapse turns pipeline output into a value: nothing is $null, one item is itself, more is an array.
func collapse(vs []Value) Value {
	switch len(vs) {
	case 0:
		return nil
	case 1:
		return vs[0]
	}
	return vs
}
