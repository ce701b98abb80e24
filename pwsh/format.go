package pwsh

import "strings"

// formatter is Out-Default: it turns output objects into console lines. Consecutive objects of the same shape
// share one table; rows wait until a flush point (a Host call or a sleep that may take a while, other console
// output, the end of the script) so the first batch sizes the columns, and later rows of the same table reuse
// those widths.
type formatter struct {
	emit  func(line string)
	group *group
}

type groupKind int

const (
	tableGroup groupKind = iota
	hashGroup
	listGroup
)

// group is the table or list being printed.
type group struct {
	kind    groupKind
	key     string
	cols    []string
	right   []bool
	layout  *tableLayout // nil until the header is printed
	pending [][]string
}

// put formats one output value.
func (f *formatter) put(v Value) { f.putDepth(v, 0) }

func (f *formatter) putDepth(v Value, depth int) {
	switch v := v.(type) {
	case nil:
	case []Value:
		if depth > 8 {
			f.scalar([]string{"System.Object[]"})
			return
		}
		for _, e := range v {
			f.putDepth(e, depth+1)
		}
	case *Hashtable:
		f.begin(hashGroup, "hash", hashLayout.cols, nil)
		for i, k := range v.Keys {
			var val Value
			if i < len(v.Values) {
				val = v.Values[i]
			}
			f.group.pending = append(f.group.pending, []string{hashName(k), firstLine(cellString(val))})
		}
	case *Object:
		f.object(v)
	case *fmtText:
		f.end()
		for _, l := range v.lines {
			f.emit(l)
		}
	case *errorValue:
		f.scalar(v.rec.lines())
	case *streamRecord:
		f.scalar(splitLines(v.prefix + v.text))
	default:
		f.scalar(scalarLines(v))
	}
}

func (f *formatter) scalar(lines []string) {
	f.end()
	for _, l := range lines {
		f.emit(l)
	}
}

func (f *formatter) object(o *Object) {
	if o == nil || len(o.Props) == 0 {
		return
	}
	if strings.EqualFold(o.TypeName, "System.Collections.DictionaryEntry") {
		name, _ := objGet(o, "Name")
		val, _ := objGet(o, "Value")
		f.begin(hashGroup, "hash", hashLayout.cols, nil)
		f.group.pending = append(f.group.pending, []string{hashName(toStr(name)), firstLine(cellString(val))})
		return
	}
	if len(o.Props) > 4 {
		if f.group == nil || f.group.kind != listGroup {
			f.end()
			f.group = &group{kind: listGroup}
		}
		f.emit("")
		for _, l := range listLines(o) {
			f.emit(l)
		}
		return
	}
	names := make([]string, len(o.Props))
	right := make([]bool, len(o.Props))
	for i, p := range o.Props {
		names[i] = p.Name
		right[i] = isNumeric(p.Value)
	}
	key := strings.ToLower(typeName(o) + "\x00" + strings.Join(names, "\x00"))
	f.begin(tableGroup, key, names, right)
	f.group.pending = append(f.group.pending, cellRow(o))
}

// begin continues the current group when it has the same shape, or starts a new one.
func (f *formatter) begin(kind groupKind, key string, cols []string, right []bool) {
	if f.group != nil && f.group.kind == kind && f.group.key == key {
		if f.group.layout == nil && right != nil {
			// A column is right-aligned only if every value in the first batch is a number.
			for i := range f.group.right {
				f.group.right[i] = f.group.right[i] && i < len(right) && right[i]
			}
		}
		return
	}
	f.end()
	if right == nil {
		right = make([]bool, len(cols))
	}
	f.group = &group{kind: kind, key: key, cols: cols, right: append([]bool(nil), right...)}
}

// flush prints the rows waiting in the current table.
func (f *formatter) flush() {
	g := f.group
	if g == nil || len(g.pending) == 0 {
		return
	}
	if g.layout == nil {
		if g.kind == hashGroup {
			g.layout = hashLayout
		} else {
			g.layout = newTableLayout(g.cols, g.pending, g.right)
		}
		f.emit("")
		for _, l := range g.layout.header() {
			f.emit(l)
		}
	}
	for _, r := range g.pending {
		f.emit(g.layout.row(r))
	}
	g.pending = nil
}

// end prints what is pending and closes the current table or list with its blank line.
func (f *formatter) end() {
	if f.group == nil {
		return
	}
	f.flush()
	f.group = nil
	f.emit("")
}

// formatLines runs values through a fresh Out-Default and returns the lines (Out-String). ok is false once the
// text passes limit characters.
func formatLines(vs []Value, limit int) (lines []string, ok bool) {
	size := 0
	f := &formatter{emit: func(l string) {
		size += len(l) + 2
		lines = append(lines, l)
	}}
	for _, v := range vs {
		f.put(v)
		if size > limit {
			return nil, false
		}
	}
	f.end()
	return lines, size <= limit
}
