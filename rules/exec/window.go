package exec

import (
	"fmt"
	"runtime/debug"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
	"github.com/oort-rules/oort/rules/window"
)

// WindowOptions configure a windowed rule.
type WindowOptions struct {
	Options
	Spec          window.Spec
	LateTolerance int64            // ms, event time only
	Timestamps    []TimestampField // per source, event time only
	NoIncremental bool             // always buffer rows (equivalence tests)
	// IdleTimeout (ms, watermarkIdleTimeout): with no row for that long the
	// watermark advances with processing time. 0 is off (eKuiper's behaviour).
	IdleTimeout int64
	// Late receives event-time rows that arrived behind the watermark, each
	// with a __watermark column (rule option lateActions); nil drops them
	// after counting.
	Late Emit
}

// WindowPipeline runs a query with a window: rows go through the analytic
// functions and the window's FILTER (and, in processing time, a WHERE
// without aggregates) into a window state machine; each fire becomes one
// emission through WHERE, GROUP BY, HAVING, ORDER BY, LIMIT and SELECT.
type WindowPipeline struct {
	failer
	prog        *plan.Program
	def         *plan.WindowDef
	ctx         *plan.Ctx
	opts        WindowOptions
	clock       clock.Clock
	emit        Emit
	log         obs.Logger
	pre         bool // WHERE runs before the window
	wins        windows
	wm          *window.Watermark
	nodes       windowNodes
	join        *joiner // nil for single-source queries
	lastArrival int64   // processing time of the last row (event time, idle timeout)
	lastWM      int64   // watermark when that row arrived
	idleAt      int64   // processing time the idle watermark was last advanced to
	// inc is set in incremental mode: processing-time tumbling windows whose
	// aggregates all fold incrementally keep per-group accumulators instead
	// of rows, and the window machine only supplies the aligned ticks.
	inc *plan.IncState
	// evInc: incremental event time. Rows wait in rel (bounded by
	// lateTolerance) and are folded in event-time order as the watermark
	// passes them, so results equal the buffered path's; inner supplies the
	// window bounds.
	evInc   bool
	rel     *window.Releaser
	inner   window.Window
	started bool
	// panes: incremental hopping windows (size a multiple of hop) keep one
	// state per hop-long pane; each fire merges the last size/hop panes.
	panes    []*plan.IncState
	maxPanes int
	// session: incremental session windows; rows still go through the
	// session machine (which keeps only the first) to drive its timers.
	session bool
	// states: incremental processing-time state windows, one state per
	// PARTITION BY key (p.inc points at the current row's).
	states map[string]*plan.IncState
	// evStates: incremental event-time state windows, by partition key in
	// creation order (evKeys).
	evStates map[string]*evState
	evKeys   []string
}

// SetTables installs the rule's table sources and enables joins.
func (p *WindowPipeline) SetTables(t Tables) {
	p.join = &joiner{n: len(p.prog.Sources), joins: p.prog.Joins(), tables: t}
}

type windowNodes struct {
	source                                          []*obs.Node
	watermark, analytic, prefilter, win, post, proj *obs.Node
}

// NewWindowPipeline builds the runtime of a windowed program.
func NewWindowPipeline(prog *plan.Program, env *fn.Env, opts WindowOptions, clk clock.Clock, log obs.Logger, emit Emit) (*WindowPipeline, error) {
	p := &WindowPipeline{prog: prog, def: prog.Window(), ctx: prog.NewCtx(env, opts.EventTime), opts: opts,
		clock: clk, emit: emit, log: log, pre: prog.PreFilter(opts.EventTime),
		failer: failer{ruleID: opts.RuleID, sendError: opts.SendError, log: log, emit: emit}}
	if _, err := window.New(opts.Spec); err != nil {
		return nil, err
	}
	p.wins = windows{spec: opts.Spec, event: opts.EventTime}
	p.setupIncremental()
	if opts.EventTime {
		p.wm = window.NewWatermark(len(prog.Sources), opts.LateTolerance)
	}
	p.nodes = p.buildNodes()
	return p, nil
}

