package window

import (
	"encoding/json"
	"fmt"
	"sort"
)

// eventSnap is the checkpoint of an event-time window: the watermark, the
// rows still waiting for it, and the state machine behind it.
type eventSnap struct {
	WM      int64      `json:"wm"`
	Started bool       `json:"started"`
	Inner   []byte     `json:"inner,omitempty"`
	Pending []snapItem `json:"pending"`
}

// Snapshot serialises the window; encode turns one payload into bytes.
func (e *eventWindow) Snapshot(encode func(payload any) ([]byte, error)) ([]byte, error) {
	if encode == nil {
		return nil, fmt.Errorf("event window snapshot: %w", errNoCodec)
	}
	s := eventSnap{WM: e.rel.wm, Started: e.started}
	if e.started {
		var err error
		if s.Inner, err = e.inner.Snapshot(encode); err != nil {
			return nil, err
		}
	}
	for _, h := range e.rel.sorted() {
		p, err := encode(h.it.Payload)
		if err != nil {
			return nil, fmt.Errorf("event window snapshot: encode pending row (ts %d): %w", h.it.TS, err)
		}
		s.Pending = append(s.Pending, snapItem{TS: h.it.TS, Payload: p, Trigger: h.it.Trigger, Begin: h.it.Begin, Emit: h.it.Emit})
	}
	return json.Marshal(s)
}

// Restore loads a Snapshot into a fresh window; the machine's timers
// re-align from the restored watermark.
func (e *eventWindow) Restore(data []byte, decode func([]byte) (any, error)) error {
	if decode == nil {
		return fmt.Errorf("event window restore: %w", errNoCodec)
	}
	var s eventSnap
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("event window restore: %w", err)
	}
	if s.Started {
		if err := e.inner.Restore(s.Inner, decode); err != nil {
			return err
		}
		e.inner.Start(s.WM)
		e.started = true
	}
	e.rel.wm = s.WM
	for _, it := range s.Pending {
		payload, err := decode(it.Payload)
		if err != nil {
			return fmt.Errorf("event window restore: pending row (ts %d): %w", it.TS, err)
		}
		e.rel.Add(Item{TS: it.TS, Payload: payload, Trigger: it.Trigger, Begin: it.Begin, Emit: it.Emit})
	}
	return nil
}

// sorted returns the held rows in release order.
func (r *Releaser) sorted() []held {
	out := append([]held(nil), r.heap...)
	sort.Slice(out, func(i, j int) bool { return out[i].before(out[j]) })
	return out
}

// watermarkSnap is the checkpoint of a Watermark.
type watermarkSnap struct {
	Max  []int64 `json:"max"`
	Seen []bool  `json:"seen"`
	Cur  int64   `json:"cur"`
}

// Snapshot serialises the watermark tracker.
func (w *Watermark) Snapshot() ([]byte, error) {
	return json.Marshal(watermarkSnap{Max: w.max, Seen: w.seen, Cur: w.cur})
}

// Restore loads a Snapshot taken with the same number of inputs.
func (w *Watermark) Restore(data []byte) error {
	var s watermarkSnap
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("watermark restore: %w", err)
	}
	if len(s.Max) != len(w.max) || len(s.Seen) != len(w.seen) {
		return fmt.Errorf("watermark restore: snapshot has %d inputs, the rule %d", len(s.Max), len(w.max))
	}
	copy(w.max, s.Max)
	copy(w.seen, s.Seen)
	w.unseen = 0
	for _, seen := range w.seen {
		if !seen {
			w.unseen++
		}
	}
	w.cur = s.Cur
	return nil
}
