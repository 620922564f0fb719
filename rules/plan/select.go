package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// Program is a compiled non-windowed SELECT: filter and projection.
type Program struct {
	SQL     *sql.Select
	Sources []*Source
	where   Eval
	having  Eval
	fields  []outField
	limit   int64 // -1: none
	ana     []*anaSite
	window  *WindowDef
	dims    []Eval
	orderBy []sortKey
	hasAgg  bool
	// whereAgg: WHERE contains an aggregate (computed over the window first).
	whereAgg bool
	joins    []JoinDef
	rn       []*rnSite
	aggs     []*aggSite
}

type fieldKind uint8

const (
	fieldExpr fieldKind = iota
	fieldStar
	fieldUnnest
	fieldExtract
	fieldSpread // changed_cols: a struct spread into columns
)

type outField struct {
	kind      fieldKind
	name      string
	invisible bool
	eval      Eval
	prov      ProvFn
	except    map[string]bool
	replace   []outField
	srcIdx    int // src.*: the source index; -1 for every source
}

// Compile binds sel to its sources and compiles it. All errors are collected
// and returned sorted by position.
func Compile(sel *sql.Select, sources []*Source, reg *fn.Registry, opts Options) (*Program, error) {
	b := &binder{reg: reg, opts: opts, sources: sources, fields: sel.Fields, current: -1, unnest: -1}
	b.collectAliases()
	p := &Program{SQL: sel, Sources: sources, limit: -1}
	p.fields = b.selectList(sel.Fields)
	b.current = -1
	if sel.Where != nil {
		before := b.hasAgg
		b.hasAgg = false
		p.where = b.expr(sel.Where, asLogic).eval
		p.whereAgg = b.hasAgg
		b.hasAgg = b.hasAgg || before
	}
	if sel.Having != nil {
		p.having = b.expr(sel.Having, asLogic).eval
	}
	p.window, p.dims = b.groupBy(sel.GroupBy)
	p.joins = b.joins(sel, p.window != nil)
	p.orderBy = b.compileOrder(sel.OrderBy)
	p.hasAgg = b.hasAgg
	if sel.Limit != nil {
		p.limit = sel.Limit.Val
	}
	p.ana = b.ana
	p.rn = b.rn
	p.aggs = b.aggs
	if err := b.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// selectList compiles the select items and names their output columns.
func (b *binder) selectList(fields []sql.Field) []outField {
	out := make([]outField, len(fields))
	unnamed := 0
	for i, f := range fields {
		b.current = i
		if f.Star != nil {
			out[i] = b.starField(f.Star)
			continue
		}
		if c, ok := f.X.(*sql.Call); ok && (c.Name == "unnest" || c.Name == "extract") {
			out[i] = b.setField(c, f)
			continue
		}
		if c, ok := f.X.(*sql.Call); ok && c.Name == "changed_cols" {
			fnc, _ := b.reg.Lookup(c.Name)
			comp := b.analyticCall(c, fnc)
			out[i] = outField{kind: fieldSpread, name: "changed_cols", eval: comp.eval}
			continue
		}
		comp := b.expr(f.X, asValue)
		name := f.Alias
		if name == "" {
			name = b.outputName(f.X, &unnamed)
		}
		out[i] = outField{kind: fieldExpr, name: name, invisible: f.Invisible, eval: comp.eval, prov: comp.prov}
	}
	return out
}

// outputName follows sql.md §5.3.
func (b *binder) outputName(e sql.Expr, unnamed *int) string {
	switch n := e.(type) {
	case *sql.Ident:
		return n.Name
	case *sql.Access:
		if id, ok := n.X.(*sql.Ident); ok && !n.Arrow && b.source(id.Name) != nil {
			return n.Key
		}
	case *sql.Call:
		return strings.ToLower(n.Name)
	}
	name := fmt.Sprintf("kuiper_field_%d", *unnamed)
	*unnamed++
	return name
}

func (b *binder) starField(s *sql.StarField) outField {
	if s.Source != "" && b.source(s.Source) == nil {
		b.errorf(s.At, "unknown source %s in %s.*", s.Source, s.Source)
	}
	f := outField{kind: fieldStar, except: map[string]bool{}, srcIdx: -1}
	if src := b.source(s.Source); s.Source != "" && src != nil {
		f.srcIdx = b.sourceIndex(src)
	}
	for _, e := range s.Except {
		f.except[e] = true
	}
	for _, r := range s.Replace {
		c := b.expr(r.X, asValue)
		f.replace = append(f.replace, outField{name: r.Alias, eval: c.eval, prov: c.prov})
	}
	return f
}

func (b *binder) setField(c *sql.Call, f sql.Field) outField {
	if b.unnest >= 0 {
		b.errorf(c.At, "only one set-returning function (unnest, extract) is allowed per query")
	}
	b.unnest = b.current
	if len(c.Args) != 1 {
		b.errorf(c.At, "validate function %s error: expect 1 arguments but found %d", c.Name, len(c.Args))
		return outField{kind: fieldExpr, eval: nullEval}
	}
	arg := b.expr(c.Args[0], asValue)
	kind, name := fieldUnnest, "unnest"
	if c.Name == "extract" {
		kind, name = fieldExtract, "extract"
	}
	if f.Alias != "" {
		name = f.Alias
	}
	return outField{kind: kind, name: name, eval: arg.eval}
}

// NewCtx returns an evaluation context for this program.
func (p *Program) NewCtx(env *fn.Env, eventTime bool) *Ctx {
	n := len(p.fields)
	return &Ctx{Env: env, EventTime: eventTime, prog: p, Ana: make([]value.Value, len(p.ana)),
		aliasVal: make([]value.Value, n), aliasProv: make([]*row.Prov, n), aliasState: make([]uint8, n)}
}

// alias returns the value of select item j, evaluating it once per row.
func (c *Ctx) alias(j int) (value.Value, error) {
	switch c.aliasState[j] {
	case 2:
		return c.aliasVal[j], nil
	case 1:
		return value.NullValue, fmt.Errorf("alias cycle through %s", c.prog.fields[j].name)
	}
	c.aliasState[j] = 1
	f := &c.prog.fields[j]
	v, err := f.eval(c)
	if err != nil {
		c.aliasState[j] = 0
		return value.NullValue, err
	}
	c.aliasVal[j] = v
	if f.prov != nil {
		c.aliasProv[j] = f.prov(c)
	}
	c.aliasState[j] = 2
	return v, nil
}

// Analyze computes the analytic functions for the current row; it runs on
// every incoming row before WHERE (sql.md §8).
func (p *Program) Analyze(c *Ctx) error {
	if len(p.ana) == 0 {
		return nil
	}
	return p.evalAnalytics(c)
}

// HasAnalytics reports whether the query uses analytic functions.
func (p *Program) HasAnalytics() bool { return len(p.ana) > 0 }

// spread adds the columns of a changed_cols result, sorted by name.
func spread(c *Ctx, f *outField, out *row.Row) error {
	v, err := f.eval(c)
	if err != nil || v.Kind() != value.Object {
		return err
	}
	keys := make([]string, 0, len(v.Obj()))
	for k := range v.Obj() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out.Set(k, v.Obj()[k], nil)
	}
	return nil
}

