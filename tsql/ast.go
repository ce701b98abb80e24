package tsql

// Batch is a parsed batch: its statements in order.
type Batch struct {
	Statements []Statement
}

// Statement is one parsed statement of a batch.
type Statement interface {
	// Line is the 1-based line of the batch the statement starts on.
	Line() int
	// Verb names the statement the way messages and logs do: "SELECT", "BACKUP DATABASE", "EXECUTE" ...
	Verb() string
}

type stmtBase struct{ line int }

func (s stmtBase) Line() int { return s.line }

type (
	selectStmt struct {
		stmtBase
		q *query
	}
	declareStmt struct {
		stmtBase
		vars []varDecl
	}
	setVarStmt struct {
		stmtBase
		v  *varRef
		op string // "=", "+=", ...
		x  expr
	}
	setOptionStmt struct {
		stmtBase
		options []string // upper case
		value   string   // ON, OFF or the value as written
	}
	ifStmt struct {
		stmtBase
		cond     expr
		then     Statement
		elseStmt Statement
	}
	blockStmt struct {
		stmtBase
		body []Statement
	}
	tryStmt struct {
		stmtBase
		try, catch []Statement
	}
	whileStmt struct {
		stmtBase
		cond expr
		body Statement
	}
	breakStmt    struct{ stmtBase }
	continueStmt struct{ stmtBase }
	returnStmt   struct {
		stmtBase
		x expr
	}
	printStmt struct {
		stmtBase
		x expr
	}
	raiserrorStmt struct {
		stmtBase
		msg, severity, state expr
		args                 []expr
		log, nowait, setErr  bool
	}
	throwStmt struct {
		stmtBase
		number, message, state expr // all nil: rethrow
	}
	execStmt struct {
		stmtBase
		status  *varRef    // EXEC @rc = ...
		proc    ObjectName // procedure name
		procVar *varRef    // EXEC @procname ...
		args    []execArg
		dynamic expr // EXEC (expr)
	}
	insertStmt struct {
		stmtBase
		target   *ObjectName
		tv       *varRef
		columns  []string
		values   [][]expr
		q        *query
		exec     *execStmt
		defaults bool
	}
	updateStmt struct {
		stmtBase
		target *ObjectName
		tv     *varRef
		alias  string
		sets   []setClause
		from   []tableSource
		where  expr
	}
	deleteStmt struct {
		stmtBase
		target *ObjectName
		tv     *varRef
		alias  string
		from   []tableSource
		where  expr
	}
	useStmt struct {
		stmtBase
		db string
	}
	backupStmt struct {
		stmtBase
		kind    BackupKind
		db      string
		dbVar   *varRef
		disks   []expr
		opts    backupOpts
		refused string // an option the simulated server cannot honour
	}
	restoreStmt struct {
		stmtBase
		kind    RestoreKind
		db      string
		dbVar   *varRef
		disks   []expr
		file    expr
		opts    restoreOpts
		standby expr
		moves   [][2]expr
		refused string
	}
	alterDBStmt struct {
		stmtBase
		db    string
		spec  AlterDatabaseSpec
		addr  expr
		after int
	}
	tranStmt struct {
		stmtBase
		op string // BEGIN, COMMIT, ROLLBACK, SAVE
	}
	killStmt struct {
		stmtBase
		spid int64
	}
	waitforStmt struct {
		stmtBase
		at bool // WAITFOR TIME
		x  expr
	}
	checkpointStmt  struct{ stmtBase }
	unsupportedStmt struct {
		stmtBase
		what string
	}
)

// varDecl is one variable of DECLARE: a scalar with an optional initial value, or a table variable.
type varDecl struct {
	v     *varRef
	typ   typeSpec
	init  expr
	table []colDef
	out   bool // OUTPUT, in sp_executesql parameter lists
}

// colDef is a column of a table variable.
type colDef struct {
	name     string
	typ      typeSpec
	notNull  bool
	def      expr
	identity bool
	seed     int64
	incr     int64
}

type execArg struct {
	name   string // "@p" or ""
	x      expr   // nil for DEFAULT
	output bool
}

type setClause struct {
	col string
	v   *varRef // SET @v = ... inside UPDATE
	op  string
	x   expr
}

type backupOpts struct {
	init, format, checksum, copyOnly, noRecovery, skip bool
	compression                                        *bool
	name, description, mediaName                       expr
	stats                                              int
}

type restoreOpts struct {
	replace, checksum bool
	recovery          Recovery
	stats             int
}

func (*selectStmt) Verb() string        { return "SELECT" }
func (*declareStmt) Verb() string       { return "DECLARE" }
func (*setVarStmt) Verb() string        { return "SET" }
func (*setOptionStmt) Verb() string     { return "SET" }
func (*ifStmt) Verb() string            { return "IF" }
func (*blockStmt) Verb() string         { return "BEGIN" }
func (*tryStmt) Verb() string           { return "BEGIN TRY" }
func (*whileStmt) Verb() string         { return "WHILE" }
func (*breakStmt) Verb() string         { return "BREAK" }
func (*continueStmt) Verb() string      { return "CONTINUE" }
func (*returnStmt) Verb() string        { return "RETURN" }
func (*printStmt) Verb() string         { return "PRINT" }
func (*raiserrorStmt) Verb() string     { return "RAISERROR" }
func (*throwStmt) Verb() string         { return "THROW" }
func (*execStmt) Verb() string          { return "EXECUTE" }
func (*insertStmt) Verb() string        { return "INSERT" }
func (*updateStmt) Verb() string        { return "UPDATE" }
func (*deleteStmt) Verb() string        { return "DELETE" }
func (*useStmt) Verb() string           { return "USE" }
func (*checkpointStmt) Verb() string    { return "CHECKPOINT" }
func (*killStmt) Verb() string          { return "KILL" }
func (*waitforStmt) Verb() string       { return "WAITFOR" }
func (s *unsupportedStmt) Verb() string { return s.what }
func (s *tranStmt) Verb() string        { return s.op + " TRANSACTION" }
func (*alterDBStmt) Verb() string       { return "ALTER DATABASE" }

func (s *backupStmt) Verb() string {
	if s.kind == BackupLog {
		return "BACKUP LOG"
	}
	return "BACKUP DATABASE"
}

func (s *restoreStmt) Verb() string {
	switch s.kind {
	case RestoreLog:
		return "RESTORE LOG"
	case RestoreVerifyOnly:
		return "RESTORE VERIFYONLY"
	case RestoreHeaderOnly:
		return "RESTORE HEADERONLY"
	case RestoreFileListOnly:
		return "RESTORE FILELISTONLY"
	case RestoreLabelOnly:
		return "RESTORE LABELONLY"
	}
	return "RESTORE DATABASE"
}
