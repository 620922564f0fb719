package exec

import (
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/window"
)

// evState is one PARTITION BY key of an incremental event-time state
// window: rows wait in rel until the watermark passes them, then enter the
// state machine (which keeps only its first and last row) and fold into inc.
type evState struct {
	rel     *window.Releaser
	inner   window.Window
	inc     *plan.IncState
	started bool
}

// addStateEvent queues a row for its partition, as the buffered path's
// per-partition event windows do; false when it is late there.
func (p *WindowPipeline) addStateEvent(it window.Item) bool {
	key := p.wins.partition
	p.wins.partition = ""
	ps := p.evStates[key]
	if ps == nil {
		spec := p.wins.spec
		inner, _ := window.NewEventDriven(spec) // the spec was validated at build
		ps = &evState{rel: window.NewReleaser(), inner: inner, inc: p.prog.NewIncState(p.ctx)}
		p.evStates[key] = ps
		p.evKeys = append(p.evKeys, key)
	}
	return ps.rel.Add(it)
}

// advanceStates releases every partition's rows up to the watermark, in
// partition creation order like the buffered path.
func (p *WindowPipeline) advanceStates(wm, nowMs int64) {
	for _, key := range p.evKeys {
		ps := p.evStates[key]
		if wm <= ps.rel.Watermark() {
			continue // the watermark never goes back
		}
		p.inc = ps.inc
		for _, it := range ps.rel.Advance(wm) {
			if !ps.started {
				ps.inner.Start(it.TS)
				ps.started = true
			}
			p.releaseState(ps, it, nowMs)
		}
	}
}

// releaseState folds a released row before the emission it belongs to, or
// after the emission it follows (single condition form).
func (p *WindowPipeline) releaseState(ps *evState, it window.Item, nowMs int64) {
	joins, before := ps.inner.(stateAccepter).Accepts(it)
	foldIt := func() {
		p.ctx.Position(it.Payload.(plan.GroupRow))
		if p.postFilter(nowMs) {
			p.fold(nowMs)
		}
	}
	if joins && !before {
		foldIt()
	}
	p.handle(ps.inner.Add(it))
	if joins && before {
		foldIt()
	}
}
