package tsql

func (c *compiler) unary(e *unaryExpr) (cexpr, error) {
	x, err := c.value(e.x)
	if err != nil {
		return cexpr{}, err
	}
	t := x.typ
	if t.isString() {
		t = tInt
	}
	op := e.op
	fn := func(f *frame) (Value, error) {
		v, err := x.eval(f)
		if err != nil || v == nil {
			return nil, err
		}
		switch op {
		case "+":
			return v, nil
		case "~":
			r, err := arith("^", v, int64(-1), x.typ, tBigInt, t)
			if err != nil {
				return nil, err
			}
			return r, nil
		}
		r, aerr := arith("-", int64(0), v, tInt, x.typ, t)
		if aerr != nil {
			return nil, aerr
		}
		return r, nil
	}
	return cexpr{eval: fn, typ: t, constant: x.constant}, nil
}

func (c *compiler) binary(e *binaryExpr) (cexpr, error) {
	l, err := c.value(e.l)
	if err != nil {
		return cexpr{}, err
	}
	r, err := c.value(e.r)
	if err != nil {
		return cexpr{}, err
	}
	rt := arithType(e.op, l.typ, r.typ)
	op := e.op
	fn := func(f *frame) (Value, error) {
		a, err := l.eval(f)
		if err != nil {
			return nil, err
		}
		b, err := r.eval(f)
		if err != nil {
			return nil, err
		}
		v, aerr := arith(op, a, b, l.typ, r.typ, rt)
		if aerr != nil {
			return nil, aerr
		}
		return v, nil
	}
	return cexpr{eval: fn, typ: rt, constant: l.constant && r.constant}, nil
}

func (c *compiler) caseValue(e *caseExpr) (cexpr, error) {
	var operand *cexpr
	if e.operand != nil {
		v, err := c.value(e.operand)
		if err != nil {
			return cexpr{}, err
		}
		operand = &v
	}
	type arm struct {
		cond  condFn
		match cexpr
		then  cexpr
	}
	arms := make([]arm, len(e.whens))
	var acc typeAcc
	for i, w := range e.whens {
		var err error
		if operand != nil {
			if arms[i].match, err = c.value(w.cond); err != nil {
				return cexpr{}, err
			}
		} else if arms[i].cond, err = c.cond(w.cond); err != nil {
			return cexpr{}, err
		}
		if arms[i].then, err = c.value(w.then); err != nil {
			return cexpr{}, err
		}
		acc.add(arms[i].then)
	}
	els := constVal(nil, tInt)
	if e.els != nil {
		v, err := c.value(e.els)
		if err != nil {
			return cexpr{}, err
		}
		els = v
		acc.add(v)
	}
	typ := acc.result()
	fn := func(f *frame) (Value, error) {
		var ov Value
		if operand != nil {
			v, err := operand.eval(f)
			if err != nil {
				return nil, err
			}
			ov = v
		}
		for _, a := range arms {
			hit := false
			if operand != nil {
				w, err := a.match.eval(f)
				if err != nil {
					return nil, err
				}
				n, null, cerr := compareValues(ov, w, operand.typ, a.match.typ)
				if cerr != nil {
					return nil, cerr
				}
				hit = !null && n == 0
			} else {
				t, err := a.cond(f)
				if err != nil {
					return nil, err
				}
				hit = t == triTrue
			}
			if hit {
				return coerce(a.then, typ, f)
			}
		}
		return coerce(els, typ, f)
	}
	return cexpr{eval: fn, typ: typ}, nil
}

// typeAcc computes the result type of CASE, COALESCE and UNION: the highest precedence among the operands; a
// NULL literal does not count, and character lengths grow to the longest.
type typeAcc struct {
	t   sqlType
	set bool
}

func (a *typeAcc) add(x cexpr) {
	if x.isNull {
		return
	}
	if !a.set {
		a.t, a.set = x.typ, true
		return
	}
	t := higher(a.t, x.typ)
	if t.isString() && a.t.isString() && x.typ.isString() {
		if a.t.size == 0 || x.typ.size == 0 {
			t.size = 0
		} else if a.t.size > x.typ.size {
			t.size = a.t.size
		} else {
			t.size = x.typ.size
		}
	}
	a.t = t
}

func (a *typeAcc) result() sqlType {
	if !a.set {
		return tInt
	}
	return a.t
}

// coerce evaluates x and converts its value to t when the types differ in kind.
func coerce(x cexpr, t sqlType, f *frame) (Value, error) {
	v, err := x.eval(f)
	if err != nil || v == nil {
		return v, err
	}
	return convertTo(v, x.typ, t)
}

// convertTo converts for an implicit conversion, leaving values alone when the representation already fits.
func convertTo(v Value, from, to sqlType) (Value, error) {
	if to.kind == kVariant || from.kind == to.kind && (!to.isString() || to.size == 0 || from.size <= to.size && from.size > 0) {
		return v, nil
	}
	r, err := convert(v, from, to, -1, false)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func onlyOneColumn() *Error {
	return newErr(116, 16, "Only one expression can be specified in the select list when the subquery is not introduced with EXISTS.")
}
