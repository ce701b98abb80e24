package tds

import "unicode/utf8"

// varchar values travel in the code page of the server collation, SQL_Latin1_General_CP1_CI_AS: Windows-1252.
// It is Latin-1 except for 0x80-0x9F, listed here (0 marks the five bytes the code page leaves undefined).
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// cp1252Byte maps a rune to its Windows-1252 byte.
func cp1252Byte(r rune) (byte, bool) {
	switch {
	case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
		return byte(r), true
	case r >= 0x80 && r < 0xA0:
		return 0, false
	}
	for i, x := range cp1252High {
		if x == r && x != 0 {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}

// encodeCP1252 appends s in Windows-1252; ok is false when some character has no byte in the code page.
func encodeCP1252(dst []byte, s string) (out []byte, ok bool) {
	ok = true
	for _, r := range s {
		b, fits := cp1252Byte(r)
		if !fits {
			b, ok = '?', false
		}
		dst = append(dst, b)
	}
	return dst, ok
}

// fitsCP1252 says every character of s has a Windows-1252 byte.
func fitsCP1252(s string) bool {
	for _, r := range s {
		if _, ok := cp1252Byte(r); !ok {
			return false
		}
	}
	return true
}

// decodeCP1252 decodes Windows-1252 bytes (undefined bytes become U+FFFD).
func decodeCP1252(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		r := rune(c)
		if c >= 0x80 && c < 0xA0 {
			r = cp1252High[c-0x80]
			if r == 0 {
				r = utf8.RuneError
			}
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}
