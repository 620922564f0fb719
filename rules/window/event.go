package window

import (
	"math"
	"sort"
)

// eventWindow drives a window state machine with event time: rows wait in
// event-time order until the watermark reaches them, then enter the machine
// as if they arrived at their event time; the machine's clock is the
// watermark. The first released row is the earliest row the window will ever
// see (later rows are >= the watermark), so it starts the machine: the first
// tumbling window starts at that row's time and the first end is aligned
// from it (§10).
type eventWindow struct {
	inner   Window
	pending []Item // sorted by TS, ties in arrival order
	wm      int64
	started bool
}

// NewEvent returns an event-time window for spec. Count and state windows
// are supported too: they see the rows in event-time order.
func NewEvent(spec Spec) (EventWindow, error) {
	inner, err := build(spec, true)
	if err != nil {
		return nil, err
	}
	return &eventWindow{inner: inner, wm: math.MinInt64}, nil
}

func (e *eventWindow) Add(it Item) bool {
	if it.TS < e.wm {
		return false
	}
	i := sort.Search(len(e.pending), func(i int) bool { return e.pending[i].TS > it.TS })
	e.pending = append(e.pending, Item{})
	copy(e.pending[i+1:], e.pending[i:])
	e.pending[i] = it
	return true
}

func (e *eventWindow) Advance(watermark int64) []Fire {
	if watermark <= e.wm {
		return nil // the watermark never goes back
	}
	e.wm = watermark
	n := sort.Search(len(e.pending), func(i int) bool { return e.pending[i].TS > watermark })
	var fires []Fire
	for _, it := range e.pending[:n] {
		if !e.started {
			e.inner.Start(it.TS)
			e.started = true
		}
		fires = append(fires, e.inner.Add(it)...)
	}
	rest := copy(e.pending, e.pending[n:])
	clear(e.pending[rest:])
	e.pending = e.pending[:rest]
	if e.started {
		fires = append(fires, e.inner.Tick(watermark)...)
	}
	return fires
}

// Watermark returns the current watermark, math.MinInt64 before the first Advance.
func (e *eventWindow) Watermark() int64 { return e.wm }
