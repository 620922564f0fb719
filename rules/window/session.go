package window

// session buffers rows until no row came for timeout (end = last row +
// timeout) or until an aligned maxDuration tick finds the oldest row at least
// maxDuration old (end = tick; the next part starts at the tick).
type session struct {
	tk      ticker
	buf     buffer
	timeout int64 // ms
	maxDur  int64 // ms
	strict  bool  // event time: a gap equal to the timeout keeps the session
	first   bool  // Spec.BoundsOnly: buffer only the session's first row
	open    bool  // a session is in progress: start is valid, timeout armed
	start   int64
	last    int64
}

func newSession(s Spec, eventMode bool) *session {
	return &session{
		tk:      newTicker(s, s.MaxDuration, eventMode),
		timeout: s.millis(s.Timeout),
		maxDur:  s.millis(s.MaxDuration),
		strict:  eventMode,
		first:   s.BoundsOnly,
	}
}

func (w *session) Start(now int64) { w.tk.start(now) }

func (w *session) Add(it Item) []Fire {
	if !w.tk.armed {
		w.Start(it.TS)
	}
	fires := w.Tick(it.TS)
	if !w.open {
		w.open, w.start = true, it.TS
	}
	if !w.first || w.buf.len() == 0 {
		w.buf.push(it)
	}
	w.last = it.TS
	return fires
}

// timeoutDue is when the inactivity timer fires; in event time a row exactly
// timeout after the previous one still belongs to the session (§10: "more than").
func (w *session) timeoutDue() int64 {
	if w.strict {
		return w.last + w.timeout + 1
	}
	return w.last + w.timeout
}

func (w *session) Next() int64 {
	next := w.tk.due()
	if w.open && (next == 0 || w.timeoutDue() < next) {
		next = w.timeoutDue()
	}
	return next
}

func (w *session) Tick(now int64) []Fire {
	var fires []Fire
	for {
		if w.open && w.timeoutDue() <= now && (!w.tk.armed || w.timeoutDue() <= w.tk.next) {
			fires = w.closeByTimeout(fires)
			continue
		}
		at, fire, ok := w.tk.pop(now)
		if !ok {
			return fires
		}
		if fire {
			fires = w.closeByTick(at, fires)
		}
	}
}

func (w *session) closeByTimeout(fires []Fire) []Fire {
	w.open = false
	if w.buf.len() == 0 {
		return fires // already emitted by a tick; the session simply ends
	}
	end := w.last + w.timeout
	return append(fires, Fire{Start: w.start, End: end, Trigger: end, Items: w.buf.take()})
}

func (w *session) closeByTick(at int64, fires []Fire) []Fire {
	if w.buf.len() == 0 || at-w.buf.first().TS < w.maxDur {
		return fires
	}
	f := Fire{Start: w.start, End: at, Trigger: at, Items: w.buf.take()}
	w.start = at
	return append(fires, f)
}

func (w *session) Snapshot(encode func(any) ([]byte, error)) ([]byte, error) {
	st := &snapState{Kind: Session, Start: w.start, Last: w.last, Open: w.open}
	return snapshotOf(st, w.buf.view(), encode)
}

func (w *session) Restore(data []byte, decode func([]byte) (any, error)) error {
	st, err := restoreOf(Session, data, decode, &w.buf)
	if err != nil {
		return err
	}
	w.start, w.last, w.open = st.Start, st.Last, st.Open
	return nil
}
