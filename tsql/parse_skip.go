package tsql

// unsupportedStarts are statements the simulated server recognizes but does not run: they are parsed loosely so
// a trainee gets a readable error instead of a syntax error.
var unsupportedStarts = map[string]bool{
	"CREATE": true, "DROP": true, "TRUNCATE": true, "GRANT": true, "REVOKE": true, "DENY": true, "DBCC": true,
	"MERGE": true, "OPEN": true, "CLOSE": true, "FETCH": true, "DEALLOCATE": true, "BULK": true,
	"RECONFIGURE": true, "SHUTDOWN": true, "GOTO": true, "ENABLE": true, "DISABLE": true, "SETUSER": true,
	"REVERT": true, "READTEXT": true, "WRITETEXT": true, "UPDATETEXT": true, "RECEIVE": true, "SEND": true,
	"GET": true, "MOVE": true, "LINENO": true, "DUMP": true, "LOAD": true, "ADD": true,
}

// statementStarts are the words that end a loosely parsed statement.
var statementStarts = map[string]bool{
	"SELECT": true, "INSERT": true, "UPDATE": true, "DELETE": true, "DECLARE": true, "SET": true, "IF": true,
	"WHILE": true, "BEGIN": true, "END": true, "PRINT": true, "RAISERROR": true, "EXEC": true, "EXECUTE": true,
	"USE": true, "BACKUP": true, "RESTORE": true, "ALTER": true, "CREATE": true, "DROP": true, "TRUNCATE": true,
	"GRANT": true, "REVOKE": true, "DENY": true, "DBCC": true, "MERGE": true, "KILL": true, "WAITFOR": true,
	"CHECKPOINT": true, "COMMIT": true, "ROLLBACK": true, "SAVE": true, "RETURN": true, "BREAK": true,
	"CONTINUE": true, "GOTO": true, "OPEN": true, "CLOSE": true, "FETCH": true, "DEALLOCATE": true, "ELSE": true,
}

// unsupported parses a statement the server does not run, or returns nil when the current token starts none.
func (p *parser) unsupported(base stmtBase, first bool) Statement {
	t := p.peek()
	if t.kind != tokIdent {
		return nil
	}
	if !unsupportedStarts[t.upper] {
		// A label (name:) for GOTO.
		if t.isName() && p.peekAt(1).isOp(":") && !p.peekAt(2).isOp(":") {
			p.pos += 2
			return &unsupportedStmt{stmtBase: base, what: "labels and GOTO"}
		}
		return nil
	}
	what := t.upper
	p.pos++
	if nx := p.peek(); nx.kind == tokIdent && t.upper != "GOTO" && t.upper != "GRANT" && t.upper != "REVOKE" &&
		t.upper != "DENY" && t.upper != "MERGE" {
		what += " " + nx.upper
	}
	toEnd := false
	if t.upper == "CREATE" {
		switch p.peek().upper {
		case "PROC", "PROCEDURE", "FUNCTION", "TRIGGER", "VIEW", "SCHEMA":
			toEnd = true
		case "OR":
			toEnd = true
			what = "CREATE OR ALTER"
		}
	}
	if t.upper == "MERGE" {
		p.skipTo(";")
		return &unsupportedStmt{stmtBase: base, what: what}
	}
	if t.upper == "GRANT" || t.upper == "REVOKE" || t.upper == "DENY" {
		// Permission lists name statements (GRANT SELECT, EXECUTE ON ...): skip to ON or TO first.
		for tk := p.peek(); tk.kind != tokEOF && !tk.isKeyword("ON") && !tk.isKeyword("TO") && !tk.isKeyword("FROM") && !tk.isOp(";"); tk = p.peek() {
			p.pos++
		}
	}
	p.keepSet = t.upper == "ALTER"
	_ = p.skipStatement(toEnd)
	p.keepSet = false
	return &unsupportedStmt{stmtBase: base, what: what}
}

// skipTo skips tokens up to and including op (or to the end).
func (p *parser) skipTo(op string) {
	for t := p.next(); t.kind != tokEOF && !t.isOp(op); t = p.next() {
	}
}

// skipStatement skips the rest of a loosely parsed statement: to the end of the batch when toEnd (procedure and
// view bodies), else to a semicolon or the next statement's first word outside parentheses.
func (p *parser) skipStatement(toEnd bool) *Error {
	depth, cases := 0, 0
	for {
		t := p.peek()
		switch {
		case t.kind == tokEOF:
			return nil
		case toEnd:
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			if depth == 0 {
				return nil
			}
			depth--
		case t.isOp(";") && depth == 0:
			p.pos++
			return nil
		case t.isKeyword("CASE"):
			cases++
		case t.isKeyword("END") && cases > 0:
			cases--
		case depth == 0 && t.kind == tokIdent && statementStarts[t.upper] && !(p.keepSet && t.upper == "SET"):
			return nil
		}
		p.pos++
	}
}
