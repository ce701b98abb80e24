package tsql

import "strings"

// builtinGlobals are the @@ variables the interpreter answers itself.
var builtinGlobals = map[string]bool{"ERROR": true, "ROWCOUNT": true, "TRANCOUNT": true, "NESTLEVEL": true,
	"FETCH_STATUS": true, "IDENTITY": true, "DATEFIRST": true, "PROCID": true}

// slotInfo is a variable known at compile time: SQL Server creates every variable of a batch when it compiles
// it, so a variable declared in a branch that does not run still exists (and is NULL or empty).
type slotInfo struct {
	name  string
	typ   sqlType
	table []colDef // nil for scalars
}

// resolver is SQL Server's compile step for variables: it walks a batch in text order, binds every variable
// reference to a slot and raises 137, 1087 and 134 before anything runs. Variables are scoped to the whole
// batch, not to BEGIN ... END blocks.
type resolver struct {
	host  Host
	slots map[string]int
	infos []slotInfo
	line  int
	err   *Error
	// globals are the @@ names the Host was asked about, checked again when the batch is reused.
	globals []string
}

func newResolver(host Host) *resolver {
	return &resolver{host: host, slots: map[string]int{}}
}

func (r *resolver) fail(e *Error) {
	if r.err == nil {
		e.Line = int32(r.line)
		e.Abort = true
		r.err = e
	}
}

// declare adds a variable; a second declaration of a name is Msg 134, an unknown type Msg 2715.
func (r *resolver) declare(v *varRef, ts typeSpec, table []colDef) {
	key := strings.ToLower(v.name)
	if _, dup := r.slots[key]; dup {
		r.fail(newErr(134, 15, "The variable name '%s' has already been declared. Variable names must be unique within a query batch or stored procedure.", v.name))
		return
	}
	info := slotInfo{name: v.name, table: table}
	if table == nil {
		t, ok := ts.resolve(true)
		if !ok {
			r.fail(newErr(2715, 16, "Column, parameter, or variable #%d: Cannot find data type %s.", len(r.infos)+1, ts.String()))
			return
		}
		info.typ = t
	}
	for i, c := range table {
		if _, ok := c.typ.resolve(true); !ok {
			r.fail(newErr(2715, 16, "Column, parameter, or variable #%d: Cannot find data type %s.", i+1, c.typ.String()))
			return
		}
	}
	v.slot = len(r.infos)
	r.slots[key] = v.slot
	r.infos = append(r.infos, info)
}

// scalar binds a reference to a scalar variable.
func (r *resolver) scalar(v *varRef) {
	if v == nil {
		return
	}
	slot, ok := r.slots[strings.ToLower(v.name)]
	if !ok || r.infos[slot].table != nil {
		r.fail(undeclared(v.name))
		return
	}
	v.slot = slot
}

// table binds a reference to a table variable.
func (r *resolver) table(v *varRef) {
	if v == nil {
		return
	}
	slot, ok := r.slots[strings.ToLower(v.name)]
	if !ok || r.infos[slot].table == nil {
		r.fail(undeclaredTable(v.name))
		return
	}
	v.slot = slot
}

func (r *resolver) stmts(list []Statement) {
	for _, s := range list {
		r.stmt(s)
	}
}

