package plan

import (
	"fmt"
	"sort"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// WindowInfo is what window_start(), window_end() and event_time() report
// for one window emission.
type WindowInfo struct {
	Start, End, Trigger int64
}

// sortKey is one compiled ORDER BY item.
type sortKey struct {
	eval Eval
	desc bool
}

// group is the rows sharing one GROUP BY key, in arrival order.
type group struct {
	rows   []GroupRow
	aggRes []value.Value // incremental mode: the group's aggregate results
}

// EmitWindow turns one window's content into its emission (sql.md §8 steps
// 8–10 and §9.4–9.7): WHERE per row (aggregates in WHERE see the whole
// window) unless it already ran before the window, GROUP BY in first-arrival
// order, HAVING, projection, ORDER BY, LIMIT. ok is false when the window
// produces no emission at all: HAVING rejected every group, or (event time)
// WHERE left the window empty. An empty window otherwise emits [] — or one
// row when the query aggregates without dimensions (count(*) = 0).
func (p *Program) EmitWindow(c *Ctx, rows []GroupRow, w WindowInfo, whereDone bool) (out []*row.Row, ok bool, err error) {
	c.WinStart, c.WinEnd = w.Start, w.End
	c.TriggerTime, c.UseTrigger = w.Trigger, p.hasAgg
	defer c.Position(c.current())
	defer func() { c.UseTrigger = false }()
	kept := rows
	if !whereDone {
		if kept, err = p.whereWindow(c, rows); err != nil {
			return nil, false, err
		}
		if c.EventTime && p.where != nil && len(kept) == 0 {
			return nil, false, nil
		}
	}
	groups, err := p.groupRows(c, kept)
	if err != nil {
		return nil, false, err
	}
	if len(groups) == 0 && len(p.dims) == 0 && p.hasAgg {
		groups = []group{{}}
	}
	out, err = p.projectGroups(c, groups, w)
	if err != nil {
		return nil, false, err
	}
	c.noteAggHit(len(out) > 0, w.Trigger)
	return out, len(groups) == 0 || len(out) > 0, nil
}

// noteAggHit counts an emission whose groups passed HAVING.
func (c *Ctx) noteAggHit(hit bool, at int64) {
	if hit {
		c.aggHitCount++
		c.aggHitTime = at
	}
}

// PreFilter reports whether WHERE can run before the window: in processing
// time, for time windows, when it has no aggregates — it then selects the same
// rows (sql.md §8) and saves buffering them. Count and state windows are
// shaped by every row (only FILTER changes what they count, §9.1), so their
// WHERE runs after the window.
func (p *Program) PreFilter(eventTime bool) bool {
	if p.window == nil || p.window.Name == "countwindow" || p.window.Name == "statewindow" {
		return false
	}
	return !eventTime && p.where != nil && !p.whereAgg
}

func (p *Program) whereWindow(c *Ctx, rows []GroupRow) ([]GroupRow, error) {
	if p.where == nil {
		return rows, nil
	}
	kept := make([]GroupRow, 0, len(rows))
	for _, r := range rows {
		c.positionOn(r, rows)
		ok, err := cond(p.where, c)
		if err != nil {
			return nil, err
		}
		if ok {
			kept = append(kept, r)
		}
	}
	return kept, nil
}

// positionOn makes r the current row with group g (for aggregates).
func (c *Ctx) positionOn(r GroupRow, g []GroupRow) {
	c.Reset(r.Row)
	c.Ana, c.Tuple, c.rowTS = r.Ana, r.Tuple, r.TS
	c.Group = g
}

// groupRows splits rows by the GROUP BY dimensions; NULLs form one group.
func (p *Program) groupRows(c *Ctx, rows []GroupRow) ([]group, error) {
	if len(p.dims) == 0 {
		if len(rows) == 0 {
			return nil, nil
		}
		if !p.hasAgg { // no aggregation: every row is projected
			gs := make([]group, len(rows))
			for i := range rows {
				gs[i] = group{rows: rows[i : i+1]}
			}
			return gs, nil
		}
		return []group{{rows: rows}}, nil
	}
	index := map[string]int{}
	var groups []group
	var buf []byte
	for _, r := range rows {
		c.positionOn(r, nil)
		buf = buf[:0]
		for _, d := range p.dims {
			v, err := d(c)
			if err != nil {
				return nil, err
			}
			buf = value.AppendJSON(buf, canonicalKey(v))
			buf = append(buf, 0)
		}
		i, ok := index[string(buf)]
		if !ok {
			i = len(groups)
			index[string(buf)] = i
			groups = append(groups, group{})
		}
		groups[i].rows = append(groups[i].rows, r)
	}
	return groups, nil
}

// canonicalKey makes equal numbers group together (1 and 1.0, sql.md §9.5).
func canonicalKey(v value.Value) value.Value {
	if v.Kind() == value.Float {
		if f := v.Float(); f == float64(int64(f)) {
			return value.FromInt(int64(f))
		}
	}
	return v
}

type sorted struct {
	row  *row.Row
	keys []value.Value
}

func (p *Program) projectGroups(c *Ctx, groups []group, w WindowInfo) ([]*row.Row, error) {
	kept, err := p.applyHaving(c, groups, w)
	if err != nil {
		return nil, err
	}
	nums, err := p.rowNumbers(c, kept)
	if err != nil {
		return nil, err
	}
	var out []sorted
	for gi, g := range kept {
		c.positionOn(g.first, g.rows)
		c.aggRes = g.aggRes
		c.rowNums = nums[gi]
		rows, err := p.Project(c)
		if err != nil {
			c.rowNums = nil
			return nil, err
		}
		keys, err := p.sortKeys(c)
		c.rowNums = nil
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out = append(out, sorted{row: r, keys: keys})
		}
	}
	if err := p.order(out); err != nil {
		return nil, err
	}
	return p.limitRows(out), nil
}

