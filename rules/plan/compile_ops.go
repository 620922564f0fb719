package plan

import (
	"fmt"

	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

var arithOps = map[string]value.ArithOp{
	"+": value.OpAdd, "-": value.OpSub, "*": value.OpMul, "/": value.OpDiv, "%": value.OpMod,
	"&": value.OpBitAnd, "|": value.OpBitOr, "^": value.OpBitXor,
}

func (b *binder) unary(n *sql.Unary) compiled {
	if n.Op == "NOT" {
		x := b.expr(n.X, asLogic)
		return compiled{logical: true, konst: x.konst, eval: func(c *Ctx) (value.Value, error) {
			v, err := x.eval(c)
			if err != nil || v.IsNull() {
				return value.NullValue, err
			}
			if v.Kind() != value.Bool {
				return value.NullValue, at(n.At, fmt.Errorf("invalid operation NOT %s(%s)", value.TypeName(v), value.Text(v)))
			}
			return value.FromBool(!v.Bool()), nil
		}}
	}
	x := b.expr(n.X, asValue)
	neg := n.Op == "-"
	return compiled{konst: x.konst, eval: func(c *Ctx) (value.Value, error) {
		v, err := x.eval(c)
		if err != nil || v.IsNull() {
			return value.NullValue, err
		}
		if !v.IsNumber() {
			return value.NullValue, at(n.At, fmt.Errorf("invalid operation %s%s(%s)", n.Op, value.TypeName(v), value.Text(v)))
		}
		if !neg {
			return v, nil
		}
		r, err := value.Negate(v)
		if err != nil {
			return value.NullValue, at(n.At, err)
		}
		return r, nil
	}}
}

func (b *binder) binary(n *sql.Binary) compiled {
	switch n.Op {
	case "AND", "OR":
		return b.logic(n)
	case "=", "!=", "<", "<=", ">", ">=":
		return b.compare(n)
	case "||":
		return b.concat(n)
	}
	op, ok := arithOps[n.Op]
	if !ok {
		b.errorf(n.At, "unknown operator %s", n.Op)
		return compiled{eval: nullEval}
	}
	return b.strict2(n, func(lv, rv value.Value) (value.Value, error) {
		if lv.Kind() == value.Int && rv.Kind() == value.Int && op <= value.OpSub {
			if v, ok := fastIntAddSub(op, lv.Int(), rv.Int()); ok {
				return v, nil
			}
		}
		res, err := value.Arith(op, lv, rv)
		if err != nil {
			return value.NullValue, at(n.At, err)
		}
		return res, nil
	})
}

// strict2 compiles a binary operator that is NULL when either operand is
// NULL; f sees two non-NULL values.
func (b *binder) strict2(n *sql.Binary, f func(lv, rv value.Value) (value.Value, error)) compiled {
	l, r := b.expr(n.L, asValue), b.expr(n.R, asValue)
	return compiled{konst: l.konst && r.konst, eval: func(c *Ctx) (value.Value, error) {
		lv, err := l.eval(c)
		if err != nil {
			return value.NullValue, err
		}
		rv, err := r.eval(c)
		if err != nil || lv.IsNull() || rv.IsNull() {
			return value.NullValue, err
		}
		return f(lv, rv)
	}}
}

// fastIntAddSub handles the common non-overflowing integer case inline.
func fastIntAddSub(op value.ArithOp, a, b int64) (value.Value, bool) {
	if op == value.OpAdd {
		s := a + b
		if (s > a) == (b > 0) {
			return value.FromInt(s), true
		}
		return value.NullValue, false
	}
	d := a - b
	if (d < a) == (b > 0) {
		return value.FromInt(d), true
	}
	return value.NullValue, false
}

// logic compiles AND/OR with Kleene three-valued logic.
func (b *binder) logic(n *sql.Binary) compiled {
	l, r := b.expr(n.L, asLogic), b.expr(n.R, asLogic)
	and := n.Op == "AND"
	toBool := func(v value.Value) (known, val bool, err error) {
		switch v.Kind() {
		case value.Null:
			return false, false, nil
		case value.Bool:
			return true, v.Bool(), nil
		}
		return false, false, at(n.At, fmt.Errorf("invalid operation %s(%s) %s", value.TypeName(v), value.Text(v), n.Op))
	}
	return compiled{logical: true, konst: l.konst && r.konst, eval: func(c *Ctx) (value.Value, error) {
		lv, err := l.eval(c)
		if err != nil {
			return value.NullValue, err
		}
		lk, lb, err := toBool(lv)
		if err != nil {
			return value.NullValue, err
		}
		if lk && lb != and { // FALSE AND x, TRUE OR x
			return value.FromBool(lb), nil
		}
		rv, err := r.eval(c)
		if err != nil {
			return value.NullValue, err
		}
		rk, rb, err := toBool(rv)
		if err != nil {
			return value.NullValue, err
		}
		if rk && rb != and {
			return value.FromBool(rb), nil
		}
		if lk && rk {
			return value.FromBool(and), nil
		}
		return value.NullValue, nil
	}}
}

func (b *binder) compare(n *sql.Binary) compiled {
	test := cmpTest(n.Op)
	c := b.strict2(n, func(lv, rv value.Value) (value.Value, error) {
		res, err := compareValues(n.Op, lv, rv, test)
		if err != nil {
			return value.NullValue, at(n.At, err)
		}
		return value.FromBool(res), nil
	})
	c.logical = true
	return c
}

func cmpTest(op string) func(int) bool {
	switch op {
	case "<":
		return func(x int) bool { return x < 0 }
	case "<=":
		return func(x int) bool { return x <= 0 }
	case ">":
		return func(x int) bool { return x > 0 }
	case ">=":
		return func(x int) bool { return x >= 0 }
	}
	return nil
}

// compareValues applies a comparison to two non-NULL values, with inline fast
// paths for the numbers that dominate device data.
func compareValues(op string, l, r value.Value, test func(int) bool) (bool, error) {
	if l.Kind() == value.Float && r.Kind() == value.Float || l.Kind() == value.Int && r.Kind() == value.Int {
		var x int
		if l.Kind() == value.Int {
			x = cmp3(l.Int() < r.Int(), l.Int() > r.Int())
		} else {
			x = cmp3(l.Float() < r.Float(), l.Float() > r.Float())
		}
		switch op {
		case "=":
			return x == 0, nil
		case "!=":
			return x != 0, nil
		}
		return test(x), nil
	}
	if op == "=" || op == "!=" {
		eq, err := value.Equal(l, r)
		if err != nil {
			return false, invalidOp(l, op, r)
		}
		return eq == (op == "="), nil
	}
	if l.Kind() == value.Bool || r.Kind() == value.Bool {
		return false, invalidOp(l, op, r) // booleans are not ordered by < > (sql.md §3.3)
	}
	x, err := value.Compare(l, r)
	if err != nil {
		return false, invalidOp(l, op, r)
	}
	return test(x), nil
}

func invalidOp(l value.Value, op string, r value.Value) error {
	return fmt.Errorf("invalid operation %s(%s) %s %s(%s)", value.TypeName(l), value.Text(l), op, value.TypeName(r), value.Text(r))
}

func cmp3(lt, gt bool) int {
	switch {
	case lt:
		return -1
	case gt:
		return 1
	}
	return 0
}

func (b *binder) concat(n *sql.Binary) compiled {
	return b.strict2(n, func(lv, rv value.Value) (value.Value, error) {
		if lv.Kind() != value.String || rv.Kind() != value.String {
			return value.NullValue, at(n.At, invalidOp(lv, "||", rv))
		}
		return value.FromString(lv.Str() + rv.Str()), nil
	})
}
