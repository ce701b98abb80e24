package pwsh

import (
	"fmt"
	"sort"
	"strings"
)

// Commands the interpreter provides itself (the Microsoft.PowerShell.Utility and Core cmdlets a failback script
// uses). Their parameters bind as PowerShell binds them: by name, by unique prefix, or by position.

// paramSpec describes one parameter of a built-in command.
type paramSpec struct {
	name     string
	aliases  []string
	isSwitch bool
	pos      int  // position for positional binding; -1 for named only
	rest     bool // takes all remaining positional arguments
	typ      string
}

// builtin is a command implemented here.
type builtin struct {
	name   string
	class  string // the .NET class, for FullyQualifiedErrorIds
	params []paramSpec
	run    func(in *interp, c *bcall) ([]Value, error)
}

// bcall is a bound invocation of a built-in command.
type bcall struct {
	inv   *invocation
	b     *builtin
	bound map[string]Value
	input []Value
}

func (c *bcall) has(name string) bool  { _, ok := c.bound[name]; return ok }
func (c *bcall) get(name string) Value { return c.bound[name] }
func (c *bcall) on(name string) bool   { return toBool(c.bound[name]) }

// builtins is filled by init, since the commands' code refers back to the table.
var builtins map[string]*builtin

func init() {
	builtins = map[string]*builtin{}
	for _, list := range [][]*builtin{writeCommands(), objectCommands(), outputCommands()} {
		for _, b := range list {
			b.params = append(b.params, commonSpecs...)
			builtins[strings.ToLower(b.name)] = b
		}
	}
}

// named is a shorthand for a named-only parameter.
func named(name, typ string, aliases ...string) paramSpec {
	return paramSpec{name: name, aliases: aliases, pos: -1, typ: typ}
}

// switchParam is a shorthand for a switch parameter.
func switchParam(name string, aliases ...string) paramSpec {
	return paramSpec{name: name, aliases: aliases, pos: -1, isSwitch: true, typ: "System.Management.Automation.SwitchParameter"}
}

// positional is a shorthand for a positional parameter.
func positional(name, typ string, pos int, rest bool, aliases ...string) paramSpec {
	return paramSpec{name: name, aliases: aliases, pos: pos, rest: rest, typ: typ}
}

// lookup finds a parameter by exact name or alias, then by unique prefix.
func (b *builtin) lookup(name string) (*paramSpec, []string) {
	for i := range b.params {
		p := &b.params[i]
		if strings.EqualFold(p.name, name) {
			return p, nil
		}
		for _, a := range p.aliases {
			if strings.EqualFold(a, name) {
				return p, nil
			}
		}
	}
	var found *paramSpec
	var matches []string
	for i := range b.params {
		p := &b.params[i]
		if len(name) > 0 && len(name) <= len(p.name) && strings.EqualFold(p.name[:len(name)], name) {
			found = p
			matches = append(matches, "-"+p.name)
		}
	}
	if len(matches) == 1 {
		return found, nil
	}
	return nil, matches
}

