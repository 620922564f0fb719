package window

import (
	"math"
	"testing"
)

func TestEventHopping(t *testing.T) {
	w := mustEvent(t, Spec{Kind: Hopping, Unit: SS, Size: 2, Hop: 1})
	for _, it := range rows(base+1200, base+500) { // out of order, both >= the watermark
		if !w.Add(it) {
			t.Fatalf("row %d rejected", it.TS)
		}
	}
	checkFires(t, w.Advance(base+3000), []fw{
		{Start: base - 1000, End: base + 1000, Trigger: base + 1000, Rows: []int64{base + 500}},
		{Start: base, End: base + 2000, Trigger: base + 2000, Rows: []int64{base + 500, base + 1200}},
		{Start: base + 1000, End: base + 3000, Trigger: base + 3000, Rows: []int64{base + 1200}},
	})
	if w.Watermark() != base+3000 {
		t.Fatalf("Watermark = %d", w.Watermark())
	}
}

func TestEventLateAndMonotonic(t *testing.T) {
	w := mustEvent(t, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	if w.Watermark() != math.MinInt64 {
		t.Fatalf("initial watermark %d", w.Watermark())
	}
	w.Add(Item{TS: base + 100, Payload: base + 100})
	w.Advance(base + 500)
	if w.Add(Item{TS: base + 499}) {
		t.Fatal("row before the watermark accepted")
	}
	if !w.Add(Item{TS: base + 500, Payload: base + 500}) {
		t.Fatal("row at the watermark rejected")
	}
	if got := w.Advance(base + 400); got != nil || w.Watermark() != base+500 {
		t.Fatalf("watermark went back: fires %v, wm %d", got, w.Watermark())
	}
	checkFires(t, w.Advance(base+1000), []fw{
		{Start: base + 100, End: base + 1000, Trigger: base + 1000, Rows: []int64{base + 100, base + 500}},
	})
}

func TestEventSliding(t *testing.T) {
	w := mustEvent(t, Spec{Kind: Sliding, Unit: SS, Size: 1})
	in := rows(base+900, base+300, base)
	in[1].Trigger = false
	for _, it := range in {
		w.Add(it)
	}
	checkFires(t, w.Advance(base+1000), []fw{
		{Start: base - 1000, End: base, Trigger: base, Rows: []int64{base}},
		{Start: base - 100, End: base + 900, Trigger: base + 900, Rows: []int64{base, base + 300, base + 900}},
	})

	d := mustEvent(t, Spec{Kind: Sliding, Unit: SS, Size: 1, Delay: 1})
	d.Add(Item{TS: base, Payload: base, Trigger: true})
	if got := d.Advance(base + 999); len(got) != 0 {
		t.Fatalf("delayed fire before ts+delay: %+v", flat(got))
	}
	d.Add(Item{TS: base + 1500, Payload: base + 1500})
	checkFires(t, d.Advance(base+2000), []fw{
		{Start: base - 1000, End: base + 1000, Trigger: base + 1000, Rows: []int64{base}},
	})
}

func TestEventSession(t *testing.T) {
	w := mustEvent(t, Spec{Kind: Session, Unit: SS, MaxDuration: 20, Timeout: 1})
	wm := NewWatermark(1, 0)
	// a gap equal to the timeout keeps the session in event time (§10: "more than")
	got, _ := feedEvent(w, wm, rows(base, base+1000, base+1800, base+4000))
	got = append(got, w.Advance(base+5000)...)
	checkFires(t, got, []fw{
		{Start: base, End: base + 2800, Trigger: base + 2800, Rows: []int64{base, base + 1000, base + 1800}},
	})
	checkFires(t, w.Advance(base+5001), []fw{
		{Start: base + 4000, End: base + 5000, Trigger: base + 5000, Rows: []int64{base + 4000}},
	})
}

func TestEventSessionMaxDuration(t *testing.T) {
	// the processing-time conformance rows of win_session, as event times
	w := mustEvent(t, Spec{Kind: Session, Unit: SS, MaxDuration: 2, Timeout: 1})
	in := rows(base+13, base+823, base+1932, base+2442, base+3252, base+4062,
		base+4872, base+5682, base+6492, base+7202, base+8112)
	got, late := feedEvent(w, NewWatermark(1, 0), in)
	if len(late) != 0 {
		t.Fatalf("late %v", late)
	}
	checkFires(t, got, []fw{
		{Start: base + 13, End: base + 1823, Trigger: base + 1823, Rows: []int64{base + 13, base + 823}},
		{Start: base + 1932, End: base + 4000, Trigger: base + 4000, Rows: []int64{base + 1932, base + 2442, base + 3252}},
		{Start: base + 4000, End: base + 8000, Trigger: base + 8000,
			Rows: []int64{base + 4062, base + 4872, base + 5682, base + 6492, base + 7202}},
	})
}

func TestEventCountAndState(t *testing.T) {
	c := mustEvent(t, Spec{Kind: Count, Size: 2})
	for _, it := range rows(3, 1, 2, 4) {
		c.Add(it)
	}
	checkFires(t, c.Advance(10), []fw{
		{Start: 2, End: 2, Trigger: 2, Rows: []int64{1, 2}},
		{Start: 4, End: 4, Trigger: 4, Rows: []int64{3, 4}},
	})
	s := mustEvent(t, Spec{Kind: State})
	for _, it := range stateRows([]int64{3, 1, 2}, []bool{false, true, false}, []bool{true, false, false}) {
		s.Add(it)
	}
	checkFires(t, s.Advance(10), []fw{{Start: 1, End: 3, Trigger: 3, Rows: []int64{1, 2, 3}}})
	if _, err := NewEvent(Spec{Kind: Count, Size: 1, Hop: 2}); err == nil {
		t.Fatal("NewEvent accepted an invalid spec")
	}
}

func TestWatermark(t *testing.T) {
	w := NewWatermark(2, 100)
	steps := []struct {
		input int
		ts    int64
		want  int64
	}{
		{0, 1000, math.MinInt64}, // input 1 not seen yet holds it back
		{1, 500, 400},
		{0, 2000, 400},
		{1, 3000, 1900},
		{1, 100, 1900},  // an older row never lowers a max
		{5, 9000, 1900}, // unknown input ignored
		{-1, 9000, 1900},
	}
	for i, s := range steps {
		if got := w.Observe(s.input, s.ts); got != s.want {
			t.Fatalf("step %d Observe(%d,%d) = %d, want %d", i, s.input, s.ts, got, s.want)
		}
	}
	if w.Current() != 1900 {
		t.Fatalf("Current = %d", w.Current())
	}
	if NewWatermark(0, -5).Observe(0, 10) != 10 {
		t.Fatal("defaults: one input, tolerance 0")
	}
}
