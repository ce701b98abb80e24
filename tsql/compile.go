package tsql

import "strings"

// evalFn computes a value for the current row.
type evalFn func(f *frame) (Value, error)

// condFn computes a condition for the current row.
type condFn func(f *frame) (tri, error)

// cexpr is a compiled value expression.
type cexpr struct {
	eval evalFn
	typ  sqlType
	// name is the result column name an unaliased select item gets (a column's name; "" otherwise).
	name string
	// constant is true when the value cannot change from row to row within a statement.
	constant bool
	// isNull marks the NULL literal, which takes any type.
	isNull bool
}

// compiler turns expressions into closures. Compilation happens each time a statement runs, right after the
// tables it reads were fetched, so names bind to what the Host returned.
type compiler struct {
	sc *scope
	qs *qscope
	// aggErr is the error for an aggregate here: 0 when aggregates are allowed.
	aggErr int32
	// clause names where a column must be grouped ("select list" ...); "" where any column may appear.
	clause string
	inAgg  bool
	freeOK bool
	// ctes are the common table expressions in scope, innermost first.
	ctes *cteScope
}

// cteScope is one WITH clause's common table expressions, chained to the enclosing ones.
type cteScope struct {
	parent *cteScope
	defs   []cte
}

// lookup finds a CTE by name, with the scope its own query compiles in: the CTEs defined before it. A CTE does
// not see itself (recursive CTEs are not supported), which also keeps expansion finite.
func (s *cteScope) lookup(name string) (cte, *cteScope, bool) {
	for ; s != nil; s = s.parent {
		for i, d := range s.defs {
			if strings.EqualFold(d.name, name) {
				return d, &cteScope{parent: s.parent, defs: s.defs[:i]}, true
			}
		}
	}
	return cte{}, nil, false
}

func (c *compiler) with(qs *qscope) *compiler {
	n := *c
	n.qs = qs
	n.aggErr, n.clause, n.inAgg, n.freeOK = 147, "", false, false
	return &n
}

func constVal(v Value, t sqlType) cexpr {
	return cexpr{eval: func(*frame) (Value, error) { return v, nil }, typ: t, constant: true, isNull: v == nil}
}

// value compiles an expression that must yield a value.
func (c *compiler) value(e expr) (cexpr, error) {
	if e == nil {
		return constVal(nil, tInt), nil
	}
	if c.qs != nil && c.qs.grouped && c.clause != "" && !c.inAgg && !c.freeOK && len(c.qs.groupKeys) > 0 {
		if k := exprKey(e); k != "" && c.qs.groupKeys[k] {
			saved := c.freeOK
			c.freeOK = true
			defer func() { c.freeOK = saved }()
		}
	}
	switch e := e.(type) {
	case *literal:
		return constVal(e.val, e.typ), nil
	case *varRef:
		return c.variable(e)
	case *globalRef:
		return c.global(e), nil
	case *colRef:
		return c.column(e)
	case *unaryExpr:
		return c.unary(e)
	case *binaryExpr:
		return c.binary(e)
	case *subqueryExpr:
		return c.scalarSubquery(e)
	case *caseExpr:
		return c.caseValue(e)
	case *funcCall:
		return c.call(e)
	case *castExpr:
		return c.cast(e)
	case *datePartCall:
		return c.datePart(e)
	case *unsupportedExpr:
		return cexpr{}, unsupportedErr(e.what)
	}
	return cexpr{}, newErr(4145, 15, "An expression of boolean type is not allowed here.")
}

func (c *compiler) variable(e *varRef) (cexpr, error) {
	if e.slot < 0 || e.slot >= len(c.sc.vars) {
		return cexpr{}, undeclared(e.name)
	}
	v := c.sc.vars[e.slot]
	return cexpr{eval: func(*frame) (Value, error) { return v.val, nil }, typ: v.typ, constant: true}, nil
}

// hostGlobalTypes are the types of the @@ variables a Host answers.
var hostGlobalTypes = map[string]sqlType{"SPID": {kind: kSmallInt}, "SERVERNAME": tSysname,
	"SERVICENAME": tSysname, "VERSION": {kind: kNVarChar, size: 300}, "LANGUAGE": tSysname,
	"MAX_CONNECTIONS": tInt, "LOCK_TIMEOUT": tInt, "OPTIONS": tInt, "MICROSOFTVERSION": tInt}

