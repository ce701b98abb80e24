package transcript

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Column widths of the log file. They fit the usual values (instance names such as SQLBACKUP, steps such as F5a,
// every Kind tag, five-digit message numbers); a longer value widens its own line rather than being cut, because
// the file is the record.
const (
	recordSourceWidth = 14
	recordStepWidth   = 6
	recordKindWidth   = 8
	recordNumberWidth = 5
)

// recordTimeLayout is RFC 3339 with milliseconds, in the line's own time zone.
const recordTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// appendRecords appends the log-file form of l: one record per physical line of its text, each repeating the
// prefix, so grep on the file always shows the time, source and step of what it finds.
func appendRecords(b []byte, l Line) []byte {
	if !l.MultiLine() {
		return appendRecord(b, l, trimBreaks(l.Text))
	}
	for text := range l.TextLines() {
		b = appendRecord(b, l, text)
	}
	return b
}

func appendRecord(b []byte, l Line, text string) []byte {
	b = l.At.AppendFormat(b, recordTimeLayout)
	b = append(b, ' ', ' ')
	b = appendField(b, l.Source, recordSourceWidth)
	b = append(b, ' ')
	b = appendField(b, l.Step, recordStepWidth)
	b = append(b, ' ')
	b = appendPadded(b, l.Kind.String(), recordKindWidth)
	b = append(b, ' ')
	if l.Number == 0 {
		b = appendPadded(b, "-", recordNumberWidth)
	} else {
		start := len(b)
		b = strconv.AppendInt(b, int64(l.Number), 10)
		b = pad(b, len(b)-start, recordNumberWidth)
	}
	if text != "" {
		b = append(b, ' ')
		b = AppendEscaped(b, text)
	} else {
		b = trimSpaces(b)
	}
	return append(b, '\n')
}

// appendField writes a source or step column: escaped like the text, with whitespace escaped too (\x20 for a
// space, \uNNNN for other Unicode spaces) so that the first five columns of every record stay
// whitespace-separated for awk, cut and strings.Fields, and "-" for an empty value.
func appendField(b []byte, s string, width int) []byte {
	if s == "" {
		return appendPadded(b, "-", width)
	}
	start := len(b)
	b = AppendEscaped(b, s)
	if hasSpace(b[start:]) {
		esc := string(b[start:])
		b = b[:start]
		for _, r := range esc {
			switch {
			case r == ' ':
				b = append(b, `\x20`...)
			case r == '\t':
				b = append(b, `\x09`...)
			case unicode.IsSpace(r):
				b = append(b, `\u`...)
				h := strconv.FormatInt(int64(r), 16)
				for n := len(h); n < 4; n++ {
					b = append(b, '0')
				}
				b = append(b, h...)
			default:
				b = utf8.AppendRune(b, r)
			}
		}
	}
	return pad(b, cellWidth(b[start:]), width)
}

func hasSpace(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			if b[i] == ' ' || b[i] == '\t' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if unicode.IsSpace(r) {
			return true
		}
		i += size
	}
	return false
}

func appendPadded(b []byte, s string, width int) []byte {
	b = append(b, s...)
	return pad(b, len(s), width)
}

func pad(b []byte, have, width int) []byte {
	for ; have < width; have++ {
		b = append(b, ' ')
	}
	return b
}

func trimSpaces(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// cellWidth is the display width of an escaped field, so non-ASCII instance names still line up.
func cellWidth(b []byte) int {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return ansi.StringWidth(string(b))
		}
	}
	return len(b)
}
