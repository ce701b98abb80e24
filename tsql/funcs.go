package tsql

import "strings"

// builtin is a function the interpreter evaluates itself.
type builtin struct {
	min, max int // argument count bounds (max -1: any)
	build    func(c *compiler, name string, args []cexpr) (cexpr, error)
}

// builtins maps upper-case function names to their implementations (filled by the files that define them).
var builtins = map[string]builtin{}

// hostFuncTypes are the result types of the server functions a Host answers.
var hostFuncTypes = map[string]sqlType{"DB_ID": tInt, "DB_NAME": tSysname, "OBJECT_ID": tInt,
	"OBJECT_NAME": tSysname, "SCHEMA_NAME": tSysname, "SCHEMA_ID": tInt, "SUSER_SNAME": tSysname,
	"SUSER_NAME": tSysname, "USER_NAME": tSysname, "HOST_NAME": tSysname, "APP_NAME": tSysname,
	"NEWID": tGUID, "IS_SRVROLEMEMBER": tInt, "IS_MEMBER": tInt, "HAS_DBACCESS": tInt, "FILE_NAME": tSysname,
	"ORIGINAL_LOGIN": tSysname, "SUSER_ID": tInt, "USER_ID": tInt}

var aggNames = map[string]bool{"COUNT": true, "COUNT_BIG": true, "SUM": true, "MIN": true, "MAX": true, "AVG": true}

// isAggregate reports whether a call is one of the aggregate functions.
func isAggregate(f *funcCall) bool {
	return f.name.Schema == "" && f.name.Database == "" && aggNames[strings.ToUpper(f.name.Object)]
}

func argCountErr(name string, n int) *Error {
	return newErr(174, 15, "The %s function requires %d argument(s).", name, n)
}

// call compiles a function call: aggregates, built-ins, msdb.dbo.agent_datetime, then the Host's functions.
func (c *compiler) call(e *funcCall) (cexpr, error) {
	if isAggregate(e) {
		return c.aggregate(e)
	}
	name := strings.ToUpper(e.name.Object)
	qualified := e.name.Schema != "" || e.name.Database != ""
	if e.star {
		return cexpr{}, newErr(102, 15, "Incorrect syntax near '*'.")
	}
	if e.distinct {
		return cexpr{}, newErr(102, 15, "Incorrect syntax near 'DISTINCT'.")
	}
	args := make([]cexpr, len(e.args))
	for i, a := range e.args {
		x, err := c.value(a)
		if err != nil {
			return cexpr{}, err
		}
		args[i] = x
	}
	if name == "AGENT_DATETIME" {
		if len(args) != 2 {
			return cexpr{}, newErr(313, 16, "An insufficient number of arguments were supplied for the procedure or function %s.", e.name.String())
		}
		return agentDatetime(args), nil
	}
	if b, ok := builtins[name]; ok && !qualified {
		if len(args) < b.min || (b.max >= 0 && len(args) > b.max) {
			n := b.min
			if len(args) > b.max && b.max >= 0 {
				n = b.max
			}
			return cexpr{}, argCountErr(e.name.Object, n)
		}
		return b.build(c, e.name.Object, args)
	}
	return c.hostFunc(e, name, args), nil
}

// hostFunc calls a server function the Host knows. Calls whose arguments do not change within the statement
// (DB_ID(N'mgc'), SERVERPROPERTY('ProductVersion')) are made once: SQL Server also evaluates them once, and the
// simulator's functions need not be asked per row.
func (c *compiler) hostFunc(e *funcCall, name string, args []cexpr) cexpr {
	r := c.sc.r
	qualified := e.name.Schema != "" || e.name.Database != ""
	written := e.name.String()
	fn := func(f *frame) (Value, error) {
		vals := make([]Value, len(args))
		for i, a := range args {
			v, err := a.eval(f)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
		v, known, err := r.host.Func(r.ctx, name, vals)
		if err != nil {
			return nil, err
		}
		if !known {
			if qualified {
				return nil, newErr(4121, 16, "Cannot find either column \"%s\" or the user-defined function or aggregate \"%s\", or the name is ambiguous.",
					e.name.Schema, written)
			}
			return nil, newErr(195, 15, "'%s' is not a recognized built-in function name.", e.name.Object)
		}
		return norm(v), nil
	}
	constant := name != "NEWID"
	for _, a := range args {
		constant = constant && a.constant
	}
	typ, ok := hostFuncTypes[name]
	if !ok {
		typ = tVariant
	}
	if constant {
		fn = once(fn)
	}
	return cexpr{eval: fn, typ: typ, constant: constant}
}

// once caches the first result of fn.
func once(fn evalFn) evalFn {
	done := false
	var v Value
	var err error
	return func(f *frame) (Value, error) {
		if !done {
			v, err = fn(f)
			done = true
		}
		return v, err
	}
}

// scalarFn builds a function of already evaluated arguments; with strict, a NULL argument gives NULL without
// calling fn.
func scalarFn(args []cexpr, typ sqlType, strict bool, fn func(vals []Value) (Value, error)) cexpr {
	constant := true
	for _, a := range args {
		constant = constant && a.constant
	}
	eval := func(f *frame) (Value, error) {
		vals := make([]Value, len(args))
		for i, a := range args {
			v, err := a.eval(f)
			if err != nil {
				return nil, err
			}
			if v == nil && strict {
				return nil, nil
			}
			vals[i] = v
		}
		return fn(vals)
	}
	return cexpr{eval: eval, typ: typ, constant: constant}
}

// register adds built-ins; each file of functions calls it from an init function.
func register(min, max int, build func(c *compiler, name string, args []cexpr) (cexpr, error), names ...string) {
	for _, n := range names {
		builtins[n] = builtin{min: min, max: max, build: build}
	}
}
