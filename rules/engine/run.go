package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/exec"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/table"
)

// item is one queued input row and the index of the source it came from.
type item struct {
	src int
	row *row.Row
}

// ruleRun is one running instance of a rule.
type ruleRun struct {
	e         *Engine
	def       *RuleDef
	defs      []*StreamDef
	pipe      exec.Runner
	ticks     chan struct{} // timer wake-ups for the rule goroutine (async mode)
	ckpt      chan struct{} // checkpoint requests for the rule goroutine (async mode)
	ckptTimer clock.Timer
	timer     clock.Timer
	armedAt   int64 // due time of timer (ms), 0 when none
	sinks     []*sink.Node
	sinkObs   []*obs.Node
	late      []*sink.Node           // lateActions
	scans     map[string]*table.Scan // scan tables by name, for GET /rules/{id}/scantables
	// latSumMs/latCount accumulate ingest-to-sink latency for telemetry.
	latSumMs, latCount atomic.Int64
	queue              chan item
	done               chan struct{}
	mu                 sync.Mutex // serialises processing in synchronous mode
	cancel             context.CancelFunc
	undo               []func() // subscriptions to release on stop
	stopped            bool     // detached from routing (guarded by Engine.mu)
	// qmu guards closed: ingest may still hold a routing snapshot that names
	// this run after it was detached, so sends check closed first.
	qmu    sync.RWMutex
	closed bool
}

// compiled is the result of planning a rule without starting it.
type compiledRule struct {
	prog *plan.Program
	defs []*StreamDef
}

// planRule performs validation step 6 (streams exist, names resolve,
// functions validate).
func (e *Engine) planRule(d *RuleDef) (*compiledRule, error) {
	var srcs []*plan.Source
	var defs []*StreamDef
	add := func(name, alias string) error {
		e.mu.Lock()
		sd, ok := e.defs[name]
		e.mu.Unlock()
		if !ok {
			return errs.New(errs.Undefined, "fail to get stream %s, please check if stream is created", name)
		}
		if sd.Flag("TEMP") && !d.Temp {
			return errs.New(errs.Undefined, "%s %s is temporary and can only be read by temporary rules", sd.Kind, name)
		}
		srcs = append(srcs, sd.Source(alias))
		defs = append(defs, sd)
		return nil
	}
	if err := add(d.Select.From.Name, d.Select.From.Alias); err != nil {
		return nil, err
	}
	for _, j := range d.Select.Joins {
		if err := add(j.Src.Name, j.Src.Alias); err != nil {
			return nil, err
		}
	}
	if d.Options.SendMetaToSink && (len(d.Select.Joins) > 0 || len(d.Select.GroupBy) > 0) {
		return nil, errs.New(errs.Undefined, "invalid option sendMetaToSink, it can not be applied to window")
	}
	prog, err := plan.Compile(d.Select, srcs, e.cfg.Functions, plan.Options{IgnoreCase: e.cfg.IgnoreCase,
		EventTime: d.Options.IsEventTime, Env: e.ruleEnv(d)})
	if err != nil {
		return nil, errs.Wrap(errs.Undefined, "", err)
	}
	if w := prog.Window(); w != nil {
		if _, err := exec.WindowSpec(w, d.Options.SendSlidingTwice); err != nil {
			return nil, errs.Wrap(errs.Undefined, "", err)
		}
	}
	for _, sd := range defs {
		if err := e.checkSourceType(sd); err != nil {
			return nil, err
		}
	}
	return &compiledRule{prog: prog, defs: defs}, nil
}

func (e *Engine) checkSourceType(sd *StreamDef) error {
	if sd.IsLookup() {
		return nil // the table registry reports unknown lookup kinds at start
	}
	switch sd.Type() {
	case "edgex", "memory":
		return nil
	}
	if _, ok := e.cfg.Sources[sd.Type()]; ok {
		return nil
	}
	return errs.New(errs.Undefined, "source type %s is not supported", sd.Type())
}

// buildSinks performs validation step 7 and returns unopened sink nodes.
func (e *Engine) buildSinks(d *RuleDef) ([]*sink.Node, []*obs.Node, error) {
	return e.buildActions(d, d.Actions, "sink")
}

