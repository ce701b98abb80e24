package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// MaxLine is the longest line the journal writes or reads, in bytes. Records are small (digests, not texts); the
// bound keeps a damaged or hostile file from costing unbounded memory per line.
const MaxLine = 64 << 10

// Digest is the hex SHA-256 of b: scripts, step output, configuration and journal lines are identified by it.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// encode renders r as one line, without the line end. encoding/json already escapes C0 control characters (and
// U+2028, U+2029); the file is also read with cat and less, so DEL, C1 controls (U+0080-U+009F, which some
// terminals take as escape sequences) and bidirectional overrides (which reorder what a reader sees) are escaped
// as well. They can only occur inside strings, where \uXXXX is their exact JSON equivalent.
func encode(r Record) ([]byte, error) {
	b, err := r.MarshalJSON()
	if err != nil {
		return nil, err
	}
	line := escapeControls(b)
	if len(line) > MaxLine {
		return nil, fmt.Errorf("the record is %d bytes; the journal takes at most %d per line", len(line), MaxLine)
	}
	return line, nil
}

// escapeControls replaces the runes a terminal might act on with their \uXXXX escapes.
func escapeControls(b []byte) []byte {
	if !bytes.ContainsFunc(b, needsEscape) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if needsEscape(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// needsEscape: DEL, C1 controls and the bidirectional formatting characters.
func needsEscape(r rune) bool {
	return r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// decode parses one line. Only a JSON object with a known kind, a positive seq and a time is a record.
func decode(line []byte) (Record, error) {
	var r Record
	if len(line) > MaxLine {
		return r, fmt.Errorf("the line is %d bytes, longer than any record (%d)", len(line), MaxLine)
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return Record{}, fmt.Errorf("invalid JSON: %v", err)
	}
	switch {
	case r.Seq < 1:
		return Record{}, fmt.Errorf("seq %d is not a positive number", r.Seq)
	case !r.Kind.known():
		return Record{}, fmt.Errorf("unknown kind %q", trim(string(r.Kind), 40))
	}
	return r, nil
}

// trim shortens s for a message.
func trim(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
