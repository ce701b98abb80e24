package tsql

// scope is one running batch or dynamic SQL text: its variables and the TRY blocks open in it.
type scope struct {
	r    *runner
	vars []*variable
	try  int
	// inherited is true when a TRY block of a calling scope is open: errors travel up to it unreported.
	inherited bool
}

// variable is a scalar or table variable. typ is set when the DECLARE runs.
type variable struct {
	name  string
	typ   sqlType
	val   Value
	table *tableVar
}

// catches reports whether an open TRY block will handle f.
func (sc *scope) catches(f *fault) bool {
	if sc.inherited {
		return true
	}
	return sc.try > 0 && (f.level != levelScope || f.nested)
}

// report sends a fault's errors to the client, sets @@ERROR and remembers the batch's first error.
func (sc *scope) report(f *fault) {
	r := sc.r
	for _, e := range f.errs {
		r.out.Error(e.Message)
		if r.first == nil {
			r.first = e
		}
	}
	if len(f.errs) > 0 {
		r.sess.lastError = f.errs[len(f.errs)-1].Number
	}
	if r.sess.XactAbort && f.level == levelStmt {
		f.level = levelBatch
	}
	if f.level == levelBatch && r.sess.XactAbort && r.sess.TranCount > 0 {
		r.sess.TranCount = 0
		sc.tranChanged()
	}
}

// runStmts runs statements in order, applying SQL Server's rules for errors between them.
func (sc *scope) runStmts(list []Statement) error {
	for _, s := range list {
		if err := sc.r.ctx.Err(); err != nil {
			return err
		}
		err := sc.execStmt(s)
		if err == nil {
			continue
		}
		f, ok := err.(*fault)
		if !ok {
			return err
		}
		if sc.catches(f) {
			return f
		}
		sc.report(f)
		if f.level > levelStmt {
			return &aborted{level: f.level}
		}
	}
	return nil
}

// execStmt runs one statement and stamps its line on the errors it raised.
func (sc *scope) execStmt(s Statement) error {
	err := toFault(sc.dispatch(s))
	if f, ok := err.(*fault); ok {
		f.fillLine(s.Line())
		return f
	}
	if err == nil && isSimple(s) {
		sc.r.sess.lastError = 0
	}
	return err
}

// isSimple reports whether a statement sets @@ERROR itself (compound statements leave it to their body).
func isSimple(s Statement) bool {
	switch s.(type) {
	case *ifStmt, *whileStmt, *blockStmt, *tryStmt:
		return false
	}
	return true
}

func (sc *scope) dispatch(s Statement) error {
	switch s := s.(type) {
	case *selectStmt:
		return sc.execSelect(s)
	case *declareStmt:
		return sc.execDeclare(s)
	case *setVarStmt:
		return sc.execSetVar(s)
	case *setOptionStmt:
		return sc.execSetOption(s)
	case *contextInfoStmt:
		return sc.execContextInfo(s)
	case *ifStmt:
		t, err := sc.condition(s.cond, s.Line())
		if err != nil {
			return err
		}
		sc.r.sess.lastError = 0
		if t == triTrue {
			return sc.execNested(s.then)
		}
		if s.elseStmt != nil {
			return sc.execNested(s.elseStmt)
		}
		return nil
	case *blockStmt:
		return sc.runStmts(s.body)
	case *tryStmt:
		return sc.execTry(s)
	case *whileStmt:
		return sc.execWhile(s)
	case *breakStmt:
		return flowBreak
	case *continueStmt:
		return flowContinue
	case *returnStmt:
		return flowReturn
	case *printStmt:
		return sc.execPrint(s)
	case *raiserrorStmt:
		return sc.execRaiserror(s)
	case *throwStmt:
		return sc.execThrow(s)
	case *execStmt:
		return sc.execExec(s)
	case *insertStmt:
		return sc.execInsert(s)
	case *updateStmt:
		return sc.execUpdate(s)
	case *deleteStmt:
		return sc.execDelete(s)
	case *useStmt:
		return sc.execUse(s)
	case *backupStmt:
		return sc.execBackup(s)
	case *restoreStmt:
		return sc.execRestore(s)
	case *alterDBStmt:
		return sc.execAlter(s)
	case *tranStmt:
		return sc.execTran(s)
	case *killStmt:
		sc.r.sess.rowCount = 0
		return sc.r.host.Kill(sc.r.ctx, s.spid, sc.r.out)
	case *waitforStmt:
		return sc.execWaitfor(s)
	case *checkpointStmt:
		return nil
	case *unsupportedStmt:
		return raise(unsupportedErr(s.what))
	}
	return raise(unsupportedErr(s.Verb()))
}

// execNested runs the single statement of IF or WHILE as a one-statement block, so that its errors follow the
// same rules as anywhere else.
func (sc *scope) execNested(s Statement) error {
	return sc.runStmts([]Statement{s})
}

func (sc *scope) execTry(s *tryStmt) error {
	sc.try++
	err := sc.runStmts(s.try)
	sc.try--
	f, ok := err.(*fault)
	if !ok {
		return err
	}
	last := f.errs[len(f.errs)-1]
	r := sc.r
	r.sess.lastError = last.Number
	r.caught = append(r.caught, last)
	err = sc.runStmts(s.catch)
	r.caught = r.caught[:len(r.caught)-1]
	return err
}

func (sc *scope) execWhile(s *whileStmt) error {
	for {
		t, err := sc.condition(s.cond, s.Line())
		if err != nil {
			return err
		}
		sc.r.sess.lastError = 0
		if t != triTrue {
			return nil
		}
		sc.r.loops++
		if sc.r.loops > maxLoops {
			return raise(abortErr(50000, 16, "The training simulator stopped this batch after %d loop iterations: "+
				"a WHILE loop that does not end would hold the session forever.", maxLoops))
		}
		if err := sc.r.ctx.Err(); err != nil {
			return err
		}
		err = sc.execNested(s.body)
		switch err {
		case nil, flowContinue:
		case flowBreak:
			return nil
		default:
			return err
		}
	}
}
