package tsql

import "strings"

// execExec runs EXEC: dynamic SQL in a nested scope, sp_executesql, or a Host procedure with OUTPUT parameters
// copied back and the return status stored.
func (sc *scope) execExec(s *execStmt) error {
	r := sc.r
	if s.dynamic != nil {
		text, err := sc.textArg(s.dynamic)
		if err != nil {
			return err
		}
		return sc.nested(func(inherited bool) error { return r.batch(text, nil, inherited) })
	}
	proc := s.proc
	if s.procVar != nil {
		name, err := sc.dbArg("", s.procVar)
		if err != nil {
			return err
		}
		n, ok := parseObjectName(name)
		if !ok {
			return raise(newErr(2812, 16, "Could not find stored procedure '%s'.", name))
		}
		proc = n
	}
	args := make([]Arg, len(s.args))
	types := make([]sqlType, len(s.args))
	for i, a := range s.args {
		args[i] = Arg{Name: a.name, Output: a.output, Default: a.x == nil}
		if a.x != nil {
			v, t, err := sc.eval(a.x)
			if err != nil {
				return err
			}
			args[i].Value, types[i] = v, t
		}
	}
	var err error
	status := 0
	if isExecuteSQL(proc) {
		err = sc.nested(func(inherited bool) error { return sc.executeSQL(args, types, inherited) })
	} else {
		counted := &countingOut{Output: r.out}
		status, err = r.host.Exec(r.ctx, proc, args, counted)
		err = toFault(err)
		r.sess.rowCount = counted.last
	}
	if isCtx(err) {
		return err
	}
	for i, a := range s.args {
		if !a.output {
			continue
		}
		if v, ok := a.x.(*varRef); ok && v.slot >= 0 && v.slot < len(sc.vars) {
			if aerr := assignVar(sc.vars[v.slot], "=", norm(args[i].Value), tVariant); aerr != nil && err == nil {
				err = toFault(aerr)
			}
		}
	}
	if s.status != nil && s.status.slot >= 0 && s.status.slot < len(sc.vars) {
		if f, ok := err.(*fault); ok && status == 0 && f.level == levelStmt {
			status = -6
		}
		if aerr := assignVar(sc.vars[s.status.slot], "=", int64(status), tInt); aerr != nil && err == nil {
			err = toFault(aerr)
		}
	}
	return err
}

// isCtx reports whether err ends the run for a reason other than SQL (cancellation).
func isCtx(err error) bool {
	if err == nil {
		return false
	}
	switch err.(type) {
	case *fault, *aborted, flow:
		return false
	}
	return true
}

// nested runs dynamic SQL one nesting level down. A fault that comes back unreported (an outer TRY is open)
// belongs to the calling statement; a scope abort below only ends the nested scope.
func (sc *scope) nested(run func(inherited bool) error) error {
	r := sc.r
	if r.nest >= maxNest {
		return raise(abortErr(217, 16, "Maximum stored procedure, function, trigger, or view nesting level exceeded (limit %d).", maxNest))
	}
	r.nest++
	err := run(sc.inherited || sc.try > 0)
	r.nest--
	if f, ok := err.(*fault); ok {
		f.nested = true
		if f.level == levelScope {
			f.level = levelStmt
		}
	}
	return err
}

// parseObjectName reads a procedure name held in a variable (EXEC @proc).
func parseObjectName(s string) (ObjectName, bool) {
	toks, err := lex(s)
	if err != nil {
		return ObjectName{}, false
	}
	p := &parser{toks: toks}
	parts, perr := p.multiPart()
	if perr != nil || p.peek().kind != tokEOF {
		return ObjectName{}, false
	}
	return objectName(parts), true
}

// paramScope binds sp_executesql's parameters into the nested batch.
type paramScope struct {
	decls  []varDecl
	values []Value
	types  []sqlType
	set    []bool
	outArg []int // index into args of an OUTPUT argument, -1 when none
	args   []Arg
	text   string
}

// bind assigns the parameter values to their variables.
func (ps *paramScope) bind(sc *scope) error {
	for i, d := range ps.decls {
		if d.v.slot < 0 || d.v.slot >= len(sc.vars) {
			continue
		}
		if !ps.set[i] {
			return raise(newErr(8178, 16, "The parameterized query '(%s)%s' expects the parameter '%s', which was not supplied.",
				truncRunes(ps.text, 100), "", d.v.name))
		}
		if err := assignVar(sc.vars[d.v.slot], "=", ps.values[i], ps.types[i]); err != nil {
			return toFault(err)
		}
	}
	return nil
}

