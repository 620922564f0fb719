// Package exec runs one rule: rows in, emissions out. A rule is processed on a
// single goroutine so per-source order is kept from ingest to sinks.
package exec

import (
	"fmt"
	"runtime/debug"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
)

// Emit receives one emission (the rows produced by one trigger).
type Emit func(rows []*row.Row)

// Options are the rule options the pipeline honours.
type Options struct {
	RuleID    string
	SendError bool
	EventTime bool
	// SendMeta adds the source metadata under "__meta" (sendMetaToSink).
	SendMeta bool
}

// Pipeline evaluates a compiled non-windowed program row by row.
type Pipeline struct {
	failer
	prog     *plan.Program
	ctx      *plan.Ctx
	opts     Options
	clock    clock.Clock
	emit     Emit
	log      obs.Logger
	Source   []*obs.Node // one per source stream
	Analytic *obs.Node   // nil without analytic functions
	Filter   *obs.Node   // nil without WHERE
	Project  *obs.Node
	hits     int64
	hitTime  int64
	join     *joiner // nil for single-source queries
}

// NewPipeline builds the runtime of prog. Node names follow rules-api.md §3.7.
func NewPipeline(prog *plan.Program, env *fn.Env, opts Options, clk clock.Clock, log obs.Logger, emit Emit) *Pipeline {
	p := &Pipeline{prog: prog, ctx: prog.NewCtx(env, opts.EventTime), opts: opts, clock: clk, emit: emit, log: log,
		failer: failer{ruleID: opts.RuleID, sendError: opts.SendError, log: log, emit: emit}}
	for _, s := range prog.Sources {
		p.Source = append(p.Source, &obs.Node{Name: "source_" + s.Name, Kind: "source"})
	}
	n := len(prog.Sources) + 1
	if prog.HasAnalytics() {
		p.Analytic = &obs.Node{Name: fmt.Sprintf("op_%d_analytic", n), Kind: "op"}
		n++
	}
	if prog.SQL.Where != nil {
		p.Filter = &obs.Node{Name: fmt.Sprintf("op_%d_filter", n), Kind: "op"}
		n++
	}
	p.Project = &obs.Node{Name: fmt.Sprintf("op_%d_project", n), Kind: "op"}
	return p
}

// Nodes returns the operator nodes in topology order (sources excluded).
func (p *Pipeline) Nodes() []*obs.Node {
	var out []*obs.Node
	for _, n := range []*obs.Node{p.Analytic, p.Filter} {
		if n != nil {
			out = append(out, n)
		}
	}
	return append(out, p.Project)
}

// Process runs one input row of source index src through the rule. A panic
// (a defect in a function, say) fails this row only: the rule and the
// service keep running and the failure is counted like any runtime error.
func (p *Pipeline) Process(src int, r *row.Row) {
	defer func() {
		if v := recover(); v != nil {
			err := fmt.Errorf("internal error evaluating the row: %v", v)
			p.log.Errorf("rule=%s %v\n%s", p.opts.RuleID, err, debug.Stack())
			p.Project.Exception(err, p.clock.Now().UnixMilli())
			p.fail(err)
		}
	}()
	now := p.clock.Now()
	nowMs := now.UnixMilli()
	if !p.accept(p.Source[src], r, nowMs) {
		return
	}
	if p.join != nil {
		p.processJoined(src, r, nowMs)
	} else {
		p.ctx.Reset(r)
		if rows, ok := p.evaluate(p.ctx, nowMs); ok {
			// Without a window each produced row is its own emission (sql.md §12.10).
			for _, o := range rows {
				p.emit([]*row.Row{o})
			}
		}
	}
	p.Project.LatencyUs.Store(p.clock.Now().Sub(now).Microseconds())
}

// processJoined joins a stream row with the tables (sql.md §11.2) and emits
// the joined results of that row together. Table rows only update the table.
func (p *Pipeline) processJoined(src int, r *row.Row, nowMs int64) {
	if s, ok := p.join.tables.Scan[src]; ok {
		s.Add(r)
		return
	}
	tuples, err := p.join.tuples(p.ctx, p.join.sides(map[int][]*row.Row{src: {r}}))
	if err != nil {
		p.Project.Exception(err, nowMs)
		p.fail(err)
		return
	}
	var out []*row.Row
	for _, t := range tuples {
		position(p.ctx, t)
		if rows, ok := p.evaluate(p.ctx, nowMs); ok {
			out = append(out, rows...)
		}
	}
	if len(out) > 0 {
		p.emit(out)
	}
}

// evaluate runs the analytic functions, WHERE and SELECT on the context's
// current row; ok is false when the row produced nothing.
func (p *Pipeline) evaluate(c *plan.Ctx, nowMs int64) ([]*row.Row, bool) {
	c.HitCount, c.HitTime = p.hits, p.hitTime
	if p.Analytic != nil {
		p.Analytic.RecordsIn.Add(1)
		p.Analytic.LastInvocation.Store(nowMs)
		if err := p.prog.Analyze(c); err != nil {
			p.Analytic.Exception(err, nowMs)
			p.fail(err)
			return nil, false
		}
		p.Analytic.Processed.Add(1)
		p.Analytic.RecordsOut.Add(1)
	}
	if p.Filter != nil {
		p.Filter.RecordsIn.Add(1)
		p.Filter.LastInvocation.Store(nowMs)
		ok, err := p.prog.Filter(c)
		if err != nil {
			p.Filter.Exception(err, nowMs)
			p.fail(err)
			return nil, false
		}
		p.Filter.Processed.Add(1)
		if !ok {
			return nil, false
		}
		p.Filter.RecordsOut.Add(1)
	}
	p.hits++
	p.hitTime = c.RowTime()
	return p.project(c, nowMs)
}

func (p *Pipeline) project(c *plan.Ctx, nowMs int64) ([]*row.Row, bool) {
	pn := p.Project
	pn.RecordsIn.Add(1)
	pn.LastInvocation.Store(nowMs)
	rows, err := p.prog.Project(c)
	if err != nil {
		pn.Exception(err, nowMs)
		p.fail(err)
		return nil, false
	}
	pn.Processed.Add(1)
	if p.opts.SendMeta && c.Row.Meta != nil {
		for _, o := range rows {
			o.Set("__meta", c.Row.Meta.All(), nil)
		}
	}
	pn.RecordsOut.Add(int64(len(rows)))
	if p.prog.HasAggregates() {
		p.prog.NoteAggHit(c, len(rows) > 0)
	}
	return rows, len(rows) > 0
}

// SetTables installs the rule's table sources; a query with joins needs them.
func (p *Pipeline) SetTables(t Tables) {
	p.join = &joiner{n: len(p.prog.Sources), joins: p.prog.Joins(), tables: t}
}

// HitState exposes last_hit_count/last_hit_time state for snapshots.
func (p *Pipeline) HitState() (int64, int64) { return p.hits, p.hitTime }
