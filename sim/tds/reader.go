package tds

import (
	"encoding/binary"
	"errors"
	"unicode/utf16"
)

// errTruncated says a message ended in the middle of a field.
var errTruncated = errors.New("the stream ended unexpectedly")

// reader walks a client message. Every read is checked against the bytes actually present, so a length field
// that claims more than the message holds fails instead of allocating what it claims. The first failure sticks.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// left is the number of unread bytes.
func (r *reader) left() int { return len(r.b) - r.off }

// take returns the next n bytes (a sub-slice, not a copy).
func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > r.left() {
		r.fail(errTruncated)
		return nil
	}
	b := r.b[r.off : r.off+n]
	r.off += n
	return b
}

func (r *reader) u8() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if b := r.take(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if b := r.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// bVarChar reads a B_VARCHAR: a character count in one byte, then UTF-16LE.
func (r *reader) bVarChar() string {
	n := int(r.u8())
	return ucs2(r.take(2 * n))
}

// usVarChar reads a US_VARCHAR: a character count in two bytes, then UTF-16LE.
func (r *reader) usVarChar() string {
	n := int(r.u16())
	return ucs2(r.take(2 * n))
}

// ucs2 decodes UTF-16LE; an odd trailing byte is ignored and unpaired surrogates become U+FFFD.
func ucs2(b []byte) string {
	if len(b) < 2 {
		return ""
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// appendUCS2 appends s as UTF-16LE.
func appendUCS2(dst []byte, s string) []byte {
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			dst = binary.LittleEndian.AppendUint16(dst, uint16(r1))
			dst = binary.LittleEndian.AppendUint16(dst, uint16(r2))
			continue
		}
		dst = binary.LittleEndian.AppendUint16(dst, uint16(r))
	}
	return dst
}

// ucs2Len is the number of UTF-16 code units of s.
func ucs2Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// truncUCS2 cuts s to at most n UTF-16 code units, on a character boundary.
func truncUCS2(s string, n int) string {
	units := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}

// appendBVarChar appends a B_VARCHAR (at most 255 characters; longer strings are cut).
func appendBVarChar(dst []byte, s string) []byte {
	s = truncUCS2(s, 255)
	dst = append(dst, byte(ucs2Len(s)))
	return appendUCS2(dst, s)
}

// appendUSVarChar appends a US_VARCHAR (at most 65535 characters; longer strings are cut).
func appendUSVarChar(dst []byte, s string) []byte {
	s = truncUCS2(s, 65535)
	dst = binary.LittleEndian.AppendUint16(dst, uint16(ucs2Len(s)))
	return appendUCS2(dst, s)
}
