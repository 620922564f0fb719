package plan

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

func (b *binder) isNull(n *sql.IsNull) compiled {
	x := b.expr(n.X, asValue)
	return compiled{konst: x.konst, eval: func(c *Ctx) (value.Value, error) {
		v, err := x.eval(c)
		if err != nil {
			return value.NullValue, err
		}
		return value.FromBool(v.IsNull() != n.Not), nil
	}}
}

// in compiles [NOT] IN over a list or an array operand. NULL elements never
// match, and NOT IN ignores them (sql.md §7.2, kept for compatibility).
func (b *binder) in(n *sql.In) compiled {
	x := b.expr(n.X, asValue)
	var list []compiled
	for _, e := range n.List {
		list = append(list, b.expr(e, asValue))
	}
	var set *compiled
	if n.Set != nil {
		s := b.expr(n.Set, asValue)
		set = &s
	}
	konst := x.konst && (set == nil || set.konst)
	for _, e := range list {
		konst = konst && e.konst
	}
	return compiled{logical: true, konst: konst, eval: func(c *Ctx) (value.Value, error) {
		v, err := x.eval(c)
		if err != nil || v.IsNull() {
			return value.NullValue, err
		}
		found := false
		if set != nil {
			sv, err := set.eval(c)
			if err != nil {
				return value.NullValue, err
			}
			for _, e := range sv.Arr() {
				if !e.IsNull() && value.Loose(v, e) {
					found = true
					break
				}
			}
		} else {
			for _, e := range list {
				ev, err := e.eval(c)
				if err != nil {
					return value.NullValue, err
				}
				if !ev.IsNull() && value.Loose(v, ev) {
					found = true
					break
				}
			}
		}
		return value.FromBool(found != n.Not), nil
	}}
}

func (b *binder) between(n *sql.Between) compiled {
	x, lo, hi := b.expr(n.X, asValue), b.expr(n.Lo, asValue), b.expr(n.Hi, asValue)
	return compiled{logical: true, konst: x.konst && lo.konst && hi.konst, eval: func(c *Ctx) (value.Value, error) {
		v, err := x.eval(c)
		if err != nil {
			return value.NullValue, err
		}
		l, err := lo.eval(c)
		if err != nil {
			return value.NullValue, err
		}
		h, err := hi.eval(c)
		if err != nil || v.IsNull() || l.IsNull() || h.IsNull() {
			return value.NullValue, err
		}
		c1, err1 := value.Compare(v, l)
		c2, err2 := value.Compare(v, h)
		if err1 != nil || err2 != nil {
			return value.NullValue, at(n.At, fmt.Errorf("between operator cannot compare %s(%s) with %s(%s) and %s(%s)",
				value.TypeName(v), value.Text(v), value.TypeName(l), value.Text(l), value.TypeName(h), value.Text(h)))
		}
		return value.FromBool((c1 >= 0 && c2 <= 0) != n.Not), nil
	}}
}

// likeRegexp turns a LIKE pattern into an anchored regexp: % and _ are
// wildcards, \% \_ \\ are literals, everything else matches itself.
func likeRegexp(p string) (*regexp.Regexp, error) {
	var sb strings.Builder
	sb.WriteString("(?s)^")
	for i := 0; i < len(p); i++ {
		ch := p[i]
		switch {
		case ch == '\\' && i+1 < len(p):
			i++
			sb.WriteString(regexp.QuoteMeta(p[i : i+1]))
		case ch == '%':
			sb.WriteString(".*")
		case ch == '_':
			sb.WriteString(".")
		default:
			sb.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	sb.WriteString("$")
	return regexp.Compile(sb.String())
}

func (b *binder) like(n *sql.Like) compiled {
	x, pat := b.expr(n.X, asValue), b.expr(n.Pattern, asValue)
	var fixed *regexp.Regexp
	if pat.konst {
		if pv, err := pat.eval(b.constCtx()); err == nil && pv.Kind() == value.String {
			fixed, err = likeRegexp(pv.Str())
			if err != nil {
				b.errorf(n.Pattern.Pos(), "invalid LIKE pattern %q: %v", pv.Str(), err)
			}
		}
	}
	return compiled{logical: true, eval: func(c *Ctx) (value.Value, error) {
		v, err := x.eval(c)
		if err != nil || v.IsNull() {
			return value.NullValue, err
		}
		if v.Kind() != value.String {
			return value.NullValue, at(n.At, fmt.Errorf("LIKE operator left operand expects string, but found %s", value.Text(v)))
		}
		re := fixed
		if re == nil {
			pv, err := pat.eval(c)
			if err != nil || pv.IsNull() {
				return value.NullValue, err
			}
			if pv.Kind() != value.String {
				return value.NullValue, at(n.At, fmt.Errorf("LIKE operator right operand expects string, but found %s", value.Text(pv)))
			}
			if re, err = likeRegexp(pv.Str()); err != nil {
				return value.NullValue, at(n.At, err)
			}
		}
		return value.FromBool(re.MatchString(v.Str()) != n.Not), nil
	}}
}

// caseExpr compiles simple and searched CASE; a NULL or false WHEN is not taken.
func (b *binder) caseExpr(n *sql.Case) compiled {
	var subject *compiled
	if n.Value != nil {
		s := b.expr(n.Value, asValue)
		subject = &s
	}
	type arm struct{ cond, res compiled }
	arms := make([]arm, len(n.Whens))
	for i, w := range n.Whens {
		m := asLogic
		if subject != nil {
			m = asValue
		}
		arms[i] = arm{cond: b.expr(w.Cond, m), res: b.expr(w.Result, asValue)}
		if subject == nil && arms[i].cond.konst {
			if v, err := arms[i].cond.eval(b.constCtx()); err == nil && !v.IsNull() && v.Kind() != value.Bool {
				b.errorf(w.Cond.Pos(), "invalid CASE expression, WHEN expression must be a bool condition")
			}
		}
	}
	var els compiled
	if n.Else != nil {
		els = b.expr(n.Else, asValue)
	}
	return compiled{eval: func(c *Ctx) (value.Value, error) {
		var sv value.Value
		if subject != nil {
			var err error
			if sv, err = subject.eval(c); err != nil {
				return value.NullValue, err
			}
		}
		for _, a := range arms {
			cv, err := a.cond.eval(c)
			if err != nil {
				return value.NullValue, at(n.At, fmt.Errorf("evaluate case expression error: %w", err))
			}
			if taken(subject != nil, sv, cv) {
				return a.res.eval(c)
			}
		}
		if els.eval != nil {
			return els.eval(c)
		}
		return value.NullValue, nil
	}}
}

func taken(simple bool, subject, cv value.Value) bool {
	if simple {
		if subject.IsNull() || cv.IsNull() {
			return false
		}
		eq, err := value.Equal(subject, cv)
		return err == nil && eq
	}
	return cv.Kind() == value.Bool && cv.Bool()
}
