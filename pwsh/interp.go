package pwsh

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// limits bound what one script may consume. A script is untrusted input: it may loop over a huge range, build
// huge strings or nest script blocks without end, and none of that may take the process down.
type limits struct {
	steps     int // statements, loop iterations and pipeline elements executed
	arrayLen  int // elements in one array
	stringLen int // characters in one string
	callDepth int // nested script block invocations
}

var defaultLimits = limits{steps: 10_000_000, arrayLen: 1 << 20, stringLen: 1 << 20, callDepth: 100}

// interp runs one script.
type interp struct {
	ctx        context.Context
	host       Host
	con        *console
	src        []rune
	vars       map[string]Value
	lastOK     bool // $?
	errCount   int  // errors written so far; a pipeline that adds one fails $?
	steps      int
	lim        limits
	callDepth  int
	tryDepth   int
	origin     map[*Object]*Object // script copies of Host objects -> the Host's originals
	errs       []Value             // $Error, newest first
	routes     routes              // where streams 2-6 go for the command running now
	regexCache map[string]*regexp.Regexp
}

// Run parses script and runs it on host, writing console output to out line by line as it is produced, and
// returns the process exit code powershell.exe -NonInteractive -EncodedCommand would return.
// err is non-nil only when ctx is done (then exitCode is -1).
func Run(ctx context.Context, host Host, script string, out Output) (exitCode int, err error) {
	return runLimited(ctx, host, script, out, defaultLimits)
}

func runLimited(ctx context.Context, host Host, script string, out Output, lim limits) (int, error) {
	if err := ctx.Err(); err != nil {
		return -1, err
	}
	con := newConsole(out)
	s, err := Parse(script)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			con.stderrLines(pe.lines())
		}
		return 1, nil
	}
	if host == nil {
		host = noHost{}
	}
	in := &interp{ctx: ctx, host: host, con: con, src: s.src, lim: lim, lastOK: true,
		origin: map[*Object]*Object{}, vars: map[string]Value{}}
	in.initVars()
	code, err := in.runScript(s)
	con.finish()
	return code, err
}

// runScript runs the top-level statements; their output goes to Out-Default.
func (in *interp) runScript(s *Script) (int, error) {
	for _, st := range s.stmts {
		err := in.execStatement(st, in.con.put)
		if err == nil {
			continue
		}
		if cerr := in.ctx.Err(); cerr != nil {
			return -1, cerr
		}
		var (
			exit  *exitFlow
			pe    *psError
			limit *limitError
		)
		switch {
		case errors.As(err, &exit):
			return exit.code, nil
		case errors.As(err, &pe):
			in.emitError(pe.rec)
			return 1, nil
		case errors.As(err, &limit):
			in.emitError(limit.rec)
			return 1, nil
		default:
			// break, continue or return outside anything they apply to end the script.
			return in.statusCode(), nil
		}
	}
	return in.statusCode(), nil
}

func (in *interp) statusCode() int {
	if in.lastOK {
		return 0
	}
	return 1
}

// tick accounts for one step and notices cancellation.
func (in *interp) tick() error {
	if err := in.ctx.Err(); err != nil {
		return err
	}
	in.steps++
	if in.steps > in.lim.steps {
		rec := &errorRecord{message: fmt.Sprintf("The script was stopped after %d operations: this Management Shell "+
			"limits how much work one script may do.", in.lim.steps), category: "LimitsExceeded",
			reason: "RuntimeException", fqid: "ScriptStepLimitExceeded"}
		return &limitError{rec: rec}
	}
	return nil
}

// execBlock runs statements in order.
func (in *interp) execBlock(stmts []stmt, out func(Value)) error {
	for _, s := range stmts {
		if err := in.execStatement(s, out); err != nil {
			return err
		}
	}
	return nil
}

// execStatement runs one statement and applies PowerShell's statement-level error handling: an error that ends
// the statement is written and the script goes on, unless $ErrorActionPreference says Stop or a try block is
// waiting for it.
func (in *interp) execStatement(s stmt, out func(Value)) error {
	if err := in.tick(); err != nil {
		return err
	}
	err := in.execStatementInner(s, out)
	if err == nil {
		return nil
	}
	var pe *psError
	if !errors.As(err, &pe) || in.ctx.Err() != nil {
		return err
	}
	in.lastOK = false
	if in.tryDepth > 0 || (pe.kind == scriptTerminating && !pe.thrown) {
		return err
	}
	in.errCount++
	pref := in.preference("ErrorActionPreference")
	if pe.thrown {
		// throw ends the script, except that SilentlyContinue and Ignore swallow it.
		if pref == "SilentlyContinue" || pref == "Ignore" {
			return nil
		}
		return err
	}
	switch pref {
	case "Stop":
		return &psError{rec: pe.rec, kind: scriptTerminating}
	case "Ignore":
		return nil
	case "SilentlyContinue":
		in.addError(pe.rec)
		return nil
	}
	in.addError(pe.rec)
	in.emitError(pe.rec)
	return nil
}

