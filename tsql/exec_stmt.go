package tsql

import (
	"strings"
	"time"
	"unicode/utf8"
)

// compiler returns a compiler for statement-level expressions (no FROM in scope).
func (sc *scope) compiler() *compiler {
	return &compiler{sc: sc, aggErr: 147}
}

// eval compiles and evaluates a statement-level expression.
func (sc *scope) eval(e expr) (Value, sqlType, error) {
	x, err := sc.compiler().value(e)
	if err != nil {
		return nil, sqlType{}, err
	}
	v, err := x.eval(nil)
	return v, x.typ, err
}

// condition compiles and evaluates IF and WHILE conditions.
func (sc *scope) condition(e expr, line int) (tri, error) {
	fn, err := sc.compiler().cond(e)
	if err != nil {
		return triFalse, err
	}
	return fn(nil)
}

// assignVar stores a value in a variable, converted to its declared type; op is "=" or a compound operator.
func assignVar(v *variable, op string, val Value, from sqlType) error {
	if op != "=" && op != "" {
		cur := v.val
		r, err := arith(op[:1], cur, val, v.typ, from, arithType(op[:1], v.typ, from))
		if err != nil {
			return err
		}
		val, from = r, arithType(op[:1], v.typ, from)
	}
	if val == nil {
		v.val = nil
		return nil
	}
	cv, err := convert(val, from, v.typ, -1, false)
	if err != nil {
		return err
	}
	v.val = cv
	return nil
}

// resultTable builds the result set a client receives.
func resultTable(cols []column, rows [][]Value) *Table {
	t := &Table{Columns: make([]Column, len(cols)), Rows: rows}
	for i, c := range cols {
		typ := c.typ
		if typ.kind == kVariant {
			for _, r := range rows {
				if i < len(r) && r[i] != nil {
					typ = valueType(r[i])
					break
				}
			}
		}
		ct, size := typ.column()
		t.Columns[i] = Column{Name: c.name, Type: ct, Size: size}
	}
	if t.Rows == nil {
		t.Rows = [][]Value{}
	}
	return t
}

func (sc *scope) execSelect(s *selectStmt) error {
	q, err := sc.compiler().query(s.q, nil, true)
	if err != nil {
		return err
	}
	rows, err := q.run(nil)
	if err != nil {
		return err
	}
	r := sc.r
	if q.assigns {
		r.sess.rowCount = q.count
		return nil
	}
	if lim := r.sess.rowLimit; lim > 0 && int64(len(rows)) > lim {
		rows = rows[:lim]
	}
	r.sess.rowCount = int64(len(rows))
	r.emit(resultTable(q.cols, rows))
	return nil
}

// emit sends a result set and its row count.
func (r *runner) emit(t *Table) {
	r.out.ResultSet(t)
	if !r.sess.NoCount {
		r.out.RowsAffected(int64(len(t.Rows)))
	}
}

func (sc *scope) execDeclare(s *declareStmt) error {
	for _, d := range s.vars {
		if d.init == nil || d.v.slot < 0 || d.v.slot >= len(sc.vars) {
			continue
		}
		v, t, err := sc.eval(d.init)
		if err != nil {
			return err
		}
		if err := assignVar(sc.vars[d.v.slot], "=", v, t); err != nil {
			return err
		}
	}
	return nil
}

func (sc *scope) execSetVar(s *setVarStmt) error {
	if s.v.slot < 0 || s.v.slot >= len(sc.vars) {
		return raise(undeclared(s.v.name))
	}
	v, t, err := sc.eval(s.x)
	if err != nil {
		return err
	}
	if err := assignVar(sc.vars[s.v.slot], s.op, v, t); err != nil {
		return err
	}
	sc.r.sess.rowCount = 1
	return nil
}

func (sc *scope) execSetOption(s *setOptionStmt) error {
	sess := sc.r.sess
	on := s.value == "ON"
	for _, o := range s.options {
		switch o {
		case "NOCOUNT":
			sess.NoCount = on
		case "XACT_ABORT":
			sess.XactAbort = on
		case "ROWCOUNT":
			v := strings.TrimPrefix(s.value, "-")
			n := int64(0)
			for _, ch := range v {
				if ch < '0' || ch > '9' {
					n = 0
					break
				}
				n = n*10 + int64(ch-'0')
				if n > 1<<40 {
					break
				}
			}
			sess.rowLimit = n
		}
	}
	sess.rowCount = 0
	return nil
}

func (sc *scope) execPrint(s *printStmt) error {
	v, t, err := sc.eval(s.x)
	if err != nil {
		return err
	}
	text := ""
	if v != nil {
		cv, err := convert(v, t, sqlType{kind: kNVarChar, size: 4000}, -1, false)
		if err != nil {
			return err
		}
		text = cv.(string)
	}
	sc.r.out.Info(Message{Number: 0, State: 1, Class: 0, Text: text, Line: int32(s.Line())})
	sc.r.sess.rowCount = 0
	return nil
}

func (sc *scope) execTran(s *tranStmt) error {
	sess := sc.r.sess
	sess.rowCount = 0
	switch s.op {
	case "BEGIN":
		sess.TranCount++
	case "COMMIT":
		if sess.TranCount == 0 {
			return raise(newErr(3902, 16, "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION."))
		}
		sess.TranCount--
	case "ROLLBACK":
		if sess.TranCount == 0 {
			return raise(newErr(3903, 16, "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION."))
		}
		sess.TranCount = 0
	}
	sc.tranChanged()
	return nil
}

func (sc *scope) execUse(s *useStmt) error {
	r := sc.r
	if err := r.host.Use(r.ctx, s.db); err != nil {
		return err
	}
	r.sess.rowCount = 0
	r.out.Info(Message{Number: 5701, State: 1, Class: 0, Text: "Changed database context to '" + s.db + "'.", Line: int32(s.Line())})
	return nil
}

// maxWait bounds WAITFOR DELAY, as SQL Server refuses delays of 24 hours and more.
const maxWait = 24 * time.Hour

func (sc *scope) execWaitfor(s *waitforStmt) error {
	v, t, err := sc.eval(s.x)
	if err != nil {
		return err
	}
	text := toText(v, t)
	bad := raise(newErr(148, 15, "Incorrect time syntax in time string '%s' used with WAITFOR.", text))
	h, mi, sec, ns, ok := parseClock(text)
	if tm, isTime := v.(time.Time); isTime {
		h, mi, sec, ns, ok = tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), true
	}
	if v == nil || !ok {
		if strings.Count(text, ":") == 0 && v != nil {
			if tm, ok2 := parseDate(text, -1); ok2 {
				h, mi, sec, ns, ok = tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), true
			}
		}
		if !ok {
			return bad
		}
	}
	d := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ns)
	r := sc.r
	if s.at {
		now := naive(r.host.Now())
		target := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).Add(d)
		if !target.After(now) {
			target = target.Add(24 * time.Hour)
		}
		d = target.Sub(now)
	}
	if d >= maxWait {
		return bad
	}
	r.sess.rowCount = 0
	return r.host.Sleep(r.ctx, d)
}

// truncateMessage cuts a message to SQL Server's 2047 characters.
func truncateMessage(s string) string {
	if utf8.RuneCountInString(s) > 2047 {
		return truncRunes(s, 2047)
	}
	return s
}
