package exec

import (
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/window"
)

// setupIncremental chooses incremental aggregation where it provably gives
// the buffered path's results (sql.md §9.8).
func (p *WindowPipeline) setupIncremental() {
	spec, prog := p.opts.Spec, p.prog
	if p.opts.NoIncremental || !prog.Incremental() {
		return
	}
	switch {
	case spec.Kind == window.Tumbling:
		p.inc = prog.NewIncState(p.ctx)
	case spec.Kind == window.Hopping && !p.opts.EventTime && spec.Size%spec.Hop == 0 && prog.Mergeable():
		p.inc = prog.NewIncState(p.ctx)
		p.maxPanes = int(spec.Size / spec.Hop)
	case spec.Kind == window.Session:
		// every fire takes all rows since the previous one, so one state
		// folded in (event-)time order gives the buffered results
		p.inc, p.session = prog.NewIncState(p.ctx), true
		p.wins.spec.BoundsOnly = true
	case spec.Kind == window.State:
		// one state per partition; Accepts says where each row belongs (event
		// time releases per partition: window_state_event.go)
		p.inc = prog.NewIncState(p.ctx)
		p.wins.spec.BoundsOnly = true
		if p.opts.EventTime {
			p.evInc, p.evStates = true, map[string]*evState{}
		} else {
			p.states = map[string]*plan.IncState{}
		}
		return
	}
	if p.inc != nil && p.opts.EventTime {
		p.evInc, p.rel = true, window.NewReleaser()
		p.inner, _ = window.NewEventDriven(p.wins.spec)
	}
}

// enter moves the incremental event-time window to a released row: a
// session must see the row itself (its timeout restarts), tumbling windows
// only their ticks. Windows ending before the row close first.
func (p *WindowPipeline) enter(it window.Item) {
	if p.session {
		p.handle(p.inner.Add(it))
		return
	}
	p.handle(p.inner.Tick(it.TS))
}

func (p *WindowPipeline) fireIncremental(f window.Fire, nowMs int64) {
	if p.evInc && p.nodes.post != nil && p.inc.Len() == 0 {
		return // event time: a window WHERE left empty emits nothing (§9.4)
	}
	state := p.inc
	if p.maxPanes > 0 {
		var err error
		if state, err = p.rollPane(); err != nil {
			p.nodes.proj.Exception(err, nowMs)
			p.fail(err)
			return
		}
	}
	pn := p.nodes.proj
	pn.RecordsIn.Add(int64(state.Len()))
	pn.LastInvocation.Store(nowMs)
	out, ok, err := p.prog.EmitIncremental(p.ctx, state, plan.WindowInfo{Start: f.Start, End: f.End, Trigger: f.Trigger})
	if err != nil {
		pn.Exception(err, nowMs)
		p.fail(err)
		return
	}
	pn.Processed.Add(1)
	if ok {
		pn.RecordsOut.Add(int64(len(out)))
		p.emit(out)
	}
}

// fold adds the context's current row to the incremental state.
func (p *WindowPipeline) fold(nowMs int64) {
	if err := p.prog.Add(p.ctx, p.inc); err != nil {
		p.nodes.win.Exception(err, nowMs)
		p.fail(err)
	}
}

// postFilter applies WHERE to a released row in incremental event time
// (WHERE runs after the window there, §10); true when the row passes.
func (p *WindowPipeline) postFilter(nowMs int64) bool {
	n := p.nodes.post
	if n == nil {
		return true
	}
	n.RecordsIn.Add(1)
	ok, err := p.prog.Filter(p.ctx)
	if err != nil {
		n.Exception(err, nowMs)
		p.fail(err)
		return false
	}
	if ok {
		n.RecordsOut.Add(1)
	}
	return ok
}

// rollPane closes the current hopping pane and returns the merged state of
// the window made of the last size/hop panes.
func (p *WindowPipeline) rollPane() (*plan.IncState, error) {
	p.panes = append(p.panes, p.inc)
	if len(p.panes) > p.maxPanes {
		p.panes[0] = nil
		p.panes = p.panes[1:]
	}
	p.inc = p.prog.NewIncState(p.ctx)
	return p.prog.MergeIncStates(p.ctx, p.panes)
}

// stateAccepter is the state window's look-ahead (window.state.Accepts).
type stateAccepter interface {
	Accepts(it window.Item) (joins, emitsBefore bool)
}

// stateStep folds a row into its partition's state window incrementally:
// before the emission when the row belongs to the emitted window, after it
// when the row opens the next one (single condition form).
func (p *WindowPipeline) stateStep(it window.Item, nowMs int64) {
	key := p.wins.partition
	st := p.states[key]
	if st == nil {
		st = p.prog.NewIncState(p.ctx)
		p.states[key] = st
	}
	p.inc = st
	joins, before := p.wins.procFor(key).(stateAccepter).Accepts(it)
	switch {
	case !joins:
		p.handle(p.wins.add(it))
	case before:
		p.handle(p.wins.add(it))
		p.fold(nowMs)
	default:
		p.fold(nowMs)
		p.handle(p.wins.add(it))
	}
}