func (c *compiler) global(e *globalRef) cexpr {
	r := c.sc.r
	var fn evalFn
	typ := tInt
	switch e.name {
	case "ERROR":
		fn = func(*frame) (Value, error) { return int64(r.sess.lastError), nil }
	case "ROWCOUNT":
		fn = func(*frame) (Value, error) { return r.sess.rowCount, nil }
	case "TRANCOUNT":
		fn = func(*frame) (Value, error) { return int64(r.sess.TranCount), nil }
	case "NESTLEVEL":
		fn = func(*frame) (Value, error) { return int64(r.nest), nil }
	case "FETCH_STATUS":
		fn = func(*frame) (Value, error) { return int64(-1), nil }
	case "DATEFIRST":
		fn = func(*frame) (Value, error) { return int64(7), nil }
	case "PROCID":
		fn = func(*frame) (Value, error) { return int64(0), nil }
	case "IDENTITY":
		typ = sqlType{kind: kDecimal, prec: 38}
		fn = func(*frame) (Value, error) { return nil, nil }
	default:
		typ = tVariant
		if t, ok := hostGlobalTypes[e.name]; ok {
			typ = t
		}
		name := e.name
		fn = func(*frame) (Value, error) {
			v, known := r.host.Global(name)
			if !known {
				return nil, undeclared("@@" + name)
			}
			return norm(v), nil
		}
	}
	return cexpr{eval: fn, typ: typ, constant: true}
}

func (c *compiler) column(e *colRef) (cexpr, error) {
	if c.qs == nil {
		return cexpr{}, newErr(207, 16, "Invalid column name '%s'.", e.parts[len(e.parts)-1])
	}
	b, err := c.qs.resolveColumn(e.parts)
	if err != nil {
		return cexpr{}, err
	}
	if b.up == 0 && c.qs.grouped && c.clause != "" && !c.inAgg && !c.freeOK && !c.qs.groupCols[[2]int{b.src, b.col}] {
		if c.clause == "ORDER BY clause" {
			return cexpr{}, newErr(8127, 16, "Column \"%s\" is invalid in the ORDER BY clause because it is not contained in either an aggregate function or the GROUP BY clause.", b.display)
		}
		return cexpr{}, newErr(8120, 16, "Column '%s' is invalid in the %s because it is not contained in either an aggregate function or the GROUP BY clause.", b.display, c.clause)
	}
	up, src, col := b.up, b.src, b.col
	fn := func(f *frame) (Value, error) {
		for i := 0; i < up && f != nil; i++ {
			f = f.parent
		}
		if f == nil || src >= len(f.row) {
			return nil, nil
		}
		row := f.row[src]
		if col >= len(row) {
			return nil, nil
		}
		return row[col], nil
	}
	return cexpr{eval: fn, typ: b.typ, name: e.parts[len(e.parts)-1]}, nil
}

// exprKey renders an expression canonically, to match select list expressions with GROUP BY expressions. It is
// empty for expressions that never match (subqueries).
func exprKey(e expr) string {
	var b strings.Builder
	if !writeKey(&b, e) {
		return ""
	}
	return b.String()
}

func writeKey(b *strings.Builder, e expr) bool {
	switch e := e.(type) {
	case nil:
		b.WriteString("~")
	case *literal:
		b.WriteString("L")
		groupKey(b, e.val)
	case *varRef:
		b.WriteString(strings.ToLower(e.name))
	case *globalRef:
		b.WriteString("@@" + e.name)
	case *colRef:
		b.WriteString("C" + strings.ToLower(strings.Join(e.parts, ".")))
	case *unaryExpr:
		b.WriteString("U" + e.op)
		return writeKey(b, e.x)
	case *binaryExpr:
		b.WriteString("(" + e.op)
		ok := writeKey(b, e.l) && writeKey(b, e.r)
		b.WriteString(")")
		return ok
	case *funcCall:
		b.WriteString("F" + strings.ToLower(e.name.String()) + "(")
		if e.star {
			b.WriteString("*")
		}
		for _, a := range e.args {
			if !writeKey(b, a) {
				return false
			}
			b.WriteString(",")
		}
		b.WriteString(")")
	case *castExpr:
		b.WriteString("X" + e.typ.String() + "(")
		ok := writeKey(b, e.x) && writeKey(b, e.style)
		b.WriteString(")")
		return ok
	case *datePartCall:
		b.WriteString("D" + e.fn + string(e.part) + "(")
		for _, a := range e.args {
			if !writeKey(b, a) {
				return false
			}
			b.WriteString(",")
		}
		b.WriteString(")")
	default:
		return false
	}
	return true
}
