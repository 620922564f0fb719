package window

// state is eKuiper's v2 state window; partitioning is the caller's (one
// window per partition key).
type state struct {
	buf    buffer
	single bool
	open   bool
}

func newState(s Spec) *state { return &state{single: s.SingleCondition} }

func (w *state) Start(int64) {}

func (w *state) Add(it Item) []Fire {
	if !w.open {
		// rows before the opening row are discarded; the opening row's emit
		// condition is not consulted (eKuiper checks it only while open)
		if it.Begin {
			w.open = true
			w.buf.push(it)
		}
		return nil
	}
	if w.single {
		if !it.Emit {
			w.buf.push(it)
			return nil
		}
		f := w.emit()
		w.buf.push(it) // the cond row opens the next window
		return []Fire{f}
	}
	w.buf.push(it)
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
