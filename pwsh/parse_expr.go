package pwsh

import "strings"

// Expression mode: operators by precedence, unary operators, casts and postfix member access.

// Precedence levels, lowest first, as in the PowerShell language specification. -and and -or share a level and
// associate left, which is why "$a -or $b -and $c" means "($a -or $b) -and $c".
const (
	levelLogical = iota
	levelBitwise
	levelComparison
	levelAdditive
	levelMultiplicative
	levelFormat
	levelRange
	levelArray
)

// dashOps maps the named binary operators to their level.
var dashOps = map[string]int{
	"and": levelLogical, "or": levelLogical, "xor": levelLogical,
	"band": levelBitwise, "bor": levelBitwise, "bxor": levelBitwise,
	"f": levelFormat,
}

// comparisonOps are the comparison-level operators; the ones marked true take a c (case-sensitive) or i
// (case-insensitive) prefix.
var comparisonOps = map[string]bool{
	"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true,
	"like": true, "notlike": true, "match": true, "notmatch": true,
	"contains": true, "notcontains": true, "in": true, "notin": true,
	"replace": true, "split": true,
	"join": false, "is": false, "isnot": false, "as": false,
}

// namedOp resolves an operator word to its base name, case sensitivity and level.
func namedOp(word string) (op string, cs bool, level int, ok bool) {
	word = strings.ToLower(word)
	if l, found := dashOps[word]; found {
		return word, false, l, true
	}
	if _, found := comparisonOps[word]; found {
		return word, false, levelComparison, true
	}
	if len(word) > 1 && (word[0] == 'c' || word[0] == 'i') && comparisonOps[word[1:]] {
		return word[1:], word[0] == 'c', levelComparison, true
	}
	return "", false, 0, false
}

// expression parses a full expression, commas included.
func (p *parser) expression() expr { return p.binary(levelLogical, true) }

// binary parses the operators of one level, left-associative.
func (p *parser) binary(level int, comma bool) expr {
	if level == levelArray {
		if comma {
			return p.arrayLiteral()
		}
		return p.unary()
	}
	start := p.pos
	left := p.binary(level+1, comma)
	for left != nil && p.err == nil {
		save := p.pos
		p.skipSpace()
		op, cs, width, ok := p.binaryOp(level)
		if !ok {
			p.pos = save
			break
		}
		opStart := p.pos
		p.pos += width
		opExt := extent{opStart, p.pos}
		p.skipNewlines()
		right := p.binary(level+1, comma)
		if right == nil {
			if p.err == nil {
				p.fail(opExt.end, opExt.end, "ExpectedValueExpression",
					"You must provide a value expression following the '%s' operator.", string(p.src[opStart:opExt.end]))
			}
			return nil
		}
		left = &binaryExpr{extent: extent{start, right.span().end}, op: op, cs: cs, l: left, r: right, opExt: opExt}
	}
	return left
}

// binaryOp recognises an operator of the given level at the current position and returns its width.
func (p *parser) binaryOp(level int) (op string, cs bool, width int, ok bool) {
	c, next := p.peek(), p.peekAt(1)
	switch level {
	case levelAdditive:
		if c == '+' && next != '=' && next != '+' {
			return "+", false, 1, true
		}
		if isDash(c) && !isLetter(next) && next != '=' && !isDash(next) {
			return "-", false, 1, true
		}
		return "", false, 0, false
	case levelMultiplicative:
		if (c == '*' || c == '/' || c == '%') && next != '=' && !(c == '*' && next == '>') {
			return string(c), false, 1, true
		}
		return "", false, 0, false
	case levelRange:
		if c == '.' && next == '.' {
			return "..", false, 2, true
		}
		return "", false, 0, false
	}
	if !isDash(c) || !isLetter(next) {
		return "", false, 0, false
	}
	word := p.wordFrom(p.pos + 1)
	op, cs, l, found := namedOp(word)
	if !found || l != level {
		return "", false, 0, false
	}
	return op, cs, 1 + len([]rune(word)), true
}

