package plan

import (
	"strings"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// column compiles a column reference, optionally qualified by a source
// (sql.md §5.5). With several sources (joins) a bare name is the column of
// the one source that declares it (two declaring it is an error), or, with
// schemaless sources, of the first source in FROM/JOIN order whose row has it.
func (b *binder) column(p sql.Pos, src *Source, name string) compiled {
	if src != nil {
		idx := b.sourceIndex(src)
		if src.Fields != nil {
			real, ok := src.declares(name, b.opts.IgnoreCase)
			if !ok {
				b.errorf(p, "unknown field %s", name)
			}
			name = real
		}
		return b.columnAt(name, []int{idx})
	}
	var declared, open []int
	for i, s := range b.sources {
		if s.Fields == nil {
			open = append(open, i)
			continue
		}
		if real, ok := s.declares(name, b.opts.IgnoreCase); ok {
			declared = append(declared, i)
			name = real
		}
	}
	switch {
	case len(declared) > 1:
		b.errorf(p, "ambiguous field %s: declared by more than one source", name)
	case len(declared) == 1:
		return b.columnAt(name, declared)
	case len(open) > 0:
		return b.columnAt(name, open)
	default:
		b.errorf(p, "unknown field %s", name)
	}
	return compiled{eval: nullEval}
}

func (b *binder) sourceIndex(src *Source) int {
	for i, s := range b.sources {
		if s == src {
			return i
		}
	}
	return 0
}

// tupleRow is source i's row of the current (possibly joined) row; nil when
// an outer join left that side empty.
func (c *Ctx) tupleRow(i int) *row.Row {
	if c.Tuple == nil {
		if i == 0 {
			return c.Row
		}
		return nil
	}
	return c.Tuple[i]
}

// columnAt reads name from the first of the sources idxs whose row has it.
// Rows are small, so a linear scan with a remembered position is cheapest.
func (b *binder) columnAt(name string, idxs []int) compiled {
	hints := make([]int, len(idxs))
	fold := b.opts.IgnoreCase
	find := func(c *Ctx) (*row.Row, int) {
		for k, si := range idxs {
			r := c.tupleRow(si)
			if r == nil {
				continue
			}
			if h := hints[k]; h < len(r.Cols) && r.Cols[h].Name == name {
				return r, h
			}
			for i := range r.Cols {
				if r.Cols[i].Name == name || (fold && strings.EqualFold(r.Cols[i].Name, name)) {
					hints[k] = i
					return r, i
				}
			}
		}
		return nil, -1
	}
	return compiled{
		eval: func(c *Ctx) (value.Value, error) {
			if r, i := find(c); r != nil {
				return r.Cols[i].Val, nil
			}
			return value.NullValue, nil
		},
		prov: func(c *Ctx) *row.Prov {
			if r, i := find(c); r != nil {
				return r.Cols[i].Prov
			}
			return nil
		},
	}
}

// rowObject is the current row as a struct; a joined row merges its sources,
// the first source keeping its value on a name clash (sql.md §5.2).
func rowObject(c *Ctx) (value.Value, error) {
	if c.Tuple == nil {
		return c.Row.Object(), nil
	}
	m := map[string]value.Value{}
	for _, r := range c.Tuple {
		if r == nil {
			continue
		}
		for _, col := range r.Cols {
			if _, seen := m[col.Name]; !seen {
				m[col.Name] = col.Val
			}
		}
	}
	return value.FromObject(m), nil
}