// copyOut writes OUTPUT parameters back into the arguments.
func (ps *paramScope) copyOut(sc *scope) {
	for i, d := range ps.decls {
		if j := ps.outArg[i]; j >= 0 && d.v.slot >= 0 && d.v.slot < len(sc.vars) {
			ps.args[j].Value = sc.vars[d.v.slot].val
		}
	}
}

// executeSQL interprets sp_executesql: @stmt, @params, then the parameters by position or name.
func (sc *scope) executeSQL(args []Arg, types []sqlType, inherited bool) error {
	typeOf := func(i int) sqlType {
		if i < len(types) && types[i].kind != kVariant {
			return types[i]
		}
		return valueType(args[i].Value)
	}
	stmtIdx, paramIdx := -1, -1
	var rest []int
	for i, a := range args {
		switch {
		case strings.EqualFold(a.Name, "@stmt") || strings.EqualFold(a.Name, "@statement") || (a.Name == "" && i == 0):
			stmtIdx = i
		case strings.EqualFold(a.Name, "@params") || (a.Name == "" && i == 1):
			paramIdx = i
		default:
			rest = append(rest, i)
		}
	}
	if stmtIdx < 0 {
		return raise(newErr(201, 16, "Procedure or function 'sp_executesql' expects parameter '@statement', which was not supplied."))
	}
	for _, pair := range [][2]int{{stmtIdx, 0}, {paramIdx, 1}} {
		if i := pair[0]; i >= 0 && args[i].Value != nil {
			if t := typeOf(i); !(t.kind == kNVarChar || t.kind == kNChar) {
				name := [...]string{"@statement", "@params"}[pair[1]]
				return raise(newErr(214, 16, "Procedure expects parameter '%s' of type 'ntext/nchar/nvarchar'.", name))
			}
		}
	}
	stmt := ""
	if v := args[stmtIdx].Value; v != nil {
		stmt = toText(v, typeOf(stmtIdx))
	}
	ps := &paramScope{args: args}
	if paramIdx >= 0 && args[paramIdx].Value != nil {
		ps.text = toText(args[paramIdx].Value, typeOf(paramIdx))
		decls, err := parseParams(ps.text)
		if err != nil {
			return raise(err)
		}
		ps.decls = decls
	}
	n := len(ps.decls)
	ps.values, ps.types, ps.set, ps.outArg = make([]Value, n), make([]sqlType, n), make([]bool, n), make([]int, n)
	for i := range ps.outArg {
		ps.outArg[i] = -1
	}
	for k, i := range rest {
		a := args[i]
		d := k
		if a.Name != "" {
			d = -1
			for j, decl := range ps.decls {
				if strings.EqualFold(decl.v.name, a.Name) {
					d = j
				}
			}
		}
		if d < 0 || d >= n {
			name := a.Name
			if name == "" {
				name = "@P" + itoa(k+1)
			}
			return raise(newErr(8145, 16, "%s is not a parameter for procedure sp_executesql.", name))
		}
		if a.Output && !ps.decls[d].out {
			return raise(newErr(8162, 16, "The formal parameter \"%s\" was not declared as an OUTPUT parameter, but the actual parameter passed in requested output.", ps.decls[d].v.name))
		}
		ps.values[d], ps.types[d], ps.set[d] = a.Value, typeOf(i), !a.Default
		if a.Output {
			ps.outArg[d] = i
		}
	}
	return sc.r.batch(stmt, ps, inherited)
}

// parseParams parses sp_executesql's parameter declarations: @a int, @b nvarchar(10) OUTPUT ...
func parseParams(text string) ([]varDecl, *Error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	var out []varDecl
	for p.peek().kind != tokEOF {
		d, err := p.varDecl(true)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
		if !p.acceptOp(",") {
			break
		}
	}
	if p.peek().kind != tokEOF {
		return nil, p.fail()
	}
	return out, nil
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// countingOut passes everything through and remembers the size of the last result set, which is what @@ROWCOUNT
// shows after a procedure.
type countingOut struct {
	Output
	last int64
}

func (c *countingOut) ResultSet(t *Table) {
	if t != nil {
		c.last = int64(len(t.Rows))
	}
	c.Output.ResultSet(t)
}