// arrayLiteral parses unary expressions separated by commas.
func (p *parser) arrayLiteral() expr {
	start := p.pos
	first := p.unary()
	if first == nil {
		return nil
	}
	elems := []expr{first}
	for p.err == nil {
		save := p.pos
		p.skipSpace()
		if p.peek() != ',' {
			p.pos = save
			break
		}
		comma := p.pos
		p.pos++
		p.skipNewlines()
		next := p.unary()
		if next == nil {
			if p.err == nil {
				p.fail(comma, comma+1, "MissingExpressionAfterToken", "Missing expression after ','.")
			}
			return nil
		}
		elems = append(elems, next)
	}
	if len(elems) == 1 {
		return first
	}
	return &arrayExpr{extent: extent{start, elems[len(elems)-1].span().end}, elems: elems}
}

// unary parses prefix operators, casts and a postfix expression.
func (p *parser) unary() expr {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	p.skipSpace()
	start := p.pos
	c, next := p.peek(), p.peekAt(1)
	op := ""
	width := 1
	switch {
	case c == '!':
		op = "!"
	case c == ',':
		op = ","
	case c == '+' && next == '+':
		op, width = "++", 2
	case c == '+':
		op = "+"
	case isDash(c) && isDash(next):
		op, width = "--", 2
	case isDash(c) && isLetter(next):
		word := strings.ToLower(p.wordFrom(p.pos + 1))
		switch word {
		case "not", "bnot", "split", "join", "csplit", "isplit":
			op, width = "-"+word, 1+len(word)
			if word == "isplit" {
				op = "-split"
			}
		default:
			return nil
		}
	case isDash(c):
		op = "-"
	case c == '[':
		return p.castOrType()
	}
	if op == "" {
		return p.postfix(p.primary(), false)
	}
	p.pos += width
	p.skipNewlines()
	x := p.unary()
	if x == nil {
		if p.err == nil {
			p.fail(start, p.pos, "MissingExpressionAfterOperator", "Missing expression after unary operator '%s'.",
				string(p.src[start:start+width]))
		}
		return nil
	}
	ex := extent{start, x.span().end}
	if op == "-" {
		// Fold -5 into a constant so that it prints and binds as the number PowerShell's tokenizer reads.
		if k, ok := x.(*constExpr); ok {
			switch v := k.v.(type) {
			case int64:
				if v != minInt64 {
					return &constExpr{extent: ex, v: -v}
				}
			case float64:
				return &constExpr{extent: ex, v: -v}
			}
		}
	}
	if (op == "++" || op == "--") && !assignable(x) {
		p.fail(start, ex.end, "OperatorRequiresVariableOrProperty",
			"The '%s' operator works only on variables or on properties.", op)
		return nil
	}
	return &unaryExpr{extent: ex, op: op, x: x}
}

const minInt64 = -1 << 63

// castOrType parses [type], then a cast operand or a static member access.
func (p *parser) castOrType() expr {
	start := p.pos
	name := p.typeName()
	if name == "" {
		return nil
	}
	t := &typeExpr{extent: extent{start, p.pos}, name: name}
	if p.peek() == ':' && p.peekAt(1) == ':' || p.peek() == '.' {
		return p.postfix(t, false)
	}
	save := p.pos
	p.skipSpace()
	c, next := p.peek(), p.peekAt(1)
	operand := c == '$' || c == '(' || c == '@' || c == '[' || c == '{' || c == '!' || c == '+' ||
		isSingleQuote(c) || isDoubleQuote(c) || isDigit(c) || (c == '.' && isDigit(next)) ||
		(isDash(c) && !isLetter(next) && next != '=') ||
		(isDash(c) && isLetter(next) && (strings.EqualFold(p.wordFrom(p.pos+1), "not") || strings.EqualFold(p.wordFrom(p.pos+1), "bnot")))
	if !operand {
		p.pos = save
		return p.postfix(t, false)
	}
	x := p.unary()
	if x == nil {
		return nil
	}
	return &castExpr{extent: extent{start, x.span().end}, typ: name, x: x}
}

