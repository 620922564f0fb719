package window

import "math"

// Releaser holds event-time rows until the watermark reaches them and
// releases them in event-time order (ties in arrival order). Rows behind the
// watermark are late. It buffers at most the rows within lateTolerance of
// the newest event time, in a binary heap so out-of-order rows cost
// O(log n) whatever their disorder.
type Releaser struct {
	heap []held
	seq  uint64
	wm   int64
}

type held struct {
	it  Item
	seq uint64 // arrival order, for stable ties
}

func (h held) before(o held) bool {
	return h.it.TS < o.it.TS || (h.it.TS == o.it.TS && h.seq < o.seq)
}

// NewReleaser returns an empty releaser with no watermark yet.
func NewReleaser() *Releaser { return &Releaser{wm: math.MinInt64} }

// Add buffers a row; false means it is late (before the watermark).
func (r *Releaser) Add(it Item) bool {
	if it.TS < r.wm {
		return false
	}
	r.seq++
	r.heap = append(r.heap, held{it: it, seq: r.seq})
	for i := len(r.heap) - 1; i > 0; {
		parent := (i - 1) / 2
		if !r.heap[i].before(r.heap[parent]) {
			break
		}
		r.heap[i], r.heap[parent] = r.heap[parent], r.heap[i]
		i = parent
	}
	return true
}

// Advance moves the watermark (never back) and returns the rows it passed,
// in event-time order.
func (r *Releaser) Advance(watermark int64) []Item {
	if watermark <= r.wm {
		return nil
	}
	r.wm = watermark
	var out []Item
	for len(r.heap) > 0 && r.heap[0].it.TS <= watermark {
		out = append(out, r.pop())
	}
	return out
}

func (r *Releaser) pop() Item {
	top := r.heap[0].it
	last := len(r.heap) - 1
	r.heap[0] = r.heap[last]
	r.heap[last] = held{}
	r.heap = r.heap[:last]
	for i := 0; ; {
		l, rt, min := 2*i+1, 2*i+2, i
		if l < len(r.heap) && r.heap[l].before(r.heap[min]) {
			min = l
		}
		if rt < len(r.heap) && r.heap[rt].before(r.heap[min]) {
			min = rt
		}
		if min == i {
			return top
		}
		r.heap[i], r.heap[min] = r.heap[min], r.heap[i]
		i = min
	}
}

// Watermark returns the current watermark, math.MinInt64 before the first Advance.
func (r *Releaser) Watermark() int64 { return r.wm }

// NewEventDriven returns the state machine of an event-time window without
// its release buffer: it is driven with event time (late ticks are never
// skipped; a session gap must exceed the timeout). The first row it is
// started with starts the first window (§10).
func NewEventDriven(spec Spec) (Window, error) { return build(spec, true) }

// eventWindow drives a window state machine with event time: rows wait in
// the releaser until the watermark reaches them, then enter the machine as if
// they arrived at their event time; the machine's clock is the watermark. The
// first released row is the earliest row the window will ever see (later rows
// are >= the watermark), so it starts the machine: the first tumbling window
// starts at that row's time and the first end is aligned from it (§10).
type eventWindow struct {
	inner   Window
	rel     *Releaser
	started bool
}

// NewEvent returns an event-time window for spec. Count and state windows
// are supported too: they see the rows in event-time order.
func NewEvent(spec Spec) (EventWindow, error) {
	inner, err := build(spec, true)
	if err != nil {
		return nil, err
	}
	return &eventWindow{inner: inner, rel: NewReleaser()}, nil
}

func (e *eventWindow) Add(it Item) bool { return e.rel.Add(it) }

func (e *eventWindow) Advance(watermark int64) []Fire {
	if watermark <= e.rel.Watermark() {
		return nil // the watermark never goes back
	}
	var fires []Fire
	for _, it := range e.rel.Advance(watermark) {
		if !e.started {
			e.inner.Start(it.TS)
			e.started = true
		}
		fires = append(fires, e.inner.Add(it)...)
	}
	if e.started {
		fires = append(fires, e.inner.Tick(watermark)...)
	}
	return fires
}

// Watermark returns the current watermark, math.MinInt64 before the first Advance.
func (e *eventWindow) Watermark() int64 { return e.rel.Watermark() }
