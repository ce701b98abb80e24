package tsql

// capture collects the result sets of INSERT ... EXEC; messages still reach the client.
type capture struct {
	out   Output
	width int
	rows  [][]Value
	types []sqlType
	bad   bool
}

func (c *capture) Info(m Message)       { c.out.Info(m) }
func (c *capture) Error(m Message)      { c.out.Error(m) }
func (c *capture) RowsAffected(n int64) {}

func (c *capture) ResultSet(t *Table) {
	if t == nil {
		return
	}
	if len(t.Columns) != c.width {
		c.bad = true
		return
	}
	if c.types == nil {
		for _, col := range t.Columns {
			c.types = append(c.types, fromColumn(col.Type, col.Size))
		}
	}
	for _, row := range t.Rows {
		nr := make([]Value, c.width)
		for i := range nr {
			if i < len(row) {
				nr[i] = norm(row[i])
			}
		}
		c.rows = append(c.rows, nr)
	}
}

// tableTarget finds the table variable a DML statement writes to; anything else is refused readably.
func (sc *scope) tableTarget(verb string, tv *varRef, target *ObjectName) (*tableVar, error) {
	if tv == nil {
		name := ""
		if target != nil {
			name = target.String()
		}
		return nil, raise(unsupportedErr(verb + " " + name))
	}
	if tv.slot < 0 || tv.slot >= len(sc.vars) || sc.vars[tv.slot].table == nil {
		return nil, raise(undeclaredTable(tv.name))
	}
	return sc.vars[tv.slot].table, nil
}

func mismatch() *Error {
	return newErr(213, 16, "Column name or number of supplied values does not match table definition.")
}

func (sc *scope) execInsert(s *insertStmt) error {
	tv, err := sc.tableTarget("INSERT into", s.tv, s.target)
	if err != nil {
		return err
	}
	var targets []int
	if len(s.columns) > 0 {
		for _, name := range s.columns {
			i := tv.index(name)
			if i < 0 {
				return raise(newErr(207, 16, "Invalid column name '%s'.", name))
			}
			if tv.cols[i].identity {
				return raise(newErr(544, 16, "Cannot insert explicit value for identity column in table '%s' when IDENTITY_INSERT is set to OFF.", tv.name))
			}
			targets = append(targets, i)
		}
	} else {
		for i, c := range tv.cols {
			if !c.identity {
				targets = append(targets, i)
			}
		}
	}
	var rows [][]Value
	var types [][]sqlType
	switch {
	case s.defaults:
		rows, types = [][]Value{nil}, [][]sqlType{nil}
		targets = nil
	case s.values != nil:
		for _, vr := range s.values {
			if len(vr) != len(targets) {
				switch {
				case len(s.columns) == 0:
					return raise(mismatch())
				case len(vr) > len(targets):
					return raise(newErr(110, 15, "There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement."))
				default:
					return raise(newErr(109, 15, "There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement."))
				}
			}
			vals, ts := make([]Value, len(vr)), make([]sqlType, len(vr))
			for i, x := range vr {
				if x == nil {
					vals[i] = defaultMarker{}
					continue
				}
				v, t, err := sc.eval(x)
				if err != nil {
					return err
				}
				vals[i], ts[i] = v, t
			}
			rows, types = append(rows, vals), append(types, ts)
		}
	case s.q != nil:
		q, err := sc.compiler().query(s.q, nil, true)
		if err != nil {
			return err
		}
		if len(q.cols) != len(targets) {
			if len(q.cols) < len(targets) {
				return raise(newErr(120, 15, "The select list for the INSERT statement contains fewer items than the insert list. The number of SELECT values must match the number of INSERT columns."))
			}
			return raise(newErr(121, 15, "The select list for the INSERT statement contains more items than the insert list. The number of SELECT values must match the number of INSERT columns."))
		}
		qrows, err := q.run(nil)
		if err != nil {
			return err
		}
		ts := make([]sqlType, len(q.cols))
		for i, c := range q.cols {
			ts[i] = c.typ
		}
		for _, r := range qrows {
			rows, types = append(rows, r), append(types, ts)
		}
	case s.exec != nil:
		r := sc.r
		if r.capture != nil {
			return raise(newErr(8164, 16, "An INSERT EXEC statement cannot be nested."))
		}
		c := &capture{out: r.out, width: len(targets)}
		r.out, r.capture = c, c
		err := sc.execExec(s.exec)
		r.out, r.capture = c.out, nil
		if err != nil {
			return err
		}
		if c.bad {
			return raise(mismatch())
		}
		for _, row := range c.rows {
			rows, types = append(rows, row), append(types, c.types)
		}
	}
	built := make([][]Value, 0, len(rows))
	for i, vals := range rows {
		row, err := sc.buildRow(tv, targets, vals, types[i])
		if err != nil {
			return err
		}
		built = append(built, row)
	}
	if len(tv.rows)+len(built) > maxRows {
		return raise(tooManyRows())
	}
	tv.rows = append(tv.rows, built...)
	sc.affected(int64(len(built)))
	return nil
}

