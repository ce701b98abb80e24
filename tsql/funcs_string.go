package tsql

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// strType is the result type of a string function on x: nvarchar unless the input is varchar.
func strType(x cexpr) sqlType {
	if x.typ.kind == kVarChar || x.typ.kind == kChar {
		return sqlType{kind: kVarChar, size: x.typ.size}
	}
	return sqlType{kind: kNVarChar, size: x.typ.size}
}

// intArg converts a function argument to an integer.
func intArg(v Value, t sqlType) (int64, error) {
	cv, err := convertTo(v, t, tBigInt)
	if err != nil {
		return 0, err
	}
	n, _, _, _ := numberOf(cv)
	return n, nil
}

// ciIndex finds sub in s case-insensitively, from rune position start (0-based); -1 when absent. It returns a
// rune position.
func ciIndex(s, sub string, start int) int {
	return ciIndexRunes([]rune(s), []rune(sub), start)
}

func ciIndexRunes(rs, subr []rune, start int) int {
	if len(subr) == 0 || start < 0 {
		return -1
	}
	for i := start; i+len(subr) <= len(rs); i++ {
		ok := true
		for j, r := range subr {
			if foldRune(rs[i+j]) != foldRune(r) {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

func init() {
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, tInt, true, func(v []Value) (Value, error) {
			return int64(utf8.RuneCountInString(strings.TrimRight(toText(v[0], a[0].typ), " "))), nil
		}), nil
	}, "LEN")
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		t := a[0].typ
		return scalarFn(a, tInt, true, func(v []Value) (Value, error) {
			return dataLength(v[0], t), nil
		}), nil
	}, "DATALENGTH")
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		var f func(string) string
		switch strings.ToUpper(name) {
		case "UPPER":
			f = strings.ToUpper
		case "LOWER":
			f = strings.ToLower
		case "LTRIM":
			f = func(s string) string { return strings.TrimLeft(s, " ") }
		case "RTRIM":
			f = func(s string) string { return strings.TrimRight(s, " ") }
		case "TRIM":
			f = func(s string) string { return strings.Trim(s, " ") }
		case "REVERSE":
			f = func(s string) string {
				rs := []rune(s)
				for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
					rs[i], rs[j] = rs[j], rs[i]
				}
				return string(rs)
			}
		}
		return scalarFn(a, strType(a[0]), true, func(v []Value) (Value, error) {
			return f(toText(v[0], a[0].typ)), nil
		}), nil
	}, "UPPER", "LOWER", "LTRIM", "RTRIM", "TRIM", "REVERSE")
	register(3, 3, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, strType(a[0]), true, func(v []Value) (Value, error) {
			start, err := intArg(v[1], a[1].typ)
			if err != nil {
				return nil, err
			}
			n, err := intArg(v[2], a[2].typ)
			if err != nil {
				return nil, err
			}
			if n < 0 {
				return nil, newErr(537, 16, "Invalid length parameter passed to the LEFT or SUBSTRING function.")
			}
			return substring(toText(v[0], a[0].typ), start, n), nil
		}), nil
	}, "SUBSTRING")
	register(2, 2, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		left := strings.EqualFold(name, "LEFT")
		return scalarFn(a, strType(a[0]), true, func(v []Value) (Value, error) {
			n, err := intArg(v[1], a[1].typ)
			if err != nil {
				return nil, err
			}
			if n < 0 {
				if left {
					return nil, newErr(537, 16, "Invalid length parameter passed to the LEFT or SUBSTRING function.")
				}
				return nil, newErr(536, 16, "Invalid length parameter passed to the RIGHT function.")
			}
			rs := []rune(toText(v[0], a[0].typ))
			if n > int64(len(rs)) {
				n = int64(len(rs))
			}
			if left {
				return string(rs[:n]), nil
			}
			return string(rs[int64(len(rs))-n:]), nil
		}), nil
	}, "LEFT", "RIGHT")
	register(3, 3, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, sqlType{kind: strType(a[0]).kind}, true, func(v []Value) (Value, error) {
			return ciReplace(toText(v[0], a[0].typ), toText(v[1], a[1].typ), toText(v[2], a[2].typ))
		}), nil
	}, "REPLACE")
	register(2, 3, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, tInt, true, func(v []Value) (Value, error) {
			start := int64(1)
			if len(v) > 2 {
				s, err := intArg(v[2], a[2].typ)
				if err != nil {
					return nil, err
				}
				if s > 1 {
					start = s
				}
			}
			s := toText(v[1], a[1].typ)
			if start-1 > int64(utf8.RuneCountInString(s)) {
				return int64(0), nil
			}
			return int64(ciIndex(s, toText(v[0], a[0].typ), int(start-1)) + 1), nil
		}), nil
	}, "CHARINDEX")
	register(2, 2, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, sqlType{kind: strType(a[0]).kind}, true, func(v []Value) (Value, error) {
			n, err := intArg(v[1], a[1].typ)
			if err != nil {
				return nil, err
			}
			if n < 0 {
				return nil, nil
			}
			s := toText(v[0], a[0].typ)
			if int64(len(s))*n > maxString {
				return nil, stringTooLong(int(int64(len(s)) * min(n, maxString+1)))
			}
			return strings.Repeat(s, int(n)), nil
		}), nil
	}, "REPLICATE")
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, sqlType{kind: kVarChar}, true, func(v []Value) (Value, error) {
			n, err := intArg(v[0], a[0].typ)
			if err != nil {
				return nil, err
			}
			if n < 0 {
				return nil, nil
			}
			if n > maxString {
				return nil, stringTooLong(int(n))
			}
			return strings.Repeat(" ", int(n)), nil
		}), nil
	}, "SPACE")
	register(2, -1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, tNVarMax, false, func(v []Value) (Value, error) {
			var b strings.Builder
			for i, x := range v {
				b.WriteString(toText(x, a[i].typ))
				if b.Len() > maxString {
					return nil, stringTooLong(b.Len())
				}
			}
			return b.String(), nil
		}), nil
	}, "CONCAT")
	register(1, 2, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, sqlType{kind: kNVarChar, size: 258}, true, func(v []Value) (Value, error) {
			q := "["
			if len(v) > 1 {
				q = toText(v[1], a[1].typ)
			}
			s := toText(v[0], a[0].typ)
			if utf8.RuneCountInString(s) > 128 {
				return nil, nil
			}
			switch q {
			case "[", "]":
				return "[" + strings.ReplaceAll(s, "]", "]]") + "]", nil
			case "'", "\"", "`":
				return q + strings.ReplaceAll(s, q, q+q) + q, nil
			case "(", ")":
				return "(" + s + ")", nil
			}
			return nil, nil
		}), nil
	}, "QUOTENAME")
	register(4, 4, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, strType(a[0]), true, func(v []Value) (Value, error) {
			rs := []rune(toText(v[0], a[0].typ))
			start, err := intArg(v[1], a[1].typ)
			if err != nil {
				return nil, err
			}
			n, err := intArg(v[2], a[2].typ)
			if err != nil {
				return nil, err
			}
			if start < 1 || start > int64(len(rs)) || n < 0 {
				return nil, nil
			}
			end := start - 1 + n
			if end > int64(len(rs)) {
				end = int64(len(rs))
			}
			return string(rs[:start-1]) + toText(v[3], a[3].typ) + string(rs[end:]), nil
		}), nil
	}, "STUFF")
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, tInt, true, func(v []Value) (Value, error) {
			s := toText(v[0], a[0].typ)
			if s == "" {
				return nil, nil
			}
			r, _ := utf8.DecodeRuneInString(s)
			return int64(r), nil
		}), nil
	}, "ASCII", "UNICODE")
	register(1, 1, func(c *compiler, name string, a []cexpr) (cexpr, error) {
		return scalarFn(a, sqlType{kind: kNChar, size: 1}, true, func(v []Value) (Value, error) {
			n, err := intArg(v[0], a[0].typ)
			if err != nil {
				return nil, err
			}
			if n < 0 || n > unicode.MaxRune || (strings.EqualFold(name, "CHAR") && n > 255) {
				return nil, nil
			}
			return string(rune(n)), nil
		}), nil
	}, "CHAR", "NCHAR")
}

