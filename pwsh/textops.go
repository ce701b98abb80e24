package pwsh

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Pattern operators: -like (wildcards), -match, -replace and -split (regular expressions). Go's regexp engine
// runs in linear time, so no pattern a script supplies can hang the interpreter.

// wildcardMatch is -like: * any run, ? one character, [abc] and [a-z] classes, ` escapes.
func (in *interp) wildcardMatch(s, pattern string, cs bool, ex extent) (bool, error) {
	toks, ok := parseWildcard(pattern, cs)
	if !ok {
		return false, in.rtError(ex, "InvalidArgument", "RuntimeException",
			"The specified wildcard character pattern is not valid: %s", pattern)
	}
	text := []rune(s)
	if !cs {
		text = []rune(strings.ToLower(s))
	}
	ti, pi := 0, 0
	star, mark := -1, 0
	for n := 0; ti < len(text); n++ {
		// Backtracking over a long text can take a while; stay responsive to cancellation.
		if n&0xffff == 0xffff {
			if err := in.ctx.Err(); err != nil {
				return false, err
			}
		}
		switch {
		case pi < len(toks) && toks[pi].star:
			star, mark = pi, ti
			pi++
		case pi < len(toks) && toks[pi].matches(text[ti]):
			ti++
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false, nil
		}
	}
	for pi < len(toks) && toks[pi].star {
		pi++
	}
	return pi == len(toks), nil
}

// wildTok is one element of a wildcard pattern.
type wildTok struct {
	star   bool
	any    bool // ?
	lit    rune
	class  bool
	ranges [][2]rune
}

func (t wildTok) matches(c rune) bool {
	switch {
	case t.any:
		return true
	case t.class:
		for _, r := range t.ranges {
			if r[0] <= c && c <= r[1] {
				return true
			}
		}
		return false
	}
	return t.lit == c
}

func parseWildcard(pattern string, cs bool) ([]wildTok, bool) {
	p := []rune(pattern)
	fold := func(c rune) rune {
		if cs {
			return c
		}
		return unicode.ToLower(c)
	}
	var toks []wildTok
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			if len(toks) == 0 || !toks[len(toks)-1].star {
				toks = append(toks, wildTok{star: true})
			}
		case '?':
			toks = append(toks, wildTok{any: true})
		case '`':
			if i+1 < len(p) {
				i++
			}
			toks = append(toks, wildTok{lit: fold(p[i])})
		case '[':
			t := wildTok{class: true}
			i++
			for ; i < len(p) && p[i] != ']'; i++ {
				lo := p[i]
				if lo == '`' && i+1 < len(p) {
					i++
					lo = p[i]
				}
				hi := lo
				if i+2 < len(p) && p[i+1] == '-' && p[i+2] != ']' {
					hi = p[i+2]
					i += 2
				}
				t.ranges = append(t.ranges, [2]rune{fold(lo), fold(hi)})
			}
			if i >= len(p) {
				return nil, false
			}
			toks = append(toks, t)
		default:
			toks = append(toks, wildTok{lit: fold(c)})
		}
	}
	return toks, true
}

// maxPattern bounds a regular expression: matching costs the pattern's size times the text's length.
const maxPattern = 2000

// regex compiles a .NET-style pattern, case-insensitive unless cs, caching the result.
func (in *interp) regex(pattern string, cs bool, ex extent) (*regexp.Regexp, error) {
	key := "i" + pattern
	if cs {
		key = "c" + pattern
	}
	if re, ok := in.regexCache[key]; ok {
		return re, nil
	}
	if len(pattern) > maxPattern {
		rec := in.record(ex, fmt.Sprintf("The regular expression pattern is longer than this Management Shell "+
			"allows (%d characters).", maxPattern), "InvalidOperation", "RuntimeException", "InvalidRegularExpression")
		return nil, &psError{rec: rec}
	}
	src := pattern
	if !cs {
		src = "(?i)" + pattern
	}
	re, err := regexp.Compile(src)
	if err != nil {
		rec := in.record(ex, "Invalid regular expression pattern: "+pattern+".", "InvalidOperation",
			"RuntimeException", "InvalidRegularExpression")
		rec.targetName, rec.targetType = pattern, "String"
		return nil, &psError{rec: rec}
	}
	if in.regexCache == nil || len(in.regexCache) > 64 {
		in.regexCache = map[string]*regexp.Regexp{}
	}
	in.regexCache[key] = re
	return re, nil
}

