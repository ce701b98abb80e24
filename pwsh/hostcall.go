package pwsh

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Calling the Host: common parameters, binding -Name value pairs without the cmdlet's metadata, and the
// streams a cmdlet writes to while it runs.

// aliases are Windows PowerShell's default aliases for the commands a failback script uses.
var aliases = map[string]string{
	"%": "ForEach-Object", "foreach": "ForEach-Object", "?": "Where-Object", "where": "Where-Object",
	"select": "Select-Object", "sort": "Sort-Object", "measure": "Measure-Object", "fl": "Format-List",
	"ft": "Format-Table", "echo": "Write-Output", "write": "Write-Output", "sleep": "Start-Sleep",
	"ipmo": "Import-Module", "gcm": "Get-Command", "gm": "Get-Member", "cls": "Clear-Host", "oh": "Out-Host",
	"epal": "Export-Alias", "gsv": "Get-Service", "gci": "Get-ChildItem", "dir": "Get-ChildItem",
	"ls": "Get-ChildItem", "cat": "Get-Content", "gc": "Get-Content",
}

// resolveAlias maps an alias to its command and drops a module qualifier (Lync\Get-CsService).
func resolveAlias(name string) string {
	if i := strings.LastIndexByte(name, '\\'); i > 0 && !strings.HasPrefix(name, "\\") && !strings.HasPrefix(name, ".") {
		name = name[i+1:]
	}
	if a, ok := aliases[strings.ToLower(name)]; ok {
		return a
	}
	return name
}

// commonParamNames maps the common parameters and their aliases to their names.
var commonParamNames = map[string]string{
	"verbose": "Verbose", "vb": "Verbose", "debug": "Debug", "db": "Debug",
	"erroraction": "ErrorAction", "ea": "ErrorAction", "warningaction": "WarningAction", "wa": "WarningAction",
	"informationaction": "InformationAction", "infa": "InformationAction",
	"errorvariable": "ErrorVariable", "ev": "ErrorVariable", "warningvariable": "WarningVariable",
	"wv": "WarningVariable", "informationvariable": "InformationVariable", "iv": "InformationVariable",
	"outvariable": "OutVariable", "ov": "OutVariable", "outbuffer": "OutBuffer", "ob": "OutBuffer",
	"pipelinevariable": "PipelineVariable", "pv": "PipelineVariable",
}

// defaultActions sets a command's error, warning and verbose behaviour from the preference variables; common
// parameters may then override them.
func (in *interp) defaultActions(inv *invocation) {
	inv.errorAction = in.preference("ErrorActionPreference")
	inv.warnAction = in.preference("WarningPreference")
	vp := in.preference("VerbosePreference")
	inv.verbose = vp != "SilentlyContinue" && vp != "Ignore"
}

// commonParams takes the common parameters out of a Host command's arguments and applies them. -Verbose and
// -Debug stay in the arguments, since real cmdlets may look at them too.
func (in *interp) commonParams(inv *invocation) error {
	var kept []argument
	for i := 0; i < len(inv.args); i++ {
		a := inv.args[i]
		name, common := "", false
		if a.isParam {
			name, common = commonParamNames[strings.ToLower(a.param)]
		}
		if !common {
			kept = append(kept, a)
			continue
		}
		if name == "Verbose" || name == "Debug" {
			if name == "Verbose" {
				inv.verbose = !a.hasColon || toBool(a.value)
			}
			kept = append(kept, a)
			continue
		}
		v := a.value
		if !a.hasColon {
			if i+1 >= len(inv.args) || inv.args[i+1].isParam {
				return in.bindError(inv, a.ex, "MissingArgument", "Missing an argument for parameter '%s'. Specify a "+
					"parameter of type '%s' and try again.", name, commonParamType(name))
			}
			i++
			v = inv.args[i].value
		}
		if err := in.applyCommon(inv, name, v, a.ex); err != nil {
			return err
		}
	}
	inv.args = kept
	return nil
}

// applyCommon applies one common parameter's value.
func (in *interp) applyCommon(inv *invocation, name string, v Value, ex extent) error {
	switch name {
	case "Verbose":
		inv.verbose = toBool(v)
	case "ErrorAction", "WarningAction", "InformationAction":
		pref, ok := parsePreference(v)
		if !ok {
			return in.bindError(inv, ex, "CannotConvertArgumentNoMessage", "Cannot bind parameter '%s'. %s",
				name, preferenceMessage(v))
		}
		switch name {
		case "ErrorAction":
			inv.errorAction = pref
		case "WarningAction":
			inv.warnAction = pref
		}
	}
	return nil
}

// commonSpecs are the common parameters as built-in commands bind them (so that -D is ambiguous between
// -Descending and -Debug, as in PowerShell).
var commonSpecs = []paramSpec{
	{name: "Verbose", aliases: []string{"vb"}, pos: -1, isSwitch: true, typ: "System.Management.Automation.SwitchParameter"},
	{name: "Debug", aliases: []string{"db"}, pos: -1, isSwitch: true, typ: "System.Management.Automation.SwitchParameter"},
	{name: "ErrorAction", aliases: []string{"ea"}, pos: -1, typ: "System.Management.Automation.ActionPreference"},
	{name: "WarningAction", aliases: []string{"wa"}, pos: -1, typ: "System.Management.Automation.ActionPreference"},
	{name: "InformationAction", aliases: []string{"infa"}, pos: -1, typ: "System.Management.Automation.ActionPreference"},
	{name: "ErrorVariable", aliases: []string{"ev"}, pos: -1, typ: "System.String"},
	{name: "WarningVariable", aliases: []string{"wv"}, pos: -1, typ: "System.String"},
	{name: "InformationVariable", aliases: []string{"iv"}, pos: -1, typ: "System.String"},
	{name: "OutVariable", aliases: []string{"ov"}, pos: -1, typ: "System.String"},
	{name: "OutBuffer", aliases: []string{"ob"}, pos: -1, typ: "System.Int32"},
	{name: "PipelineVariable", aliases: []string{"pv"}, pos: -1, typ: "System.String"},
}

