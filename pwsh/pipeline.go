package pwsh

import (
	"errors"
	"strings"
	"sync"
)

// Pipelines run element by element: each command receives everything the previous one produced. Host cmdlets
// take their input as a slice anyway, and streams (verbose, warnings, Write-Host) still reach the console as
// they happen.

// execPipeline runs a pipeline and returns its output. $? becomes false when any command in it wrote an error.
// When stream is not nil the last command may hand its output to it as it goes (ForEach-Object does, so a loop
// that calls cmdlets prints each result before the next call) instead of returning it.
func (in *interp) execPipeline(p *pipeline, stream func(Value)) ([]Value, error) {
	before := in.errCount
	var vals []Value
	for i, el := range p.elems {
		if err := in.tick(); err != nil {
			return nil, err
		}
		var err error
		switch el := el.(type) {
		case *exprElem:
			vals, err = in.execExprElem(el)
		case *command:
			var emit func(Value)
			if i == len(p.elems)-1 && len(el.redirs) == 0 {
				emit = stream
			}
			vals, err = in.invokeCommand(el, vals, i == 0, emit)
		}
		if err != nil {
			in.lastOK = false
			return nil, err
		}
	}
	in.lastOK = in.errCount == before
	return vals, nil
}

// execExprElem evaluates an expression at the head of a pipeline. Increments and [void] casts produce no
// output there, as in PowerShell.
func (in *interp) execExprElem(el *exprElem) ([]Value, error) {
	var out []Value
	err := in.withRedirections(el.redirs, &out, func() error {
		v, err := in.eval(el.x)
		if err != nil {
			return err
		}
		switch x := el.x.(type) {
		case *unaryExpr:
			if x.op == "++" || x.op == "--" || x.op == "post++" || x.op == "post--" {
				return nil
			}
		case *castExpr:
			if t, _ := lookupType(x.typ); t != nil && t.kind == typeVoid {
				return nil
			}
		}
		out = append(out, enumerate(v)...)
		return nil
	})
	return out, err
}

// pipelineValue runs a pipeline for its value: a lone expression keeps its value as it is (an empty array stays
// an array), anything else collapses its output.
func (in *interp) pipelineValue(p *pipeline) (Value, error) {
	if len(p.elems) == 1 {
		if el, ok := p.elems[0].(*exprElem); ok && len(el.redirs) == 0 {
			v, err := in.eval(el.x)
			if err == nil {
				in.lastOK = true
			}
			return v, err
		}
	}
	vals, err := in.execPipeline(p, nil)
	if err != nil {
		return nil, err
	}
	return collapse(vals), nil
}

// statementValue is the value of a statement used as a value: the right side of =, a hashtable value, ( ).
func (in *interp) statementValue(s stmt) (Value, error) {
	switch s := s.(type) {
	case *pipelineStmt:
		return in.pipelineValue(s.pipe)
	case *assignStmt:
		return in.assign(s)
	}
	var out []Value
	if err := in.execStatement(s, func(v Value) { out = append(out, v) }); err != nil {
		return nil, err
	}
	return collapse(out), nil
}

// route says where one of streams 2-6 goes: to the console (the zero route), nowhere, or into a command's output.
type route struct {
	null bool
	sink *capture
}

// routes holds the route of each stream, indexed by stream number.
type routes [7]route

// capture collects records merged into a command's output (2>&1 and the like). Host streams may append from
// other goroutines.
type capture struct {
	mu   sync.Mutex
	vals []Value
}

func (c *capture) add(v Value) {
	c.mu.Lock()
	c.vals = append(c.vals, v)
	c.mu.Unlock()
}

func (c *capture) take() []Value {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.vals
	c.vals = nil
	return v
}

// withRedirections runs fn with the element's redirections in force and applies >$null and N>&1 to out.
func (in *interp) withRedirections(redirs []redirection, out *[]Value, fn func() error) error {
	if len(redirs) == 0 {
		return fn()
	}
	saved := in.routes
	defer func() { in.routes = saved }()
	merged := &capture{}
	dropOutput := false
	for _, r := range redirs {
		streams := []int{r.stream}
		if r.stream == 0 {
			streams = []int{1, 2, 3, 4, 5, 6}
		}
		for _, s := range streams {
			switch {
			case s == 1:
				dropOutput = dropOutput || !r.merge
			case r.merge:
				in.routes[s] = route{sink: merged}
			default:
				in.routes[s] = route{null: true}
			}
		}
	}
	err := fn()
	if dropOutput {
		*out = nil
		return err
	}
	if m := merged.take(); len(m) > 0 {
		*out = append(m, *out...)
	}
	return err
}

// emitError writes an error record where stream 2 goes.
func (in *interp) emitError(rec *errorRecord) {
	r := in.routes[2]
	switch {
	case r.null:
	case r.sink != nil:
		r.sink.add(&errorValue{rec: rec})
	default:
		in.con.stderrLines(rec.lines())
	}
}

// writeError reports a non-terminating error under the command's error action: Stop turns it into a
// script-terminating error, SilentlyContinue hides it, Ignore also keeps it out of $Error.
func (in *interp) writeError(rec *errorRecord, action string) error {
	in.errCount++
	if action != "Ignore" {
		in.addError(rec)
	}
	switch action {
	case "Stop":
		return &psError{rec: rec, kind: scriptTerminating}
	case "SilentlyContinue", "Ignore":
		return nil
	}
	in.emitError(rec)
	return nil
}

