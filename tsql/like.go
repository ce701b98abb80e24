package tsql

import "unicode/utf8"

// likeTok is one element of a compiled LIKE pattern.
type likeTok struct {
	op     byte // 'c' literal, '_' any one character, '%' any run, '[' set
	r      rune
	neg    bool
	ranges []rune // pairs lo, hi (folded)
}

// likePattern is a compiled LIKE pattern.
type likePattern []likeTok

// compileLike compiles a pattern with wildcards % and _, sets [abc], ranges [a-f], negated sets [^...] and an
// optional escape character (0 for none). A [ without its ] stands for itself.
func compileLike(p string, escape rune) likePattern {
	rs := []rune(p)
	out := make(likePattern, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case escape != 0 && r == escape && i+1 < len(rs):
			i++
			out = append(out, likeTok{op: 'c', r: foldRune(rs[i])})
		case r == '%':
			if len(out) == 0 || out[len(out)-1].op != '%' {
				out = append(out, likeTok{op: '%'})
			}
		case r == '_':
			out = append(out, likeTok{op: '_'})
		case r == '[':
			end := -1
			for j := i + 1; j < len(rs); j++ {
				if rs[j] == ']' && j > i+1 {
					end = j
					break
				}
			}
			if end < 0 {
				out = append(out, likeTok{op: 'c', r: '['})
				continue
			}
			out = append(out, setTok(rs[i+1:end]))
			i = end
		default:
			out = append(out, likeTok{op: 'c', r: foldRune(r)})
		}
	}
	return out
}

func setTok(body []rune) likeTok {
	t := likeTok{op: '['}
	if len(body) > 0 && body[0] == '^' {
		t.neg = true
		body = body[1:]
	}
	for k := 0; k < len(body); k++ {
		lo := foldRune(body[k])
		hi := lo
		if k+2 < len(body) && body[k+1] == '-' {
			hi = foldRune(body[k+2])
			k += 2
		}
		t.ranges = append(t.ranges, lo, hi)
	}
	return t
}

func (t likeTok) matches(r rune) bool {
	switch t.op {
	case '_':
		return true
	case 'c':
		return t.r == r
	case '[':
		in := false
		for k := 0; k+1 < len(t.ranges); k += 2 {
			if r >= t.ranges[k] && r <= t.ranges[k+1] {
				in = true
				break
			}
		}
		return in != t.neg
	}
	return false
}

// match reports whether s matches the pattern, case-insensitively. Every token but % consumes exactly one
// character, so backtracking to the last % is enough and the cost is bounded by len(s)*len(p).
func (p likePattern) match(s string) bool {
	text := make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		text = append(text, foldRune(r))
	}
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(text) {
		switch {
		case pi < len(p) && p[pi].op == '%':
			star, mark = pi, ti
			pi++
		case pi < len(p) && p[pi].matches(text[ti]):
			pi++
			ti++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi].op == '%' {
		pi++
	}
	return pi == len(p)
}
