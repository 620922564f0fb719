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

// joiner builds joined rows (tuples, one row per source) left to right.
type joiner struct {
	n        int
	joins    []plan.JoinDef
	tables   Tables
	scratch  []*row.Row
	versions map[int]uint64     // scan-table versions of the current sides
	indexes  map[int]*joinIndex // hash index per joined source
	keyBuf   []byte
}

// joinIndex maps a join key to the positions of the right rows having it.
type joinIndex struct {
	version uint64
	cached  bool
	m       map[string][]int
}

// sides returns the rows each source contributes: the given stream rows,
// the scan tables' current content; lookup tables are resolved per tuple.
func (j *joiner) sides(streams map[int][]*row.Row) [][]*row.Row {
	out := make([][]*row.Row, j.n)
	if j.versions == nil {
		j.versions = map[int]uint64{}
	}
	for i := 0; i < j.n; i++ {
		if s, ok := j.tables.Scan[i]; ok {
			out[i], j.versions[i] = s.SnapshotVersion()
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
	var idx map[string][]int
	if lk == nil && d.EqLeft != nil {
		idx = j.index(c, right, d)
	}
	for _, l := range left {
		rs, pos := right, []int(nil)
		if lk != nil {
			var err error
			if rs, err = j.lookup(c, l, d, lk); err != nil {
				return nil, err
			}
		} else if idx != nil {
			pos = j.probe(c, l, d, idx)
		}
		matched := false
		probe := append(j.scratch[:0], l...) // ON is evaluated on a reused tuple
		n := len(rs)
		if idx != nil {
			n = len(pos)
		}
		for k := 0; k < n; k++ {
			ri := k
			if idx != nil {
				ri = pos[k]
			}
			r := rs[ri]
			probe[d.Src] = r
			ok, err := j.on(c, probe, d)
			if err != nil {
				return nil, err
			}
			if ok {
				out, matched = append(out, append([]*row.Row(nil), probe...)), true
				if lk == nil {
					matchedRight[ri] = true
				}
			}
		}
		j.scratch = probe
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

// index builds (or reuses, for an unchanged scan table) the hash index of
// the right rows by the join's right key.
func (j *joiner) index(c *plan.Ctx, right []*row.Row, d plan.JoinDef) map[string][]int {
	if j.indexes == nil {
		j.indexes = map[int]*joinIndex{}
	}
	ver, scan := j.versions[d.Src]
	if ix, ok := j.indexes[d.Src]; ok && scan && ix.cached && ix.version == ver {
		return ix.m
	}
	m := make(map[string][]int, len(right))
	t := make([]*row.Row, j.n)
	for i, r := range right {
		t[d.Src] = r
		position(c, t)
		v, err := d.EqRight(c)
		if err != nil || v.IsNull() {
			continue // NULL never matches; an erroring key cannot match either
		}
		j.keyBuf = plan.JoinKey(j.keyBuf[:0], v)
		m[string(j.keyBuf)] = append(m[string(j.keyBuf)], i)
	}
	j.indexes[d.Src] = &joinIndex{version: ver, cached: scan, m: m}
	return m
}

// probe returns the positions of the right rows whose key equals the left
// tuple's key.
func (j *joiner) probe(c *plan.Ctx, l []*row.Row, d plan.JoinDef, idx map[string][]int) []int {
	position(c, l)
	v, err := d.EqLeft(c)
	if err != nil || v.IsNull() {
		return nil
	}
	j.keyBuf = plan.JoinKey(j.keyBuf[:0], v)
	return idx[string(j.keyBuf)]
}