// regexBudget bounds the pattern length times the text length of one match: Go's matcher is linear in both, but
// it cannot be interrupted, so one operation must stay short.
const regexBudget = 200_000_000

// regexWork refuses a match that could run for long.
func (in *interp) regexWork(ex extent, re *regexp.Regexp, text string) error {
	if len(re.String())*len(text) > regexBudget {
		return in.rtError(ex, "InvalidOperation", "RegexTooExpensive", "The text is too long (%d characters) to "+
			"match against this regular expression in this Management Shell.", len([]rune(text)))
	}
	return nil
}

// regexMatch is -match; a scalar match fills $Matches.
func (in *interp) regexMatch(s, pattern string, cs bool, ex extent, setMatches bool) (bool, error) {
	re, err := in.regex(pattern, cs, ex)
	if err != nil {
		return false, err
	}
	if err := in.regexWork(ex, re, s); err != nil {
		return false, err
	}
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return false, nil
	}
	if setMatches {
		h := &Hashtable{}
		names := re.SubexpNames()
		for n, g := range dotnetGroups(re) {
			if m[2*g] < 0 {
				continue
			}
			key := strconv.Itoa(n)
			if names[g] != "" {
				key = names[g]
			}
			hashSet(h, key, s[m[2*g]:m[2*g+1]])
		}
		in.vars["matches"] = h
	}
	return true, nil
}

// dotnetGroups lists Go's group indexes in .NET's numbering: group 0, then the unnamed groups, then the named
// ones, each in order of appearance.
func dotnetGroups(re *regexp.Regexp) []int {
	names := re.SubexpNames()
	order := []int{0}
	for g := 1; g < len(names); g++ {
		if names[g] == "" {
			order = append(order, g)
		}
	}
	for g := 1; g < len(names); g++ {
		if names[g] != "" {
			order = append(order, g)
		}
	}
	return order
}

