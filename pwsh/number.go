package pwsh

import (
	"math"
	"strconv"
	"strings"
)

// scanNumber reads the longest numeric literal at s[i:]: decimal or 0x hex digits, an optional fraction and
// exponent, a type suffix (l, d) and a multiplier (kb, mb, gb, tb, pb). ok is false when no number starts at i.
// Integers are int64 (float64 when they do not fit), everything else float64. Hex literals that fit in 32 bits
// wrap to a signed 32-bit value, as in PowerShell (0xFFFFFFFF is -1).
func scanNumber(s []rune, i int) (v Value, end int, ok bool) {
	n := len(s)
	if i < n-1 && s[i] == '0' && (s[i+1]|0x20) == 'x' {
		j := i + 2
		for j < n && isHexDigit(s[j]) {
			j++
		}
		if j == i+2 {
			return nil, i, false
		}
		u, err := strconv.ParseUint(string(s[i+2:j]), 16, 64)
		if err != nil {
			return nil, i, false
		}
		long := false
		if j < n && (s[j]|0x20) == 'l' {
			long = true
			j++
		}
		mult, j := multiplier(s, j)
		var x int64
		if !long && u <= math.MaxUint32 {
			x = int64(int32(uint32(u)))
		} else {
			x = int64(u)
		}
		return scaleInt(x, mult), j, true
	}
	j := i
	for j < n && isDigit(s[j]) {
		j++
	}
	isFloat := false
	if j < n-1 && s[j] == '.' && isDigit(s[j+1]) {
		j++
		for j < n && isDigit(s[j]) {
			j++
		}
		isFloat = true
	}
	if j == i {
		return nil, i, false
	}
	text := string(s[i:j])
	if j < n && (s[j]|0x20) == 'e' {
		k := j + 1
		sign := ""
		if k < n && (s[k] == '+' || isDash(s[k])) {
			if isDash(s[k]) {
				sign = "-"
			} else {
				sign = "+"
			}
			k++
		}
		if k < n && isDigit(s[k]) {
			d := k
			for k < n && isDigit(s[k]) {
				k++
			}
			text += "e" + sign + string(s[d:k])
			j = k
			isFloat = true
		}
	}
	if j < n && ((s[j]|0x20) == 'l' || (s[j]|0x20) == 'd') {
		if (s[j] | 0x20) == 'd' {
			isFloat = true
		}
		j++
	}
	mult, j := multiplier(s, j)
	if !isFloat {
		if x, err := strconv.ParseInt(text, 10, 64); err == nil {
			return scaleInt(x, mult), j, true
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, i, false
	}
	return f * float64(mult), j, true
}

func isHexDigit(c rune) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// multiplier reads a kb/mb/gb/tb/pb suffix at s[j:].
func multiplier(s []rune, j int) (int64, int) {
	if j+1 >= len(s) || (s[j+1]|0x20) != 'b' {
		return 1, j
	}
	switch s[j] | 0x20 {
	case 'k':
		return 1 << 10, j + 2
	case 'm':
		return 1 << 20, j + 2
	case 'g':
		return 1 << 30, j + 2
	case 't':
		return 1 << 40, j + 2
	case 'p':
		return 1 << 50, j + 2
	}
	return 1, j
}

// scaleInt multiplies x by mult, moving to float64 on overflow.
func scaleInt(x, mult int64) Value {
	if mult == 1 {
		return x
	}
	r := x * mult
	if x != 0 && (r/mult != x) {
		return float64(x) * float64(mult)
	}
	return r
}

// parseNumber converts a string to a number the way PowerShell converts strings in arithmetic and comparisons:
// surrounding whitespace and a sign are allowed, hex and multipliers work, and an empty string is 0.
func parseNumber(s string) (Value, bool) {
	s = strings.TrimFunc(s, isTrimSpace)
	if s == "" {
		return int64(0), true
	}
	rs := []rune(s)
	neg := false
	if rs[0] == '+' || isDash(rs[0]) {
		neg = isDash(rs[0])
		rs = rs[1:]
	}
	v, end, ok := scanNumber(rs, 0)
	if !ok || end != len(rs) {
		return nil, false
	}
	if neg {
		switch x := v.(type) {
		case int64:
			if x == minInt64 {
				return -float64(x), true
			}
			return -x, true
		case float64:
			return -x, true
		}
	}
	return v, true
}
