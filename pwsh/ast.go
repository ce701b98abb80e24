package pwsh

// Script is a parsed script, ready to run.
type Script struct {
	src   []rune
	stmts []stmt
}

// extent is a span of the script in runes, end exclusive. Error records point at extents the way PowerShell's
// "At line:N char:M" lines do.
type extent struct{ start, end int }

// node is anything with a place in the source.
type node interface{ span() extent }

func (e extent) span() extent { return e }

// Statements.

type stmt interface{ node }

type pipelineStmt struct {
	extent
	pipe *pipeline
}

// assignStmt is $x = value, $x += value, $h.Key = value, $a[0] = value.
type assignStmt struct {
	extent
	target expr
	op     string // "=", "+=", "-=", "*=", "/=", "%="
	value  stmt
}

type ifStmt struct {
	extent
	conds    []*pipeline
	bodies   []*block
	elseBody *block
}

type foreachStmt struct {
	extent
	varName string
	coll    *pipeline
	body    *block
}

// flowStmt is exit, return, throw, break or continue, with its optional value.
type flowStmt struct {
	extent
	kind  string
	value *pipeline
}

type catchClause struct {
	types []string
	body  *block
}

type tryStmt struct {
	extent
	body    *block
	catches []catchClause
	finally *block
}

type block struct {
	extent
	stmts []stmt
}

// Pipelines and commands.

type pipeline struct {
	extent
	elems []pipeElem
}

type pipeElem interface{ node }

// exprElem is an expression as the first element of a pipeline.
type exprElem struct {
	extent
	x      expr
	redirs []redirection
}

// command is a command invocation: a name or an invoked expression (& $x, & { }), then its elements in order.
// Parameters and arguments stay separate until run time, because only the bound command knows whether -Name
// takes the argument that follows it.
type command struct {
	extent
	name     string
	nameExt  extent
	nameExpr expr // for the call operator
	elems    []cmdElem
	redirs   []redirection
}

// cmdElem is one parameter (-Name, -Name:value), argument or splatted variable (@params).
type cmdElem struct {
	extent
	param    string
	isParam  bool
	hasColon bool
	arg      expr
	splat    string
}

// redirection is N>$null, N>&1 or *>... . stream is 1-6, or 0 for *.
type redirection struct {
	extent
	stream int
	merge  bool // N>&1
}

// Expressions.

type expr interface{ node }

type constExpr struct {
	extent
	v Value
}

// expandExpr is a double-quoted string or a bare word with variables in it.
type expandExpr struct {
	extent
	parts []expr
}

type varExpr struct {
	extent
	name string // as written, without $
}

type arrayExpr struct {
	extent
	elems []expr
}

// subExpr is $( ... ) or, with array set, @( ... ).
type subExpr struct {
	extent
	stmts []stmt
	array bool
}

type parenExpr struct {
	extent
	inner stmt
}

type hashExpr struct {
	extent
	keys   []expr
	values []stmt
}

type blockExpr struct {
	extent
	body *block
	text string
}

type memberExpr struct {
	extent
	target expr
	name   expr
	static bool
}

type invokeExpr struct {
	extent
	target expr
	name   expr
	args   []expr
	static bool
}

type indexExpr struct {
	extent
	target expr
	index  expr
}

type unaryExpr struct {
	extent
	op string // "!", "-not", "-bnot", "-", "+", ",", "-split", "-csplit", "-join", "++", "--", "post++", "post--"
	x  expr
}

type binaryExpr struct {
	extent
	op    string // lower case without the dash or case prefix for named operators: "eq", "like", "+", ".."
	cs    bool   // case-sensitive variant (-ceq, -clike ...)
	l, r  expr
	opExt extent
}

type typeExpr struct {
	extent
	name string
}

type castExpr struct {
	extent
	typ string
	x   expr
}
