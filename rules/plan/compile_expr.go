package plan

import (
	"time"

	"github.com/oort-rules/oort/rules/fn"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// mode says how a logical result is used (sql.md §7.2): in a condition or as
// an operand of AND/OR/NOT the UNKNOWN value (NULL) survives; as a value it
// collapses to false.
type mode uint8

const (
	asValue mode = iota
	asLogic
)

// ProvFn returns the provenance of a direct column reference.
type ProvFn func(c *Ctx) *row.Prov

// compiled is the result of compiling one expression.
type compiled struct {
	eval    Eval
	prov    ProvFn // non-nil for direct column references and aliases of them
	logical bool   // produces three-valued logic results
	konst   bool   // constant: eval ignores the row
}

func (b *binder) expr(e sql.Expr, m mode) compiled {
	c := b.exprInner(e)
	if c.eval == nil {
		c.eval = nullEval
	}
	if c.logical && m == asValue {
		inner := c.eval
		c.eval = func(x *Ctx) (value.Value, error) {
			v, err := inner(x)
			if v.IsNull() && err == nil {
				return value.False, nil
			}
			return v, err
		}
		c.logical = false
	}
	return b.fold(e, c)
}

func nullEval(*Ctx) (value.Value, error) { return value.NullValue, nil }

func constEval(v value.Value) Eval { return func(*Ctx) (value.Value, error) { return v, nil } }

// fold evaluates constant expressions once at plan time.
func (b *binder) fold(e sql.Expr, c compiled) compiled {
	if !c.konst {
		return c
	}
	v, err := c.eval(b.constCtx())
	if err != nil {
		return c // keep the runtime error where it belongs: in the row's evaluation
	}
	c.eval = constEval(v)
	return c
}

func (b *binder) exprInner(e sql.Expr) compiled {
	switch n := e.(type) {
	case *sql.IntLit:
		if n.Unsigned {
			return compiled{eval: constEval(value.FromUint(n.Uval)), konst: true}
		}
		return compiled{eval: constEval(value.FromInt(n.Val)), konst: true}
	case *sql.FloatLit:
		return compiled{eval: constEval(value.FromFloat(n.Val)), konst: true}
	case *sql.StringLit:
		return compiled{eval: constEval(value.FromString(n.Val)), konst: true}
	case *sql.BoolLit:
		return compiled{eval: constEval(value.FromBool(n.Val)), konst: true}
	case *sql.NullLit:
		return compiled{eval: nullEval, konst: true}
	case *sql.TimeUnit:
		b.errorf(n.At, "time unit %s is only allowed as the first argument of a window function", n.Unit)
	case *sql.Star:
		b.errorf(n.At, "* is only allowed as an argument of count, collect, merge_agg, last_value, had_changed and changed_cols")
	case *sql.Ident:
		return b.ident(n)
	case *sql.Access:
		return b.access(n)
	case *sql.Index:
		return b.index(n)
	case *sql.Slice:
		return b.slice(n)
	case *sql.Unary:
		return b.unary(n)
	case *sql.Binary:
		return b.binary(n)
	case *sql.IsNull:
		return b.isNull(n)
	case *sql.In:
		return b.in(n)
	case *sql.Between:
		return b.between(n)
	case *sql.Like:
		return b.like(n)
	case *sql.Case:
		return b.caseExpr(n)
	case *sql.Call:
		return b.call(n)
	default:
		b.errorf(e.Pos(), "unsupported expression %T", e)
	}
	return compiled{eval: nullEval}
}

// ident resolves a bare name: an alias of the select list, else a column.
func (b *binder) ident(n *sql.Ident) compiled {
	if j := b.aliasFor(n.Name); j >= 0 {
		return b.aliasRef(j)
	}
	return b.column(n.At, nil, n.Name)
}

// aliasRef evaluates select item j once per row and caches it.
func (b *binder) aliasRef(j int) compiled {
	return compiled{
		eval: func(c *Ctx) (value.Value, error) { return c.alias(j) },
		prov: func(c *Ctx) *row.Prov {
			if _, err := c.alias(j); err != nil {
				return nil
			}
			return c.aliasProv[j]
		},
	}
}

// constCtx is the context constant expressions are evaluated in at plan time.
func (b *binder) constCtx() *Ctx {
	env := b.opts.Env
	if env == nil {
		env = &fn.Env{TZ: time.UTC}
	}
	return &Ctx{Row: &row.Row{}, Env: env}
}
