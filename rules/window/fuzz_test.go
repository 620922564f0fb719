package window

import "testing"

// FuzzWindows drives every kind with arbitrary arrivals, ticks and event
// times: nothing may panic and every fire must be well-formed.
func FuzzWindows(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 200, 4, 5, 9}, uint8(0))
	f.Add([]byte{10, 20, 30, 255, 1, 1}, uint8(3))
	f.Fuzz(func(t *testing.T, ops []byte, kind uint8) {
		specs := []Spec{
			{Kind: Tumbling, Unit: MS, Size: 7},
			{Kind: Hopping, Unit: MS, Size: 9, Hop: 4},
			{Kind: Sliding, Unit: MS, Size: 5, Delay: 3, SlidingTwice: true},
			{Kind: Session, Unit: MS, MaxDuration: 20, Timeout: 6},
			{Kind: Count, Size: 3, Hop: 2},
			{Kind: State, SingleCondition: kind%2 == 0},
		}
		s := specs[int(kind)%len(specs)]
		w := mustNew(t, s)
		e := mustEvent(t, s)
		now := base
		w.Start(now)
		check := func(fs []Fire) {
			for _, f := range fs {
				if f.End < f.Start && s.Kind != Hopping {
					t.Fatalf("%s fire ends before it starts: %+v", s.Kind, f)
				}
			}
		}
		for i, op := range ops {
			it := Item{Trigger: op&1 == 1, Begin: op&2 == 2, Emit: op&4 == 4}
			switch {
			case op >= 200: // a tick, possibly late
				now += int64(op - 200)
				check(w.Tick(now))
			default:
				now += int64(op % 16)
				it.TS = now
				check(w.Add(it))
			}
			it.TS = base + int64(op)*3 + int64(i%5)
			e.Add(it)
			if i%3 == 0 {
				check(e.Advance(base + int64(i)*10))
			}
			if n := w.Next(); n != 0 && n < base {
				t.Fatalf("Next went before the start: %d", n)
			}
		}
	})
}

// FuzzBoundsOnly: a session or state window in BoundsOnly mode (what the
// incremental paths use) fires exactly when, and with the bounds, the full
// window does; only the rows it hands over differ.
func FuzzBoundsOnly(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 200, 4, 5, 9, 7, 6}, uint8(0))
	f.Add([]byte{10, 20, 30, 255, 1, 1, 3, 5, 7}, uint8(1))
	f.Add([]byte{2, 4, 6, 3, 1, 7, 250, 5}, uint8(2))
	f.Fuzz(func(t *testing.T, ops []byte, kind uint8) {
		specs := []Spec{
			{Kind: Session, Unit: MS, MaxDuration: 20, Timeout: 6},
			{Kind: State},
			{Kind: State, SingleCondition: true},
		}
		full := specs[int(kind)%len(specs)]
		lean := full
		lean.BoundsOnly = true
		a, b := mustNew(t, full), mustNew(t, lean)
		a.Start(base)
		b.Start(base)
		now := base
		for _, op := range ops {
			var fa, fb []Fire
			if op >= 200 {
				now += int64(op - 200)
				fa, fb = a.Tick(now), b.Tick(now)
			} else {
				now += int64(op % 16)
				it := Item{TS: now, Trigger: true, Begin: op&2 == 2, Emit: op&4 == 4}
				if full.SingleCondition { // the planner sets both from the one condition
					it.Emit = it.Begin
				}
				fa, fb = a.Add(it), b.Add(it)
			}
			if len(fa) != len(fb) {
				t.Fatalf("%d fires in full mode, %d in BoundsOnly mode", len(fa), len(fb))
			}
			for i := range fa {
				if fa[i].Start != fb[i].Start || fa[i].End != fb[i].End || fa[i].Trigger != fb[i].Trigger || (len(fa[i].Items) > 0) != (len(fb[i].Items) > 0) {
					t.Fatalf("fire %d: full %+v, BoundsOnly %+v", i, fa[i], fb[i])
				}
			}
			if a.Next() != b.Next() {
				t.Fatalf("Next: full %d, BoundsOnly %d", a.Next(), b.Next())
			}
		}
	})
}
