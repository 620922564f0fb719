package window

import (
	"reflect"
	"testing"
)

// drive mimics the conformance runner for a processing-time window: before
// each arrival every timer due at or before it fires at its due time, then
// the row is delivered; finally the clock runs to end.
func drive(t *testing.T, w Window, start int64, rows []Item, end int64) []Fire {
	t.Helper()
	w.Start(start)
	var fires []Fire
	advance := func(to int64) {
		for n := w.Next(); n != 0 && n <= to; n = w.Next() {
			got := w.Tick(n)
			if len(got) == 0 && w.Next() == n {
				t.Fatalf("Tick(%d) made no progress", n)
			}
			fires = append(fires, got...)
		}
	}
	for _, it := range rows {
		advance(it.TS)
		fires = append(fires, w.Add(it)...)
	}
	advance(end)
	return fires
}

func mustNew(t testing.TB, s Spec) Window {
	t.Helper()
	w, err := New(s)
	if err != nil {
		t.Fatalf("New(%+v): %v", s, err)
	}
	return w
}

func mustEvent(t testing.TB, s Spec) EventWindow {
	t.Helper()
	w, err := NewEvent(s)
	if err != nil {
		t.Fatalf("NewEvent(%+v): %v", s, err)
	}
	return w
}

// rows makes items at the given times with Trigger set; the payload is the time.
func rows(ts ...int64) []Item {
	out := make([]Item, len(ts))
	for i, v := range ts {
		out[i] = Item{TS: v, Payload: v, Trigger: true}
	}
	return out
}

// fw is a fire reduced to bounds and the payloads of its content.
type fw struct {
	Start, End, Trigger int64
	Rows                []int64
}

func flat(fs []Fire) []fw {
	out := make([]fw, len(fs))
	for i, f := range fs {
		out[i] = fw{Start: f.Start, End: f.End, Trigger: f.Trigger, Rows: []int64{}}
		for _, it := range f.Items {
			out[i].Rows = append(out[i].Rows, it.Payload.(int64))
		}
	}
	return out
}

func checkFires(t *testing.T, got []Fire, want []fw) {
	t.Helper()
	g := flat(got)
	for i := range want {
		if want[i].Rows == nil {
			want[i].Rows = []int64{}
		}
	}
	if !reflect.DeepEqual(g, want) {
		t.Fatalf("fires:\n got %+v\nwant %+v", g, want)
	}
}

// feedEvent runs rows through a watermark and an event window, as the
// runtime does: late check, then the watermark moves.
func feedEvent(w EventWindow, wm *Watermark, items []Item) (fires []Fire, late []int64) {
	for _, it := range items {
		if !w.Add(it) {
			late = append(late, it.TS)
			continue
		}
		fires = append(fires, w.Advance(wm.Observe(0, it.TS))...)
	}
	return fires, late
}