func (r *resolver) stmt(s Statement) {
	if s == nil || r.err != nil {
		return
	}
	r.line = s.Line()
	switch s := s.(type) {
	case *selectStmt:
		r.query(s.q)
	case *declareStmt:
		for _, d := range s.vars {
			if d.table != nil {
				for _, c := range d.table {
					r.expr(c.def)
				}
				r.declare(d.v, typeSpec{}, d.table)
				continue
			}
			r.expr(d.init)
			r.declare(d.v, d.typ, nil)
		}
	case *setVarStmt:
		r.expr(s.x)
		r.scalar(s.v)
	case *contextInfoStmt:
		r.expr(s.x)
	case *ifStmt:
		r.expr(s.cond)
		r.stmt(s.then)
		r.stmt(s.elseStmt)
	case *blockStmt:
		r.stmts(s.body)
	case *tryStmt:
		r.stmts(s.try)
		r.stmts(s.catch)
	case *whileStmt:
		r.expr(s.cond)
		r.stmt(s.body)
	case *returnStmt:
		r.expr(s.x)
	case *printStmt:
		r.expr(s.x)
	case *raiserrorStmt:
		r.exprs(s.msg, s.severity, s.state)
		r.exprs(s.args...)
	case *throwStmt:
		r.exprs(s.number, s.message, s.state)
	case *execStmt:
		r.exec(s)
	case *insertStmt:
		r.table(s.tv)
		for _, row := range s.values {
			r.exprs(row...)
		}
		r.query(s.q)
		if s.exec != nil {
			r.exec(s.exec)
		}
	case *updateStmt:
		r.froms(s.from)
		if s.tv != nil {
			r.table(s.tv)
		}
		for _, c := range s.sets {
			r.expr(c.x)
			r.scalar(c.v)
		}
		r.expr(s.where)
	case *deleteStmt:
		r.froms(s.from)
		r.table(s.tv)
		r.expr(s.where)
	case *backupStmt:
		r.scalar(s.dbVar)
		r.exprs(s.disks...)
		r.exprs(s.opts.name, s.opts.description, s.opts.mediaName)
	case *restoreStmt:
		r.scalar(s.dbVar)
		r.exprs(s.disks...)
		r.exprs(s.file, s.standby)
		for _, m := range s.moves {
			r.exprs(m[0], m[1])
		}
	case *alterDBStmt:
		r.expr(s.addr)
	case *waitforStmt:
		r.expr(s.x)
	}
}

func (r *resolver) exec(s *execStmt) {
	r.expr(s.dynamic)
	r.scalar(s.procVar)
	for _, a := range s.args {
		r.expr(a.x)
	}
	r.scalar(s.status)
}

func (r *resolver) exprs(list ...expr) {
	for _, e := range list {
		r.expr(e)
	}
}

func (r *resolver) froms(list []tableSource) {
	for _, s := range list {
		r.source(s)
	}
}

func (r *resolver) source(s tableSource) {
	switch s := s.(type) {
	case *tableVarSource:
		r.table(s.v)
	case *derivedTable:
		r.query(s.q)
	case *joinSource:
		r.source(s.left)
		r.source(s.right)
		r.expr(s.on)
	}
}

func (r *resolver) query(q *query) {
	if q == nil {
		return
	}
	for _, c := range q.ctes {
		r.query(c.q)
	}
	r.body(q.body)
	for _, o := range q.orderBy {
		r.expr(o.x)
	}
	r.exprs(q.offset, q.fetch)
}

func (r *resolver) body(b queryBody) {
	switch b := b.(type) {
	case *setOp:
		r.body(b.l)
		r.body(b.r)
	case *nestedQuery:
		r.query(b.q)
	case *selectCore:
		r.expr(b.top)
		r.froms(b.from)
		for _, it := range b.items {
			r.expr(it.x)
			r.scalar(it.assignVar)
		}
		r.expr(b.where)
		r.exprs(b.groupBy...)
		r.expr(b.having)
	}
}

func (r *resolver) expr(e expr) {
	if e == nil || r.err != nil {
		return
	}
	switch e := e.(type) {
	case *varRef:
		r.scalar(e)
	case *globalRef:
		if !builtinGlobals[e.name] {
			r.globals = append(r.globals, e.name)
			if _, known := r.host.Global(e.name); !known {
				r.fail(undeclared("@@" + e.name))
			}
		}
	case *unaryExpr:
		r.expr(e.x)
	case *binaryExpr:
		r.exprs(e.l, e.r)
	case *compareExpr:
		r.exprs(e.l, e.r)
	case *logicExpr:
		r.exprs(e.l, e.r)
	case *notExpr:
		r.expr(e.x)
	case *isNullExpr:
		r.expr(e.x)
	case *inExpr:
		r.expr(e.x)
		r.exprs(e.list...)
		r.query(e.q)
	case *likeExpr:
		r.exprs(e.x, e.pattern, e.escape)
	case *betweenExpr:
		r.exprs(e.x, e.lo, e.hi)
	case *existsExpr:
		r.query(e.q)
	case *subqueryExpr:
		r.query(e.q)
	case *caseExpr:
		r.expr(e.operand)
		for _, w := range e.whens {
			r.exprs(w.cond, w.then)
		}
		r.expr(e.els)
	case *funcCall:
		r.exprs(e.args...)
	case *castExpr:
		r.exprs(e.x, e.style)
	case *datePartCall:
		r.exprs(e.args...)
	}
}
