package plan

import (
	"fmt"
	"strings"

	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// call compiles a function call according to its registered kind.
func (b *binder) call(n *sql.Call) compiled {
	f, ok := b.reg.Lookup(n.Name)
	if !ok {
		b.errorf(n.At, "function %s not found", n.Name)
		return compiled{eval: nullEval}
	}
	if err := f.CheckArity(len(n.Args)); err != nil {
		b.errorf(n.At, "validate function %s error: %v", n.Name, err)
		return compiled{eval: nullEval}
	}
	if n.Filter != nil || (n.Over != nil && f.Kind != fn.Analytic && f.Kind != fn.WindowFn && f.Kind != fn.Multi) {
		b.errorf(n.At, "FILTER and OVER are not allowed on function %s", n.Name)
	}
	switch f.Kind {
	case fn.Scalar:
		return b.scalar(n, f)
	case fn.Context:
		return b.contextCall(n)
	case fn.Analytic:
		return b.analyticCall(n, f)
	case fn.WindowFn:
		return b.rowNumber(n)
	case fn.Aggregate:
		switch n.Name {
		case "last_agg_hit_count":
			return compiled{eval: func(c *Ctx) (value.Value, error) { return value.FromInt(c.aggHitCount), nil }}
		case "last_agg_hit_time":
			return compiled{eval: func(c *Ctx) (value.Value, error) { return value.FromInt(c.aggHitTime), nil }}
		}
		return b.aggregateCall(n)
	case fn.SetReturn:
		b.errorf(n.At, "function %s is only allowed as a select item", n.Name)
	case fn.WindowDef:
		b.errorf(n.At, "window function %s is only allowed in GROUP BY", n.Name)
	case fn.Trigger:
		b.errorf(n.At, "function %s is not supported", n.Name) // Optional in Oort (sql.md §12.14)
	default:
		b.unsupported(n.At, fmt.Sprintf("%s function %s", f.Kind, n.Name))
	}
	return compiled{eval: nullEval}
}

// unsupported rejects features the engine does not run yet, naming them.
func (b *binder) unsupported(p sql.Pos, what string) {
	b.errorf(p, "%s is not supported yet", what)
}

func (b *binder) scalar(n *sql.Call, f *fn.Func) compiled {
	args := make([]compiled, len(n.Args))
	infos := make([]fn.Arg, len(n.Args))
	konst := !fn.Volatile(f.Name)
	for i, a := range n.Args {
		if _, star := a.(*sql.Star); star {
			if !f.Star {
				b.errorf(a.Pos(), "validate function %s error: * is not allowed", n.Name)
			}
			infos[i] = fn.Arg{Star: true}
			args[i] = compiled{eval: nullEval}
			continue
		}
		args[i] = b.expr(a, asValue)
		konst = konst && args[i].konst
		infos[i] = b.argInfo(a, args[i])
	}
	if f.Validate != nil {
		if err := f.Validate(infos); err != nil {
			b.errorf(n.At, "validate function %s error: %v", n.Name, err)
		}
	}
	impl := f.Eval
	if f.Bind != nil {
		bound, err := f.Bind(infos)
		if err != nil {
			b.errorf(n.At, "validate function %s error: %v", n.Name, err)
		} else if bound != nil {
			impl = bound
		}
	}
	if impl == nil {
		b.unsupported(n.At, "function "+n.Name)
		return compiled{eval: nullEval}
	}
	return compiled{konst: konst, eval: scalarEval(n, impl, args, f.NullSafe)}
}

func (b *binder) argInfo(e sql.Expr, c compiled) fn.Arg {
	a := fn.Arg{}
	if id, ok := e.(*sql.Ident); ok {
		a.Name = id.Name
	}
	if c.konst {
		if v, err := c.eval(b.constCtx()); err == nil {
			a.Literal, a.Val = true, v
		}
	}
	return a
}

func scalarEval(n *sql.Call, impl fn.Impl, args []compiled, nullSafe bool) Eval {
	return func(c *Ctx) (value.Value, error) {
		vals := make([]value.Value, len(args))
		for i := range args {
			v, err := args[i].eval(c)
			if err != nil {
				return value.NullValue, err
			}
			if v.IsNull() && !nullSafe {
				return value.NullValue, nil
			}
			vals[i] = v
		}
		res, err := impl(c.Env, vals)
		if err != nil {
			return value.NullValue, at(n.At, fmt.Errorf("run function %s error: %w", n.Name, err))
		}
		return res, nil
	}
}

// contextCall compiles functions that read the row or rule context.
func (b *binder) contextCall(n *sql.Call) compiled {
	switch n.Name {
	case "meta":
		return b.meta(n)
	case "mqtt":
		return b.mqtt(n)
	case "event_time":
		return compiled{eval: func(c *Ctx) (value.Value, error) { return value.FromInt(c.RowTime()), nil }}
	case "window_start":
		return compiled{eval: func(c *Ctx) (value.Value, error) { return value.FromInt(c.WinStart), nil }}
	case "window_end", "window_trigger":
		return compiled{eval: func(c *Ctx) (value.Value, error) { return value.FromInt(c.WinEnd), nil }}
	case "last_hit_count":
		return compiled{eval: func(c *Ctx) (value.Value, error) { return value.FromInt(c.HitCount), nil }}
	case "last_hit_time":
		return compiled{eval: func(c *Ctx) (value.Value, error) { return value.FromInt(c.HitTime), nil }}
	}
	b.unsupported(n.At, "function "+n.Name)
	return compiled{eval: nullEval}
}

// meta compiles meta(key), meta(src.key), meta(reading->key) and meta(*).
func (b *binder) meta(n *sql.Call) compiled {
	var path []string
	src := 0
	switch a := n.Args[0].(type) {
	case *sql.Star:
		return compiled{eval: func(c *Ctx) (value.Value, error) {
			if c.Row.Meta == nil {
				return value.NullValue, nil
			}
			return c.Row.Meta.All(), nil
		}}
	case *sql.Ident:
		path = []string{a.Name}
	case *sql.Access:
		p, ok := accessPath(a)
		if !ok {
			b.errorf(a.At, "invalid argument for meta: expected a key, src.key or key->key")
			return compiled{eval: nullEval}
		}
		if len(p) > 1 && b.source(p[0]) != nil {
			src = b.sourceIndex(b.source(p[0])) // meta(src.key) in a join
			p = p[1:]
		}
		path = p
	default:
		b.errorf(n.Args[0].Pos(), "invalid argument for meta: expected a key, src.key or key->key")
		return compiled{eval: nullEval}
	}
	return compiled{eval: func(c *Ctx) (value.Value, error) {
		r := c.tupleRow(src)
		if r == nil || r.Meta == nil {
			return value.NullValue, nil
		}
		v, _ := r.Meta.Get(path[0])
		for _, k := range path[1:] {
			if v.Kind() != value.Object {
				return value.NullValue, nil
			}
			v = v.Obj()[k]
		}
		return v, nil
	}}
}

func accessPath(e sql.Expr) ([]string, bool) {
	switch a := e.(type) {
	case *sql.Ident:
		return []string{a.Name}, true
	case *sql.Access:
		p, ok := accessPath(a.X)
		return append(p, a.Key), ok
	}
	return nil, false
}

func (b *binder) mqtt(n *sql.Call) compiled {
	id, ok := n.Args[0].(*sql.Ident)
	if !ok {
		b.errorf(n.Args[0].Pos(), "invalid argument for mqtt: expected topic or messageid")
		return compiled{eval: nullEval}
	}
	key := strings.ToLower(id.Name)
	return compiled{eval: func(c *Ctx) (value.Value, error) {
		if key == "topic" && c.Row.Topic != "" {
			return value.FromString(c.Row.Topic), nil
		}
		if c.Row.Meta != nil {
			if v, ok := c.Row.Meta.Get(key); ok {
				return v, nil
			}
		}
		return value.NullValue, nil
	}}
}
