package plan

import (
	"fmt"

	"github.com/oort-rules/oort/rules/agg"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// aggregateCall compiles an aggregate over the current group (Ctx.Group). A
// query without a window has one-row groups: each row is its own group
// (sql.md §8: SELECT count(*) gives 1 per row).
func (b *binder) aggregateCall(n *sql.Call) compiled {
	spec, ok := agg.Lookup(n.Name)
	if !ok {
		b.unsupported(n.At, "aggregate function "+n.Name)
		return compiled{eval: nullEval}
	}
	if b.inAggregate {
		b.errorf(n.At, "aggregate function %s cannot be nested inside another aggregate", n.Name)
		return compiled{eval: nullEval}
	}
	b.inAggregate = true
	defer func() { b.inAggregate = false }()
	nArgs := len(n.Args) - spec.Params
	args := make([]compiled, 0, nArgs)
	for _, a := range n.Args[:nArgs] {
		if _, star := a.(*sql.Star); star {
			if n.Name == "count" {
				args = append(args, compiled{eval: constEval(value.True)})
			} else {
				args = append(args, compiled{eval: rowObject})
			}
			continue
		}
		args = append(args, b.expr(a, asValue))
	}
	params := make([]value.Value, 0, spec.Params)
	for _, a := range n.Args[nArgs:] {
		c := b.expr(a, asValue)
		info := b.argInfo(a, c)
		if !info.Literal {
			b.errorf(a.Pos(), "validate function %s error: argument %s must be a constant", n.Name, sql.Format(a))
		}
		params = append(params, info.Val)
	}
	if _, err := spec.New(params); err != nil {
		b.errorf(n.At, "validate function %s error: %v", n.Name, err)
		return compiled{eval: nullEval}
	}
	b.hasAgg = true
	site := &aggSite{spec: spec, params: params, args: args, scratch: make([]value.Value, len(args))}
	idx := len(b.aggs)
	b.aggs = append(b.aggs, site)
	return compiled{eval: func(c *Ctx) (value.Value, error) {
		if c.aggRes != nil { // incremental aggregation computed it already
			return c.aggRes[idx], nil
		}
		acc, err := spec.New(params)
		if err != nil {
			return value.NullValue, err
		}
		rowFn := func() value.Value { v, _ := rowObject(c); return v }
		if err := c.eachGroupRow(func() error { return site.add(c, acc, rowFn) }); err != nil {
			return value.NullValue, at(n.At, fmt.Errorf("run function %s error: %w", n.Name, err))
		}
		v, err := acc.Result()
		if err != nil {
			return value.NullValue, at(n.At, fmt.Errorf("run function %s error: %w", n.Name, err))
		}
		return v, nil
	}}
}

// aggSite is one aggregate call of the query.
type aggSite struct {
	spec    *agg.Spec
	params  []value.Value
	args    []compiled
	scratch []value.Value // argument values of the row being added (one rule goroutine)
}

// add folds the context's current row into acc.
func (s *aggSite) add(c *Ctx, acc agg.Acc, rowFn func() value.Value) error {
	for i := range s.args {
		v, err := s.args[i].eval(c)
		if err != nil {
			return err
		}
		s.scratch[i] = v
	}
	return acc.Add(s.scratch, rowFn)
}

// GroupRow is one input row of a group: the row and its analytic results.
type GroupRow struct {
	Row   *row.Row
	Ana   []value.Value
	Tuple []*row.Row // joined rows: one per source (nil entries for outer-join gaps)
	Src   int        // source index of Row before joining
	TS    int64      // event time of the row in event-time windows (0: the row's own)
}

// eachGroupRow runs f with the context positioned on each row of the current
// group (the current row alone outside windows), then restores it. Alias
// values are per row, so their cache is saved and cleared around the loop.
func (c *Ctx) eachGroupRow(f func() error) error {
	if c.Group == nil {
		return f()
	}
	row0, ana0, tup0 := c.Row, c.Ana, c.Tuple
	vals := append([]value.Value(nil), c.aliasVal...)
	states := append([]uint8(nil), c.aliasState...)
	defer func() {
		c.Row, c.Ana, c.Tuple = row0, ana0, tup0
		copy(c.aliasVal, vals)
		copy(c.aliasState, states)
	}()
	for _, g := range c.Group {
		c.Row, c.Ana, c.Tuple = g.Row, g.Ana, g.Tuple
		for i := range c.aliasState {
			c.aliasState[i] = 0
		}
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}