// affected records a DML statement's row count.
func (sc *scope) affected(n int64) {
	r := sc.r
	r.sess.rowCount = n
	if !r.sess.NoCount {
		r.out.RowsAffected(n)
	}
}

// dmlScope compiles the WHERE and SET expressions of UPDATE and DELETE against the table variable alone.
func (sc *scope) dmlScope(tv *tableVar, alias string, from []tableSource, verb string) (*compiler, error) {
	if len(from) > 0 {
		return nil, raise(unsupportedErr(verb + " with a FROM clause"))
	}
	if alias == "" {
		alias = tv.name
	}
	qs := &qscope{sources: []*source{{alias: alias, display: alias, cols: tv.columns()}}}
	return sc.compiler().with(qs), nil
}

func (sc *scope) execUpdate(s *updateStmt) error {
	tv, err := sc.tableTarget("UPDATE of", s.tv, s.target)
	if err != nil {
		return err
	}
	c, err := sc.dmlScope(tv, s.alias, s.from, "UPDATE")
	if err != nil {
		return err
	}
	var where condFn
	if s.where != nil {
		if where, err = c.cond(s.where); err != nil {
			return err
		}
	}
	type set struct {
		col int
		v   *variable
		op  string
		x   cexpr
	}
	var sets []set
	for _, cl := range s.sets {
		x, err := c.value(cl.x)
		if err != nil {
			return err
		}
		st := set{col: -1, op: cl.op, x: x}
		if cl.v != nil {
			if cl.v.slot < 0 || cl.v.slot >= len(sc.vars) {
				return raise(undeclared(cl.v.name))
			}
			st.v = sc.vars[cl.v.slot]
		} else if st.col = tv.index(cl.col); st.col < 0 {
			return raise(newErr(207, 16, "Invalid column name '%s'.", cl.col))
		} else if tv.cols[st.col].identity {
			return raise(newErr(8102, 16, "Cannot update identity column '%s'.", cl.col))
		}
		sets = append(sets, st)
	}
	n := int64(0)
	f := &frame{row: make([][]Value, 1)}
	updated := make([][]Value, len(tv.rows))
	for i, row := range tv.rows {
		f.row[0] = row
		updated[i] = row
		if where != nil {
			t, err := where(f)
			if err != nil {
				return err
			}
			if t != triTrue {
				continue
			}
		}
		nr := append([]Value(nil), row...)
		for _, st := range sets {
			v, err := st.x.eval(f)
			if err != nil {
				return err
			}
			if st.v != nil {
				if err := assignVar(st.v, st.op, v, st.x.typ); err != nil {
					return err
				}
				continue
			}
			tmp := &variable{typ: tv.cols[st.col].typ, val: row[st.col]}
			if err := assignVar(tmp, st.op, v, st.x.typ); err != nil {
				return err
			}
			if tmp.val == nil && tv.cols[st.col].notNull {
				return raise(newErr(515, 16, "Cannot insert the value NULL into column '%s', table '%s'; column does not allow nulls. UPDATE fails.",
					tv.cols[st.col].name, tv.name))
			}
			nr[st.col] = tmp.val
		}
		updated[i] = nr
		n++
	}
	tv.rows = updated
	sc.affected(n)
	return nil
}

func (sc *scope) execDelete(s *deleteStmt) error {
	tv, err := sc.tableTarget("DELETE from", s.tv, s.target)
	if err != nil {
		return err
	}
	c, err := sc.dmlScope(tv, s.alias, s.from, "DELETE")
	if err != nil {
		return err
	}
	var where condFn
	if s.where != nil {
		if where, err = c.cond(s.where); err != nil {
			return err
		}
	}
	f := &frame{row: make([][]Value, 1)}
	kept := make([][]Value, 0, len(tv.rows))
	for _, row := range tv.rows {
		f.row[0] = row
		keep := false
		if where != nil {
			t, err := where(f)
			if err != nil {
				return err
			}
			keep = t != triTrue
		}
		if keep {
			kept = append(kept, row)
		}
	}
	n := int64(len(tv.rows) - len(kept))
	tv.rows = kept
	sc.affected(n)
	return nil
}
