package window

// pending is a delayed sliding fire for a qualifying row that arrived at T.
type pending struct {
	Due int64 `json:"due"` // T + delay
	T   int64 `json:"t"`
}

// sliding emits, per qualifying row at t, the rows of [t-size, t] — or with a
// delay d, at t+d the rows of [t-size, t+d).
type sliding struct {
	buf     buffer
	size    int64 // ms
	delay   int64 // ms
	twice   bool
	pending []pending // in due order: processing time never goes back
	now     int64
}

func newSliding(s Spec) *sliding {
	return &sliding{size: s.millis(s.Size), delay: s.millis(s.Delay), twice: s.SlidingTwice && s.Delay > 0}
}

func (w *sliding) Start(now int64) {
	if now > w.now {
		w.now = now
	}
}

func (w *sliding) Add(it Item) []Fire {
	fires := w.Tick(it.TS)
	w.buf.push(it)
	if it.Trigger {
		t := it.TS
		if w.delay == 0 || w.twice {
			lo := t - w.size
			items := w.buf.between(lo, t+1) // inclusive end
			fires = append(fires, Fire{Start: lo, End: t, Trigger: t, Items: items})
		}
		if w.delay > 0 {
			w.pending = append(w.pending, pending{Due: t + w.delay, T: t})
		}
	}
	w.gc()
	return fires
}

func (w *sliding) Next() int64 {
	if len(w.pending) == 0 {
		return 0
	}
	return w.pending[0].Due
}

func (w *sliding) Tick(now int64) []Fire {
	if now > w.now {
		w.now = now
	}
	var fires []Fire
	for len(w.pending) > 0 && w.pending[0].Due <= now {
		p := w.pending[0]
		w.pending = w.pending[1:]
		fires = append(fires, w.delayed(p))
	}
	if len(w.pending) == 0 {
		w.pending = nil
	}
	w.gc()
	return fires
}

// delayed builds the fire at T+d. With SlidingTwice the rows up to T were
// already sent at T, so like eKuiper's "last part" only (T, T+d) follows,
// still triggered at T.
// delayed is the emission d after a qualifying row at T: rows with
// T-size <= ts < T+d (sql.md §9.3). With enableSendSlidingWindowTwice the
// same emission follows the one already sent at T.
func (w *sliding) delayed(p pending) Fire {
	lo := p.T - w.size
	items := w.buf.between(lo, p.Due)
	return Fire{Start: lo, End: p.Due, Trigger: p.Due, Items: items}
}

// gc drops rows no future fire can contain: older than now-size and than the
// start of the oldest pending window.
func (w *sliding) gc() {
	cut := w.now - w.size
	if len(w.pending) > 0 && w.pending[0].T-w.size < cut {
		cut = w.pending[0].T - w.size
	}
	w.buf.dropBefore(cut)
}

func (w *sliding) Snapshot(encode func(any) ([]byte, error)) ([]byte, error) {
	st := &snapState{Kind: Sliding, Pending: w.pending, Last: w.now}
	return snapshotOf(st, w.buf.view(), encode)
}

func (w *sliding) Restore(data []byte, decode func([]byte) (any, error)) error {
	st, err := restoreOf(Sliding, data, decode, &w.buf)
	if err != nil {
		return err
	}
	w.pending, w.now = st.Pending, st.Last
	return nil
}
