package config

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// reader turns the decoder's untyped leaves into typed values and collects every problem with its line.
type reader struct {
	file string
	pos  *positions
	errs Errors
}

// fail records a problem at the line of path (or of its nearest parent in the file).
func (r *reader) fail(path, format string, args ...any) {
	r.failAt(r.pos.line(path), path, format, args...)
}

// failAt records a problem at an explicit line.
func (r *reader) failAt(line int, path, format string, args ...any) {
	r.errs = append(r.errs, &Error{File: r.file, Line: line, Field: path, Msg: fmt.Sprintf(format, args...)})
}

// missing records a required key that the file leaves out; the line is that of the enclosing table, if the file
// has one.
func (r *reader) missing(path string) {
	line := 0
	if cut := strings.LastIndexByte(path, '.'); cut > 0 {
		line = r.pos.exact(path[:cut])
	}
	r.failAt(line, path, "required key is missing")
}

// missingSection records a required table that the file leaves out. It has no line: pointing at a neighbouring
// section would only mislead.
func (r *reader) missingSection(path, what string) {
	r.failAt(0, path, "required section [%s] is missing%s", path, what)
}

// typeName names a decoded TOML value's type the way the operator wrote it.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case time.Time, toml.LocalDate, toml.LocalDateTime, toml.LocalTime:
		return "a date/time"
	}
	return fmt.Sprintf("a %T", v)
}

// str reads an optional string. ok is false when the key is absent or invalid (the problem is then recorded).
// Control characters are refused everywhere: values end up on the operator's terminal and in scripts.
func (r *reader) str(path string, v any) (s string, ok bool) {
	if v == nil {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		r.fail(path, "expected a string, got %s", typeName(v))
		return "", false
	}
	if !utf8.ValidString(s) {
		r.fail(path, "is not valid UTF-8")
		return "", false
	}
	if i := strings.IndexFunc(s, isControl); i >= 0 {
		c, _ := utf8.DecodeRuneInString(s[i:])
		r.fail(path, "contains a control character (%U); only printable text is allowed", c)
		return "", false
	}
	return s, true
}

// isControl reports C0, DEL and C1 control characters, which could rewrite the operator's screen, and the
// bidirectional formatting characters, which can make text read differently from what it is.
func isControl(c rune) bool {
	switch {
	case unicode.IsControl(c):
		return true
	case c == 0x061C, c == 0x200E, c == 0x200F, c >= 0x202A && c <= 0x202E, c >= 0x2066 && c <= 0x2069:
		return true
	}
	return false
}

// required reads a string that must be present and not blank.
func (r *reader) required(path string, v any) (string, bool) {
	if v == nil {
		r.missing(path)
		return "", false
	}
	s, ok := r.str(path, v)
	if ok && strings.TrimSpace(s) == "" {
		r.fail(path, "must not be empty")
		return "", false
	}
	return s, ok
}

// optional reads a string that may be absent or empty; empty and absent both yield "".
func (r *reader) optional(path string, v any) string {
	s, _ := r.str(path, v)
	return s
}

// boolean reads an optional boolean with its default.
func (r *reader) boolean(path string, v any, def bool) bool {
	if v == nil {
		return def
	}
	b, ok := v.(bool)
	if !ok {
		r.fail(path, "expected true or false, got %s", typeName(v))
		return def
	}
	return b
}

// integer reads an optional integer in [min, max]; what describes the range in the message.
func (r *reader) integer(path string, v any, def, minV, maxV int64, what string) (int64, bool) {
	if v == nil {
		return def, true
	}
	n, ok := v.(int64)
	if !ok {
		r.fail(path, "expected an integer, got %s", typeName(v))
		return def, false
	}
	if n < minV || n > maxV {
		r.fail(path, "%d is not %s", n, what)
		return def, false
	}
	return n, true
}

// duration reads an optional Go duration string in [min, max].
func (r *reader) duration(path string, v any, def, minD, maxD time.Duration) time.Duration {
	if v == nil {
		return def
	}
	s, isStr := v.(string)
	if !isStr {
		r.fail(path, "expected a duration string such as %q, got %s", def.String(), typeName(v))
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		r.fail(path, "%s is not a duration (write e.g. %q)", quoteShort(s), def.String())
		return def
	}
	if d < minD || d > maxD {
		r.fail(path, "%s is out of range (%s..%s)", quoteShort(s), minD, maxD)
		return def
	}
	return d
}

// stringList reads an array of strings; each element's problems cite the element's own line.
func (r *reader) stringList(path string, v any) ([]string, bool) {
	if v == nil {
		return nil, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		r.fail(path, "expected an array of strings, got %s", typeName(v))
		return nil, false
	}
	out := make([]string, 0, len(arr))
	ok := true
	for i, e := range arr {
		s, good := r.str(elemPath(path, i), e)
		if !good {
			ok = false
			continue
		}
		out = append(out, s)
	}
	return out, ok
}

// elemPath names one element of an array.
func elemPath(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// quoteShort quotes a value for a message, cutting long ones so one bad line cannot flood the report.
func quoteShort(s string) string {
	const limit = 64
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
