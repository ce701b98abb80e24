package pwsh

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// How values look in Out-Default's tables and lists (the en-US culture of a Lync server's console).

// enumerationLimit is $FormatEnumerationLimit: arrays in a cell show this many elements, then "...".
const enumerationLimit = 4

// cellString renders a property value for a table cell or a list line.
func cellString(v Value) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []Value:
		parts := make([]string, 0, min(len(v), enumerationLimit))
		for i, e := range v {
			if i == enumerationLimit {
				return "{" + strings.Join(parts, ", ") + "...}"
			}
			if _, nested := e.([]Value); nested {
				parts = append(parts, "System.Object[]")
			} else {
				parts = append(parts, cellString(e))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *Hashtable:
		keys := v.Keys
		suffix := "}"
		if len(keys) > enumerationLimit {
			keys, suffix = keys[:enumerationLimit], "...}"
		}
		return "{" + strings.Join(keys, ", ") + suffix
	case time.Time:
		return v.Format("1/2/2006 3:04:05 PM")
	}
	return toStr(v)
}

// scalarLines renders a value printed on its own (a string, a number, a date).
func scalarLines(v Value) []string {
	switch v := v.(type) {
	case time.Time:
		return []string{"", longDate(v), ""}
	case *scriptBlock:
		return splitLines(v.text)
	}
	return splitLines(cellString(v))
}

// longDate is how a lone DateTime prints: "Monday, January 2, 2006 3:04:05 PM".
func longDate(t time.Time) string { return t.Format("Monday, January 2, 2006 3:04:05 PM") }

// width is the number of characters a string takes, counted in runes.
func width(s string) int { return utf8.RuneCountInString(s) }

func padRight(s string, w int) string {
	if n := width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func padLeft(s string, w int) string {
	if n := width(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// maxCell bounds a table cell; longer text is cut with "...", as a console of any width would cut it.
const maxCell = 4096

// firstLine keeps a cell on one line: text after a line break becomes "...".
func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i] + "..."
	}
	if len(s) > maxCell {
		r := []rune(s[:maxCell])
		s = string(r[:len(r)-1]) + "..."
	}
	return s
}

// isNumeric reports the values PowerShell right-aligns in tables.
func isNumeric(v Value) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

// tableLayout is a table's columns once their widths are known.
type tableLayout struct {
	cols   []string
	widths []int
	right  []bool
}

// newTableLayout sizes columns to fit the header and the given rows.
func newTableLayout(cols []string, rows [][]string, right []bool) *tableLayout {
	t := &tableLayout{cols: cols, widths: make([]int, len(cols)), right: right}
	for i, c := range cols {
		t.widths[i] = width(c)
	}
	for _, r := range rows {
		for i := range cols {
			if i < len(r) {
				t.widths[i] = max(t.widths[i], width(r[i]))
			}
		}
	}
	return t
}

// header renders the column names and the dashes under them (as long as each name, as PowerShell 5 does).
func (t *tableLayout) header() []string {
	names := make([]string, len(t.cols))
	dashes := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c
		dashes[i] = strings.Repeat("-", width(c))
	}
	return []string{t.row(names), t.row(dashes)}
}

// row renders one row: columns separated by a space, numbers right-aligned, trailing spaces trimmed.
func (t *tableLayout) row(cells []string) string {
	var sb strings.Builder
	for i := range t.cols {
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		if i > 0 {
			sb.WriteByte(' ')
		}
		if t.right[i] {
			sb.WriteString(padLeft(cell, t.widths[i]))
		} else {
			sb.WriteString(padRight(cell, t.widths[i]))
		}
	}
	return strings.TrimRight(sb.String(), " ")
}

// hashLayout is the Name/Value view of hashtables and dictionary entries: a 30-character Name column.
var hashLayout = &tableLayout{cols: []string{"Name", "Value"}, widths: []int{30, 5}, right: []bool{false, false}}

// hashName fits a key into the Name column, cutting long ones with "...".
func hashName(k string) string {
	if r := []rune(k); len(r) > 30 {
		return string(r[:27]) + "..."
	}
	return k
}

// listLines renders an object as "Name : Value" lines, names padded to the longest.
func listLines(o *Object) []string {
	w := 0
	for _, p := range o.Props {
		w = max(w, width(p.Name))
	}
	var out []string
	for _, p := range o.Props {
		val := cellString(p.Value)
		lines := splitLines(val)
		out = append(out, strings.TrimRight(padRight(p.Name, w)+" : "+lines[0], " "))
		for _, l := range lines[1:] {
			out = append(out, strings.TrimRight(strings.Repeat(" ", w+3)+l, " "))
		}
	}
	return out
}

// cellRow renders an object's properties as table cells.
func cellRow(o *Object) []string {
	cells := make([]string, len(o.Props))
	for i, p := range o.Props {
		cells[i] = firstLine(cellString(p.Value))
	}
	return cells
}

// itoa is strconv.Itoa for the formatting code.
func itoa(n int) string { return strconv.Itoa(n) }
