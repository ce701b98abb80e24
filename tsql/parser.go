package tsql

import "strings"

// maxDepth bounds the nesting of expressions, subqueries and blocks. SQL Server refuses deep nesting with Msg 191;
// the bound also keeps the recursive parser and evaluator on a small stack whatever a trainee types.
const maxDepth = 128

// parser is a recursive descent parser over the tokens of one batch. Every method returns the first error it
// meets; nothing is executed until the whole batch parsed, as SQL Server compiles a batch before running it.
type parser struct {
	toks  []token
	pos   int
	depth int
	// condOp is the last comparison operator read, to point at it when a condition appears where a value must.
	condOp token
	// keepSet makes a loosely parsed statement run past SET (ALTER TABLE ... SET, ALTER LOGIN ...).
	keepSet bool
}

// Parse parses a batch without running it. Syntax errors come back as *Error (Msg 102, 156, 105, 113 or 191)
// with the line they are on.
func Parse(batch string) (*Batch, error) {
	b, err := parseBatch(batch)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func parseBatch(src string) (*Batch, *Error) {
	toks, err := lex(src)
	if err != nil {
		err.Abort = true
		return nil, err
	}
	p := &parser{toks: toks}
	b := &Batch{}
	first := true
	for {
		for p.acceptOp(";") {
		}
		if p.peek().kind == tokEOF {
			return b, nil
		}
		s, err := p.statement(first)
		if err != nil {
			return nil, err
		}
		first = false
		b.Statements = append(b.Statements, s)
	}
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

func (p *parser) accept(kw string) bool {
	if p.peek().isKeyword(kw) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) acceptOp(op string) bool {
	if p.peek().isOp(op) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expect(kw string) *Error {
	if p.accept(kw) {
		return nil
	}
	return p.fail()
}

func (p *parser) expectOp(op string) *Error {
	if p.acceptOp(op) {
		return nil
	}
	return p.fail()
}

// fail reports a syntax error at the current token.
func (p *parser) fail() *Error { return syntaxErr(p.peek()) }

// maxChain bounds the operands of one chain of operators (a + b + ..., x OR y OR ..., UNION ...): the compiled
// form nests one level per operand, so a pasted megabyte of ORs must not become a megabyte-deep recursion.
const maxChain = 4096

// enter counts one level of nesting; leave must follow when enter succeeded.
func (p *parser) enter() *Error {
	p.depth++
	if p.depth > maxDepth {
		return p.tooDeep()
	}
	return nil
}

// tooDeep is Msg 191.
func (p *parser) tooDeep() *Error {
	e := newErr(191, 15, "Some part of your SQL statement is nested too deeply. Rewrite the query or break it up into smaller queries.")
	e.Line = int32(p.peek().line)
	e.Abort = true
	return e
}

func (p *parser) leave() { p.depth-- }

// name reads one identifier (plain non-reserved or quoted).
func (p *parser) name() (string, *Error) {
	t := p.peek()
	if !t.isName() {
		return "", p.fail()
	}
	p.pos++
	return t.val, nil
}

// anyWord reads an identifier or a keyword (option names such as FILE, or database names written bare).
func (p *parser) anyWord() (token, *Error) {
	t := p.peek()
	if t.kind != tokIdent && t.kind != tokQuoted {
		return t, p.fail()
	}
	p.pos++
	return t, nil
}

// multiPart reads a possibly qualified name: up to four parts separated by dots, inner parts may be empty
// (msdb..backupset).
func (p *parser) multiPart() ([]string, *Error) {
	var parts []string
	first, err := p.name()
	if err != nil {
		return nil, err
	}
	parts = append(parts, first)
	for p.peek().isOp(".") {
		p.pos++
		for p.peek().isOp(".") {
			parts = append(parts, "")
			p.pos++
		}
		part, err := p.name()
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
		if len(parts) > 4 {
			return nil, p.fail()
		}
	}
	return parts, nil
}

// objectName turns name parts into an ObjectName (the last part is the object).
func objectName(parts []string) ObjectName {
	var n ObjectName
	switch len(parts) {
	case 1:
		n.Object = parts[0]
	case 2:
		n.Schema, n.Object = parts[0], parts[1]
	case 3:
		n.Database, n.Schema, n.Object = parts[0], parts[1], parts[2]
	default:
		n.Server, n.Database, n.Schema, n.Object = parts[0], parts[1], parts[2], parts[len(parts)-1]
	}
	return n
}

// statement parses one statement. first is true for the batch's first statement, where a bare procedure name
// is an EXECUTE.
func (p *parser) statement(first bool) (Statement, *Error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.peek()
	base := stmtBase{line: t.line}
	if t.isOp("(") {
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &selectStmt{stmtBase: base, q: q}, nil
	}
	if t.kind == tokQuoted && first {
		return p.execBody(base)
	}
	if t.kind != tokIdent {
		return nil, p.fail()
	}
	switch t.upper {
	case "SELECT", "WITH":
		return p.selectOrCTE(base)
	case "DECLARE":
		return p.declare(base)
	case "SET":
		return p.set(base)
	case "IF":
		return p.ifStmt(base)
	case "WHILE":
		p.pos++
		cond, err := p.condition()
		if err != nil {
			return nil, err
		}
		body, err := p.statement(false)
		if err != nil {
			return nil, err
		}
		return &whileStmt{stmtBase: base, cond: cond, body: body}, nil
	case "BEGIN":
		return p.begin(base)
	case "BREAK":
		p.pos++
		return &breakStmt{base}, nil
	case "CONTINUE":
		p.pos++
		return &continueStmt{base}, nil
	case "RETURN":
		p.pos++
		s := &returnStmt{stmtBase: base}
		if startsValue(p.peek()) {
			x, err := p.value()
			if err != nil {
				return nil, err
			}
			s.x = x
		}
		return s, nil
	case "PRINT":
		p.pos++
		x, err := p.value()
		if err != nil {
			return nil, err
		}
		return &printStmt{stmtBase: base, x: x}, nil
	case "RAISERROR":
		return p.raiserror(base)
	case "THROW":
		return p.throw(base)
	case "EXEC", "EXECUTE":
		p.pos++
		return p.execBody(base)
	case "INSERT":
		return p.insert(base)
	case "UPDATE":
		return p.update(base)
	case "DELETE":
		return p.delete(base)
	case "USE":
		p.pos++
		w, err := p.anyWord()
		if err != nil {
			return nil, err
		}
		return &useStmt{stmtBase: base, db: w.val}, nil
	case "BACKUP":
		return p.backup(base)
	case "RESTORE":
		return p.restore(base)
	case "ALTER":
		return p.alter(base)
	case "KILL":
		return p.kill(base)
	case "WAITFOR":
		return p.waitfor(base)
	case "CHECKPOINT":
		p.pos++
		if p.peek().kind == tokInt {
			p.pos++
		}
		return &checkpointStmt{base}, nil
	case "COMMIT", "ROLLBACK", "SAVE":
		return p.tran(base, t.upper)
	}
	if s := p.unsupported(base, first); s != nil {
		return s, nil
	}
	if first && t.isName() {
		return p.execBody(base)
	}
	return nil, p.fail()
}

// startsValue reports whether t can begin an expression (used for the optional operand of RETURN).
func startsValue(t token) bool {
	switch t.kind {
	case tokInt, tokNumber, tokString, tokBinary, tokVar, tokGlobal, tokQuoted:
		return true
	case tokOp:
		return t.text == "(" || t.text == "-" || t.text == "+" || t.text == "~"
	case tokIdent:
		return !reserved[t.upper] || t.upper == "NULL" || t.upper == "CASE" || t.upper == "CAST" ||
			t.upper == "CONVERT" || t.upper == "COALESCE" || t.upper == "NULLIF" || t.upper == "LEFT" || t.upper == "RIGHT"
	}
	return false
}

func (p *parser) ifStmt(base stmtBase) (Statement, *Error) {
	p.pos++
	cond, err := p.condition()
	if err != nil {
		return nil, err
	}
	then, err := p.statement(false)
	if err != nil {
		return nil, err
	}
	s := &ifStmt{stmtBase: base, cond: cond, then: then}
	save := p.pos
	for p.acceptOp(";") {
	}
	if p.accept("ELSE") {
		if s.elseStmt, err = p.statement(false); err != nil {
			return nil, err
		}
	} else {
		p.pos = save
	}
	return s, nil
}

// begin parses BEGIN ... END, BEGIN TRY ... END TRY BEGIN CATCH ... END CATCH and BEGIN TRAN.
func (p *parser) begin(base stmtBase) (Statement, *Error) {
	p.pos++
	switch nx := p.peek(); {
	case nx.isKeyword("TRAN") || nx.isKeyword("TRANSACTION") || nx.isKeyword("DISTRIBUTED"):
		p.pos--
		return p.tran(base, "BEGIN")
	case nx.isKeyword("TRY"):
		p.pos++
		try, err := p.block("TRY")
		if err != nil {
			return nil, err
		}
		if err := p.expect("BEGIN"); err != nil {
			return nil, err
		}
		if err := p.expect("CATCH"); err != nil {
			return nil, err
		}
		catch, err := p.block("CATCH")
		if err != nil {
			return nil, err
		}
		return &tryStmt{stmtBase: base, try: try, catch: catch}, nil
	case nx.isKeyword("CONVERSATION") || nx.isKeyword("DIALOG"):
		return &unsupportedStmt{stmtBase: base, what: "Service Broker conversations"}, p.skipStatement(false)
	}
	body, err := p.block("")
	if err != nil {
		return nil, err
	}
	return &blockStmt{stmtBase: base, body: body}, nil
}

// block parses statements up to END [suffix].
func (p *parser) block(suffix string) ([]Statement, *Error) {
	var body []Statement
	for {
		for p.acceptOp(";") {
		}
		if p.accept("END") {
			if suffix != "" {
				if err := p.expect(suffix); err != nil {
					return nil, err
				}
			}
			return body, nil
		}
		if p.peek().kind == tokEOF {
			return nil, p.fail()
		}
		s, err := p.statement(false)
		if err != nil {
			return nil, err
		}
		body = append(body, s)
	}
}

func (p *parser) tran(base stmtBase, op string) (Statement, *Error) {
	p.pos++
	named := p.accept("TRAN") || p.accept("TRANSACTION")
	if op == "BEGIN" && !named {
		p.accept("DISTRIBUTED")
		if named = p.accept("TRAN") || p.accept("TRANSACTION"); !named {
			return nil, p.fail()
		}
	}
	if !named {
		p.accept("WORK")
	}
	// Optional transaction name or variable, and WITH MARK 'description'.
	if t := p.peek(); named && (t.kind == tokVar || (t.isName() && !strings.EqualFold(t.text, "THROW"))) {
		p.pos++
	}
	if p.peek().isKeyword("WITH") && p.peekAt(1).isKeyword("MARK") {
		p.pos += 2
		if p.peek().kind == tokString {
			p.pos++
		}
	}
	return &tranStmt{stmtBase: base, op: op}, nil
}