func (p *WindowPipeline) buildNodes() windowNodes {
	var ns windowNodes
	for _, s := range p.prog.Sources {
		ns.source = append(ns.source, &obs.Node{Name: "source_" + s.Name, Kind: "source"})
	}
	n := len(p.prog.Sources) + 1
	next := func(kind string) *obs.Node {
		node := &obs.Node{Name: fmt.Sprintf("op_%d_%s", n, kind), Kind: "op"}
		n++
		return node
	}
	if p.opts.EventTime {
		ns.watermark = next("watermark")
	}
	if p.prog.HasAnalytics() {
		ns.analytic = next("analytic")
	}
	if p.pre {
		ns.prefilter = next("filter")
	}
	ns.win = next("window")
	if p.prog.SQL.Where != nil && !p.pre {
		ns.post = next("filter")
	}
	ns.proj = next("project")
	return ns
}

// SourceNodes returns the source metric nodes.
func (p *WindowPipeline) SourceNodes() []*obs.Node { return p.nodes.source }

// Nodes returns the operator nodes in topology order.
func (p *WindowPipeline) Nodes() []*obs.Node {
	var out []*obs.Node
	for _, n := range []*obs.Node{p.nodes.watermark, p.nodes.analytic, p.nodes.prefilter, p.nodes.win, p.nodes.post, p.nodes.proj} {
		if n != nil {
			out = append(out, n)
		}
	}
	return out
}

// Start starts the processing-time timers at the rule start time.
func (p *WindowPipeline) Start(now int64) { p.wins.start(now) }

// Next is the next processing-time wake-up: window ticks, or the idle
// watermark's next step in event time.
func (p *WindowPipeline) Next() int64 {
	n := p.wins.next()
	if t := p.idleNext(); t != 0 && (n == 0 || t < n) {
		n = t
	}
	return n
}

// Tick fires the processing-time windows due by now and advances an idle
// event-time watermark.
func (p *WindowPipeline) Tick(now int64) {
	defer p.recoverRow()
	p.handle(p.wins.tick(now))
	if t := p.idleNext(); t != 0 && now >= t {
		p.idleAt = now
		p.advance(p.lastWM+(now-p.lastArrival), now)
	}
}

// idleNext is when the idle watermark should next move (0: not applicable).
func (p *WindowPipeline) idleNext() int64 {
	if !p.opts.EventTime || p.opts.IdleTimeout <= 0 || p.lastArrival == 0 {
		return 0
	}
	if p.idleAt > p.lastArrival {
		return p.idleAt + p.opts.IdleTimeout
	}
	return p.lastArrival + p.opts.IdleTimeout
}

// Process runs one input row through the pre-window operators into the window.
func (p *WindowPipeline) Process(src int, r *row.Row) {
	defer p.recoverRow()
	nowMs := p.clock.Now().UnixMilli()
	if !p.accept(p.nodes.source[src], r, nowMs) {
		return
	}
	if p.join != nil {
		if s, ok := p.join.tables.Scan[src]; ok {
			s.Add(r) // table rows update the table, never the window
			return
		}
	}
	it, ok := p.item(src, r, nowMs)
	if !ok {
		return
	}
	p.nodes.win.RecordsIn.Add(1)
	p.nodes.win.LastInvocation.Store(nowMs)
	if p.states != nil {
		p.stateStep(it, nowMs)
		return
	}
	if p.session && !p.opts.EventTime {
		p.handle(p.wins.add(it)) // the session closes first if it timed out
		p.fold(nowMs)
		return
	}
	if p.inc != nil && !p.evInc {
		p.handle(p.wins.tick(it.TS)) // windows due before this row close first
		p.fold(nowMs)
		return
	}
	if !p.opts.EventTime {
		p.handle(p.wins.add(it))
		return
	}
	if !p.addEvent(it) {
		p.late(r, it.TS, nowMs)
		return
	}
	wm := p.wm.Observe(src, it.TS)
	p.lastArrival, p.lastWM = nowMs, wm
	p.advance(wm, nowMs)
}

