package window

import "testing"

// The arrival times below are those of the conformance cases in
// /work/shared/conformance/cases; rows that the case's WHERE removes before a
// processing-time window are left out, as the planner filters them.
const base = int64(1541152486000)

func TestConformanceTumblingEmptyWindow(t *testing.T) { // win_tumbling_empty_window, win_tumbling_where_having_bounds
	w := mustNew(t, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	got := drive(t, w, base, rows(base+13, base+822, base+2442), base+3252)
	checkFires(t, got, []fw{
		{Start: base, End: base + 1000, Trigger: base + 1000, Rows: []int64{base + 13, base + 822}},
		{Start: base + 1000, End: base + 2000, Trigger: base + 2000},
		{Start: base + 2000, End: base + 3000, Trigger: base + 3000, Rows: []int64{base + 2442}},
	})
}

func TestConformanceCountCollect(t *testing.T) { // win_count_collect_index
	w := mustNew(t, Spec{Kind: Count, Size: 3})
	in := rows(base+13, base+822, base+1632, base+2442, base+3252)
	got := drive(t, w, base, in, base+3252)
	checkFires(t, got, []fw{{Start: base + 1632, End: base + 1632, Trigger: base + 1632,
		Rows: []int64{base + 13, base + 822, base + 1632}}})
}

func TestConformanceCountRowNumber(t *testing.T) { // win_count_row_number
	w := mustNew(t, Spec{Kind: Count, Size: 5})
	in := rows(base+13, base+822, base+1632, base+2442, base+3252)
	got := drive(t, w, base, in, base+3252)
	checkFires(t, got, []fw{{Start: base + 3252, End: base + 3252, Trigger: base + 3252,
		Rows: []int64{base + 13, base + 822, base + 1632, base + 2442, base + 3252}}})
}

func TestConformanceSession(t *testing.T) { // win_session
	w := mustNew(t, Spec{Kind: Session, Unit: SS, MaxDuration: 2, Timeout: 1})
	in := rows(base+13, base+823, base+1932, base+2442, base+3252, base+4062,
		base+4872, base+5682, base+6492, base+7202, base+8112)
	got := drive(t, w, base, in, base+8112)
	checkFires(t, got, []fw{
		{Start: base + 13, End: base + 1823, Trigger: base + 1823, Rows: []int64{base + 13, base + 823}},
		{Start: base + 1932, End: base + 4000, Trigger: base + 4000, Rows: []int64{base + 1932, base + 2442, base + 3252}},
		{Start: base + 4000, End: base + 8000, Trigger: base + 8000,
			Rows: []int64{base + 4062, base + 4872, base + 5682, base + 6492, base + 7202}},
	})
}

func TestConformanceEventTumbling(t *testing.T) { // evt_tumbling
	w := mustEvent(t, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	wm := NewWatermark(1, 1000)
	got, late := feedEvent(w, wm, rows(base, base+1000, base+2000, base+2500, base+3000, base+3500))
	if len(late) != 0 {
		t.Fatalf("late rows %v", late)
	}
	checkFires(t, got, []fw{
		{Start: base, End: base + 1000, Trigger: base + 1000, Rows: []int64{base}},
		{Start: base + 1000, End: base + 2000, Trigger: base + 2000, Rows: []int64{base + 1000}},
	})
}

// The example of sql.md §10: WHERE runs after the event-time window, so the
// window content here still holds the rows WHERE later drops.
func TestSpecEventTimeExample(t *testing.T) {
	w := mustEvent(t, Spec{Kind: Tumbling, Unit: SS, Size: 1})
	wm := NewWatermark(1, 1000)
	got, late := feedEvent(w, wm, rows(base+13, base+1632, base+3252, base+822, base+2442, base+6342))
	if len(late) != 1 || late[0] != base+822 {
		t.Fatalf("late = %v, want [%d]", late, base+822)
	}
	checkFires(t, got, []fw{
		{Start: base + 13, End: base + 1000, Trigger: base + 1000, Rows: []int64{base + 13}},
		{Start: base + 1000, End: base + 2000, Trigger: base + 2000, Rows: []int64{base + 1632}},
		{Start: base + 2000, End: base + 3000, Trigger: base + 3000, Rows: []int64{base + 2442}},
		{Start: base + 3000, End: base + 4000, Trigger: base + 4000, Rows: []int64{base + 3252}},
		{Start: base + 4000, End: base + 5000, Trigger: base + 5000},
	})
}