// runBuiltin binds the arguments and runs the command.
func (in *interp) runBuiltin(b *builtin, inv *invocation) ([]Value, error) {
	c := &bcall{inv: inv, b: b, bound: map[string]Value{}, input: inv.input}
	var pos []argument
	for i := 0; i < len(inv.args); i++ {
		a := inv.args[i]
		if !a.isParam {
			pos = append(pos, a)
			continue
		}
		p, ambiguous := b.lookup(a.param)
		switch {
		case p == nil && len(ambiguous) > 1:
			return nil, in.bindError(inv, a.ex, "AmbiguousParameter", "Parameter cannot be processed because the "+
				"parameter name '%s' is ambiguous. Possible matches include: %s.", a.param, strings.Join(ambiguous, " "))
		case p == nil:
			return nil, in.bindError(inv, a.ex, "NamedParameterNotFound",
				"A parameter cannot be found that matches parameter name '%s'.", a.param)
		case c.has(p.name):
			return nil, in.bindError(inv, a.ex, "ParameterAlreadyBound", "Cannot bind parameter because parameter "+
				"'%s' is specified more than once. To provide multiple values to parameters that can accept multiple "+
				"values, use the array syntax. For example, \"-parameter value1,value2,value3\".", p.name)
		}
		switch {
		case p.isSwitch:
			c.bound[p.name] = !a.hasColon || toBool(a.value)
		case a.hasColon:
			c.bound[p.name] = a.value
		case i+1 < len(inv.args) && !inv.args[i+1].isParam:
			i++
			c.bound[p.name] = inv.args[i].value
		default:
			return nil, in.bindError(inv, a.ex, "MissingArgument", "Missing an argument for parameter '%s'. Specify a "+
				"parameter of type '%s' and try again.", p.name, p.typ)
		}
	}
	specs := make([]*paramSpec, 0, len(b.params))
	for i := range b.params {
		if b.params[i].pos >= 0 {
			specs = append(specs, &b.params[i])
		}
	}
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].pos < specs[j].pos })
	for _, p := range specs {
		if len(pos) == 0 {
			break
		}
		if c.has(p.name) {
			continue
		}
		if p.rest {
			if len(pos) == 1 {
				c.bound[p.name] = pos[0].value
			} else {
				vals := make([]Value, len(pos))
				for i, a := range pos {
					vals[i] = a.value
				}
				c.bound[p.name] = vals
			}
			pos = nil
			break
		}
		c.bound[p.name] = pos[0].value
		pos = pos[1:]
	}
	if len(pos) > 0 {
		return nil, in.bindError(inv, pos[0].ex, "PositionalParameterNotFound",
			"A positional parameter cannot be found that accepts argument '%s'.", toStr(pos[0].value))
	}
	for _, p := range commonSpecs {
		if v, ok := c.bound[p.name]; ok {
			if err := in.applyCommon(inv, p.name, v, inv.ex); err != nil {
				return nil, err
			}
		}
	}
	return b.run(in, c)
}

// cmdletError writes a non-terminating error from a built-in command.
func (in *interp) cmdletError(c *bcall, category, id, format string, args ...any) error {
	rec := in.cmdletRecord(&CmdletError{Cmdlet: c.b.name, Category: category,
		ErrorID: id + ",Microsoft.PowerShell.Commands." + c.b.class}, c.inv.name, c.inv.ex)
	rec.message = fmt.Sprintf(format, args...)
	return in.writeError(rec, c.inv.errorAction)
}

// terminatingError ends the statement with an error from a built-in command.
func (in *interp) terminatingError(c *bcall, category, reason, id, format string, args ...any) error {
	rec := in.record(c.inv.ex, fmt.Sprintf(format, args...), category, reason,
		id+",Microsoft.PowerShell.Commands."+c.b.class)
	rec.header = c.inv.name
	rec.activity = c.b.name
	return &psError{rec: rec}
}