func commonParamType(name string) string {
	switch name {
	case "ErrorAction", "WarningAction", "InformationAction":
		return "System.Management.Automation.ActionPreference"
	case "OutBuffer":
		return "System.Int32"
	}
	return "System.String"
}

// bindError is a ParameterBindingException for the command being invoked.
func (in *interp) bindError(inv *invocation, ex extent, id, format string, args ...any) error {
	canonical := inv.canonical
	if canonical == "" {
		canonical = inv.name
	}
	fqid := id + "," + canonical
	if b := builtins[strings.ToLower(canonical)]; b != nil {
		fqid = id + ",Microsoft.PowerShell.Commands." + b.class
	}
	rec := in.record(ex, fmt.Sprintf(format, args...), "InvalidArgument", "ParameterBindingException", fqid)
	rec.header = inv.name
	rec.activity = canonical
	return &psError{rec: rec}
}

// knownSwitches are parameters that never take a value. A Host cmdlet's metadata is not known here, so -Name
// followed by an argument binds that argument to Name unless Name is one of these; the list holds the common
// switches and those of the Lync cmdlets a failback uses (Get-CsService's role switches among them).
var knownSwitches = map[string]bool{
	"verbose": true, "debug": true, "whatif": true, "confirm": true, "force": true, "passthru": true,
	"dropexistingdatabasesonmirror": true, "excludedatabases": true, "swap": true, "localstore": true,
	"persistentchatserver": true, "registrar": true, "userserver": true, "webserver": true,
	"conferencingserver": true, "applicationserver": true, "edgeserver": true, "mediationserver": true,
	"monitoringserver": true, "archivingserver": true, "filestore": true, "userdatabase": true,
	"applicationdatabase": true, "centralmanagement": true, "centralmanagementdatabase": true,
	"persistentchatdatabase": true, "persistentchatcompliancedatabase": true, "monitoringdatabase": true,
	"archivingdatabase": true, "recurse": true, "asjob": true, "noclobber": true, "global": true,
	"disablenamechecking": true, "ascustomobject": true, "update": true,
}

// hostParams turns evaluated arguments into the Host's parameter list.
func hostParams(args []argument) []Param {
	var ps []Param
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case !a.isParam:
			ps = append(ps, Param{Value: toHost(a.value, 0)})
		case a.splatted:
			_, isBool := a.value.(bool)
			ps = append(ps, Param{Name: a.param, Value: toHost(a.value, 0), Switch: isBool})
		case a.hasColon:
			ps = append(ps, Param{Name: a.param, Value: toHost(a.value, 0), Switch: true})
		case !knownSwitches[strings.ToLower(a.param)] && i+1 < len(args) && !args[i+1].isParam:
			ps = append(ps, Param{Name: a.param, Value: toHost(args[i+1].value, 0)})
			i++
		default:
			ps = append(ps, Param{Name: a.param, Value: true, Switch: true})
		}
	}
	return ps
}

// invokeHost runs a command the Host provides.
func (in *interp) invokeHost(inv *invocation) ([]Value, error) {
	var input []Value
	if !inv.first {
		input = make([]Value, len(inv.input))
		for i, v := range inv.input {
			input[i] = toHost(v, 0)
		}
	}
	in.con.flush()
	st := &cmdStreams{con: in.con, routes: in.routes, verbose: inv.verbose,
		warn: inv.warnAction != "SilentlyContinue" && inv.warnAction != "Ignore"}
	outs, err := in.host.Invoke(in.ctx, inv.canonical, hostParams(inv.args), input, st)
	st.close()
	var vals []Value
	for _, o := range outs {
		vals = append(vals, enumerate(in.fromHost(o, 0))...)
	}
	if err == nil {
		return vals, nil
	}
	if cerr := in.ctx.Err(); cerr != nil {
		return nil, cerr
	}
	if errors.Is(err, ErrUnknownCommand) {
		return nil, in.commandNotFound(inv.name, inv.nameEx)
	}
	var ce *CmdletError
	if !errors.As(err, &ce) {
		ce = &CmdletError{Message: err.Error(), Terminating: true}
	}
	rec := in.cmdletRecord(ce, inv.name, inv.ex)
	if ce.Terminating {
		return nil, &psError{rec: rec}
	}
	if werr := in.writeError(rec, inv.errorAction); werr != nil {
		return nil, werr
	}
	return vals, nil
}

// cmdStreams is the Streams a Host cmdlet writes to. Writes after the cmdlet returned are dropped: its lines
// would otherwise appear after output that followed it.
type cmdStreams struct {
	con     *console
	routes  routes
	verbose bool
	warn    bool
	mu      sync.Mutex
	closed  bool
}

// Verbose implements Streams.
func (s *cmdStreams) Verbose(text string) { s.write(4, "VERBOSE: ", text, s.verbose) }

// Warning implements Streams.
func (s *cmdStreams) Warning(text string) { s.write(3, "WARNING: ", text, s.warn) }

// Host implements Streams.
func (s *cmdStreams) Host(text string) { s.write(6, "", text, true) }

func (s *cmdStreams) write(stream int, prefix, text string, show bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || !show {
		return
	}
	r := s.routes[stream]
	switch {
	case r.null:
	case r.sink != nil:
		r.sink.add(&streamRecord{prefix: prefix, text: text})
	case stream == 6:
		s.con.stdout(text)
	default:
		s.con.stderr(prefix + text)
	}
}

func (s *cmdStreams) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}
