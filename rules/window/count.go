package window

// count emits the last size rows every step-th row once size rows were seen.
type count struct {
	buf  buffer
	size int
	step int
	n    int // rows since the last step
}

func newCount(s Spec) *count {
	step := s.Hop
	if step == 0 {
		step = s.Size
	}
	return &count{size: int(s.Size), step: int(step)}
}

func (w *count) Start(int64) {}

func (w *count) Add(it Item) []Fire {
	w.buf.push(it)
	if w.buf.len() > w.size {
		w.buf.drop(w.buf.len() - w.size) // only the newest size rows can be emitted
	}
	w.n++
	if w.n%w.step != 0 {
		return nil
	}
	w.n = 0
	if w.buf.len() < w.size {
		return nil
	}
	var items []Item
	if w.step == w.size {
		items = w.buf.take()
	} else {
		items = append([]Item(nil), w.buf.view()...)
	}
	return []Fire{{Start: it.TS, End: it.TS, Trigger: it.TS, Items: items}}
}

func (w *count) Next() int64       { return 0 }
func (w *count) Tick(int64) []Fire { return nil }

func (w *count) Snapshot(encode func(any) ([]byte, error)) ([]byte, error) {
	return snapshotOf(&snapState{Kind: Count, Count: w.n}, w.buf.view(), encode)
}

func (w *count) Restore(data []byte, decode func([]byte) (any, error)) error {
	st, err := restoreOf(Count, data, decode, &w.buf)
	if err != nil {
		return err
	}
	w.n = st.Count
	return nil
}