func (in *interp) execStatementInner(s stmt, out func(Value)) error {
	switch s := s.(type) {
	case *pipelineStmt:
		vals, err := in.execPipeline(s.pipe, out)
		for _, v := range vals {
			out(v)
		}
		return err
	case *assignStmt:
		_, err := in.assign(s)
		return err
	case *ifStmt:
		return in.execIf(s, out)
	case *foreachStmt:
		return in.execForeach(s, out)
	case *flowStmt:
		return in.execFlow(s)
	case *tryStmt:
		return in.execTry(s, out)
	}
	return nil
}

func (in *interp) execIf(s *ifStmt, out func(Value)) error {
	for i, cond := range s.conds {
		v, err := in.pipelineValue(cond)
		if err != nil {
			return err
		}
		if toBool(v) {
			return in.execBlock(s.bodies[i].stmts, out)
		}
	}
	if s.elseBody != nil {
		return in.execBlock(s.elseBody.stmts, out)
	}
	return nil
}

func (in *interp) execForeach(s *foreachStmt, out func(Value)) error {
	coll, err := in.pipelineValue(s.coll)
	if err != nil {
		return err
	}
	for _, item := range loopItems(coll) {
		if err := in.tick(); err != nil {
			return err
		}
		in.setVar(s.varName, item)
		err := in.execBlock(s.body.stmts, out)
		var lf *loopFlow
		if errors.As(err, &lf) {
			if lf.brk {
				return nil
			}
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (in *interp) execFlow(s *flowStmt) error {
	var v Value
	if s.value != nil {
		var err error
		if v, err = in.pipelineValue(s.value); err != nil {
			return err
		}
	}
	switch s.kind {
	case "exit":
		code := int64(0)
		if v != nil {
			n, ok := toInt(v)
			if !ok {
				return in.convertError(s.value.extent, v, "System.Int32")
			}
			code = n
		}
		return &exitFlow{code: int(int32(code))}
	case "throw":
		return &psError{rec: in.throwRecord(s, v), kind: scriptTerminating, thrown: true}
	case "break":
		return &loopFlow{brk: true}
	case "continue":
		return &loopFlow{}
	}
	return &returnFlow{}
}

// throwRecord is the record of throw: the message alone, with OperationStopped and the message as its id.
func (in *interp) throwRecord(s *flowStmt, v Value) *errorRecord {
	if ev, ok := v.(*errorValue); ok {
		return ev.rec
	}
	if v == nil {
		return in.record(s.extent, "ScriptHalted", "OperationStopped", "RuntimeException", "ScriptHalted")
	}
	msg := toStr(v)
	rec := in.record(s.extent, msg, "OperationStopped", "RuntimeException", msg)
	rec.targetName, rec.targetType = msg, shortTypeName(typeName(v))
	return rec
}

func (in *interp) execTry(s *tryStmt, out func(Value)) error {
	in.tryDepth++
	err := in.execBlock(s.body.stmts, out)
	in.tryDepth--
	var pe *psError
	if errors.As(err, &pe) && in.ctx.Err() == nil {
		for _, c := range s.catches {
			if !catchMatches(c.types, pe.rec) {
				continue
			}
			in.addError(pe.rec)
			saveU, savePS := in.vars["_"], in.vars["psitem"]
			ev := &errorValue{rec: pe.rec}
			in.vars["_"], in.vars["psitem"] = ev, ev
			err = in.execBlock(c.body.stmts, out)
			in.vars["_"], in.vars["psitem"] = saveU, savePS
			break
		}
	}
	if s.finally != nil && in.ctx.Err() == nil {
		var limit *limitError
		if !errors.As(err, &limit) {
			if ferr := in.execBlock(s.finally.stmts, out); ferr != nil {
				return ferr
			}
		}
	}
	return err
}

// catchMatches decides whether catch [Type] handles a record. Records carry the short name of their exception
// type; the catch-all base types match everything.
func catchMatches(types []string, rec *errorRecord) bool {
	if len(types) == 0 {
		return true
	}
	for _, t := range types {
		short := shortTypeName(t)
		switch {
		case equalFold(short, "Exception"), equalFold(short, "SystemException"), equalFold(short, "RuntimeException"),
			equalFold(short, "ActionPreferenceStopException"):
			return true
		case equalFold(short, rec.reason):
			return true
		}
	}
	return false
}

// noHost stands in when Run is given no Host: it provides no commands.
type noHost struct{}

func (noHost) Now() time.Time { return time.Now() }

func (noHost) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (noHost) Invoke(context.Context, string, []Param, []Value, Streams) ([]Value, error) {
	return nil, ErrUnknownCommand
}

func (noHost) CallMethod(context.Context, *Object, string, []Value) (Value, error) {
	return nil, ErrUnknownCommand
}
