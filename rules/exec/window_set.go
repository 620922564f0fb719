package exec

import (
	"github.com/oort-rules/oort/rules/window"
)

// windows holds a rule's window state machines: one, or one per partition
// for STATEWINDOW(...) OVER (PARTITION BY ...), kept in creation order so
// fires are deterministic.
type windows struct {
	spec      window.Spec
	event     bool
	partition string // partition of the row being added ("" when unpartitioned)
	startAt   int64
	started   bool
	keys      []string
	proc      map[string]window.Window
	evt       map[string]window.EventWindow
}

func (w *windows) start(now int64) {
	w.startAt, w.started = now, true
	for _, k := range w.keys { // windows restored from a checkpoint
		if win, ok := w.proc[k]; ok {
			win.Start(now)
		}
	}
	if !w.event {
		w.procFor("")
	}
}

func (w *windows) procFor(key string) window.Window {
	if win, ok := w.proc[key]; ok {
		return win
	}
	if w.proc == nil {
		w.proc = map[string]window.Window{}
	}
	win, _ := window.New(w.spec) // the spec was validated when the pipeline was built
	if w.started {
		win.Start(w.startAt)
	}
	w.proc[key] = win
	w.keys = append(w.keys, key)
	return win
}

func (w *windows) evtFor(key string) window.EventWindow {
	if win, ok := w.evt[key]; ok {
		return win
	}
	if w.evt == nil {
		w.evt = map[string]window.EventWindow{}
	}
	win, _ := window.NewEvent(w.spec)
	w.evt[key] = win
	w.keys = append(w.keys, key)
	return win
}

func (w *windows) add(it window.Item) []window.Fire {
	key := w.partition
	w.partition = ""
	return w.procFor(key).Add(it)
}

func (w *windows) addEvent(it window.Item) bool {
	key := w.partition
	w.partition = ""
	return w.evtFor(key).Add(it)
}

func (w *windows) tick(now int64) []window.Fire {
	var out []window.Fire
	for _, k := range w.keys {
		if win, ok := w.proc[k]; ok {
			out = append(out, win.Tick(now)...)
		}
	}
	return out
}

func (w *windows) advance(wm int64) []window.Fire {
	var out []window.Fire
	for _, k := range w.keys {
		if win, ok := w.evt[k]; ok {
			out = append(out, win.Advance(wm)...)
		}
	}
	return out
}

func (w *windows) next() int64 {
	var n int64
	for _, win := range w.proc {
		if t := win.Next(); t != 0 && (n == 0 || t < n) {
			n = t
		}
	}
	return n
}

// restore loads one partition's window snapshot before Start.
func (w *windows) restore(key string, data []byte, decode func([]byte) (any, error)) error {
	if w.proc == nil {
		w.proc = map[string]window.Window{}
	}
	win, err := window.New(w.spec)
	if err != nil {
		return err
	}
	if err := win.Restore(data, decode); err != nil {
		return err
	}
	w.proc[key] = win
	w.keys = append(w.keys, key)
	return nil
}

// restoreEvent loads one partition's event-time window snapshot.
func (w *windows) restoreEvent(key string, data []byte, decode func([]byte) (any, error)) error {
	if w.evt == nil {
		w.evt = map[string]window.EventWindow{}
	}
	win, err := window.NewEvent(w.spec)
	if err != nil {
		return err
	}
	if err := win.Restore(data, decode); err != nil {
		return err
	}
	w.evt[key] = win
	w.keys = append(w.keys, key)
	return nil
}
