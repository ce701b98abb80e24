package tsql

import (
	"context"
	"errors"
	"strings"
)

// Session is per-connection state kept across batches: SET options, the transaction count and the values of
// @@ERROR and @@ROWCOUNT left by the last statement. Variables live only for one batch, as in SQL Server.
type Session struct {
	// NoCount is SET NOCOUNT: when true no row counts are sent.
	NoCount bool
	// TranCount is @@TRANCOUNT, kept by BEGIN TRAN, COMMIT and ROLLBACK.
	TranCount int
	// XactAbort is SET XACT_ABORT: when true any error ends the batch and rolls the transaction back.
	XactAbort bool

	lastError int32
	rowCount  int64
	rowLimit  int64 // SET ROWCOUNT
}

// Fault levels: how far an error unwinds when no TRY block catches it.
const (
	levelStmt  = iota // the batch goes on with the next statement
	levelScope        // the batch (or dynamic SQL scope) ends; its caller goes on
	levelBatch        // everything ends
)

// fault is a SQL error raised by a statement and not yet reported.
type fault struct {
	errs   []*Error
	level  int
	nested bool // raised in a dynamic SQL scope below the one handling it
}

func (f *fault) Error() string { return f.errs[0].Error() }

// aborted unwinds after a fault was reported.
type aborted struct{ level int }

func (a *aborted) Error() string { return "batch aborted" }

// flow is BREAK, CONTINUE or RETURN travelling to the statement that handles it.
type flow int

const (
	flowBreak flow = iota
	flowContinue
	flowReturn
)

func (f flow) Error() string { return [...]string{"BREAK", "CONTINUE", "RETURN"}[f] }

// levelOf classifies an error by how far it unwinds.
func levelOf(e *Error) int {
	switch {
	case e.Abort || e.Class >= 17:
		return levelBatch
	case scopeAbortNumbers[e.Number]:
		return levelScope
	}
	return levelStmt
}

// raise wraps errors into a fault; the copies keep a Host's errors unchanged when the interpreter fills lines.
func raise(errs ...*Error) *fault {
	f := &fault{}
	for _, e := range errs {
		c := *e
		f.errs = append(f.errs, &c)
		if l := levelOf(e); l > f.level {
			f.level = l
		}
	}
	return f
}

