package tsql

import "strings"

// tvColumn is a column of a table variable.
type tvColumn struct {
	name     string
	typ      sqlType
	notNull  bool
	def      expr
	identity bool
	next     int64
	incr     int64
}

// tableVar is a table variable's definition and rows.
type tableVar struct {
	name string
	cols []tvColumn
	rows [][]Value
}

func newTableVar(name string, defs []colDef) *tableVar {
	tv := &tableVar{name: name}
	for _, d := range defs {
		t, ok := d.typ.resolve(true)
		if !ok {
			t = tVariant
		}
		tv.cols = append(tv.cols, tvColumn{name: d.name, typ: t, notNull: d.notNull, def: d.def,
			identity: d.identity, next: d.seed, incr: d.incr})
	}
	return tv
}

func (tv *tableVar) columns() []column {
	out := make([]column, len(tv.cols))
	for i, c := range tv.cols {
		out[i] = column{name: c.name, typ: c.typ}
	}
	return out
}

// index finds a column by name (case-insensitive).
func (tv *tableVar) index(name string) int {
	for i, c := range tv.cols {
		if strings.EqualFold(c.name, name) {
			return i
		}
	}
	return -1
}

// buildRow turns the values given for some columns into a full row: defaults and identity values for the
// others, conversions to the column types, and the NOT NULL check.
func (sc *scope) buildRow(tv *tableVar, targets []int, vals []Value, types []sqlType) ([]Value, error) {
	row := make([]Value, len(tv.cols))
	given := make([]bool, len(tv.cols))
	for i, ci := range targets {
		if i >= len(vals) {
			break
		}
		if _, isDefault := vals[i].(defaultMarker); isDefault {
			continue
		}
		given[ci] = true
		if vals[i] != nil {
			v, err := convert(vals[i], types[i], tv.cols[ci].typ, -1, false)
			if err != nil {
				return nil, err
			}
			row[ci] = v
		}
	}
	for ci := range tv.cols {
		c := &tv.cols[ci]
		if c.identity {
			row[ci] = c.next
			c.next += c.incr
			continue
		}
		if !given[ci] && c.def != nil {
			v, t, err := sc.eval(c.def)
			if err != nil {
				return nil, err
			}
			if v != nil {
				cv, cerr := convert(v, t, c.typ, -1, false)
				if cerr != nil {
					return nil, cerr
				}
				v = cv
			}
			row[ci] = v
		}
		if row[ci] == nil && c.notNull {
			return nil, newErr(515, 16, "Cannot insert the value NULL into column '%s', table '%s'; column does not allow nulls. INSERT fails.",
				c.name, tv.name)
		}
	}
	return row, nil
}

// defaultMarker is the value of DEFAULT in a VALUES list.
type defaultMarker struct{}