// item evaluates everything that happens before the window for one row.
func (p *WindowPipeline) item(src int, r *row.Row, nowMs int64) (window.Item, bool) {
	c := p.ctx
	c.Reset(r)
	c.Group = nil
	it := window.Item{TS: r.PT, Trigger: true}
	if p.opts.EventTime {
		p.nodes.watermark.RecordsIn.Add(1)
		et, err := eventTime(r, p.opts.Timestamps[src], p.ctx.Env)
		if err != nil {
			p.nodes.watermark.Exception(err, nowMs)
			p.fail(err)
			return it, false
		}
		it.TS = et
		p.nodes.watermark.RecordsOut.Add(1)
	}
	if p.nodes.analytic != nil {
		if err := p.prog.Analyze(c); err != nil {
			p.nodes.analytic.Exception(err, nowMs)
			p.fail(err)
			return it, false
		}
		p.nodes.analytic.RecordsOut.Add(1)
	}
	if !p.passes(c, nowMs) {
		return it, false
	}
	if err := p.conditions(c, &it); err != nil {
		p.nodes.win.Exception(err, nowMs)
		p.fail(err)
		return it, false
	}
	if p.inc != nil && !p.evInc {
		return it, true // the row is folded in place: no payload to keep
	}
	gr := plan.GroupRow{Row: r, Src: src}
	if p.opts.EventTime {
		gr.TS = it.TS
	}
	if len(c.Ana) > 0 {
		gr.Ana = append([]value.Value(nil), c.Ana...)
	}
	it.Payload = gr
	return it, true
}

// passes applies the pre-window WHERE and the window's FILTER (WHERE ...).
func (p *WindowPipeline) passes(c *plan.Ctx, nowMs int64) bool {
	if p.pre {
		n := p.nodes.prefilter
		n.RecordsIn.Add(1)
		ok, err := p.prog.Filter(c)
		if err != nil {
			n.Exception(err, nowMs)
			p.fail(err)
			return false
		}
		if !ok {
			return false
		}
		n.RecordsOut.Add(1)
	}
	if p.def.Filter != nil {
		ok, err := plan.WindowCond(p.def.Filter, c)
		if err != nil {
			p.nodes.win.Exception(err, nowMs)
			p.fail(err)
			return false
		}
		return ok
	}
	return true
}

// conditions evaluates sliding OVER (WHEN) and the state-window conditions.
func (p *WindowPipeline) conditions(c *plan.Ctx, it *window.Item) error {
	var err error
	if p.def.Trigger != nil {
		if it.Trigger, err = plan.WindowCond(p.def.Trigger, c); err != nil {
			return err
		}
	}
	if p.def.Begin != nil {
		if it.Begin, err = plan.WindowCond(p.def.Begin, c); err != nil {
			return err
		}
		it.Emit = it.Begin
		if !p.def.Single {
			if it.Emit, err = plan.WindowCond(p.def.Emit, c); err != nil {
				return err
			}
		}
	}
	if len(p.def.Partition) > 0 {
		key, err := plan.PartitionKey(p.def.Partition, c)
		if err != nil {
			return err
		}
		p.wins.partition = key
	}
	return nil
}

// handle turns window fires into emissions.
func (p *WindowPipeline) handle(fires []window.Fire) {
	for _, f := range fires {
		p.fire(f)
	}
}

