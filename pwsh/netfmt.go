package pwsh

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// .NET formatting: the -f operator ("{0,-10:N2}" -f $x) and ToString("N2"), in the en-US culture. Doubles
// round the way .NET Framework does: to 15 significant digits first, then half away from zero.

// formatOperator is "format" -f args.
func (in *interp) formatOperator(l, r Value, ex extent) (Value, error) {
	format := toStr(l)
	args := enumerate(r)
	if r == nil {
		args = []Value{nil}
	}
	bad := func(msg string) error {
		return in.rtError(ex, "InvalidOperation", "FormatError", "Error formatting a string: %s.", msg)
	}
	const badFormat = "Input string was not in a correct format."
	var sb strings.Builder
	p := []rune(format)
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '{' && i+1 < len(p) && p[i+1] == '{', c == '}' && i+1 < len(p) && p[i+1] == '}':
			sb.WriteRune(c)
			i++
			continue
		case c == '}':
			return nil, bad(badFormat)
		case c != '{':
			sb.WriteRune(c)
			continue
		}
		end := i + 1
		for end < len(p) && p[end] != '}' {
			end++
		}
		if end >= len(p) {
			return nil, bad(badFormat)
		}
		spec := string(p[i+1 : end])
		i = end
		head, fmtSpec, _ := strings.Cut(spec, ":")
		idxText, alignText, hasAlign := strings.Cut(head, ",")
		idx, err := strconv.Atoi(strings.TrimSpace(idxText))
		if err != nil {
			return nil, bad(badFormat)
		}
		if idx < 0 || idx >= len(args) {
			return nil, bad("Index (zero based) must be greater than or equal to zero and less than the size of the argument list.")
		}
		align := 0
		if hasAlign {
			if align, err = strconv.Atoi(strings.TrimSpace(alignText)); err != nil {
				return nil, bad(badFormat)
			}
		}
		text, err := in.formatValue(args[idx], fmtSpec, ex)
		if err != nil {
			return nil, err
		}
		if w := width(text); align != 0 && abs(align) > w {
			if abs(align) > in.lim.stringLen {
				return nil, in.tooLarge(ex)
			}
			if align > 0 {
				text = strings.Repeat(" ", align-w) + text
			} else {
				text += strings.Repeat(" ", -align-w)
			}
		}
		sb.WriteString(text)
		if sb.Len() > in.lim.stringLen {
			return nil, in.tooLarge(ex)
		}
	}
	return sb.String(), nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// formatValue formats one value with a .NET format string (as in "{0:N2}" or .ToString("N2")).
func (in *interp) formatValue(v Value, spec string, ex extent) (string, error) {
	switch v := v.(type) {
	case time.Time:
		if spec == "" {
			return cellString(v), nil
		}
		return formatDate(v, spec), nil
	case int64, float64:
		if spec == "" {
			return toStr(v), nil
		}
		s, ok := formatNumber(v, spec)
		if !ok {
			return "", in.rtError(ex, "InvalidOperation", "FormatError",
				"Error formatting a string: Format specifier was invalid..")
		}
		return s, nil
	case Enum:
		if spec == "d" || spec == "D" {
			return strconv.FormatInt(v.Value, 10), nil
		}
	case []Value:
		return "System.Object[]", nil
	}
	return toStr(v), nil
}

// formatNumber applies a standard (N2, F0, D5, X, P1, C, E3, G, R) or custom ("0.00", "#,##0") format.
func formatNumber(v Value, spec string) (string, bool) {
	if f, isFloat := v.(float64); isFloat && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return formatFloat(f), true
	}
	letter := spec[0] | 0x20
	prec := -1
	if len(spec) > 1 {
		n, err := strconv.Atoi(spec[1:])
		if err != nil || n < 0 || n > 99 {
			return formatCustom(v, spec), true
		}
		prec = n
	}
	if !strings.ContainsRune("cdefgnprx", rune(letter)) || (len(spec) > 1 && prec < 0) {
		return formatCustom(v, spec), true
	}
	orDefault := func(d int) int {
		if prec < 0 {
			return d
		}
		return prec
	}
	switch letter {
	case 'd', 'x':
		n, isInt := v.(int64)
		if !isInt {
			return "", false
		}
		var s string
		if letter == 'x' {
			s = strconv.FormatUint(uint64(n), 16)
			if n >= math.MinInt32 && n <= math.MaxInt32 {
				s = strconv.FormatUint(uint64(uint32(n)), 16)
			}
			if spec[0] == 'X' {
				s = strings.ToUpper(s)
			}
			return strings.Repeat("0", max(orDefault(0)-len(s), 0)) + s, true
		}
		neg := n < 0
		s = strconv.FormatUint(uint64(absInt64(n)), 10)
		s = strings.Repeat("0", max(orDefault(0)-len(s), 0)) + s
		if neg {
			s = "-" + s
		}
		return s, true
	case 'f', 'n':
		return fixed(v, orDefault(2), letter == 'n'), true
	case 'p':
		return fixed(scale(v, 100), orDefault(2), true) + " %", true
	case 'c':
		s := fixed(v, orDefault(2), true)
		if strings.HasPrefix(s, "-") {
			return "($" + s[1:] + ")", true
		}
		return "$" + s, true
	case 'e':
		return scientific(v, orDefault(6), spec[0] == 'E'), true
	case 'r':
		if f, isFloat := v.(float64); isFloat {
			return strings.ToUpper(strings.Replace(strconv.FormatFloat(f, 'g', -1, 64), "e+", "E+", 1)), true
		}
	}
	return toStr(v), true
}

