package sim

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"pcfailback/pwsh"
)

// psParam is one parameter of a simulated cmdlet.
type psParam struct {
	name      string
	isSwitch  bool
	position  int // 0-based positional index, -1 when named only
	mandatory bool
}

// cmdlet is a simulated cmdlet.
type cmdlet struct {
	name   string
	params []psParam
	write  bool // changes state: Set-, Install-, Invoke-, Uninstall- (Executed.Writes, -WhatIf)
	class  string
	run    func(c *cmdletCall) ([]pwsh.Value, error)
}

// cmdlets maps lower-case names to cmdlets; filled by the lync_*.go files.
var cmdlets = map[string]*cmdlet{}

func defineCmdlet(c *cmdlet) {
	if c.class == "" {
		verb, noun, _ := strings.Cut(c.name, "-")
		c.class = "Microsoft.Rtc.Management." + verb + strings.TrimPrefix(noun, "Cs") + "Cmdlet"
	}
	cmdlets[strings.ToLower(c.name)] = c
}

// commonParams are PowerShell's common parameters (and ShouldProcess's), accepted by every cmdlet.
var commonParams = []string{"Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable",
	"WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm"}

// bound is a cmdlet invocation's parameters after binding (canonical names).
type bound struct {
	vals   map[string]pwsh.Value
	set    map[string]bool
	whatIf bool
}

func (b *bound) has(name string) bool { return b.set[strings.ToLower(name)] }

func (b *bound) get(name string) pwsh.Value { return b.vals[strings.ToLower(name)] }

// text returns a parameter as a string (arrays joined with commas, $null as "").
func (b *bound) text(name string) string { return psText(b.get(name)) }

// flag returns a switch parameter.
func (b *bound) flag(name string) bool {
	v, ok := b.get(name).(bool)
	return ok && v && b.has(name)
}

// psText renders a value the way PowerShell converts it to [string].
func psText(v pwsh.Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []pwsh.Value:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = psText(e)
		}
		return strings.Join(parts, " ")
	case bool:
		if x {
			return "True"
		}
		return "False"
	case *pwsh.Object:
		if id, ok := x.Get("Identity"); ok {
			return psText(id)
		}
		return x.TypeName
	}
	return fmt.Sprint(v)
}

// bindError builds a ParameterBindingException-style error.
func bindError(c *cmdlet, id, format string, args ...any) error {
	return &pwsh.CmdletError{Cmdlet: c.name, Category: "InvalidArgument", ErrorID: id + "," + c.class,
		Message: fmt.Sprintf(format, args...)}
}

// bindCmdlet matches parameters the way PowerShell does: exact or unique prefix names (case-insensitive),
// positional arguments in position order, common parameters accepted everywhere.
func bindCmdlet(c *cmdlet, params []pwsh.Param) (*bound, error) {
	b := &bound{vals: map[string]pwsh.Value{}, set: map[string]bool{}}
	names := make([]string, 0, len(c.params)+len(commonParams))
	for _, p := range c.params {
		names = append(names, p.name)
	}
	names = append(names, commonParams...)
	var positional []pwsh.Value
	for _, p := range params {
		if p.Name == "" {
			positional = append(positional, p.Value)
			continue
		}
		name, err := resolveParamName(c, names, p.Name)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(name)
		if b.set[key] {
			return nil, bindError(c, "ParameterAlreadyBound", "Cannot bind parameter because parameter '%s' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\".", name)
		}
		b.vals[key], b.set[key] = p.Value, true
	}
	var slots []psParam
	for _, p := range c.params {
		if p.position >= 0 {
			slots = append(slots, p)
		}
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i].position < slots[j].position })
	for _, v := range positional {
		placed := false
		for _, p := range slots {
			if !b.set[strings.ToLower(p.name)] {
				b.vals[strings.ToLower(p.name)], b.set[strings.ToLower(p.name)] = v, true
				placed = true
				break
			}
		}
		if !placed {
			return nil, bindError(c, "PositionalParameterNotFound", "A positional parameter cannot be found that accepts argument '%s'.", psText(v))
		}
	}
	if v, ok := b.vals["whatif"].(bool); ok && v {
		b.whatIf = true
	}
	return b, nil
}

// resolveParamName finds the parameter a written name designates.
func resolveParamName(c *cmdlet, names []string, written string) (string, error) {
	for _, n := range names {
		if strings.EqualFold(n, written) {
			return n, nil
		}
	}
	var matches []string
	for _, n := range names {
		if len(written) > 0 && strings.HasPrefix(strings.ToLower(n), strings.ToLower(written)) {
			matches = append(matches, n)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", bindError(c, "NamedParameterNotFound", "A parameter cannot be found that matches parameter name '%s'.", written)
	}
	return "", bindError(c, "AmbiguousParameter", "Parameter cannot be processed because the parameter name '%s' is ambiguous. Possible matches include: -%s.",
		written, strings.Join(matches, " -"))
}

// cmdletCall is one running cmdlet.
type cmdletCall struct {
	ctx     context.Context
	h       *lyncHost
	s       *Sim
	c       *cmdlet
	b       *bound
	input   []pwsh.Value
	streams pwsh.Streams
}

// fail builds the cmdlet's error.
func (c *cmdletCall) fail(category, reason, format string, args ...any) error {
	return &pwsh.CmdletError{Cmdlet: c.c.name, Category: category, ErrorID: reason + "," + c.c.class,
		Message: fmt.Sprintf(format, args...)}
}

// require checks the mandatory parameters (PowerShell's non-interactive error lists them all).
func (c *cmdletCall) require(names ...string) error {
	var missing []string
	for _, n := range names {
		if !c.b.has(n) {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return c.fail("InvalidArgument", "MissingMandatoryParameter",
		"Cannot process command because of one or more missing mandatory parameters: %s.", strings.Join(missing, " "))
}

// identityArg is the -Identity parameter, or the Identity of a piped object.
func (c *cmdletCall) identityArg() (string, bool) {
	if c.b.has("Identity") {
		return c.b.text("Identity"), true
	}
	for _, v := range c.input {
		if o, ok := v.(*pwsh.Object); ok {
			if id, ok := o.Get("Identity"); ok {
				return psText(id), true
			}
		}
		if s, ok := v.(string); ok {
			return s, true
		}
	}
	return "", false
}

// whatIfTarget is the target -WhatIf names.
func (c *cmdletCall) whatIfTarget() string {
	for _, n := range []string{"Identity", "SqlServerFqdn", "PoolFqdn"} {
		if c.b.has(n) {
			return c.b.text(n)
		}
	}
	if id, ok := c.identityArg(); ok {
		return id
	}
	return c.s.topo.PoolFQDN
}

// named is a non-positional parameter; pos is a positional one; sw is a switch.
func named(name string) psParam      { return psParam{name: name, position: -1} }
func pos(name string, i int) psParam { return psParam{name: name, position: i} }
func sw(name string) psParam         { return psParam{name: name, isSwitch: true, position: -1} }