// toFault converts an error from evaluation or a Host into a fault; other errors (context cancellation, flow)
// pass through.
func toFault(err error) error {
	if err == nil {
		return nil
	}
	switch err.(type) {
	case *fault, *aborted, flow:
		return err
	}
	if errs, ok := asErrors(err); ok {
		if len(errs) == 0 {
			return nil
		}
		return raise(errs...)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return raise(foreignErr(err))
}

// errNoHost is returned when Run or Call is given no Host: a programming error, not a SQL one.
var errNoHost = errors.New("tsql: no Host to run on")

// runner is the state of one Run or Call.
type runner struct {
	ctx     context.Context
	host    Host
	sess    *Session
	out     Output
	first   *Error
	loops   int
	nest    int
	caught  []*Error // errors being handled by CATCH blocks, innermost last
	capture *capture // INSERT ... EXEC in progress
	// expansions counts CTE references expanded, to bound pathological WITH clauses.
	expansions int
}

// maxLoops bounds the WHILE iterations of one batch, nested dynamic SQL included.
const maxLoops = 100000

// maxNest is SQL Server's limit of nested dynamic SQL and procedure calls.
const maxNest = 32

// Run parses batch and runs it statement by statement on host, sending messages and result sets to out as they
// happen. A syntax error means nothing runs. After an error of class 16 or below the batch goes on with the next
// statement, unless the error ends the batch (Abort, conversion failures, THROW) or the scope (name resolution
// failures such as 208 and 207, as SQL Server does). Run returns the first error sent to out as *Error,
// ctx.Err() when ctx is done (at once, without a message), or nil.
func Run(ctx context.Context, host Host, sess *Session, batch string, out Output) error {
	if host == nil {
		return errNoHost
	}
	r := newRunner(ctx, host, sess, out)
	if err := ctx.Err(); err != nil {
		return err
	}
	err := r.batch(batch, nil, false)
	return r.result(err)
}

// Call runs a remote procedure call, which is what drivers send for parameterised queries. sp_executesql
// (@stmt, then the @params declaration, then the parameters) is interpreted here; any other procedure goes to
// host.Exec. OUTPUT parameters of sp_executesql are written back into args.
func Call(ctx context.Context, host Host, sess *Session, proc ObjectName, args []Arg, out Output) error {
	if host == nil {
		return errNoHost
	}
	r := newRunner(ctx, host, sess, out)
	if err := ctx.Err(); err != nil {
		return err
	}
	sc := &scope{r: r}
	for i := range args {
		args[i].Value = norm(args[i].Value)
	}
	var err error
	if isExecuteSQL(proc) {
		err = sc.executeSQL(args, nil, false)
	} else {
		_, err = r.host.Exec(r.ctx, proc, args, r.out)
		err = toFault(err)
	}
	if f, ok := err.(*fault); ok {
		f.fillLine(1)
		sc.report(f)
		err = nil
	}
	return r.result(err)
}

func newRunner(ctx context.Context, host Host, sess *Session, out Output) *runner {
	if sess == nil {
		sess = &Session{}
	}
	if out == nil {
		out = discard{}
	}
	return &runner{ctx: ctx, host: host, sess: sess, out: out}
}

// result turns the end of a run into Run's return value.
func (r *runner) result(err error) error {
	if cerr := r.ctx.Err(); cerr != nil {
		return cerr
	}
	if err != nil {
		switch err.(type) {
		case *aborted, flow, *fault:
		default:
			return err
		}
	}
	if r.first != nil {
		return r.first
	}
	return nil
}

// batch parses and runs one batch (the top level or dynamic SQL) in a new variable scope. params are
// sp_executesql's parameter declarations, bound before the text is compiled.
func (r *runner) batch(text string, params *paramScope, inherited bool) error {
	var b *Batch
	var infos []slotInfo
	var cached *parsed
	if params == nil {
		cached, _ = compiled.get(text, r.host)
	}
	if cached != nil {
		b, infos = cached.batch, cached.infos
	} else {
		var perr *Error
		if b, perr = parseBatch(text); perr != nil {
			return r.compileFailed(perr, inherited)
		}
		res := newResolver(r.host)
		res.line = 1
		if params != nil {
			for _, d := range params.decls {
				res.declare(d.v, d.typ, nil)
			}
		}
		res.stmts(b.Statements)
		if res.err != nil {
			return r.compileFailed(res.err, inherited)
		}
		infos = res.infos
		if params == nil {
			compiled.put(text, &parsed{batch: b, infos: infos, globals: res.globals})
		}
	}
	sc := &scope{r: r, inherited: inherited, vars: make([]*variable, len(infos))}
	for i, info := range infos {
		sc.vars[i] = &variable{name: info.name, typ: info.typ}
		if info.table != nil {
			sc.vars[i].table = newTableVar(info.name, info.table)
		}
	}
	if params != nil {
		if err := params.bind(sc); err != nil {
			return err
		}
	}
	err := sc.runStmts(b.Statements)
	if params != nil && err == nil || params != nil && isAbortBelowBatch(err) {
		params.copyOut(sc)
	}
	switch e := err.(type) {
	case flow:
		return nil
	case *aborted:
		if e.level == levelScope {
			return nil
		}
	}
	return err
}

func isAbortBelowBatch(err error) bool {
	a, ok := err.(*aborted)
	return ok && a.level < levelBatch
}

// compileFailed handles a batch that did not compile: nothing of it runs. Under an outer TRY the error goes to
// the CATCH block; otherwise it is reported here and the caller goes on.
func (r *runner) compileFailed(e *Error, inherited bool) error {
	f := raise(e)
	f.level = levelScope
	f.fillLine(1)
	if inherited {
		return f
	}
	(&scope{r: r}).report(f)
	return nil
}

// fillLine sets the line of errors that have none.
func (f *fault) fillLine(line int) {
	for _, e := range f.errs {
		if e.Line == 0 {
			e.Line = int32(line)
		}
	}
}

// discard is the Output used when the caller passed none.
type discard struct{}

func (discard) Info(Message)       {}
func (discard) Error(Message)      {}
func (discard) ResultSet(*Table)   {}
func (discard) RowsAffected(int64) {}

// isExecuteSQL reports whether a procedure name is sp_executesql, however qualified.
func isExecuteSQL(n ObjectName) bool {
	return strings.EqualFold(n.Object, "sp_executesql") && (n.Schema == "" || strings.EqualFold(n.Schema, "sys") ||
		strings.EqualFold(n.Schema, "dbo"))
}