// typeName parses [name] at the current position, nested brackets included ([string[]]).
func (p *parser) typeName() string {
	start := p.pos
	p.pos++
	depth := 1
	for !p.eof() && depth > 0 {
		c := p.peek()
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		case isIdentChar(c) || c == '.' || c == ',' || c == '`' || c == '+' || isSpace(c):
		default:
			p.fail(start, p.pos+1, "MissingTypename", "Missing type name after '['.")
			return ""
		}
		p.pos++
	}
	if depth > 0 {
		p.fail(start, p.pos, "EndSquareBracketExpectedAtEndOfType", "Missing ] at end of type literal.")
		return ""
	}
	name := strings.TrimSpace(string(p.src[start+1 : p.pos-1]))
	if name == "" || !isIdentStart([]rune(name)[0]) {
		p.fail(start, p.pos, "MissingTypename", "Missing type name after '['.")
		return ""
	}
	return name
}

// postfix parses member access, method calls, indexing and ++/-- after a primary. In command mode (arg) the
// same forms apply to variables and parenthesised values; ++ and -- do not.
func (p *parser) postfix(x expr, arg bool) expr {
	for x != nil && p.err == nil {
		start := x.span().start
		c, next := p.peek(), p.peekAt(1)
		static := c == ':' && next == ':'
		switch {
		case (c == '.' && next != '.' && memberStart(next)) || (static && memberStart(p.peekAt(2))):
			if static {
				p.pos += 2
			} else {
				p.pos++
			}
			name := p.memberName()
			if name == nil {
				return nil
			}
			if p.peek() == '(' {
				args := p.methodArgs()
				if p.err != nil {
					return nil
				}
				x = &invokeExpr{extent: extent{start, p.pos}, target: x, name: name, args: args, static: static}
			} else {
				x = &memberExpr{extent: extent{start, p.pos}, target: x, name: name, static: static}
			}
		case c == '[':
			open := p.pos
			p.pos++
			p.skipNewlines()
			idx := p.expression()
			if idx == nil {
				if p.err == nil {
					p.fail(open, open+1, "MissingArrayIndexExpression", "Array index expression is missing or not valid.")
				}
				return nil
			}
			p.skipNewlines()
			if p.peek() != ']' {
				p.fail(p.pos, p.pos+1, "MissingEndSquareBracket", "Missing ']' after array index expression.")
				return nil
			}
			p.pos++
			x = &indexExpr{extent: extent{start, p.pos}, target: x, index: idx}
		case !arg && ((c == '+' && next == '+') || (isDash(c) && isDash(next))) && assignable(x):
			p.pos += 2
			op := "post++"
			if c != '+' {
				op = "post--"
			}
			x = &unaryExpr{extent: extent{start, p.pos}, op: op, x: x}
		default:
			return x
		}
	}
	return x
}

func memberStart(c rune) bool {
	return isIdentChar(c) || isSingleQuote(c) || isDoubleQuote(c) || c == '$' || c == '('
}

// memberName parses the name after '.' or '::': a word, a quoted string, a variable or ( expression ).
func (p *parser) memberName() expr {
	start := p.pos
	c := p.peek()
	switch {
	case isIdentChar(c):
		for !p.eof() && isIdentChar(p.peek()) {
			p.pos++
		}
		return &constExpr{extent: extent{start, p.pos}, v: string(p.src[start:p.pos])}
	case c == '$':
		return p.variable()
	default:
		return p.primary()
	}
}

// methodArgs parses ( arg, arg ) after a method name. Arguments are expressions; a comma separates them.
func (p *parser) methodArgs() []expr {
	open := p.pos
	p.pos++
	p.skipNewlines()
	var args []expr
	if p.peek() == ')' {
		p.pos++
		return args
	}
	for p.err == nil {
		a := p.binary(levelLogical, false)
		if a == nil {
			if p.err == nil {
				p.fail(p.pos, p.pos+1, "MissingExpressionAfterToken", "Missing expression after ','.")
			}
			return nil
		}
		args = append(args, a)
		p.skipNewlines()
		switch p.peek() {
		case ',':
			p.pos++
			p.skipNewlines()
		case ')':
			p.pos++
			return args
		default:
			p.fail(open, p.pos, "MissingEndParenthesisInMethodCall", "Missing closing ')' in method call.")
			return nil
		}
	}
	return nil
}