// Filter evaluates WHERE; UNKNOWN rejects the row.
func (p *Program) Filter(c *Ctx) (bool, error) {
	return cond(p.where, c)
}

func cond(e Eval, c *Ctx) (bool, error) {
	if e == nil {
		return true, nil
	}
	v, err := e(c)
	if err != nil {
		return false, err
	}
	return v.Kind() == value.Bool && v.Bool(), nil
}

// Project builds the result rows of the current row (several with unnest),
// applying HAVING and LIMIT.
func (p *Program) Project(c *Ctx) ([]*row.Row, error) {
	if p.limit == 0 {
		return nil, nil
	}
	out := &row.Row{Cols: make([]row.Col, 0, len(p.fields)), PT: c.Row.PT, ET: c.Row.ET, Meta: c.Row.Meta, Topic: c.Row.Topic}
	setIdx := -1
	for j := range p.fields {
		f := &p.fields[j]
		switch f.kind {
		case fieldStar:
			p.star(c, f, out)
		case fieldUnnest, fieldExtract:
			setIdx = j
		case fieldSpread:
			if err := spread(c, f, out); err != nil {
				return nil, err
			}
		default:
			v, err := c.alias(j)
			if err != nil {
				return nil, err
			}
			if !f.invisible {
				out.Set(f.name, v, c.aliasProv[j])
			}
		}
	}
	ok, err := cond(p.having, c)
	if err != nil || !ok {
		return nil, err
	}
	if setIdx < 0 {
		return []*row.Row{out}, nil
	}
	return p.expand(c, &p.fields[setIdx], out)
}

func (p *Program) star(c *Ctx, f *outField, out *row.Row) {
	rows := []*row.Row{c.Row}
	switch {
	case f.srcIdx >= 0:
		rows = []*row.Row{c.tupleRow(f.srcIdx)}
	case c.Tuple != nil:
		rows = c.Tuple
	}
	for k, r := range rows {
		if r == nil {
			continue
		}
		for _, col := range r.Cols {
			if f.except[col.Name] || (k > 0 && out.Index(col.Name) >= 0) {
				continue // on a name clash the first source keeps its value
			}
			out.Set(col.Name, col.Val, col.Prov)
		}
	}
	for _, r := range f.replace {
		v, err := r.eval(c)
		if err != nil {
			v = value.NullValue
		}
		var pv *row.Prov
		if r.prov != nil {
			pv = r.prov(c)
		}
		out.Set(r.name, v, pv)
	}
}

// expand applies unnest (one row per element) or extract (struct keys as columns).
func (p *Program) expand(c *Ctx, f *outField, base *row.Row) ([]*row.Row, error) {
	v, err := f.eval(c)
	if err != nil {
		return nil, err
	}
	if f.kind == fieldExtract {
		if v.Kind() == value.Object {
			keys := make([]string, 0, len(v.Obj()))
			for k := range v.Obj() {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				base.Set(k, v.Obj()[k], nil)
			}
		}
		return []*row.Row{base}, nil
	}
	if v.IsNull() {
		return nil, nil
	}
	if v.Kind() != value.Array {
		return nil, fmt.Errorf("the argument for the unnest function should be array")
	}
	rows := make([]*row.Row, 0, len(v.Arr()))
	for _, e := range v.Arr() {
		r := *base
		r.Cols = append([]row.Col(nil), base.Cols...)
		if e.Kind() == value.Object {
			keys := make([]string, 0, len(e.Obj()))
			for k := range e.Obj() {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				r.Set(k, e.Obj()[k], nil)
			}
		} else {
			r.Set(f.name, e, nil)
		}
		rows = append(rows, &r)
	}
	return rows, nil
}

// NoteAggHit records, for a query without a window (each row its own
// group), whether the row's group passed HAVING.
func (p *Program) NoteAggHit(c *Ctx, hit bool) { c.noteAggHit(hit, c.RowTime()) }
