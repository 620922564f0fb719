package plan

import (
	"sort"

	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// rnSite is one row_number() OVER (PARTITION BY ... ORDER BY ...) call: it
// numbers the rows of one emission 1, 2, 3... per partition (sql.md §9.7).
type rnSite struct {
	part  []Eval
	order []sortKey
}

func (b *binder) rowNumber(n *sql.Call) compiled {
	site := &rnSite{}
	if n.Over != nil {
		for _, e := range n.Over.PartitionBy {
			site.part = append(site.part, b.expr(e, asValue).eval)
		}
		site.order = b.compileOrder(n.Over.OrderBy)
		if n.Over.When != nil {
			b.errorf(n.Over.At, "OVER (WHEN ...) is not allowed on row_number")
		}
	}
	idx := len(b.rn)
	b.rn = append(b.rn, site)
	return compiled{eval: func(c *Ctx) (value.Value, error) {
		if c.rowNums == nil {
			return value.FromInt(1), nil // one row per emission outside windows
		}
		return value.FromInt(c.rowNums[idx]), nil
	}}
}

// rowNumbers computes every row_number() call for the kept groups of one
// emission, in emission order.
func (p *Program) rowNumbers(c *Ctx, kept []keptGroup) ([][]int64, error) {
	if len(p.rn) == 0 {
		return make([][]int64, len(kept)), nil
	}
	out := make([][]int64, len(kept))
	for i := range out {
		out[i] = make([]int64, len(p.rn))
	}
	for si, site := range p.rn {
		if err := site.number(c, kept, out, si); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *rnSite) number(c *Ctx, kept []keptGroup, out [][]int64, si int) error {
	type entry struct {
		idx  int
		keys []value.Value
	}
	parts := map[string][]entry{}
	var order []string
	for i, g := range kept {
		c.positionOn(g.first, g.rows)
		key, err := PartitionKey(s.part, c)
		if err != nil {
			return err
		}
		keys := make([]value.Value, len(s.order))
		for k, o := range s.order {
			if keys[k], err = o.eval(c); err != nil {
				return err
			}
		}
		if _, ok := parts[key]; !ok {
			order = append(order, key)
		}
		parts[key] = append(parts[key], entry{i, keys})
	}
	for _, key := range order {
		es := parts[key]
		sort.SliceStable(es, func(a, b int) bool { return lessKeys(es[a].keys, es[b].keys, s.order) })
		for n, e := range es {
			out[e.idx][si] = int64(n + 1)
		}
	}
	return nil
}

// lessKeys orders by sort keys, NULLs last, incomparable values equal.
func lessKeys(a, b []value.Value, keys []sortKey) bool {
	for k, key := range keys {
		x, y := a[k], b[k]
		switch {
		case x.IsNull() && y.IsNull():
			continue
		case x.IsNull():
			return false
		case y.IsNull():
			return true
		}
		if cmp, err := value.Compare(x, y); err == nil && cmp != 0 {
			return (cmp < 0) != key.desc
		}
	}
	return false
}
