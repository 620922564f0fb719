package window

// tumbling emits every size the rows buffered since the previous tick.
type tumbling struct {
	tk      ticker
	buf     buffer
	start   int64 // window_start of the open window
	started bool
}

func newTumbling(s Spec, exact bool) *tumbling {
	return &tumbling{tk: newTicker(s, s.Size, exact)}
}

func (w *tumbling) Start(now int64) {
	if !w.started || w.start == 0 {
		w.start = now // first window starts at the rule start (kept for compatibility)
	}
	w.started = true
	w.tk.start(now)
}

func (w *tumbling) Add(it Item) []Fire {
	if !w.tk.armed {
		w.Start(it.TS) // not started by the caller: start at the first row
	}
	fires := w.Tick(it.TS)
	w.buf.push(it)
	return fires
}

func (w *tumbling) Next() int64 { return w.tk.due() }

func (w *tumbling) Tick(now int64) []Fire {
	var fires []Fire
	for {
		at, fire, ok := w.tk.pop(now)
		if !ok {
			return fires
		}
		if !fire {
			continue // late tick skipped: start stays, rows roll over
		}
		fires = append(fires, Fire{Start: w.start, End: at, Trigger: at, Items: w.buf.take()})
		w.start = at
	}
}

func (w *tumbling) Snapshot(encode func(any) ([]byte, error)) ([]byte, error) {
	return snapshotOf(&snapState{Kind: Tumbling, Start: w.start}, w.buf.view(), encode)
}

func (w *tumbling) Restore(data []byte, decode func([]byte) (any, error)) error {
	st, err := restoreOf(Tumbling, data, decode, &w.buf)
	if err != nil {
		return err
	}
	w.start, w.started = st.Start, st.Start != 0
	return nil
}
