package window

import "testing"

func TestTumblingBoundaries(t *testing.T) {
	w := mustNew(t, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	// a row exactly on a tick belongs to the next window; windows with no rows fire empty
	got := drive(t, w, base+300, rows(base+300, base+1000, base+1999, base+4000), base+5000)
	checkFires(t, got, []fw{
		{Start: base + 300, End: base + 1000, Trigger: base + 1000, Rows: []int64{base + 300}},
		{Start: base + 1000, End: base + 2000, Trigger: base + 2000, Rows: []int64{base + 1000, base + 1999}},
		{Start: base + 2000, End: base + 3000, Trigger: base + 3000},
		{Start: base + 3000, End: base + 4000, Trigger: base + 4000},
		{Start: base + 4000, End: base + 5000, Trigger: base + 5000, Rows: []int64{base + 4000}},
	})
	if n := w.Next(); n != base+6000 {
		t.Fatalf("Next = %d, want %d", n, base+6000)
	}
}

func TestTumblingLateTick(t *testing.T) {
	w := mustNew(t, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	w.Start(base)
	w.Add(Item{TS: base + 10, Payload: base + 10})
	// the first aligned tick is never skipped, however late
	checkFires(t, w.Tick(base+1200), []fw{{Start: base, End: base + 1000, Trigger: base + 1000, Rows: []int64{base + 10}}})
	w.Add(Item{TS: base + 1300, Payload: base + 1300})
	// exactly 50 ms late still fires
	checkFires(t, w.Tick(base+2050), []fw{{Start: base + 1000, End: base + 2000, Trigger: base + 2000, Rows: []int64{base + 1300}}})
	w.Add(Item{TS: base + 2100, Payload: base + 2100})
	// 51 ms late: skipped, re-aligned from now, rows roll into the next window
	if got := w.Tick(base + 3051); len(got) != 0 {
		t.Fatalf("late tick fired %+v", flat(got))
	}
	if n := w.Next(); n != base+4000 {
		t.Fatalf("Next after skip = %d, want %d", n, base+4000)
	}
	w.Add(Item{TS: base + 3500, Payload: base + 3500})
	checkFires(t, w.Tick(base+4000), []fw{{Start: base + 2000, End: base + 4000, Trigger: base + 4000,
		Rows: []int64{base + 2100, base + 3500}}})
	// a jump far ahead skips every missed tick at once
	if got := w.Tick(base + 60000); len(got) != 0 {
		t.Fatalf("clock jump fired %+v", flat(got))
	}
	if n := w.Next(); n != base+61000 {
		t.Fatalf("Next after jump = %d, want %d", n, base+61000)
	}
}

func TestAddTicksFirst(t *testing.T) {
	w := mustNew(t, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	w.Start(base)
	w.Add(Item{TS: base + 10, Payload: base + 10})
	// the caller did not tick at base+1000: Add fires the due window before taking the row
	checkFires(t, w.Add(Item{TS: base + 1000, Payload: base + 1000}),
		[]fw{{Start: base, End: base + 1000, Trigger: base + 1000, Rows: []int64{base + 10}}})
}

func TestHopping(t *testing.T) {
	w := mustNew(t, Spec{Kind: Hopping, Unit: SS, Size: 2, Hop: 1})
	got := drive(t, w, base, rows(base, base+500, base+1000, base+2999), base+3000)
	checkFires(t, got, []fw{ // sql.md §9.2 example bounds
		{Start: base - 1000, End: base + 1000, Trigger: base + 1000, Rows: []int64{base, base + 500}},
		{Start: base, End: base + 2000, Trigger: base + 2000, Rows: []int64{base, base + 500, base + 1000}},
		{Start: base + 1000, End: base + 3000, Trigger: base + 3000, Rows: []int64{base + 1000, base + 2999}},
	})
}

func TestHoppingGaps(t *testing.T) {
	// hop > size: rows between windows are never emitted
	w := mustNew(t, Spec{Kind: Hopping, Unit: SS, Size: 1, Hop: 2})
	got := drive(t, w, base, rows(base+100, base+1100, base+2500, base+3100), base+4000)
	checkFires(t, got, []fw{
		{Start: base + 1000, End: base + 2000, Trigger: base + 2000, Rows: []int64{base + 1100}},
		{Start: base + 3000, End: base + 4000, Trigger: base + 4000, Rows: []int64{base + 3100}},
	})
}

func TestSlidingNoDelay(t *testing.T) {
	w := mustNew(t, Spec{Kind: Sliding, Unit: SS, Size: 1})
	in := rows(base, base+500, base+1000, base+1001, base+2500)
	in[1].Trigger = false // OVER (WHEN ...) false: content only
	got := drive(t, w, base, in, base+5000)
	checkFires(t, got, []fw{
		{Start: base - 1000, End: base, Trigger: base, Rows: []int64{base}},
		{Start: base, End: base + 1000, Trigger: base + 1000, Rows: []int64{base, base + 500, base + 1000}}, // inclusive both ends
		{Start: base + 1, End: base + 1001, Trigger: base + 1001, Rows: []int64{base + 500, base + 1000, base + 1001}},
		{Start: base + 1500, End: base + 2500, Trigger: base + 2500, Rows: []int64{base + 2500}},
	})
	if w.Next() != 0 {
		t.Fatalf("sliding without delay has a timer at %d", w.Next())
	}
}

func TestSlidingDelay(t *testing.T) {
	w := mustNew(t, Spec{Kind: Sliding, Unit: SS, Size: 1, Delay: 1})
	in := rows(base, base+1000, base+1500, base+2000)
	in[2].Trigger = false
	got := drive(t, w, base, in, base+5000)
	checkFires(t, got, []fw{
		// [t-size, t+d): the row arriving exactly at t+d is not in
		{Start: base - 1000, End: base + 1000, Trigger: base + 1000, Rows: []int64{base}},
		{Start: base, End: base + 2000, Trigger: base + 2000, Rows: []int64{base, base + 1000, base + 1500}},
		{Start: base + 1000, End: base + 3000, Trigger: base + 3000, Rows: []int64{base + 1000, base + 1500, base + 2000}},
	})
}

func TestSlidingTwice(t *testing.T) {
	w := mustNew(t, Spec{Kind: Sliding, Unit: SS, Size: 1, Delay: 1, SlidingTwice: true})
	in := rows(base+500, base+1000, base+1500)
	in[0].Trigger, in[2].Trigger = false, false
	got := drive(t, w, base, in, base+5000)
	checkFires(t, got, []fw{
		{Start: base, End: base + 1000, Trigger: base + 1000, Rows: []int64{base + 500, base + 1000}},
		// the delayed emission holds T-size <= ts < T+d (sql.md §9.3)
		{Start: base, End: base + 2000, Trigger: base + 2000, Rows: []int64{base + 500, base + 1000, base + 1500}},
	})
}

func TestSessionTimeoutBoundary(t *testing.T) {
	w := mustNew(t, Spec{Kind: Session, Unit: SS, MaxDuration: 10, Timeout: 1})
	// the timer due exactly at the next row's arrival fires first (processing time)
	got := drive(t, w, base, rows(base+100, base+1100, base+1500), base+2600)
	checkFires(t, got, []fw{
		{Start: base + 100, End: base + 1100, Trigger: base + 1100, Rows: []int64{base + 100}},
		{Start: base + 1100, End: base + 2500, Trigger: base + 2500, Rows: []int64{base + 1100, base + 1500}},
	})
	if n := w.Next(); n != base+4000 {
		t.Fatalf("Next = %d, want the max-duration tick %d", n, base+4000)
	}
}

func TestSessionTickThenTimeoutEndsSession(t *testing.T) {
	w := mustNew(t, Spec{Kind: Session, Unit: SS, MaxDuration: 2, Timeout: 1})
	// a session emitted by a tick ends at the following timeout even though
	// nothing is left to emit; the next row starts a fresh session
	got := drive(t, w, base-500, rows(base-400, base+400, base+1200, base+1900), base+2950)
	got = append(got, drive(t, w, base+2950, rows(base+9300), base+10300)...)
	checkFires(t, got, []fw{
		{Start: base - 400, End: base + 2000, Trigger: base + 2000, Rows: []int64{base - 400, base + 400, base + 1200, base + 1900}},
		{Start: base + 9300, End: base + 10300, Trigger: base + 10300, Rows: []int64{base + 9300}},
	})
}

// TestSessionBoundsOnly: in BoundsOnly mode a session fires at the same times
// and bounds but holds only its first row, however many rows it spans.
func TestSessionBoundsOnly(t *testing.T) {
	w := mustNew(t, Spec{Kind: Session, Unit: SS, MaxDuration: 2, Timeout: 1, BoundsOnly: true})
	got := drive(t, w, base-500, rows(base-400, base+400, base+1200, base+1900), base+2950)
	checkFires(t, got, []fw{
		{Start: base - 400, End: base + 2000, Trigger: base + 2000, Rows: []int64{base - 400}},
	})
}

func TestCountStep(t *testing.T) {
	w := mustNew(t, Spec{Kind: Count, Size: 3, Hop: 2})
	got := drive(t, w, base, rows(1, 2, 3, 4, 5, 6, 7), base)
	checkFires(t, got, []fw{
		{Start: 4, End: 4, Trigger: 4, Rows: []int64{2, 3, 4}},
		{Start: 6, End: 6, Trigger: 6, Rows: []int64{4, 5, 6}},
	})
	w = mustNew(t, Spec{Kind: Count, Size: 2})
	got = drive(t, w, base, rows(1, 2, 3, 4, 5), base)
	checkFires(t, got, []fw{
		{Start: 2, End: 2, Trigger: 2, Rows: []int64{1, 2}},
		{Start: 4, End: 4, Trigger: 4, Rows: []int64{3, 4}},
	})
}

func stateRows(ts []int64, begin, emit []bool) []Item {
	out := rows(ts...)
	for i := range out {
		out[i].Begin, out[i].Emit = begin[i], emit[i]
	}
	return out
}

func TestStateTwoConditions(t *testing.T) {
	w := mustNew(t, Spec{Kind: State})
	in := stateRows([]int64{1, 2, 3, 4, 5, 6, 7, 8},
		[]bool{false, true, true, false, false, true, true, false},
		[]bool{true, true, false, true, false, false, false, true})
	// 1 discarded (not open); 2 opens (its emit is not consulted); 4 emits;
	// 5 discarded; 6 opens; 7 (begin again) is plain content; 8 emits
	checkFires(t, drive(t, w, 0, in, 0), []fw{
		{Start: 2, End: 4, Trigger: 4, Rows: []int64{2, 3, 4}},
		{Start: 6, End: 8, Trigger: 8, Rows: []int64{6, 7, 8}},
	})
}

func TestStateSingleCondition(t *testing.T) {
	// sql.md §9.3 example: had_changed(true, a) over a = 0(before),1,1,1,2,2,3
	w := mustNew(t, Spec{Kind: State, SingleCondition: true})
	cond := []bool{false, true, false, false, true, false, true}
	in := stateRows([]int64{0, 1, 2, 3, 4, 5, 6}, cond, cond)
	checkFires(t, drive(t, w, 0, in, 0), []fw{
		{Start: 1, End: 3, Trigger: 3, Rows: []int64{1, 2, 3}},
		{Start: 4, End: 5, Trigger: 5, Rows: []int64{4, 5}},
	})
}
