package window

import "math"

// Watermark tracks min over inputs of (max event time seen) − lateTolerance.
// An input that has not produced a row yet holds the watermark back, as in
// eKuiper, and the watermark never decreases.
type Watermark struct {
	max    []int64
	seen   []bool
	unseen int
	tol    int64
	cur    int64
}

// NewWatermark tracks inputs streams (at least 1); a negative tolerance counts as 0.
func NewWatermark(inputs int, lateTolerance int64) *Watermark {
	if inputs < 1 {
		inputs = 1
	}
	if lateTolerance < 0 {
		lateTolerance = 0
	}
	return &Watermark{
		max:    make([]int64, inputs),
		seen:   make([]bool, inputs),
		unseen: inputs,
		tol:    lateTolerance,
		cur:    math.MinInt64,
	}
}

// Observe records an event time seen on input (0-based) and returns the
// watermark. An input index out of range is ignored.
func (w *Watermark) Observe(input int, ts int64) (wm int64) {
	if input < 0 || input >= len(w.max) {
		return w.cur
	}
	if !w.seen[input] {
		w.seen[input] = true
		w.unseen--
		w.max[input] = ts
	} else if ts > w.max[input] {
		w.max[input] = ts
	}
	if w.unseen > 0 {
		return w.cur
	}
	m := w.max[0]
	for _, v := range w.max[1:] {
		m = min(m, v)
	}
	if m >= math.MinInt64+w.tol && m-w.tol > w.cur {
		w.cur = m - w.tol
	}
	return w.cur
}

// Current returns the watermark, math.MinInt64 until every input produced a row.
func (w *Watermark) Current() int64 { return w.cur }