// buildActions builds sink nodes for actions; prefix names their metrics
// (sink_<type>_<i>, or sink_late_<type>_<i> for lateActions).
func (e *Engine) buildActions(d *RuleDef, actions []Action, prefix string) ([]*sink.Node, []*obs.Node, error) {
	var nodes []*sink.Node
	var metrics []*obs.Node
	for i, a := range actions {
		f, ok := e.cfg.Sinks.Lookup(a.Type)
		if !ok {
			return nil, nil, errs.Wrap(errs.Undefined, "", sink.Unsupported(a.Type))
		}
		m := &obs.Node{Name: fmt.Sprintf("%s_%s_%d", prefix, a.Type, i), Kind: "sink"}
		env := &sink.Env{RuleID: d.ID, ActionIndex: i, Type: a.Type, Logger: e.cfg.Logger, Clock: e.cfg.Clock,
			Node: m, Options: sink.RuleOptions{SendNilField: d.Options.SendNilField}, Resource: e.cfg.Resource, Secrets: e.cfg.Secrets,
			CacheDir: e.cacheDir(d.ID, prefix, i)}
		n, err := sink.NewNode(sink.NodeSpec{Type: a.Type, Props: a.Props, Factory: f, Env: env,
			QueueLen: d.Options.BufferLength, Block: d.Options.DisableBufferFull})
		if err != nil {
			return nil, nil, errs.New(errs.Undefined, "%s sink (action %d): %v", a.Type, i, err)
		}
		nodes = append(nodes, n)
		metrics = append(metrics, m)
	}
	return nodes, metrics, nil
}

