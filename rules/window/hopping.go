package window

// hopping emits every hop the rows of the last size: [t-size, t).
type hopping struct {
	tk   ticker
	buf  buffer
	size int64 // ms
}

func newHopping(s Spec, exact bool) *hopping {
	return &hopping{tk: newTicker(s, s.Hop, exact), size: s.millis(s.Size)}
}

func (w *hopping) Start(now int64) { w.tk.start(now) }

func (w *hopping) Add(it Item) []Fire {
	if !w.tk.armed {
		w.Start(it.TS)
	}
	fires := w.Tick(it.TS)
	w.buf.push(it)
	return fires
}

func (w *hopping) Next() int64 { return w.tk.due() }

func (w *hopping) Tick(now int64) []Fire {
	var fires []Fire
	for {
		at, fire, ok := w.tk.pop(now)
		if !ok {
			return fires
		}
		if fire {
			lo := at - w.size
			items := w.buf.between(lo, at)
			// window_start is end - size (Oort improvement over eKuiper's previous tick - hop)
			fires = append(fires, Fire{Start: lo, End: at, Trigger: at, Items: items})
		}
		// rows older than the next window's start can never be emitted again
		w.buf.dropBefore(w.tk.next - w.size)
	}
}

func (w *hopping) Snapshot(encode func(any) ([]byte, error)) ([]byte, error) {
	return snapshotOf(&snapState{Kind: Hopping}, w.buf.view(), encode)
}

func (w *hopping) Restore(data []byte, decode func([]byte) (any, error)) error {
	_, err := restoreOf(Hopping, data, decode, &w.buf)
	return err
}
