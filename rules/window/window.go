// Package window implements the window state machines of the streaming SQL
// engine (sql.md §9.1–§9.4 and §10) without knowing any SQL: the planner
// evaluates FILTER/WHEN/state conditions and passes booleans in Item, and the
// runtime passes every time in (epoch ms) and wakes the window at Next().
package window

import "time"

// Item is one row entering a window, with the condition results the planner computed.
type Item struct {
	TS      int64 // processing time, or event time in event-time mode
	Payload any   // the rule's row; opaque here
	Trigger bool  // sliding OVER (WHEN ...) result (true when no WHEN)
	Begin   bool  // state window: begin condition (single-condition form: cond)
	Emit    bool  // state window: emit condition (single-condition form: cond)
}

// Fire is one window emission.
type Fire struct {
	Start, End int64  // window_start(), window_end()
	Trigger    int64  // the trigger time (event_time()/window_trigger() in aggregate queries)
	Items      []Item // window content in arrival (processing) or event-time order
}

// Kind is the window function.
type Kind int

// Window kinds.
const (
	Tumbling Kind = iota + 1
	Hopping
	Sliding
	Session
	Count
	State
)

// String names the kind as the SQL function does.
func (k Kind) String() string {
	switch k {
	case Tumbling:
		return "tumblingwindow"
	case Hopping:
		return "hoppingwindow"
	case Sliding:
		return "slidingwindow"
	case Session:
		return "sessionwindow"
	case Count:
		return "countwindow"
	case State:
		return "statewindow"
	}
	return "unknown window"
}

// Unit is a time unit keyword of a time window.
type Unit string

// Time units.
const (
	DD Unit = "DD"
	HH Unit = "HH"
	MI Unit = "MI"
	SS Unit = "SS"
	MS Unit = "MS"
)

// Spec describes one window of a rule.
type Spec struct {
	Kind                 Kind
	Unit                 Unit
	Size, Hop, Delay     int64          // in units for time windows; rows for Count (Size, Hop=step)
	MaxDuration, Timeout int64          // session, in units
	SlidingTwice         bool           // enableSendSlidingWindowTwice
	TZ                   *time.Location // for DD alignment (nil: UTC)
	// SingleCondition selects STATEWINDOW(cond): a cond row emits the open
	// window without itself and opens the next one. The planner sets both
	// Item.Begin and Item.Emit to cond's result in that form.
	SingleCondition bool
	// BoundsOnly (session, state): the caller folds rows incrementally and
	// needs no payloads, so the window keeps only the rows its bounds come
	// from (a session its first, for maxDuration; a state window its first
	// and last) and its memory no longer grows with the rows it spans.
	BoundsOnly bool
}

// Window is a processing-time window. Start is called once with the rule start time.
type Window interface {
	Start(now int64)
	// Add a row arriving at it.TS (== now). Returns fires caused by the row
	// (count, state, sliding without delay). Timers due at or before it.TS
	// that the caller has not ticked yet fire first and lead the result.
	Add(it Item) []Fire
	// Next is the next time (ms) the window must be ticked, 0 if none.
	Next() int64
	// Tick advances to now and returns the fires due at or before now, in order, each computed as if at its due time.
	Tick(now int64) []Fire
	// Snapshot serialises the buffered state for qos>=1 checkpoints; encode
	// turns one opaque payload into bytes.
	Snapshot(encode func(payload any) ([]byte, error)) ([]byte, error)
	// Restore loads a Snapshot into a window that has not been started yet;
	// Start then re-aligns the timers from its own now.
	Restore(data []byte, decode func([]byte) (any, error)) error
}

// EventWindow is the event-time variant: rows are added with their event time and released by the watermark.
type EventWindow interface {
	// Add buffers a row; it is late (returned false) if it.TS < current watermark.
	Add(it Item) (accepted bool)
	// Advance moves the watermark and returns the fires whose end <= watermark (sliding: rows whose ts(+delay) <= watermark), in order, empty windows included.
	Advance(watermark int64) []Fire
	Watermark() int64
	// Snapshot and Restore checkpoint the waiting rows, the watermark and the
	// window state (Restore on a fresh window).
	Snapshot(encode func(payload any) ([]byte, error)) ([]byte, error)
	Restore(data []byte, decode func([]byte) (any, error)) error
}

// New returns a processing-time window for spec.
func New(spec Spec) (Window, error) {
	return build(spec, false)
}

// build constructs the state machine; eventMode drives it with event time:
// late ticks are never skipped and a session gap must exceed the timeout.
func build(spec Spec, eventMode bool) (Window, error) {
	spec.Unit = normUnit(spec.Unit)
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	switch spec.Kind {
	case Tumbling:
		return newTumbling(spec, eventMode), nil
	case Hopping:
		return newHopping(spec, eventMode), nil
	case Sliding:
		return newSliding(spec), nil
	case Session:
		return newSession(spec, eventMode), nil
	case Count:
		return newCount(spec), nil
	default:
		return newState(spec), nil
	}
}