// newRun plans the rule, builds and opens its sinks and its pipeline.
func (e *Engine) newRun(d *RuleDef, emit exec.Emit) (*ruleRun, error) {
	c, err := e.planRule(d)
	if err != nil {
		return nil, err
	}
	r := &ruleRun{e: e, def: d, defs: c.defs, done: make(chan struct{})}
	if emit == nil {
		if r.sinks, r.sinkObs, err = e.buildSinks(d); err != nil {
			return nil, err
		}
		emit = r.toSinks
	}
	late, lateObs, err := e.buildActions(d, d.LateActions, "sink_late")
	if err != nil {
		return nil, err
	}
	r.late = late
	r.sinkObs = append(r.sinkObs, lateObs...)
	var lateEmit exec.Emit
	if len(late) > 0 {
		lateEmit = func(rows []*row.Row) {
			for _, s := range late {
				s.Send(rows)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	for i, s := range r.allSinks() {
		if err := s.Open(ctx); err != nil {
			r.closeSinks(i)
			cancel()
			return nil, errs.New(errs.IO, "open %s sink: %v", d.Actions[i].Type, err)
		}
	}
	env := e.ruleEnv(d)
	env.RuleStart = e.cfg.Clock.Now().UnixMilli()
	log := ruleLogger{e.cfg.Logger, d.ID, d.Options.Debug}
	opts := exec.Options{RuleID: d.ID, SendError: d.Options.SendError, EventTime: d.Options.IsEventTime, SendMeta: d.Options.SendMetaToSink}
	if r.pipe, err = e.runner(c, d, env, opts, log, emit, lateEmit); err != nil {
		r.closeSinks(len(r.allSinks()))
		cancel()
		return nil, err
	}
	if err := e.openTables(r); err != nil {
		r.closeSinks(len(r.allSinks()))
		cancel()
		return nil, err
	}
	r.queue = make(chan item, d.Options.BufferLength)
	r.ticks = make(chan struct{}, 1)
	r.ckpt = make(chan struct{}, 1)
	e.restoreState(r)
	return r, nil
}

// openTables gives the runner its table sources: a scan table per rule,
// lookup tables through the table registry (released when the rule stops).
func (e *Engine) openTables(r *ruleRun) error {
	t := exec.Tables{Scan: map[int]*table.Scan{}, Lookup: map[int]table.Lookup{}}
	for i, sd := range r.defs {
		if sd.Kind != KindTable {
			continue
		}
		if !sd.IsLookup() {
			t.Scan[i] = table.NewScan(sd.RetainSize()).SetKey(sd.opt("KEY"))
			if r.scans == nil {
				r.scans = map[string]*table.Scan{}
			}
			r.scans[sd.Name] = t.Scan[i]
			continue
		}
		props, err := e.sourceProps(sd)
		if err != nil {
			return err
		}
		lk, err := e.cfg.Tables.Open(context.Background(), table.Def{Name: sd.Name, Type: sd.Type(),
			DataSource: sd.opt("DATASOURCE"), Key: sd.opt("KEY"), Props: props})
		if err != nil {
			return errs.Wrap(errs.Undefined, "", err)
		}
		t.Lookup[i] = lk
		r.undo = append(r.undo, func() { _ = lk.Close() })
	}
	if len(t.Scan)+len(t.Lookup) > 0 || len(r.defs) > 1 {
		if ts, ok := r.pipe.(interface{ SetTables(exec.Tables) }); ok {
			ts.SetTables(t)
		}
	}
	return nil
}

// runner builds the operator chain: a plain pipeline, or a windowed one.
func (e *Engine) runner(c *compiledRule, d *RuleDef, env *fn.Env, opts exec.Options, log obs.Logger, emit, late exec.Emit) (exec.Runner, error) {
	w := c.prog.Window()
	if w == nil {
		return exec.NewPipeline(c.prog, env, opts, e.cfg.Clock, log, emit), nil
	}
	spec, err := exec.WindowSpec(w, d.Options.SendSlidingTwice)
	if err != nil {
		return nil, errs.Wrap(errs.Undefined, "", err)
	}
	spec.TZ = e.cfg.TZ
	wo := exec.WindowOptions{Options: opts, Spec: spec, LateTolerance: d.Options.LateTolerance.Milliseconds(),
		// qos >= 1 checkpoints buffered rows (incremental state is not serialisable yet)
		NoIncremental: e.cfg.DisableIncremental || d.Options.Qos > 0, Late: late, IdleTimeout: d.Options.WatermarkIdleTimeout.Milliseconds()}
	for _, sd := range c.defs {
		wo.Timestamps = append(wo.Timestamps, exec.TimestampField{Field: sd.opt("TIMESTAMP"), Format: sd.opt("TIMESTAMP_FORMAT")})
	}
	wp, err := exec.NewWindowPipeline(c.prog, env, wo, e.cfg.Clock, log, emit)
	if err != nil {
		return nil, errs.Wrap(errs.Undefined, "", err)
	}
	return wp, nil
}

// begin starts the runner's clock-driven operators.
func (r *ruleRun) begin() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pipe.Start(r.e.cfg.Clock.Now().UnixMilli())
	r.arm()
	r.armCheckpoints()
}

// arm (re)schedules the timer for the runner's next wake-up. It runs on the
// rule goroutine (async) or under r.mu (synchronous).
func (r *ruleRun) arm() {
	next := r.pipe.Next()
	if next == 0 || next == r.armedAt || r.isClosed() {
		return
	}
	if r.timer != nil {
		r.timer.Stop()
	}
	r.armedAt = next
	d := time.Duration(next-r.e.cfg.Clock.Now().UnixMilli()) * time.Millisecond
	if d < 0 {
		d = 0
	}
	r.timer = r.e.cfg.Clock.AfterFunc(d, r.onTimer)
}

// onTimer runs on the clock's goroutine: synchronous mode ticks directly,
// async mode wakes the rule goroutine (never blocking the clock).
func (r *ruleRun) onTimer() {
	if r.e.cfg.Synchronous {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.tick()
		return
	}
	select {
	case r.ticks <- struct{}{}:
	default: // a wake-up is already pending
	}
}

func (r *ruleRun) isClosed() bool {
	r.qmu.RLock()
	defer r.qmu.RUnlock()
	return r.closed
}

func (r *ruleRun) tick() {
	if r.isClosed() {
		return
	}
	r.armedAt = 0
	r.pipe.Tick(r.e.cfg.Clock.Now().UnixMilli())
	r.arm()
}

func (r *ruleRun) toSinks(rows []*row.Row) {
	if len(rows) > 0 && rows[0].PT > 0 {
		// ingest-to-sink latency, from the row's intake stamp (OortRuleLatency)
		r.latSumMs.Add(max(r.e.cfg.Clock.Now().UnixMilli()-rows[0].PT, 0))
		r.latCount.Add(1)
	}
	for _, s := range r.sinks {
		s.Send(rows)
	}
}

// loop drains the rule's queue and timer wake-ups on its own goroutine.
func (r *ruleRun) loop() {
	defer close(r.done)
	for {
		select {
		case it, ok := <-r.queue:
			if !ok {
				return
			}
			r.pipe.SourceNodes()[it.src].BufferLength.Store(int64(len(r.queue)))
			r.pipe.Process(it.src, it.row)
			r.arm()
		case <-r.ticks:
			r.tick()
		case <-r.ckpt:
			r.e.saveState(r)
		}
	}
}

// deliver hands a row to the rule according to the queue policy: drop when
// full (counted), or with disableBufferFullDiscard wait up to MaxBlock first.
func (r *ruleRun) deliver(src int, rw *row.Row) {
	if r.e.cfg.Synchronous {
		r.mu.Lock()
		if !r.closed {
			r.pipe.Process(src, rw)
			r.arm()
		}
		r.mu.Unlock()
		return
	}
	r.qmu.RLock()
	defer r.qmu.RUnlock()
	if r.closed {
		return
	}
	select {
	case r.queue <- item{src, rw}:
		return
	default:
	}
	if r.def.Options.DisableBufferFull {
		expired, t := clock.After(r.e.cfg.Clock, r.e.cfg.MaxBlock)
		defer t.Stop()
		select {
		case r.queue <- item{src, rw}:
			return
		case <-expired:
		}
	}
	n := r.pipe.SourceNodes()[src]
	n.Dropped.Add(1)
	n.Exception(fmt.Errorf("rule %s input buffer is full (%d rows): row dropped", r.def.ID, cap(r.queue)), r.e.cfg.Clock.Now().UnixMilli())
}

func (r *ruleRun) closeSinks(n int) {
	ctx, cancel := context.WithTimeout(context.Background(), r.def.Options.ForceExitTimeout)
	defer cancel()
	for _, s := range r.allSinks()[:n] {
		if err := s.Close(ctx); err != nil {
			r.e.cfg.Logger.Warnf("rule=%s closing sink: %v", r.def.ID, err)
		}
	}
}

// stop releases the run's inputs, drains the queue and closes sinks. The
// caller has already detached it from routing.
func (r *ruleRun) stop() {
	for _, u := range r.undo {
		u()
	}
	r.mu.Lock()
	r.qmu.Lock()
	r.closed = true
	r.qmu.Unlock()
	if r.timer != nil {
		r.timer.Stop()
	}
	if r.ckptTimer != nil {
		r.ckptTimer.Stop()
	}
	r.mu.Unlock()
	idle := true
	if !r.e.cfg.Synchronous {
		close(r.queue)
		expired, t := clock.After(r.e.cfg.Clock, r.def.Options.ForceExitTimeout)
		defer t.Stop()
		select {
		case <-r.done:
		case <-expired:
			idle = false
			r.e.cfg.Logger.Warnf("rule=%s did not stop within %s; abandoned", r.def.ID, r.def.Options.ForceExitTimeout)
		}
	}
	if idle { // the runner is no longer in use: a final checkpoint is safe
		r.e.saveState(r)
	}
	r.closeSinks(len(r.allSinks()))
	r.cancel()
}

// nodes returns every metric node in topology order.
func (r *ruleRun) nodes() []*obs.Node {
	out := append([]*obs.Node{}, r.pipe.SourceNodes()...)
	out = append(out, r.pipe.Nodes()...)
	return append(out, r.sinkObs...)
}

// ruleLogger prefixes every line with rule=<id> and honours the debug option.
type ruleLogger struct {
	obs.Logger
	id    string
	debug bool
}

func (l ruleLogger) Debugf(m string, a ...interface{}) {
	if l.debug {
		l.Logger.Infof("rule="+l.id+" "+m, a...)
		return
	}
	l.Logger.Debugf("rule="+l.id+" "+m, a...)
}

// ruleEnv is the function environment of a rule.
func (e *Engine) ruleEnv(d *RuleDef) *fn.Env {
	return &fn.Env{Clock: e.cfg.Clock, RuleID: d.ID, TZ: e.cfg.TZ, Props: e.cfg.Props}
}

// cacheDir is where an action's sink cache spills to disk ("" keeps it in
// memory: no data directory).
func (e *Engine) cacheDir(ruleID, prefix string, action int) string {
	if e.cfg.DataDir == "" {
		return ""
	}
	if prefix != "sink" {
		return filepath.Join(e.cfg.DataDir, "cache", ruleID, prefix+"-"+fmt.Sprint(action))
	}
	return filepath.Join(e.cfg.DataDir, "cache", ruleID, fmt.Sprint(action))
}

// allSinks is every action's node: the rule's actions, then its lateActions.
func (r *ruleRun) allSinks() []*sink.Node {
	return append(append([]*sink.Node(nil), r.sinks...), r.late...)
}
