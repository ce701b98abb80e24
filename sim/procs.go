package sim

import (
	"context"
	"strings"

	"pcfailback/tsql"
)

// procParam is one parameter of a stored procedure.
type procParam struct {
	name     string // with the leading @
	required bool
	output   bool
	def      tsql.Value
}

// procDef is a stored procedure the simulator implements.
type procDef struct {
	name   string
	msdb   bool // lives in msdb (sp_add_schedule ...) rather than being a system procedure visible everywhere
	params []procParam
	writes bool // changes state (Executed.Writes)
	// positional procedures (extended stored procedures) bind every argument by position, whatever its name.
	positional bool
	run        func(c *procCall) (int, error)
}

// procCall is one execution: bound arguments, and the messages and result sets to send once the estate lock is
// released.
type procCall struct {
	ctx    context.Context
	ss     *session
	def    *procDef
	vals   map[string]tsql.Value
	given  map[string]bool
	outIdx map[string]int
	args   []tsql.Arg
	emits  []func(tsql.Output)
}

// procs maps lower-case procedure names to their definitions; filled by the procs_*.go files.
var procs = map[string]*procDef{}

func defineProc(p *procDef) { procs[strings.ToLower(p.name)] = p }

// Exec implements tsql.Host: it runs one of the simulated stored procedures.
func (ss *session) Exec(ctx context.Context, proc tsql.ObjectName, args []tsql.Arg, out tsql.Output) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s := ss.sim
	s.lock()
	if ss.killed {
		s.unlock()
		return 0, errSessionKilled
	}
	def := ss.resolveProc(proc)
	if def == nil {
		s.unlock()
		return 0, sqlError(2812, 16, 62, "Could not find stored procedure '%s'.", proc.String())
	}
	c, err := bindArgs(def, args)
	if err != nil {
		s.unlock()
		return 0, err
	}
	c.ctx, c.ss = ctx, ss
	if def.writes {
		ss.wrote = true
	}
	status, err := def.run(c)
	s.unlock()
	for _, emit := range c.emits {
		emit(out)
	}
	for name, i := range c.outIdx {
		args[i].Value = c.vals[name]
	}
	return status, err
}

// resolveProc finds a procedure the way SQL Server resolves the name from the session's database: system
// procedures (sp_who2, xp_fileexist, the log-shipping procedures) from any database, msdb procedures only in
// msdb.
func (ss *session) resolveProc(name tsql.ObjectName) *procDef {
	if name.Server != "" && !ss.inst.matches(name.Server) {
		return nil
	}
	def := procs[strings.ToLower(name.Object)]
	if def == nil {
		return nil
	}
	schema := strings.ToLower(name.Schema)
	if schema != "" && schema != "dbo" && schema != "sys" {
		return nil
	}
	db := name.Database
	if db == "" {
		db = ss.db
	}
	if ss.inst.db(db) == nil {
		return nil
	}
	if def.msdb && !nameEq(db, "msdb") {
		return nil
	}
	return def
}

// bindArgs matches EXEC arguments to parameters: positional first, then by name, with SQL Server's errors.
func bindArgs(def *procDef, args []tsql.Arg) (*procCall, error) {
	c := &procCall{def: def, vals: map[string]tsql.Value{}, given: map[string]bool{}, outIdx: map[string]int{}, args: args}
	named := false
	for i, a := range args {
		var p *procParam
		if a.Name == "" || def.positional {
			if named {
				return nil, procError(def.name, 119, 15, 1, "Must pass parameter number %d and subsequent parameters as "+
					"'@name = value'. After the form '@name = value' has been used, all subsequent parameters must be "+
					"passed in the form '@name = value'.", i+1)
			}
			if i >= len(def.params) {
				return nil, procError(def.name, 8144, 16, 2, "Procedure or function %s has too many arguments specified.", def.name)
			}
			p = &def.params[i]
		} else {
			named = true
			for j := range def.params {
				if strings.EqualFold(def.params[j].name, a.Name) {
					p = &def.params[j]
				}
			}
			if p == nil {
				return nil, procError(def.name, 8145, 16, 2, "%s is not a parameter for procedure %s.", a.Name, def.name)
			}
		}
		key := strings.ToLower(p.name)
		if a.Output && !p.output {
			return nil, procError(def.name, 8162, 16, 2, "The formal parameter \"%s\" was not declared as an OUTPUT "+
				"parameter, but the actual parameter passed in requested output.", p.name)
		}
		if a.Default {
			continue
		}
		c.vals[key], c.given[key] = a.Value, true
		if a.Output && p.output {
			c.outIdx[key] = i
		}
	}
	for _, p := range def.params {
		key := strings.ToLower(p.name)
		if c.given[key] {
			continue
		}
		if p.required {
			return nil, procError(def.name, 201, 16, 4, "Procedure or function '%s' expects parameter '%s', which was not supplied.", def.name, p.name)
		}
		c.vals[key] = p.def
	}
	return c, nil
}

// Accessors for bound arguments.

func (c *procCall) text(name string) string { return toText(c.vals[name]) }

func (c *procCall) isNull(name string) bool { return c.vals[name] == nil }

func (c *procCall) int(name string) (int, error) {
	n, err := toInt(c.vals[name])
	return int(n), err
}

func (c *procCall) intOr(name string, def int) int {
	if c.vals[name] == nil {
		return def
	}
	n, err := toInt(c.vals[name])
	if err != nil {
		return def
	}
	return int(n)
}

func (c *procCall) bool(name string) bool { return toBool(c.vals[name]) }

// set stores an OUTPUT parameter's value.
func (c *procCall) set(name string, v tsql.Value) { c.vals[name] = v }

// info queues an informational message.
func (c *procCall) info(m tsql.Message) {
	m.Proc = c.def.name
	c.emits = append(c.emits, func(o tsql.Output) { o.Info(m) })
}

// result queues a result set.
func (c *procCall) result(t *tsql.Table) {
	roundTimes(t.Rows)
	c.emits = append(c.emits, func(o tsql.Output) { o.ResultSet(t) })
}

// fail builds an error raised by the procedure.
func (c *procCall) fail(number int32, class uint8, state uint8, format string, args ...any) error {
	return procError(c.def.name, number, class, state, format, args...)
}

// Shorthands for parameter lists: required, OUTPUT, and optional with a default.
func req(name string) procParam                 { return procParam{name: name, required: true} }
func outp(name string) procParam                { return procParam{name: name, output: true} }
func opt(name string, def tsql.Value) procParam { return procParam{name: name, def: def} }