// substring implements SUBSTRING's 1-based positions, where a start before 1 eats into the length.
func substring(s string, start, n int64) string {
	rs := []rune(s)
	end := start + n
	if start < 1 {
		start = 1
	}
	if end > int64(len(rs))+1 {
		end = int64(len(rs)) + 1
	}
	if end <= start {
		return ""
	}
	return string(rs[start-1 : end-1])
}

// ciReplace replaces every case-insensitive occurrence of find, as REPLACE does under the default collation.
func ciReplace(s, find, repl string) (Value, error) {
	if find == "" {
		return s, nil
	}
	rs, fr := []rune(s), []rune(find)
	var b strings.Builder
	pos := 0
	for {
		i := ciIndexRunes(rs, fr, pos)
		if i < 0 {
			b.WriteString(string(rs[pos:]))
			break
		}
		b.WriteString(string(rs[pos:i]))
		b.WriteString(repl)
		if b.Len() > maxString {
			return nil, stringTooLong(b.Len())
		}
		pos = i + len(fr)
	}
	return b.String(), nil
}

// dataLength is DATALENGTH: bytes of the stored value.
func dataLength(v Value, t sqlType) Value {
	switch x := v.(type) {
	case string:
		if t.kind == kVarChar || t.kind == kChar {
			return int64(len(x))
		}
		return int64(2 * utf8.RuneCountInString(x))
	case []byte:
		return int64(len(x))
	case GUID:
		return int64(16)
	case bool:
		return int64(1)
	case int64:
		switch t.kind {
		case kTinyInt:
			return int64(1)
		case kSmallInt:
			return int64(2)
		case kBigInt:
			return int64(8)
		case kDecimal:
			return int64(9)
		}
		return int64(4)
	}
	return int64(8)
}