func writeCommands() []*builtin {
	return []*builtin{
		{name: "Write-Output", class: "WriteOutputCommand",
			params: []paramSpec{positional("InputObject", "System.Management.Automation.PSObject[]", 0, true),
				switchParam("NoEnumerate")},
			run: func(in *interp, c *bcall) ([]Value, error) {
				if !c.has("InputObject") {
					return c.input, nil
				}
				if c.on("NoEnumerate") {
					return []Value{c.get("InputObject")}, nil
				}
				return enumerate(c.get("InputObject")), nil
			}},
		{name: "Write-Host", class: "WriteHostCommand",
			params: []paramSpec{positional("Object", "System.Object", 0, true), switchParam("NoNewline"),
				named("Separator", "System.Object"), named("ForegroundColor", "System.ConsoleColor"),
				named("BackgroundColor", "System.ConsoleColor")},
			run: func(in *interp, c *bcall) ([]Value, error) {
				sep := " "
				if c.has("Separator") {
					sep = toStr(c.get("Separator"))
				}
				var parts []string
				if c.has("Object") {
					for _, v := range enumerate(c.get("Object")) {
						if inner, ok := v.([]Value); ok {
							for _, e := range inner {
								parts = append(parts, toStr(e))
							}
							continue
						}
						parts = append(parts, toStr(v))
					}
				}
				text := strings.Join(parts, sep)
				r := in.routes[6]
				switch {
				case r.null:
				case r.sink != nil:
					r.sink.add(&streamRecord{text: text})
				case c.on("NoNewline"):
					in.con.stdoutPartial(text)
				default:
					in.con.stdout(text)
				}
				return nil, nil
			}},
		{name: "Write-Verbose", class: "WriteVerboseCommand",
			params: []paramSpec{positional("Message", "System.String", 0, false, "Msg")},
			run: func(in *interp, c *bcall) ([]Value, error) {
				if c.inv.verbose {
					in.writeStream(4, "VERBOSE: ", toStr(c.get("Message")))
				}
				return nil, nil
			}},
		{name: "Write-Debug", class: "WriteDebugCommand",
			params: []paramSpec{positional("Message", "System.String", 0, false, "Msg")},
			run: func(in *interp, c *bcall) ([]Value, error) {
				if p := in.preference("DebugPreference"); p != "SilentlyContinue" && p != "Ignore" {
					in.writeStream(5, "DEBUG: ", toStr(c.get("Message")))
				}
				return nil, nil
			}},
		{name: "Write-Warning", class: "WriteWarningCommand",
			params: []paramSpec{positional("Message", "System.String", 0, false, "Msg")},
			run: func(in *interp, c *bcall) ([]Value, error) {
				if c.inv.warnAction != "SilentlyContinue" && c.inv.warnAction != "Ignore" {
					in.writeStream(3, "WARNING: ", toStr(c.get("Message")))
				}
				return nil, nil
			}},
		{name: "Write-Error", class: "WriteErrorCommand",
			params: []paramSpec{positional("Message", "System.String", 0, false, "Msg"),
				named("ErrorRecord", "System.Management.Automation.ErrorRecord"), named("Exception", "System.Exception"),
				named("Category", "System.Management.Automation.ErrorCategory"), named("ErrorId", "System.String"),
				named("TargetObject", "System.Object"), named("RecommendedAction", "System.String"),
				named("CategoryActivity", "System.String"), named("CategoryReason", "System.String"),
				named("CategoryTargetName", "System.String"), named("CategoryTargetType", "System.String")},
			run: runWriteError},
	}
}

// runWriteError writes a non-terminating error record, or rewrites one given as an ErrorRecord.
func runWriteError(in *interp, c *bcall) ([]Value, error) {
	for _, p := range []string{"ErrorRecord", "Message", "Exception"} {
		if ev, ok := c.get(p).(*errorValue); ok {
			return nil, in.writeError(ev.rec, c.inv.errorAction)
		}
	}
	msg := toStr(c.get("Message"))
	if !c.has("Message") && c.has("Exception") {
		msg = toStr(c.get("Exception"))
	}
	category := "NotSpecified"
	if c.has("Category") {
		category = toStr(c.get("Category"))
	}
	fqid := "Microsoft.PowerShell.Commands.WriteErrorException"
	if c.has("ErrorId") {
		fqid = toStr(c.get("ErrorId"))
	}
	rec := in.record(c.inv.ex, msg, category, "WriteErrorException", fqid)
	rec.header = c.inv.name
	rec.activity = "Write-Error"
	if c.has("CategoryActivity") {
		rec.activity = toStr(c.get("CategoryActivity"))
	}
	if c.has("CategoryReason") {
		rec.reason = toStr(c.get("CategoryReason"))
	}
	rec.targetName = toStr(c.get("CategoryTargetName"))
	rec.targetType = toStr(c.get("CategoryTargetType"))
	return nil, in.writeError(rec, c.inv.errorAction)
}
