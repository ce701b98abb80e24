package tsql

import "strings"

// frame is the row being evaluated at one query level: one row per FROM source (nil for the NULL side of an
// outer join), the group when aggregating, and the frame of the enclosing query for correlated references.
type frame struct {
	parent *frame
	row    [][]Value
	group  [][][]Value
}

// column is a named, typed column of a source or result.
type column struct {
	name string
	typ  sqlType
}

// source is one table of a FROM clause as the compiler sees it.
type source struct {
	alias   string     // the name it is qualified by when it has one (alias, @t, CTE name)
	obj     ObjectName // the table name as written, for unaliased tables
	display string     // how messages name it
	cols    []column
}

// qscope is the compile-time scope of one query level.
type qscope struct {
	parent  *qscope
	sources []*source
	// vis restricts name resolution to some sources (the ON clause of a join, the left side of an APPLY).
	vis        []bool
	grouped    bool
	groupCols  map[[2]int]bool
	groupKeys  map[string]bool
	correlated bool
}

func (qs *qscope) visible(i int) bool {
	return qs.vis == nil || (i < len(qs.vis) && qs.vis[i])
}

// colBinding is a resolved column reference.
type colBinding struct {
	up, src, col int
	typ          sqlType
	display      string
}

// resolveColumn binds a 1- to 4-part column name against the scope chain, raising 207, 209 or 4104 as SQL
// Server does.
func (qs *qscope) resolveColumn(parts []string) (colBinding, *Error) {
	colName := parts[len(parts)-1]
	qual := parts[:len(parts)-1]
	full := strings.Join(parts, ".")
	for up, s := 0, qs; s != nil; up, s = up+1, s.parent {
		var found []colBinding
		qualMatched := false
		for i, src := range s.sources {
			if !s.visible(i) {
				continue
			}
			if len(qual) > 0 {
				if !src.matches(qual) {
					continue
				}
				qualMatched = true
			}
			for j, c := range src.cols {
				if strings.EqualFold(c.name, colName) {
					found = append(found, colBinding{up: up, src: i, col: j, typ: c.typ, display: src.display + "." + c.name})
					break
				}
			}
		}
		switch {
		case len(found) > 1:
			return colBinding{}, newErr(209, 16, "Ambiguous column name '%s'.", colName)
		case len(found) == 1:
			for i, t := 0, qs; i < up; i, t = i+1, t.parent {
				t.correlated = true
			}
			return found[0], nil
		case qualMatched:
			return colBinding{}, newErr(207, 16, "Invalid column name '%s'.", colName)
		}
	}
	if len(qual) > 0 {
		return colBinding{}, newErr(4104, 16, "The multi-part identifier \"%s\" could not be bound.", full)
	}
	return colBinding{}, newErr(207, 16, "Invalid column name '%s'.", colName)
}

// matches reports whether a qualifier (the parts before the column name) names this source: its alias, or the
// trailing parts of its table name when it has no alias.
func (src *source) matches(qual []string) bool {
	if src.alias != "" {
		return len(qual) == 1 && strings.EqualFold(qual[0], src.alias)
	}
	written := []string{src.obj.Server, src.obj.Database, src.obj.Schema, src.obj.Object}
	if len(qual) > 4 {
		return false
	}
	for i := 1; i <= len(qual); i++ {
		q, w := qual[len(qual)-i], written[4-i]
		if i == 1 {
			if !strings.EqualFold(q, w) {
				return false
			}
			continue
		}
		if w != "" && q != "" && !strings.EqualFold(q, w) {
			return false
		}
	}
	return true
}

// starColumns lists the (source, column) pairs of * or t.* in order.
func (qs *qscope) starColumns(qual []string) ([][2]int, *Error) {
	var out [][2]int
	matched := false
	for i, src := range qs.sources {
		if len(qual) > 0 && !src.matches(qual) {
			continue
		}
		matched = true
		for j := range src.cols {
			out = append(out, [2]int{i, j})
		}
	}
	if len(qual) > 0 && !matched {
		return nil, newErr(4104, 16, "The multi-part identifier \"%s\" could not be bound.", strings.Join(qual, "."))
	}
	return out, nil
}
