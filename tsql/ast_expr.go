package tsql

// expr is a parsed expression. Boolean-valued nodes (comparisons, AND/OR/NOT, IS NULL, IN, LIKE, BETWEEN,
// EXISTS) are only valid where a condition is expected; cond tells them apart.
type expr interface{ exprNode() }

type (
	literal struct {
		val Value
		typ sqlType
	}
	varRef struct {
		name string
		slot int // assigned by the resolver; -1 until then
	}
	globalRef struct{ name string } // upper case, without @@
	colRef    struct{ parts []string }
	unaryExpr struct {
		op string
		x  expr
	}
	binaryExpr struct {
		op   string
		l, r expr
	}
	compareExpr struct {
		op   string
		l, r expr
	}
	logicExpr struct {
		and  bool
		l, r expr
	}
	notExpr    struct{ x expr }
	isNullExpr struct {
		x   expr
		not bool
	}
	inExpr struct {
		x    expr
		list []expr
		q    *query
		not  bool
	}
	likeExpr struct {
		x, pattern, escape expr
		not                bool
	}
	betweenExpr struct {
		x, lo, hi expr
		not       bool
	}
	existsExpr   struct{ q *query }
	subqueryExpr struct{ q *query }
	caseExpr     struct {
		operand expr
		whens   []whenClause
		els     expr
	}
	funcCall struct {
		name     ObjectName // Object holds the function name as written
		args     []expr
		star     bool // COUNT(*)
		distinct bool
	}
	castExpr struct {
		x       expr
		typ     typeSpec
		style   expr
		try     bool
		convert bool
	}
	datePartCall struct {
		fn   string // DATEADD, DATEDIFF, DATEPART, DATENAME (upper case)
		part datePart
		args []expr
	}
	unsupportedExpr struct{ what string }
)

type whenClause struct{ cond, then expr }

func (*literal) exprNode()         {}
func (*varRef) exprNode()          {}
func (*globalRef) exprNode()       {}
func (*colRef) exprNode()          {}
func (*unaryExpr) exprNode()       {}
func (*binaryExpr) exprNode()      {}
func (*compareExpr) exprNode()     {}
func (*logicExpr) exprNode()       {}
func (*notExpr) exprNode()         {}
func (*isNullExpr) exprNode()      {}
func (*inExpr) exprNode()          {}
func (*likeExpr) exprNode()        {}
func (*betweenExpr) exprNode()     {}
func (*existsExpr) exprNode()      {}
func (*subqueryExpr) exprNode()    {}
func (*caseExpr) exprNode()        {}
func (*funcCall) exprNode()        {}
func (*castExpr) exprNode()        {}
func (*datePartCall) exprNode()    {}
func (*unsupportedExpr) exprNode() {}

// isCond reports whether e is a condition rather than a value.
func isCond(e expr) bool {
	switch e.(type) {
	case *compareExpr, *logicExpr, *notExpr, *isNullExpr, *inExpr, *likeExpr, *betweenExpr, *existsExpr:
		return true
	}
	return false
}

// query is a query expression: SELECTs combined with UNION/EXCEPT/INTERSECT, then ORDER BY and OFFSET/FETCH.
type query struct {
	ctes    []cte
	body    queryBody
	orderBy []orderItem
	offset  expr
	fetch   expr
	line    int
}

type cte struct {
	name    string
	columns []string
	q       *query
}

// queryBody is a selectCore or a setOp.
type queryBody interface{ bodyNode() }

type setOp struct {
	op   string // UNION, UNION ALL, EXCEPT, INTERSECT
	l, r queryBody
}

type selectCore struct {
	distinct   bool
	top        expr
	topPercent bool
	withTies   bool
	items      []selectItem
	into       *ObjectName
	from       []tableSource
	where      expr
	groupBy    []expr
	having     expr
}

// nested is a parenthesized query used as an operand of a set operator.
type nestedQuery struct{ q *query }

func (*setOp) bodyNode()       {}
func (*selectCore) bodyNode()  {}
func (*nestedQuery) bodyNode() {}

// selectItem is one element of a select list.
type selectItem struct {
	x         expr
	alias     string
	hasAlias  bool
	star      bool
	qualifier []string // t.* qualifier
	assignVar *varRef  // SELECT @v = x
	assignOp  string   // "=", "+=", ...
}

type orderItem struct {
	x    expr
	desc bool
}

// tableSource is an element of FROM.
type tableSource interface{ sourceNode() }

type (
	tableName struct {
		name  ObjectName
		alias string
		line  int
	}
	tableVarSource struct {
		v     *varRef
		alias string
	}
	derivedTable struct {
		q       *query
		alias   string
		columns []string
	}
	joinSource struct {
		kind        string // INNER, LEFT, RIGHT, FULL, CROSS, CROSS APPLY, OUTER APPLY
		left, right tableSource
		on          expr
	}
	tvfSource struct {
		name  ObjectName
		alias string
	}
)

func (*tableName) sourceNode()      {}
func (*tableVarSource) sourceNode() {}
func (*derivedTable) sourceNode()   {}
func (*joinSource) sourceNode()     {}
func (*tvfSource) sourceNode()      {}
