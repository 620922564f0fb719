package analytic

import (
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// The tests below replay the rows of the ana_*.json conformance cases through
// the API the way the planner will: every analytic call is evaluated on every
// incoming row before WHERE.

// ana_lag_before_where: SELECT lag(size) AS lastSize, lag(had_changed(true,size)),
// size, lastSize/size AS changeRate FROM demo WHERE size > 2
func TestConformanceLagBeforeWhere(t *testing.T) {
	lagSize := build(t, "lag", col("size"))
	had := build(t, "had_changed", lit(B(true)), col("size"))
	lagHad := build(t, "lag", expr())
	type out struct {
		size           int64
		lastSize, lagv value.Value
	}
	var got []out
	for _, r := range demo {
		ls := eval(t, lagSize, "", true, I(r.size))
		hc := eval(t, had, "", true, B(true), I(r.size))
		lh := eval(t, lagHad, "", true, hc)
		if r.size > 2 {
			got = append(got, out{r.size, ls, lh})
		}
	}
	want := []out{{3, null, null}, {6, I(3), B(true)}, {4, I(2), B(true)}}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for j := range want {
		if got[j].size != want[j].size {
			t.Errorf("row %d size = %d, want %d", j, got[j].size, want[j].size)
		}
		wantVal(t, "lastSize", got[j].lastSize, want[j].lastSize)
		wantVal(t, "lag", got[j].lagv, want[j].lagv)
	}
}

// ana_lag_partition: lag(size) OVER (PARTITION BY color).
func TestConformanceLagPartition(t *testing.T) {
	p := build(t, "lag", col("size"))
	want := []value.Value{null, null, I(6), null, I(3)}
	for j, r := range demo {
		wantVal(t, r.color, eval(t, p, value.ToJSON(S(r.color)), true, I(r.size)), want[j])
	}
	if p.Len() != 3 {
		t.Errorf("partitions = %d, want 3", p.Len())
	}
}

// ana_acc_sum_partition: acc_sum(size) OVER (PARTITION BY color) gives floats.
func TestConformanceAccSumPartition(t *testing.T) {
	p := build(t, "acc_sum", col("size"))
	want := []float64{3, 6, 8, 4, 4}
	for j, r := range demo {
		wantVal(t, r.color, eval(t, p, value.ToJSON(S(r.color)), true, I(r.size)), F(want[j]))
	}
}

// ana_changed_cols: changed_cols("tt_", true, color, size).
func TestConformanceChangedCols(t *testing.T) {
	p := build(t, "changed_cols", lit(S("tt_")), lit(B(true)), col("color"), col("size"))
	want := []value.Value{
		obj("tt_color", S("red"), "tt_size", I(3)),
		obj("tt_color", S("blue"), "tt_size", I(6)),
		obj("tt_size", I(2)),
		obj("tt_color", S("yellow"), "tt_size", I(4)),
		obj("tt_color", S("red"), "tt_size", I(1)),
	}
	for j, r := range demo {
		wantVal(t, "changed_cols", eval(t, p, "", true, S("tt_"), B(true), S(r.color), I(r.size)), want[j])
	}
}

// ana_had_changed: had_changed(true, a, b) over rows where b is sometimes
// missing (NULL, ignored).
func TestConformanceHadChanged(t *testing.T) {
	p := build(t, "had_changed", lit(B(true)), col("a"), col("b"))
	rows := [][2]value.Value{
		{S("bar"), I(20)}, {S("baz"), I(44)}, {S("baz"), I(44)}, {S("foo"), I(44)},
		{S("foo"), null}, {S("foo"), I(44)}, {S("baz"), I(44)},
	}
	want := []bool{true, true, false, true, false, false, true}
	for j, r := range rows {
		wantVal(t, "changed", eval(t, p, "", true, B(true), r[0], r[1]), B(want[j]))
	}
}
