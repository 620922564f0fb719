package plan

import (
	"errors"
	"fmt"

	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// access compiles x.key and x->key. "src.col" is a column of source src when
// src names a source of the query (sql.md §5.5); otherwise it is nested access.
func (b *binder) access(n *sql.Access) compiled {
	if id, ok := n.X.(*sql.Ident); ok && !n.Arrow && b.aliasFor(id.Name) < 0 {
		if s := b.source(id.Name); s != nil {
			return b.column(n.At, s, n.Key)
		}
	}
	x := b.expr(n.X, asValue)
	key := n.Key
	return compiled{konst: x.konst, eval: func(c *Ctx) (value.Value, error) {
		v, err := x.eval(c)
		if err != nil || v.IsNull() {
			return value.NullValue, err
		}
		if v.Kind() != value.Object {
			return value.NullValue, at(n.At, fmt.Errorf("%s is not a type of map[string]interface{}", value.ToJSON(v)))
		}
		return v.Obj()[key], nil
	}}
}

var errIndexRange = errors.New("index out of range")

// index compiles arr[i]: 0-based, negative from the end.
func (b *binder) index(n *sql.Index) compiled {
	x := b.expr(n.X, asValue)
	i := b.expr(n.Index, asValue)
	return compiled{konst: x.konst && i.konst, eval: func(c *Ctx) (value.Value, error) {
		v, err := x.eval(c)
		if err != nil || v.IsNull() {
			return value.NullValue, err
		}
		iv, err := i.eval(c)
		if err != nil || iv.IsNull() {
			return value.NullValue, err
		}
		if v.Kind() != value.Array {
			return value.NullValue, at(n.At, fmt.Errorf("invalid operation %s[%s]: index is only supported on arrays", value.TypeName(v), value.Text(iv)))
		}
		k, ok := iv.AsInt()
		if !ok || iv.Kind() == value.Float {
			return value.NullValue, at(n.At, fmt.Errorf("array index must be an integer, found %s", value.Text(iv)))
		}
		a := v.Arr()
		if k < 0 {
			k += int64(len(a))
		}
		if k < 0 || k >= int64(len(a)) {
			return value.NullValue, at(n.At, errIndexRange)
		}
		return a[k], nil
	}}
}

// slice compiles arr[lo:hi] with optional, negative or computed bounds.
func (b *binder) slice(n *sql.Slice) compiled {
	x := b.expr(n.X, asValue)
	var lo, hi *compiled
	if n.Lo != nil {
		c := b.expr(n.Lo, asValue)
		lo = &c
	}
	if n.Hi != nil {
		c := b.expr(n.Hi, asValue)
		hi = &c
	}
	bound := func(c *Ctx, e *compiled, def, size int64) (int64, error) {
		if e == nil {
			return def, nil
		}
		v, err := e.eval(c)
		if err != nil {
			return 0, err
		}
		k, ok := v.AsInt()
		if !ok || v.Kind() == value.Float {
			return 0, at(n.At, fmt.Errorf("slice bound must be an integer, found %s", value.Text(v)))
		}
		if k < 0 {
			k += size
		}
		return k, nil
	}
	return compiled{eval: func(c *Ctx) (value.Value, error) {
		v, err := x.eval(c)
		if err != nil || v.IsNull() {
			return value.NullValue, err
		}
		if v.Kind() != value.Array {
			return value.NullValue, at(n.At, fmt.Errorf("invalid operation %s[:]: slice is only supported on arrays", value.TypeName(v)))
		}
		a := v.Arr()
		size := int64(len(a))
		l, err := bound(c, lo, 0, size)
		if err != nil {
			return value.NullValue, err
		}
		h, err := bound(c, hi, size, size)
		if err != nil {
			return value.NullValue, err
		}
		if l < 0 || h > size || l > h {
			return value.NullValue, at(n.At, fmt.Errorf("index out of range: [%d:%d] with length %d", l, h, size))
		}
		return value.FromArray(a[l:h]), nil
	}}
}
