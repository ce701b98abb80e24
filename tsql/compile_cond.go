package tsql

// cond compiles a condition.
func (c *compiler) cond(e expr) (condFn, error) {
	switch e := e.(type) {
	case *compareExpr:
		return c.compare(e)
	case *logicExpr:
		l, err := c.cond(e.l)
		if err != nil {
			return nil, err
		}
		r, err := c.cond(e.r)
		if err != nil {
			return nil, err
		}
		if e.and {
			return func(f *frame) (tri, error) {
				a, err := l(f)
				if err != nil || a == triFalse {
					return triFalse, err
				}
				b, err := r(f)
				if err != nil || b == triFalse {
					return triFalse, err
				}
				if a == triTrue && b == triTrue {
					return triTrue, nil
				}
				return triUnknown, nil
			}, nil
		}
		return func(f *frame) (tri, error) {
			a, err := l(f)
			if err != nil || a == triTrue {
				return a, err
			}
			b, err := r(f)
			if err != nil || b == triTrue {
				return b, err
			}
			if a == triFalse && b == triFalse {
				return triFalse, nil
			}
			return triUnknown, nil
		}, nil
	case *notExpr:
		x, err := c.cond(e.x)
		if err != nil {
			return nil, err
		}
		return func(f *frame) (tri, error) {
			t, err := x(f)
			return not3(t), err
		}, nil
	case *isNullExpr:
		x, err := c.value(e.x)
		if err != nil {
			return nil, err
		}
		want := !e.not
		return func(f *frame) (tri, error) {
			v, err := x.eval(f)
			return triOf((v == nil) == want), err
		}, nil
	case *inExpr:
		return c.in(e)
	case *likeExpr:
		return c.like(e)
	case *betweenExpr:
		return c.between(e)
	case *existsExpr:
		q, err := c.subquery(e.q)
		if err != nil {
			return nil, err
		}
		return func(f *frame) (tri, error) {
			rows, err := q.rows(f)
			return triOf(len(rows) > 0), err
		}, nil
	}
	return nil, newErr(4145, 15, "An expression of non-boolean type specified in a context where a condition is expected.")
}

func not3(t tri) tri {
	switch t {
	case triTrue:
		return triFalse
	case triFalse:
		return triTrue
	}
	return triUnknown
}

// cmpResult turns a comparison into a truth value for an operator.
func cmpResult(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case "<>":
		return c != 0
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	}
	return c >= 0
}

func (c *compiler) compare(e *compareExpr) (condFn, error) {
	l, err := c.value(e.l)
	if err != nil {
		return nil, err
	}
	r, err := c.value(e.r)
	if err != nil {
		return nil, err
	}
	op := e.op
	return func(f *frame) (tri, error) {
		a, err := l.eval(f)
		if err != nil {
			return triFalse, err
		}
		b, err := r.eval(f)
		if err != nil {
			return triFalse, err
		}
		n, null, cerr := compareValues(a, b, l.typ, r.typ)
		if cerr != nil {
			return triFalse, cerr
		}
		if null {
			return triUnknown, nil
		}
		return triOf(cmpResult(op, n)), nil
	}, nil
}

func (c *compiler) between(e *betweenExpr) (condFn, error) {
	x, err := c.value(e.x)
	if err != nil {
		return nil, err
	}
	lo, err := c.value(e.lo)
	if err != nil {
		return nil, err
	}
	hi, err := c.value(e.hi)
	if err != nil {
		return nil, err
	}
	not := e.not
	return func(f *frame) (tri, error) {
		v, err := x.eval(f)
		if err != nil {
			return triFalse, err
		}
		a, err := lo.eval(f)
		if err != nil {
			return triFalse, err
		}
		b, err := hi.eval(f)
		if err != nil {
			return triFalse, err
		}
		t1, t2 := triUnknown, triUnknown
		if n, null, cerr := compareValues(v, a, x.typ, lo.typ); cerr != nil {
			return triFalse, cerr
		} else if !null {
			t1 = triOf(n >= 0)
		}
		if n, null, cerr := compareValues(v, b, x.typ, hi.typ); cerr != nil {
			return triFalse, cerr
		} else if !null {
			t2 = triOf(n <= 0)
		}
		res := triUnknown
		switch {
		case t1 == triFalse || t2 == triFalse:
			res = triFalse
		case t1 == triTrue && t2 == triTrue:
			res = triTrue
		}
		if not {
			res = not3(res)
		}
		return res, nil
	}, nil
}

// in compiles IN (list) and IN (subquery): true if any element equals, unknown if none does but one is NULL.
func (c *compiler) in(e *inExpr) (condFn, error) {
	x, err := c.value(e.x)
	if err != nil {
		return nil, err
	}
	var list []cexpr
	var q *subquery
	if e.q != nil {
		if q, err = c.subquery(e.q); err != nil {
			return nil, err
		}
		if len(q.cols) != 1 {
			return nil, onlyOneColumn()
		}
	}
	for _, it := range e.list {
		v, err := c.value(it)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	not := e.not
	return func(f *frame) (tri, error) {
		v, err := x.eval(f)
		if err != nil {
			return triFalse, err
		}
		res := triFalse
		check := func(w Value, wt sqlType) error {
			n, null, cerr := compareValues(v, w, x.typ, wt)
			if cerr != nil {
				return cerr
			}
			if null {
				res = triUnknown
			} else if n == 0 {
				res = triTrue
			}
			return nil
		}
		if q != nil {
			rows, err := q.rows(f)
			if err != nil {
				return triFalse, err
			}
			for _, row := range rows {
				if err := check(row[0], q.cols[0].typ); err != nil {
					return triFalse, err
				}
				if res == triTrue {
					break
				}
			}
		}
		for _, it := range list {
			if res == triTrue {
				break
			}
			w, err := it.eval(f)
			if err != nil {
				return triFalse, err
			}
			if err := check(w, it.typ); err != nil {
				return triFalse, err
			}
		}
		if not {
			res = not3(res)
		}
		return res, nil
	}, nil
}

func (c *compiler) like(e *likeExpr) (condFn, error) {
	x, err := c.value(e.x)
	if err != nil {
		return nil, err
	}
	pat, err := c.value(e.pattern)
	if err != nil {
		return nil, err
	}
	var esc *cexpr
	if e.escape != nil {
		v, err := c.value(e.escape)
		if err != nil {
			return nil, err
		}
		esc = &v
	}
	not := e.not
	var fixed likePattern
	lit, isLit := e.pattern.(*literal)
	if isLit && esc == nil {
		if s, ok := lit.val.(string); ok {
			fixed = compileLike(s, 0)
		}
	}
	return func(f *frame) (tri, error) {
		v, err := x.eval(f)
		if err != nil {
			return triFalse, err
		}
		p := fixed
		if p == nil {
			pv, err := pat.eval(f)
			if err != nil {
				return triFalse, err
			}
			if pv == nil {
				return triUnknown, nil
			}
			var escape rune
			if esc != nil {
				ev, err := esc.eval(f)
				if err != nil {
					return triFalse, err
				}
				if ev == nil {
					return triUnknown, nil
				}
				rs := []rune(toText(ev, esc.typ))
				if len(rs) != 1 {
					return triFalse, newErr(506, 16, "The invalid escape character \"%s\" was specified in a LIKE predicate.", string(rs))
				}
				escape = rs[0]
			}
			p = compileLike(toText(pv, pat.typ), escape)
		}
		if v == nil {
			return triUnknown, nil
		}
		res := triOf(p.match(toText(v, x.typ)))
		if not {
			res = not3(res)
		}
		return res, nil
	}, nil
}