// keptGroup is a group that passed HAVING, with the row it projects from.
type keptGroup struct {
	first  GroupRow
	rows   []GroupRow
	aggRes []value.Value
}

// having applies HAVING per group; an empty aggregate group projects from an
// empty row stamped with the trigger time.
func (p *Program) applyHaving(c *Ctx, groups []group, w WindowInfo) ([]keptGroup, error) {
	var kept []keptGroup
	for _, g := range groups {
		k := keptGroup{first: GroupRow{Row: &row.Row{PT: w.Trigger, ET: w.Trigger}}, rows: g.rows, aggRes: g.aggRes}
		if len(g.rows) > 0 {
			k.first = g.rows[0]
		} else {
			k.rows = []GroupRow{}
		}
		c.positionOn(k.first, k.rows)
		c.aggRes = k.aggRes
		ok, err := cond(p.having, c)
		if err != nil {
			return nil, err
		}
		if ok {
			kept = append(kept, k)
		}
	}
	return kept, nil
}

func (p *Program) sortKeys(c *Ctx) ([]value.Value, error) {
	if len(p.orderBy) == 0 {
		return nil, nil
	}
	keys := make([]value.Value, len(p.orderBy))
	for i, k := range p.orderBy {
		v, err := k.eval(c)
		if err != nil {
			return nil, err
		}
		keys[i] = v
	}
	return keys, nil
}

// order sorts stably; NULLs last in both directions (sql.md §9.7).
func (p *Program) order(rows []sorted) error {
	if len(p.orderBy) == 0 {
		return nil
	}
	var err error
	sort.SliceStable(rows, func(i, j int) bool {
		for k, key := range p.orderBy {
			a, b := rows[i].keys[k], rows[j].keys[k]
			switch {
			case a.IsNull() && b.IsNull():
				continue
			case a.IsNull():
				return false
			case b.IsNull():
				return true
			}
			x, e := value.Compare(a, b)
			if e != nil {
				err = fmt.Errorf("incompatible types for comparison: %s and %s", value.Text(a), value.Text(b))
				return false
			}
			if x != 0 {
				return (x < 0) != key.desc
			}
		}
		return false
	})
	return err
}

func (p *Program) limitRows(rows []sorted) []*row.Row {
	n := len(rows)
	if p.limit >= 0 && int64(n) > p.limit {
		n = int(p.limit)
	}
	out := make([]*row.Row, n)
	for i := range out {
		out[i] = rows[i].row
	}
	return out
}

// compileOrder compiles ORDER BY items (they may use aliases and aggregates).
func (b *binder) compileOrder(items []sql.SortItem) []sortKey {
	keys := make([]sortKey, len(items))
	for i, s := range items {
		keys[i] = sortKey{eval: b.expr(s.X, asValue).eval, desc: s.Desc}
	}
	return keys
}

// Position makes a buffered row the current row (its analytic results and
// event time included), outside any group.
func (c *Ctx) Position(r GroupRow) { c.positionOn(r, nil) }

// current is the row the context is positioned on; an emission returns the
// context to it, so a caller may go on with its row (fold it) afterwards.
func (c *Ctx) current() GroupRow {
	return GroupRow{Row: c.Row, Ana: c.Ana, Tuple: c.Tuple, TS: c.rowTS}
}
