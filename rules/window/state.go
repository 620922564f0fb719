package window

// state is eKuiper's v2 state window; partitioning is the caller's (one
// window per partition key).
type state struct {
	buf    buffer
	single bool
	open   bool
	ends   bool // Spec.BoundsOnly: keep only the first and the last row
}

func newState(s Spec) *state { return &state{single: s.SingleCondition, ends: s.BoundsOnly} }

// Accepts tells, before Add, whether it joins a window and whether Add
// first emits the open window without it (the single condition form), so
// an incremental caller folds the row into the right state.
func (w *state) Accepts(it Item) (joins, emitsBefore bool) {
	if !w.open {
		return it.Begin, false
	}
	return true, w.single && it.Emit
}

// push keeps every row, or only the window's first and last in ends mode
// (its bounds are all an incremental caller needs).
func (w *state) push(it Item) {
	if w.ends && w.buf.len() >= 2 {
		w.buf.items[len(w.buf.items)-1] = it
		return
	}
	w.buf.push(it)
}

func (w *state) Start(int64) {}

func (w *state) Add(it Item) []Fire {
	if !w.open {
		// rows before the opening row are discarded; the opening row's emit
		// condition is not consulted (eKuiper checks it only while open)
		if it.Begin {
			w.open = true
			w.push(it)
		}
		return nil
	}
	if w.single {
		if !it.Emit {
			w.push(it)
			return nil
		}
		f := w.emit()
		w.push(it) // the cond row opens the next window
		return []Fire{f}
	}
	w.push(it)
	if !it.Emit {
		return nil
	}
	w.open = false
	return []Fire{w.emit()}
}

func (w *state) emit() Fire {
	first, last := w.buf.first().TS, w.buf.at(w.buf.len()-1).TS
	return Fire{Start: first, End: last, Trigger: last, Items: w.buf.take()}
}

func (w *state) Next() int64       { return 0 }
func (w *state) Tick(int64) []Fire { return nil }

func (w *state) Snapshot(encode func(any) ([]byte, error)) ([]byte, error) {
	return snapshotOf(&snapState{Kind: State, Open: w.open}, w.buf.view(), encode)
}

func (w *state) Restore(data []byte, decode func([]byte) (any, error)) error {
	st, err := restoreOf(State, data, decode, &w.buf)
	if err != nil {
		return err
	}
	w.open = st.Open && w.buf.len() > 0
	return nil
}
