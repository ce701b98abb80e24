package pwsh

// Compound statements: if, foreach, try and the flow keywords.

// block parses { statements } at the current position, which must be '{'.
func (p *parser) block() *block {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	start := p.pos
	p.pos++
	stmts := p.statementList('}')
	if p.err != nil {
		return nil
	}
	if p.peek() != '}' {
		p.fail(start, start+1, "MissingEndCurlyBrace", "Missing closing '}' in statement block or type definition.")
		return nil
	}
	p.pos++
	return &block{extent: extent{start, p.pos}, stmts: stmts}
}

// condition parses ( pipeline ) after if/elseif.
func (p *parser) condition(kw string) *pipeline {
	p.skipSpace()
	if p.peek() != '(' {
		p.fail(p.pos, p.pos+1, "MissingOpenParenthesisInIfStatement", "Missing '(' after '%s' in if statement.", kw)
		return nil
	}
	p.pos++
	p.skipNewlines()
	at := p.pos
	cond := p.pipeline()
	if cond == nil {
		p.fail(at, at+1, "IfStatementMissingCondition", "Missing condition in if statement after '%s ('.", kw)
		return nil
	}
	p.skipNewlines()
	if p.peek() != ')' {
		p.fail(p.pos, p.pos+1, "MissingEndParenthesisAfterStatement",
			"Missing closing ')' after expression in '%s' statement.", kw)
		return nil
	}
	p.pos++
	return cond
}

// statementBlock parses the { } a keyword requires.
func (p *parser) statementBlock(id, message string) *block {
	p.skipNewlines()
	if p.peek() != '{' {
		p.fail(p.pos, p.pos+1, id, "%s", message)
		return nil
	}
	return p.block()
}

func (p *parser) ifStatement(start int) stmt {
	s := &ifStmt{}
	kw := "if"
	for {
		cond := p.condition(kw)
		if cond == nil {
			return nil
		}
		body := p.statementBlock("MissingStatementBlock", "Missing statement block after "+kw+" ( condition ).")
		if body == nil {
			return nil
		}
		s.conds = append(s.conds, cond)
		s.bodies = append(s.bodies, body)
		save := p.pos
		p.skipNewlines()
		switch {
		case p.wordAt("elseif"):
			p.pos += len("elseif")
			kw = "elseif"
			continue
		case p.wordAt("else"):
			p.pos += len("else")
			s.elseBody = p.statementBlock("MissingStatementBlockAfterElse",
				"Missing statement block after 'else' keyword.")
			if s.elseBody == nil {
				return nil
			}
		default:
			p.pos = save
		}
		break
	}
	end := s.bodies[len(s.bodies)-1].end
	if s.elseBody != nil {
		end = s.elseBody.end
	}
	s.extent = extent{start, end}
	return s
}

func (p *parser) foreachStatement(start int) stmt {
	p.skipSpace()
	if p.peek() != '(' {
		p.fail(p.pos, p.pos+1, "MissingOpenParenthesisAfterKeyword", "Missing opening '(' after keyword 'foreach'.")
		return nil
	}
	p.pos++
	p.skipNewlines()
	if p.peek() != '$' {
		p.fail(p.pos, p.pos+1, "MissingVariableNameAfterForeach", "Missing variable name after foreach.")
		return nil
	}
	v, ok := p.variable().(*varExpr)
	if !ok {
		p.fail(p.pos, p.pos+1, "MissingVariableNameAfterForeach", "Missing variable name after foreach.")
		return nil
	}
	p.skipNewlines()
	if !p.wordAt("in") {
		p.fail(p.pos, p.pos+1, "MissingInInForeach", "Missing 'in' after variable in foreach loop.")
		return nil
	}
	p.pos += 2
	p.skipNewlines()
	at := p.pos
	coll := p.pipeline()
	if coll == nil {
		p.fail(at, at+1, "MissingForeachExpression", "Missing expression after 'in' in foreach loop.")
		return nil
	}
	p.skipNewlines()
	if p.peek() != ')' {
		p.fail(p.pos, p.pos+1, "MissingEndParenthesisAfterForeach",
			"Missing closing ')' after expression in 'foreach' statement.")
		return nil
	}
	p.pos++
	body := p.statementBlock("MissingForeachStatement", "Missing statement body in foreach loop.")
	if body == nil {
		return nil
	}
	return &foreachStmt{extent: extent{start, body.end}, varName: v.name, coll: coll, body: body}
}

func (p *parser) tryStatement(start int) stmt {
	body := p.statementBlock("MissingTryStatementBlock", "Missing statement block after 'try'.")
	if body == nil {
		return nil
	}
	s := &tryStmt{body: body}
	end := body.end
	for {
		save := p.pos
		p.skipNewlines()
		if !p.wordAt("catch") {
			p.pos = save
			break
		}
		p.pos += len("catch")
		var c catchClause
		for {
			p.skipSpace()
			if p.peek() != '[' {
				break
			}
			t := p.typeName()
			if t == "" {
				return nil
			}
			c.types = append(c.types, t)
			p.skipSpace()
			if p.peek() != ',' {
				break
			}
			p.pos++
			p.skipNewlines()
		}
		c.body = p.statementBlock("MissingCatchBlock", "Missing statement block in catch block.")
		if c.body == nil {
			return nil
		}
		s.catches = append(s.catches, c)
		end = c.body.end
	}
	save := p.pos
	p.skipNewlines()
	if p.wordAt("finally") {
		p.pos += len("finally")
		s.finally = p.statementBlock("MissingFinallyStatementBlock", "Missing statement block after 'finally'.")
		if s.finally == nil {
			return nil
		}
		end = s.finally.end
	} else {
		p.pos = save
	}
	if len(s.catches) == 0 && s.finally == nil {
		p.fail(body.end-1, body.end, "MissingCatchOrFinally", "The Try statement is missing its Catch or Finally block.")
		return nil
	}
	s.extent = extent{start, end}
	return s
}

// wordAt reports whether the keyword-like word w (lower case) is at the current position.
func (p *parser) wordAt(w string) bool {
	i := p.pos
	for _, c := range w {
		if i >= len(p.src) || (p.src[i]|0x20) != c {
			return false
		}
		i++
	}
	return i == len(p.src) || !isIdentChar(p.src[i]) && p.src[i] != '-'
}

func (p *parser) flowStatement(start int, kw string) stmt {
	s := &flowStmt{kind: kw}
	p.skipSpace()
	switch {
	case kw == "break" || kw == "continue":
		// A loop label is accepted and ignored: there are no labelled loops to choose between.
		for !p.atStatementEnd() && !isSpace(p.peek()) {
			p.pos++
		}
	case !p.atStatementEnd():
		s.value = p.pipeline()
		if s.value == nil {
			return nil
		}
	}
	s.extent = extent{start, p.pos}
	if s.value != nil {
		s.end = s.value.end
	}
	return s
}
