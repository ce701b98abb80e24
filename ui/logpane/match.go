package logpane

import (
	"unicode"
	"unicode/utf8"
)

// matcher finds a search term in display strings, ignoring case. It folds rune by rune (unicode.ToLower) rather
// than lowering whole strings, so match positions are byte offsets into the string as shown, which is what the
// highlighting needs.
type matcher struct {
	q     []rune // the term, lowered
	lower string // the term, lowered, when it is ASCII
	ascii bool
}

func newMatcher(term string) matcher {
	m := matcher{ascii: true}
	for _, r := range term {
		r = unicode.ToLower(r)
		m.q = append(m.q, r)
		if r >= utf8.RuneSelf {
			m.ascii = false
		}
	}
	if m.ascii {
		m.lower = string(m.q)
	}
	return m
}

func (m matcher) empty() bool { return len(m.q) == 0 }

// contains reports whether s holds the term.
func (m matcher) contains(s string) bool {
	start, _ := m.next(s, 0)
	return start >= 0
}

// next returns the byte range of the first occurrence of the term in s at or after from, or -1, -1.
func (m matcher) next(s string, from int) (start, end int) {
	if m.empty() {
		return -1, -1
	}
	if m.ascii && isASCII(s) {
		q := m.lower
		for i := from; i+len(q) <= len(s); i++ {
			if lowerASCII(s[i]) != q[0] {
				continue
			}
			j := 1
			for j < len(q) && lowerASCII(s[i+j]) == q[j] {
				j++
			}
			if j == len(q) {
				return i, i + len(q)
			}
		}
		return -1, -1
	}
	for i := from; i < len(s); {
		if end, ok := m.at(s, i); ok {
			return i, end
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return -1, -1
}

// at reports whether the term occurs at byte i of s, and where it ends.
func (m matcher) at(s string, i int) (int, bool) {
	for _, q := range m.q {
		if i >= len(s) {
			return 0, false
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			r = unicode.ToLower(r)
		} else {
			r = rune(lowerASCII(byte(r)))
		}
		if r != q {
			return 0, false
		}
		i += size
	}
	return i, true
}

// ranges appends the byte ranges of every non-overlapping occurrence of the term in s to dst.
func (m matcher) ranges(s string, dst [][2]int) [][2]int {
	for from := 0; from < len(s); {
		start, end := m.next(s, from)
		if start < 0 {
			break
		}
		dst = append(dst, [2]int{start, end})
		from = end
	}
	return dst
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}
