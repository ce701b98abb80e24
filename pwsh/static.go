package pwsh

import (
	"math"
	"strings"
	"time"
)

// Static members: [math]::Round(), [string]::IsNullOrEmpty(), [datetime]::Now, [int]::MaxValue ...

func (in *interp) staticProperty(t *typeRef, name string, ex extent) (Value, error) {
	lower := strings.ToLower(name)
	switch t.kind {
	case typeInt32:
		switch lower {
		case "maxvalue":
			return int64(math.MaxInt32), nil
		case "minvalue":
			return int64(math.MinInt32), nil
		}
	case typeInt64:
		switch lower {
		case "maxvalue":
			return int64(math.MaxInt64), nil
		case "minvalue":
			return int64(math.MinInt64), nil
		}
	case typeDouble:
		switch lower {
		case "maxvalue":
			return math.MaxFloat64, nil
		case "minvalue":
			return -math.MaxFloat64, nil
		}
	case typeString:
		if lower == "empty" {
			return "", nil
		}
	case typeDateTime:
		now := in.host.Now()
		switch lower {
		case "now":
			return now, nil
		case "utcnow":
			return now.UTC(), nil
		case "today":
			y, m, d := now.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, now.Location()), nil
		}
	case typeStatic:
		switch lower {
		case "pi":
			return math.Pi, nil
		case "e":
			return math.E, nil
		}
	case typeEnvironment:
		if lower == "newline" {
			return "\r\n", nil
		}
	}
	// PowerShell returns $null for a static property that does not exist.
	return nil, nil
}

func (in *interp) staticMethod(t *typeRef, name string, args []Value, ex extent) (Value, error) {
	lower := strings.ToLower(name)
	noOverload := func() error {
		return in.rtError(ex, "InvalidOperation", "MethodCountCouldNotFindBest",
			"Cannot find an overload for \"%s\" and the argument count: \"%d\".", name, len(args))
	}
	nums := func() ([]float64, bool) {
		out := make([]float64, len(args))
		for i, a := range args {
			n, ok := toNumber(a)
			if !ok {
				return nil, false
			}
			out[i] = toFloat(n)
		}
		return out, true
	}
	switch t.kind {
	case typeStatic:
		f, ok := nums()
		if !ok {
			for _, a := range args {
				if _, good := toNumber(a); !good {
					return nil, in.convertError(ex, a, "System.Double")
				}
			}
		}
		// Integer arguments keep integer results where .NET's overloads would.
		allInt := true
		for _, a := range args {
			if _, isInt := a.(int64); !isInt {
				allInt = false
			}
		}
		switch {
		case lower == "round" && len(f) == 1:
			return math.RoundToEven(f[0]), nil
		case lower == "round" && len(f) == 2:
			p := math.Pow(10, math.Max(0, math.Min(15, math.Trunc(f[1]))))
			return math.RoundToEven(f[0]*p) / p, nil
		case lower == "floor" && len(f) == 1:
			return math.Floor(f[0]), nil
		case lower == "ceiling" && len(f) == 1:
			return math.Ceil(f[0]), nil
		case lower == "truncate" && len(f) == 1:
			return math.Trunc(f[0]), nil
		case lower == "abs" && len(f) == 1:
			if allInt && args[0].(int64) != math.MinInt64 {
				n := args[0].(int64)
				if n < 0 {
					n = -n
				}
				return n, nil
			}
			return math.Abs(f[0]), nil
		case (lower == "max" || lower == "min") && len(f) == 2:
			if allInt {
				a, b := args[0].(int64), args[1].(int64)
				if (lower == "max") == (a > b) {
					return a, nil
				}
				return b, nil
			}
			if lower == "max" {
				return math.Max(f[0], f[1]), nil
			}
			return math.Min(f[0], f[1]), nil
		case lower == "pow" && len(f) == 2:
			return math.Pow(f[0], f[1]), nil
		case lower == "sqrt" && len(f) == 1:
			return math.Sqrt(f[0]), nil
		case lower == "log10" && len(f) == 1:
			return math.Log10(f[0]), nil
		case lower == "log" && len(f) == 1:
			return math.Log(f[0]), nil
		}
		return nil, noOverload()
	case typeString:
		switch {
		case lower == "isnullorempty" && len(args) == 1:
			return toStr(args[0]) == "", nil
		case lower == "isnullorwhitespace" && len(args) == 1:
			return strings.TrimFunc(toStr(args[0]), isTrimSpace) == "", nil
		case lower == "join" && len(args) >= 2:
			items := args[1:]
			if len(args) == 2 {
				items = enumerate(args[1])
			}
			return in.join(items, toStr(args[0]), ex)
		case lower == "format" && len(args) >= 1:
			rest := Value(args[1:])
			if len(args) == 2 {
				rest = args[1]
			}
			return in.formatOperator(args[0], rest, ex)
		case lower == "concat":
			return in.join(args, "", ex)
		}
	case typeDateTime:
		if lower == "parse" && len(args) == 1 {
			v, ok := asTime(args[0])
			if !ok {
				return nil, in.methodError(ex, "Parse", 1, "String was not recognized as a valid DateTime.")
			}
			return v, nil
		}
	case typeInt32, typeInt64, typeDouble:
		if lower == "parse" && len(args) == 1 {
			v, ok := in.convert(t, toStr(args[0]))
			if !ok {
				return nil, in.methodError(ex, "Parse", 1, "Input string was not in a correct format.")
			}
			return v, nil
		}
	case typeRegex:
		switch {
		case lower == "escape" && len(args) == 1:
			return regexEscape(toStr(args[0])), nil
		case lower == "ismatch" && len(args) == 2:
			re, err := in.regex(toStr(args[1]), true, ex)
			if err != nil {
				return nil, err
			}
			if err := in.regexWork(ex, re, toStr(args[0])); err != nil {
				return nil, err
			}
			return re.MatchString(toStr(args[0])), nil
		case lower == "replace" && len(args) == 3:
			re, err := in.regex(toStr(args[1]), true, ex)
			if err != nil {
				return nil, err
			}
			if err := in.regexWork(ex, re, toStr(args[0])); err != nil {
				return nil, err
			}
			out, ok := replaceAll(re, toStr(args[0]), toStr(args[2]), in.lim.stringLen)
			if !ok {
				return nil, in.tooLarge(ex)
			}
			return out, nil
		}
	}
	return nil, in.rtError(ex, "InvalidOperation", "MethodNotFound",
		"Method invocation failed because [%s] does not contain a method named '%s'.", t.name, name)
}

// regexEscape is Regex.Escape: metacharacters and white space get a backslash.
func regexEscape(s string) string {
	var sb strings.Builder
	for _, c := range s {
		switch c {
		case '\\', '*', '+', '?', '|', '{', '[', '(', ')', '^', '$', '.', '#', ' ':
			sb.WriteByte('\\')
			sb.WriteRune(c)
		case '\t':
			sb.WriteString(`\t`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\f':
			sb.WriteString(`\f`)
		default:
			sb.WriteRune(c)
		}
	}
	return sb.String()
}