// writeStream writes a warning, verbose or information record where its stream goes.
func (in *interp) writeStream(stream int, prefix, text string) {
	r := in.routes[stream]
	switch {
	case r.null:
	case r.sink != nil:
		r.sink.add(&streamRecord{prefix: prefix, text: text})
	case stream == 6:
		in.con.stdout(text)
	default:
		in.con.stderr(prefix + text)
	}
}

// invocation is a command about to run, with its arguments evaluated.
type invocation struct {
	name        string // as written (aliases stay aliases), for error headers
	canonical   string
	ex          extent
	nameEx      extent
	args        []argument
	input       []Value
	first       bool
	emit        func(Value) // where output may stream to; nil to return it
	errorAction string
	warnAction  string
	verbose     bool
}

// argument is one evaluated command element.
type argument struct {
	param    string
	isParam  bool
	hasColon bool
	splatted bool
	value    Value
	ex       extent
}

// invokeCommand runs one command of a pipeline.
func (in *interp) invokeCommand(c *command, input []Value, first bool, emit func(Value)) ([]Value, error) {
	var out []Value
	err := in.withRedirections(c.redirs, &out, func() error {
		vals, err := in.invokeCommandInner(c, input, first, emit)
		out = vals
		return err
	})
	return out, err
}

func (in *interp) invokeCommandInner(c *command, input []Value, first bool, emit func(Value)) ([]Value, error) {
	inv := &invocation{name: c.name, ex: c.extent, nameEx: c.nameExt, input: input, first: first, emit: emit}
	var block *scriptBlock
	if c.nameExpr != nil {
		v, err := in.eval(c.nameExpr)
		if err != nil {
			return nil, err
		}
		switch v := v.(type) {
		case *scriptBlock:
			block = v
		case string:
			inv.name = v
		default:
			return nil, in.rtError(c.nameExpr.span(), "InvalidOperation", "BadExpression", "The expression after '&' "+
				"in a pipeline element produced an object that was not valid. It must result in a command name, a "+
				"script block, or a CommandInfo object.")
		}
		if inv.nameEx == (extent{}) {
			inv.nameEx = c.nameExpr.span()
		}
	}
	args, err := in.evalArgs(c)
	if err != nil {
		return nil, err
	}
	inv.args = args
	if block != nil {
		return in.invokeBlockCommand(block, inv)
	}
	inv.canonical = resolveAlias(inv.name)
	in.defaultActions(inv)
	if b := builtins[strings.ToLower(inv.canonical)]; b != nil {
		return in.runBuiltin(b, inv)
	}
	if err := in.commonParams(inv); err != nil {
		return nil, err
	}
	return in.invokeHost(inv)
}

// evalArgs evaluates a command's parameters and arguments, expanding splatted variables.
func (in *interp) evalArgs(c *command) ([]argument, error) {
	var args []argument
	for _, el := range c.elems {
		if el.splat != "" {
			switch v := in.getVar(el.splat).(type) {
			case *Hashtable:
				for i, k := range v.Keys {
					if i < len(v.Values) {
						args = append(args, argument{param: k, isParam: true, hasColon: true, splatted: true,
							value: v.Values[i], ex: el.extent})
					}
				}
			case []Value:
				for _, e := range v {
					args = append(args, argument{value: e, ex: el.extent})
				}
			case nil:
			default:
				args = append(args, argument{value: v, ex: el.extent})
			}
			continue
		}
		a := argument{param: el.param, isParam: el.isParam, hasColon: el.hasColon, ex: el.extent}
		if el.arg != nil {
			v, err := in.eval(el.arg)
			if err != nil {
				return nil, err
			}
			a.value = v
		}
		args = append(args, a)
	}
	return args, nil
}

// invokeBlockCommand runs & { ... } with $args and $input set.
func (in *interp) invokeBlockCommand(b *scriptBlock, inv *invocation) ([]Value, error) {
	var positional []Value
	for _, a := range inv.args {
		if !a.isParam {
			positional = append(positional, a.value)
		}
	}
	savedArgs, savedInput := in.vars["args"], in.vars["input"]
	in.vars["args"], in.vars["input"] = positional, inv.input
	defer func() { in.vars["args"], in.vars["input"] = savedArgs, savedInput }()
	var out []Value
	err := in.invokeBlock(b, nil, false, func(v Value) { out = append(out, v) })
	return out, err
}

// invokeBlock runs a script block, with $_ set to item when setItem is true.
func (in *interp) invokeBlock(b *scriptBlock, item Value, setItem bool, out func(Value)) error {
	if in.callDepth >= in.lim.callDepth {
		return &limitError{rec: &errorRecord{message: "The script failed due to call depth overflow.",
			category: "InvalidOperation", reason: "ScriptCallDepthException", fqid: "CallDepthOverflow"}}
	}
	in.callDepth++
	defer func() { in.callDepth-- }()
	if setItem {
		saved := in.vars["_"]
		in.vars["_"] = item
		defer func() { in.vars["_"] = saved }()
	}
	err := in.execBlock(b.body.stmts, out)
	var rf *returnFlow
	if errors.As(err, &rf) {
		return nil
	}
	return err
}

// blockValue runs a script block for one item and collapses its output (Where-Object, calculated properties).
func (in *interp) blockValue(b *scriptBlock, item Value) (Value, error) {
	var out []Value
	if err := in.invokeBlock(b, item, true, func(v Value) { out = append(out, v) }); err != nil {
		return nil, err
	}
	return collapse(out), nil
}
