package pwsh

import (
	"strings"
)

// eval evaluates an expression.
func (in *interp) eval(x expr) (Value, error) {
	switch x := x.(type) {
	case nil:
		return nil, nil
	case *constExpr:
		return x.v, nil
	case *expandExpr:
		return in.evalExpand(x)
	case *varExpr:
		return in.getVar(x.name), nil
	case *arrayExpr:
		if len(x.elems) > in.lim.arrayLen {
			return nil, in.tooLarge(x.extent)
		}
		out := make([]Value, 0, len(x.elems))
		for _, e := range x.elems {
			v, err := in.eval(e)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case *subExpr:
		var out []Value
		if err := in.execBlock(x.stmts, func(v Value) { out = append(out, v) }); err != nil {
			return nil, err
		}
		if x.array {
			if out == nil {
				out = []Value{}
			}
			return out, nil
		}
		return collapse(out), nil
	case *parenExpr:
		return in.statementValue(x.inner)
	case *hashExpr:
		return in.evalHash(x)
	case *blockExpr:
		return &scriptBlock{body: x.body, text: x.text}, nil
	case *memberExpr:
		return in.evalMember(x)
	case *invokeExpr:
		return in.evalInvoke(x)
	case *indexExpr:
		return in.evalIndex(x)
	case *unaryExpr:
		return in.evalUnary(x)
	case *binaryExpr:
		return in.evalBinary(x)
	case *typeExpr:
		t, ok := lookupType(x.name)
		if !ok {
			return nil, in.typeNotFound(x.extent, x.name)
		}
		return t, nil
	case *castExpr:
		return in.evalCast(x)
	}
	return nil, nil
}

// tooLarge is the error for a string or array beyond the interpreter's limits.
func (in *interp) tooLarge(ex extent) error {
	return in.rtError(ex, "NotSpecified", "OutOfMemoryException",
		"Exception of type 'System.OutOfMemoryException' was thrown.")
}

func (in *interp) evalExpand(x *expandExpr) (Value, error) {
	var sb strings.Builder
	for _, p := range x.parts {
		v, err := in.eval(p)
		if err != nil {
			return nil, err
		}
		sb.WriteString(toStr(v))
		if sb.Len() > in.lim.stringLen {
			return nil, in.tooLarge(x.extent)
		}
	}
	return sb.String(), nil
}

func (in *interp) evalHash(x *hashExpr) (Value, error) {
	h := &Hashtable{}
	for i, k := range x.keys {
		kv, err := in.eval(k)
		if err != nil {
			return nil, err
		}
		key := toStr(kv)
		if _, at := hashGet(h, key); at >= 0 {
			return nil, in.rtError(k.span(), "InvalidOperation", "DuplicateKeyInHashLiteral",
				"Duplicate keys '%s' are not allowed in hash literals.", key)
		}
		v, err := in.statementValue(x.values[i])
		if err != nil {
			return nil, err
		}
		h.Keys = append(h.Keys, key)
		h.Values = append(h.Values, v)
	}
	return h, nil
}

// assign runs an assignment statement and returns the value assigned.
func (in *interp) assign(s *assignStmt) (Value, error) {
	v, err := in.statementValue(s.value)
	if err != nil {
		return nil, err
	}
	if s.op != "=" {
		cur, err := in.eval(s.target)
		if err != nil {
			return nil, err
		}
		op := strings.TrimSuffix(s.op, "=")
		if v, err = in.arith(op, cur, v, s.extent); err != nil {
			return nil, err
		}
	}
	return v, in.store(s.target, v, s.extent)
}

// store writes v to an assignable expression.
func (in *interp) store(target expr, v Value, ex extent) error {
	switch t := target.(type) {
	case *varExpr:
		return in.assignVar(t.name, v, t.extent)
	case *castExpr:
		cv, err := in.cast(t.typ, v, t.extent)
		if err != nil {
			return err
		}
		return in.store(t.x, cv, ex)
	case *memberExpr:
		obj, err := in.eval(t.target)
		if err != nil {
			return err
		}
		nv, err := in.eval(t.name)
		if err != nil {
			return err
		}
		return in.setMember(obj, toStr(nv), v, t.extent)
	case *indexExpr:
		obj, err := in.eval(t.target)
		if err != nil {
			return err
		}
		idx, err := in.eval(t.index)
		if err != nil {
			return err
		}
		return in.setIndex(obj, idx, v, t.extent)
	}
	return nil
}

func (in *interp) evalUnary(x *unaryExpr) (Value, error) {
	switch x.op {
	case "++", "--", "post++", "post--":
		cur, err := in.eval(x.x)
		if err != nil {
			return nil, err
		}
		delta := Value(int64(1))
		op := "+"
		if strings.HasSuffix(x.op, "--") {
			op = "-"
		}
		nv, err := in.arith(op, cur, delta, x.extent)
		if err != nil {
			return nil, err
		}
		if err := in.store(x.x, nv, x.extent); err != nil {
			return nil, err
		}
		if strings.HasPrefix(x.op, "post") {
			return cur, nil
		}
		return nv, nil
	}
	v, err := in.eval(x.x)
	if err != nil {
		return nil, err
	}
	switch x.op {
	case "!", "-not":
		return !toBool(v), nil
	case ",":
		return []Value{v}, nil
	case "-":
		return in.arith("-", int64(0), v, x.extent)
	case "+":
		return in.arith("+", int64(0), v, x.extent)
	case "-bnot":
		n, ok := toInt(v)
		if !ok {
			return nil, in.convertError(x.extent, v, "System.Int64")
		}
		return ^n, nil
	case "-join":
		return in.join(v, "", x.extent)
	case "-split", "-csplit":
		var out []Value
		for _, e := range enumerate(v) {
			for _, f := range strings.Fields(toStr(e)) {
				out = append(out, f)
			}
		}
		if out == nil {
			out = []Value{}
		}
		return out, nil
	}
	return nil, nil
}

// join concatenates a collection's elements with sep (-join).
func (in *interp) join(v Value, sep string, ex extent) (Value, error) {
	var sb strings.Builder
	for i, e := range enumerate(v) {
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteString(toStr(e))
		if sb.Len() > in.lim.stringLen {
			return nil, in.tooLarge(ex)
		}
	}
	return sb.String(), nil
}
