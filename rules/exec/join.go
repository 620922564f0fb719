package exec

import (
	"context"
	"fmt"

	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/table"
)

// Tables are a rule's table sources by source index: scan tables hold the
// last rows received, lookup tables are queried per row (sql.md §11.3).
type Tables struct {
	Scan   map[int]*table.Scan
	Lookup map[int]table.Lookup
}

// isTable reports whether source i is a table (its rows never trigger output).
func (t Tables) isTable(i int) bool {
	_, scan := t.Scan[i]
	_, look := t.Lookup[i]
	return scan || look
}

// joiner builds joined rows (tuples, one row per source) left to right.
type joiner struct {
	n      int
	joins  []plan.JoinDef
	tables Tables
}

// sides returns the rows each source contributes: the given stream rows,
// the scan tables' current content; lookup tables are resolved per tuple.
func (j *joiner) sides(streams map[int][]*row.Row) [][]*row.Row {
	out := make([][]*row.Row, j.n)
	for i := 0; i < j.n; i++ {
		if s, ok := j.tables.Scan[i]; ok {
			out[i] = s.Snapshot()
			continue
		}
		out[i] = streams[i]
	}
	return out
}

// tuples joins the sides.
func (j *joiner) tuples(c *plan.Ctx, sides [][]*row.Row) ([][]*row.Row, error) {
	cur := make([][]*row.Row, 0, len(sides[0]))
	for _, r := range sides[0] {
		t := make([]*row.Row, j.n)
		t[0] = r
		cur = append(cur, t)
	}
	for _, d := range j.joins {
		var err error
		if cur, err = j.step(c, cur, sides[d.Src], d); err != nil {
			return nil, err
		}
	}
	return cur, nil
}

// step joins the current tuples with the rows of source d.Src.
func (j *joiner) step(c *plan.Ctx, left [][]*row.Row, right []*row.Row, d plan.JoinDef) ([][]*row.Row, error) {
	lk := j.tables.Lookup[d.Src]
	matchedRight := make([]bool, len(right))
	var out [][]*row.Row
	for _, l := range left {
		rs := right
		if lk != nil {
			var err error
			if rs, err = j.lookup(c, l, d, lk); err != nil {
				return nil, err
			}
		}
		matched := false
		for ri, r := range rs {
			t := append([]*row.Row(nil), l...)
			t[d.Src] = r
			ok, err := j.on(c, t, d)
			if err != nil {
				return nil, err
			}
			if ok {
				out, matched = append(out, t), true
				if lk == nil {
					matchedRight[ri] = true
				}
			}
		}
		if !matched && (d.Kind == "LEFT" || d.Kind == "FULL") {
			out = append(out, append([]*row.Row(nil), l...))
		}
	}
	if lk == nil && (d.Kind == "RIGHT" || d.Kind == "FULL") {
		for ri, r := range right {
			if !matchedRight[ri] {
				t := make([]*row.Row, j.n)
				t[d.Src] = r
				out = append(out, t)
			}
		}
	}
	return out, nil
}

func (j *joiner) on(c *plan.Ctx, t []*row.Row, d plan.JoinDef) (bool, error) {
	if d.Kind == "CROSS" || d.On == nil {
		return true, nil
	}
	position(c, t)
	return plan.JoinCond(d.On, c)
}

// lookup queries a lookup table with the key the left tuple gives.
func (j *joiner) lookup(c *plan.Ctx, l []*row.Row, d plan.JoinDef, lk table.Lookup) ([]*row.Row, error) {
	position(c, l)
	key, err := d.LookupKey(c)
	if err != nil || key.IsNull() {
		return nil, err
	}
	rows, err := lk.Lookup(context.Background(), key)
	if err != nil {
		return nil, fmt.Errorf("lookup in source %d: %w", d.Src, err)
	}
	return rows, nil
}

// position makes a tuple the context's current row.
func position(c *plan.Ctx, t []*row.Row) {
	for _, r := range t {
		if r != nil {
			c.Reset(r)
			break
		}
	}
	c.Tuple = t
}

// firstRow is a tuple's first present row (the one meta() and times use).
func firstRow(t []*row.Row) *row.Row {
	for _, r := range t {
		if r != nil {
			return r
		}
	}
	return nil
}