// replace is -replace: pattern and replacement (with $1, ${name}, $& and $$), on each element of an array.
func (in *interp) replace(l, r Value, cs bool, ex extent) (Value, error) {
	pattern, repl := r, Value("")
	if arr, ok := r.([]Value); ok {
		switch len(arr) {
		case 1:
			pattern = arr[0]
		case 2:
			pattern, repl = arr[0], arr[1]
		default:
			return nil, in.rtError(ex, "InvalidOperation", "BadReplaceArgument",
				"The -replace operator allows only two elements to follow it, not %d.", len(arr))
		}
	}
	re, err := in.regex(toStr(pattern), cs, ex)
	if err != nil {
		return nil, err
	}
	replText := toStr(repl)
	one := func(s string) (string, error) {
		if err := in.regexWork(ex, re, s); err != nil {
			return "", err
		}
		out, ok := replaceAll(re, s, replText, in.lim.stringLen)
		if !ok {
			return "", in.tooLarge(ex)
		}
		return out, nil
	}
	if arr, ok := l.([]Value); ok {
		out := make([]Value, len(arr))
		for i, e := range arr {
			s, err := one(toStr(e))
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}
	return one(toStr(l))
}

// replaceAll substitutes every match using .NET's replacement syntax; ok is false when the result would exceed
// limit characters.
func replaceAll(re *regexp.Regexp, s, repl string, limit int) (string, bool) {
	var sb strings.Builder
	last := 0
	names := re.SubexpNames()
	order := dotnetGroups(re)
	// Every match adds at least the replacement's literal text, so matches beyond limit/literal cannot fit:
	// asking for no more keeps the list of matches small.
	most := -1
	if lit := len(repl) - 2*strings.Count(repl, "$"); lit > 0 {
		most = limit/lit + 2
	}
	for _, m := range re.FindAllStringSubmatchIndex(s, most) {
		sb.WriteString(s[last:m[0]])
		// group takes a .NET group number.
		group := func(n int) string {
			if n < 0 || n >= len(order) {
				return ""
			}
			g := order[n]
			if m[2*g] < 0 {
				return ""
			}
			return s[m[2*g]:m[2*g+1]]
		}
		for i := 0; i < len(repl); i++ {
			c := repl[i]
			if c != '$' || i+1 >= len(repl) {
				sb.WriteByte(c)
				continue
			}
			next := repl[i+1]
			switch {
			case next == '$':
				sb.WriteByte('$')
				i++
			case next == '&':
				sb.WriteString(group(0))
				i++
			case next == '`':
				sb.WriteString(s[:m[0]])
				i++
			case next == '\'':
				sb.WriteString(s[m[1]:])
				i++
			case next == '_':
				sb.WriteString(s)
				i++
			case next >= '0' && next <= '9':
				j := i + 1
				for j < len(repl) && repl[j] >= '0' && repl[j] <= '9' {
					j++
				}
				// The longest run of digits that names a group wins, as in .NET.
				k := j
				for ; k > i+1; k-- {
					if g, err := strconv.Atoi(repl[i+1 : k]); err == nil && g < len(order) {
						sb.WriteString(group(g))
						break
					}
				}
				if k == i+1 {
					sb.WriteByte('$')
					continue
				}
				i = k - 1
			case next == '{':
				end := strings.IndexByte(repl[i+2:], '}')
				if end < 0 {
					sb.WriteByte('$')
					continue
				}
				name := repl[i+2 : i+2+end]
				g := -1
				for n, idx := range order {
					if names[idx] != "" && names[idx] == name {
						g = n
					}
				}
				if n, err := strconv.Atoi(name); err == nil && n < len(order) {
					g = n
				}
				if g < 0 {
					sb.WriteString(repl[i : i+3+end])
				} else {
					sb.WriteString(group(g))
				}
				i += 2 + end
			default:
				sb.WriteByte('$')
			}
		}
		last = m[1]
		if sb.Len() > limit {
			return "", false
		}
	}
	sb.WriteString(s[last:])
	return sb.String(), sb.Len() <= limit
}

// split is binary -split: a regular expression, an optional maximum number of pieces; captured groups are
// kept between the pieces, as .NET's Regex.Split does.
func (in *interp) split(l, r Value, cs bool, ex extent) (Value, error) {
	pattern := r
	limit := int64(0)
	if arr, ok := r.([]Value); ok {
		if len(arr) == 0 {
			return nil, in.rtError(ex, "InvalidOperation", "BadOperatorArgument", "The -split operator needs a pattern.")
		}
		pattern = arr[0]
		if len(arr) > 1 {
			n, ok := toInt(arr[1])
			if !ok {
				return nil, in.convertError(ex, arr[1], "System.Int32")
			}
			limit = n
		}
	}
	re, err := in.regex(toStr(pattern), cs, ex)
	if err != nil {
		return nil, err
	}
	out := []Value{}
	for _, e := range enumerate(l) {
		s := toStr(e)
		if err := in.regexWork(ex, re, s); err != nil {
			return nil, err
		}
		last := 0
		pieces := int64(1)
		for _, m := range re.FindAllStringSubmatchIndex(s, in.lim.arrayLen+2) {
			if limit > 0 && pieces >= limit {
				break
			}
			out = append(out, s[last:m[0]])
			for g := 1; 2*g+1 < len(m); g++ {
				if m[2*g] >= 0 {
					out = append(out, s[m[2*g]:m[2*g+1]])
				}
			}
			last = m[1]
			pieces++
			if len(out) > in.lim.arrayLen {
				return nil, in.tooLarge(ex)
			}
		}
		out = append(out, s[last:])
	}
	return out, nil
}