func (p *WindowPipeline) fire(f window.Fire) {
	nowMs := p.clock.Now().UnixMilli()
	p.nodes.win.RecordsOut.Add(1)
	p.nodes.win.Processed.Add(1)
	if p.inc != nil {
		p.fireIncremental(f, nowMs)
		return
	}
	rows := make([]plan.GroupRow, len(f.Items))
	for i, it := range f.Items {
		rows[i] = it.Payload.(plan.GroupRow)
	}
	if p.join != nil {
		var err error
		if rows, err = p.joinWindow(rows); err != nil {
			p.nodes.win.Exception(err, nowMs)
			p.fail(err)
			return
		}
		if len(rows) == 0 {
			return // a window producing no joined rows emits nothing (sql.md §11.2)
		}
	}
	pn := p.nodes.proj
	pn.RecordsIn.Add(int64(len(rows)))
	pn.LastInvocation.Store(nowMs)
	out, ok, err := p.prog.EmitWindow(p.ctx, rows, plan.WindowInfo{Start: f.Start, End: f.End, Trigger: f.Trigger}, p.pre)
	if err != nil {
		pn.Exception(err, nowMs)
		p.fail(err)
		return
	}
	pn.Processed.Add(1)
	if !ok {
		return
	}
	pn.RecordsOut.Add(int64(len(out)))
	p.emit(out)
}

func (p *WindowPipeline) recoverRow() {
	if v := recover(); v != nil {
		err := fmt.Errorf("internal error in the window operator: %v", v)
		p.log.Errorf("rule=%s %v\n%s", p.opts.RuleID, err, debug.Stack())
		p.nodes.proj.Exception(err, p.clock.Now().UnixMilli())
		p.fail(err)
	}
}

// joinWindow joins the window's rows of every stream with each other and
// with the tables' current content.
func (p *WindowPipeline) joinWindow(rows []plan.GroupRow) ([]plan.GroupRow, error) {
	streams := map[int][]*row.Row{}
	for _, r := range rows {
		streams[r.Src] = append(streams[r.Src], r.Row)
	}
	tuples, err := p.join.tuples(p.ctx, p.join.sides(streams))
	if err != nil {
		return nil, err
	}
	out := make([]plan.GroupRow, len(tuples))
	for i, t := range tuples {
		out[i] = plan.GroupRow{Row: firstRow(t), Tuple: t}
	}
	return out, nil
}

// late counts a row that arrived behind the watermark and hands it to the
// rule's lateActions, if any.
func (p *WindowPipeline) late(r *row.Row, ts, nowMs int64) {
	wm := p.wm.Current()
	p.nodes.watermark.Late.Add(1)
	p.nodes.watermark.Exception(fmt.Errorf("late row: event time %d is before the watermark %d", ts, wm), nowMs)
	if p.opts.Late == nil {
		return
	}
	out := &row.Row{Cols: append(append([]row.Col(nil), r.Cols...), row.Col{Name: "__watermark", Val: value.FromInt(wm)}),
		Meta: r.Meta, Topic: r.Topic, PT: r.PT, ET: ts}
	p.opts.Late([]*row.Row{out})
}

// addEvent buffers an event-time row; false means it is late.
func (p *WindowPipeline) addEvent(it window.Item) bool {
	if p.evStates != nil {
		return p.addStateEvent(it)
	}
	if p.evInc {
		return p.rel.Add(it)
	}
	return p.wins.addEvent(it)
}

// advance moves the event-time watermark and emits the windows it closes.
func (p *WindowPipeline) advance(wm, nowMs int64) {
	if !p.evInc {
		p.handle(p.wins.advance(wm))
		return
	}
	if p.evStates != nil {
		p.advanceStates(wm, nowMs)
		return
	}
	for _, it := range p.rel.Advance(wm) {
		if !p.started {
			p.inner.Start(it.TS)
			p.started = true
		}
		p.enter(it)
		p.ctx.Position(it.Payload.(plan.GroupRow))
		if p.postFilter(nowMs) {
			p.fold(nowMs)
		}
	}
	if p.started {
		p.handle(p.inner.Tick(wm))
	}
}