func absInt64(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

func scale(v Value, by float64) Value {
	if n, isInt := v.(int64); isInt && math.Abs(float64(n)*by) < 1e15 {
		return n * int64(by)
	}
	return toFloat(v) * by
}

// digitsOf returns v as significant digits and a decimal exponent: v = 0.digits x 10^exp.
func digitsOf(v Value) (digits string, exp int, neg bool) {
	switch n := v.(type) {
	case int64:
		s := strconv.FormatUint(absInt64(n), 10)
		return strings.TrimRight(s, "0"), len(s), n < 0
	case float64:
		if n == 0 {
			return "", 0, false
		}
		s := strconv.FormatFloat(math.Abs(n), 'e', 14, 64)
		mant, e, _ := strings.Cut(s, "e")
		x, _ := strconv.Atoi(e)
		return strings.TrimRight(strings.Replace(mant, ".", "", 1), "0"), x + 1, n < 0
	}
	return "", 0, false
}

// roundDigits keeps keep digits, rounding half away from zero.
func roundDigits(digits string, exp, keep int) (string, int) {
	if keep < 0 {
		return "", exp
	}
	if keep >= len(digits) {
		return digits, exp
	}
	up := digits[keep] >= '5'
	b := []byte(digits[:keep])
	if up {
		i := len(b) - 1
		for ; i >= 0; i-- {
			if b[i] < '9' {
				b[i]++
				break
			}
			b[i] = '0'
		}
		if i < 0 {
			b = append([]byte{'1'}, b...)
			exp++
		}
	}
	return strings.TrimRight(string(b), "0"), exp
}

// fixed formats v with dec decimals, with thousands separators when group is set.
func fixed(v Value, dec int, group bool) string {
	digits, exp, neg := digitsOf(v)
	digits, exp = roundDigits(digits, exp, exp+dec)
	intPart, frac := splitDigits(digits, exp)
	frac += strings.Repeat("0", max(dec-len(frac), 0))
	frac = frac[:min(dec, len(frac))]
	if group {
		intPart = groupThousands(intPart)
	}
	s := intPart
	if dec > 0 {
		s += "." + frac
	}
	if neg && strings.Trim(s, "0.,") != "" {
		s = "-" + s
	}
	return s
}

// splitDigits places the decimal point: the integer digits ("0" when none) and the fraction digits.
func splitDigits(digits string, exp int) (string, string) {
	switch {
	case exp <= 0:
		return "0", strings.Repeat("0", -exp) + digits
	case exp >= len(digits):
		return digits + strings.Repeat("0", exp-len(digits)), ""
	}
	return digits[:exp], digits[exp:]
}

func groupThousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var sb strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		sb.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if sb.Len() > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(s[i : i+3])
	}
	return sb.String()
}

// scientific is the E format: d.ddddddE+ddd.
func scientific(v Value, dec int, upper bool) string {
	digits, exp, neg := digitsOf(v)
	if digits == "" {
		digits, exp = "0", 1
	}
	digits, exp = roundDigits(digits, exp, dec+1)
	if digits == "" {
		digits = "0"
	}
	digits += strings.Repeat("0", max(dec+1-len(digits), 0))
	s := digits[:1]
	if dec > 0 {
		s += "." + digits[1:dec+1]
	}
	e := exp - 1
	sign := "+"
	if e < 0 {
		sign, e = "-", -e
	}
	mark := "e"
	if upper {
		mark = "E"
	}
	es := strconv.Itoa(e)
	s += mark + sign + strings.Repeat("0", max(3-len(es), 0)) + es
	if neg {
		s = "-" + s
	}
	return s
}

// formatCustom applies a custom numeric format such as "0.00", "#,##0", "000" or "0.#%". Literal text before
// and after the digit placeholders is kept.
func formatCustom(v Value, spec string) string {
	spec, _, _ = strings.Cut(spec, ";")
	first := strings.IndexAny(spec, "0#")
	if first < 0 {
		return spec
	}
	last := strings.LastIndexAny(spec, "0#")
	prefix, body, suffix := spec[:first], spec[first:last+1], spec[last+1:]
	if strings.Contains(prefix+suffix, "%") {
		v = scale(v, 100)
	}
	intSpec, fracSpec, _ := strings.Cut(body, ".")
	group := strings.Contains(intSpec, ",")
	minInt := 0
	if i := strings.IndexByte(intSpec, '0'); i >= 0 {
		minInt = strings.Count(intSpec[i:], "0") + strings.Count(intSpec[i:], "#")
	}
	maxFrac := strings.Count(fracSpec, "0") + strings.Count(fracSpec, "#")
	minFrac := strings.LastIndexByte(fracSpec, '0') + 1
	digits, exp, neg := digitsOf(v)
	digits, exp = roundDigits(digits, exp, exp+maxFrac)
	intPart, frac := splitDigits(digits, exp)
	intPart = strings.TrimLeft(intPart, "0")
	intPart = strings.Repeat("0", max(minInt-len(intPart), 0)) + intPart
	frac = strings.TrimRight(frac[:min(len(frac), maxFrac)], "0")
	frac += strings.Repeat("0", max(minFrac-len(frac), 0))
	if group {
		intPart = groupThousands(intPart)
	}
	s := intPart
	if frac != "" {
		s += "." + frac
	}
	if neg && strings.Trim(s, "0.,") != "" {
		s = "-" + s
	}
	return strings.ReplaceAll(prefix, "'", "") + s + strings.ReplaceAll(suffix, "'", "")
}
