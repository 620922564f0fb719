package plan

import (
	"github.com/oort-rules/oort/rules/agg"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// Incremental aggregation (sql.md §9.8): instead of buffering a window's rows,
// each group keeps its accumulators and its first row (for non-aggregated
// columns), so memory grows with the number of groups, not of rows. The
// result is identical to the buffered path; it is used only when that is
// provable.

// IncGroup is one group's state in incremental mode.
type IncGroup struct {
	Key   string
	First GroupRow
	Accs  []agg.Acc
}

// IncState is the incremental state of one window.
type IncState struct {
	index  map[string]*IncGroup
	groups []*IncGroup // first-arrival order
	key    []byte
	args   [][]value.Value
	rowFn  func() value.Value
}

// Incremental reports whether the query can aggregate incrementally: every
// aggregate is incremental, no aggregate in WHERE, no join, no row_number.
func (p *Program) Incremental() bool {
	if p.window == nil || !p.hasAgg || p.whereAgg || len(p.joins) > 0 || len(p.rn) > 0 {
		return false
	}
	for _, a := range p.aggs {
		if !a.spec.Incremental {
			return false
		}
	}
	return true
}

// NewIncState returns empty incremental state for this program.
func (p *Program) NewIncState(c *Ctx) *IncState {
	s := &IncState{index: map[string]*IncGroup{}, args: make([][]value.Value, len(p.aggs))}
	for i, a := range p.aggs {
		s.args[i] = make([]value.Value, len(a.args))
	}
	s.rowFn = func() value.Value { v, _ := rowObject(c); return v }
	return s
}

// Len is the number of groups.
func (s *IncState) Len() int { return len(s.groups) }

// Add folds the context's current row into its group.
func (p *Program) Add(c *Ctx, s *IncState) error {
	s.key = s.key[:0]
	for _, d := range p.dims {
		v, err := d(c)
		if err != nil {
			return err
		}
		s.key = value.AppendJSON(s.key, canonicalKey(v))
		s.key = append(s.key, 0)
	}
	g, ok := s.index[string(s.key)]
	if !ok {
		var err error
		if g, err = p.newIncGroup(c); err != nil {
			return err
		}
		g.Key = string(s.key)
		s.index[g.Key] = g
		s.groups = append(s.groups, g)
	}
	for i, a := range p.aggs {
		vals := s.args[i]
		for j := range a.args {
			v, err := a.args[j].eval(c)
			if err != nil {
				return err
			}
			vals[j] = v
		}
		if err := g.Accs[i].Add(vals, s.rowFn); err != nil {
			return err
		}
	}
	return nil
}

func (p *Program) newIncGroup(c *Ctx) (*IncGroup, error) {
	g := &IncGroup{First: GroupRow{Row: c.Row}, Accs: make([]agg.Acc, len(p.aggs))}
	if len(c.Ana) > 0 {
		g.First.Ana = append([]value.Value(nil), c.Ana...)
	}
	for i, a := range p.aggs {
		acc, err := a.spec.New(a.params)
		if err != nil {
			return nil, err
		}
		g.Accs[i] = acc
	}
	return g, nil
}

// EmitIncremental produces a window's emission from its incremental state
// and resets the state for the next window.
func (p *Program) EmitIncremental(c *Ctx, s *IncState, w WindowInfo) ([]*row.Row, bool, error) {
	c.WinStart, c.WinEnd = w.Start, w.End
	c.TriggerTime, c.UseTrigger = w.Trigger, true
	defer c.Position(c.current())
	defer func() { c.UseTrigger, c.aggRes = false, nil }()
	groups := make([]group, 0, len(s.groups))
	for _, g := range s.groups {
		res, err := results(g.Accs)
		if err != nil {
			return nil, false, err
		}
		groups = append(groups, group{rows: []GroupRow{g.First}, aggRes: res})
	}
	if len(groups) == 0 && len(p.dims) == 0 {
		empty, err := p.newIncGroup(&Ctx{Row: &row.Row{PT: w.Trigger, ET: w.Trigger}})
		if err != nil {
			return nil, false, err
		}
		res, err := results(empty.Accs)
		if err != nil {
			return nil, false, err
		}
		groups = append(groups, group{aggRes: res})
	}
	s.index, s.groups = map[string]*IncGroup{}, nil
	out, err := p.projectGroups(c, groups, w)
	if err != nil {
		return nil, false, err
	}
	c.noteAggHit(len(out) > 0, w.Trigger)
	return out, len(groups) == 0 || len(out) > 0, nil
}

func results(accs []agg.Acc) ([]value.Value, error) {
	res := make([]value.Value, len(accs))
	for i, a := range accs {
		v, err := a.Result()
		if err != nil {
			return nil, err
		}
		res[i] = v
	}
	return res, nil
}

// Mergeable reports whether every aggregate's partial states combine, so a
// hopping window can aggregate per pane and merge panes.
func (p *Program) Mergeable() bool {
	for _, a := range p.aggs {
		if !a.spec.Mergeable {
			return false
		}
	}
	return true
}

// MergeIncStates combines pane states, oldest first, into the state of the
// window they make up: groups keep their first-arrival order and first row.
func (p *Program) MergeIncStates(c *Ctx, panes []*IncState) (*IncState, error) {
	out := p.NewIncState(c)
	for _, pane := range panes {
		for _, g := range pane.groups {
			dst, ok := out.index[g.Key]
			if !ok {
				var err error
				if dst, err = p.newIncGroupFrom(g.First); err != nil {
					return nil, err
				}
				dst.Key = g.Key
				out.index[g.Key] = dst
				out.groups = append(out.groups, dst)
			}
			for i, acc := range dst.Accs {
				if err := acc.(agg.Merger).Merge(g.Accs[i]); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

func (p *Program) newIncGroupFrom(first GroupRow) (*IncGroup, error) {
	g := &IncGroup{First: first, Accs: make([]agg.Acc, len(p.aggs))}
	for i, a := range p.aggs {
		acc, err := a.spec.New(a.params)
		if err != nil {
			return nil, err
		}
		g.Accs[i] = acc
	}
	return g, nil
}
