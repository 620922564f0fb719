package analytic

import (
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// accRows builds (x, x > 1, x < 0) argument vectors.
func accRows(xs ...int64) [][]value.Value {
	out := make([][]value.Value, len(xs))
	for j, x := range xs {
		out[j] = []value.Value{I(x), B(x > 1), B(x < 0)}
	}
	return out
}

func TestAccCountConditions(t *testing.T) {
	// sql.md §12.9: acc_count(a, a > 1, a < 0) over 1, 2, 1, 3, -1, 1.
	p := build(t, "acc_count", col("a"), expr(), expr())
	got := run(t, p, accRows(1, 2, 1, 3, -1, 1)...)
	wantSeq(t, "acc_count", got, []value.Value{I(0), I(1), I(2), I(3), I(4), I(0)})
}

func TestAccConditionsAllKinds(t *testing.T) {
	want := map[string][]value.Value{
		"acc_sum": {F(0), F(2), F(3), F(6), F(5), F(0)},
		"acc_min": {F(0), F(2), F(1), F(1), F(-1), F(0)},
		"acc_max": {F(0), F(2), F(2), F(3), F(3), F(0)},
		"acc_avg": {F(0), F(2), F(1.5), F(2), F(1.25), F(0)},
	}
	for fn, w := range want {
		p := build(t, fn, col("a"), expr(), expr())
		wantSeq(t, fn, run(t, p, accRows(1, 2, 1, 3, -1, 1)...), w)
	}
}

func TestAccRunning(t *testing.T) {
	xs := []value.Value{I(4), null, F(1.5), I(-2)}
	want := map[string][]value.Value{
		"acc_sum":   {F(4), F(4), F(5.5), F(3.5)},
		"acc_min":   {F(4), F(4), F(1.5), F(-2)},
		"acc_max":   {F(4), F(4), F(4), F(4)},
		"acc_avg":   {F(4), F(4), F(2.75), F(3.5 / 3)},
		"acc_count": {I(1), I(1), I(2), I(3)},
	}
	for fn, w := range want {
		p := build(t, fn, col("x"))
		rows := make([][]value.Value, len(xs))
		for j, x := range xs {
			rows[j] = []value.Value{x}
		}
		wantSeq(t, fn, run(t, p, rows...), w)
	}
	p := build(t, "acc_max", col("x"))
	wantVal(t, "acc_max before any value", eval(t, p, "", true, null), F(0))
}

func TestAccWhen(t *testing.T) {
	p := build(t, "acc_sum", col("x"))
	wantVal(t, "1", eval(t, p, "", true, I(1)), F(1))
	wantVal(t, "rejected", eval(t, p, "", false, I(10)), F(1))
	wantVal(t, "2", eval(t, p, "", true, I(2)), F(3))

	// With conditions a rejected row neither starts nor resets.
	p = build(t, "acc_count", col("a"), expr(), expr())
	wantVal(t, "rejected start", eval(t, p, "", false, I(5), B(true), B(false)), I(0))
	wantVal(t, "not begun", eval(t, p, "", true, I(5), B(false), B(false)), I(0))
	wantVal(t, "start", eval(t, p, "", true, I(5), B(true), B(false)), I(1))
	wantVal(t, "rejected reset", eval(t, p, "", false, I(5), B(false), B(true)), I(1))
	wantVal(t, "continues", eval(t, p, "", true, I(5), B(false), B(false)), I(2))
}

func TestAccNullConditionsAndErrors(t *testing.T) {
	p := build(t, "acc_count", col("a"), expr(), expr())
	wantVal(t, "NULL start is false", eval(t, p, "", true, I(1), null, null), I(0))
	if _, err := p.Eval("", []value.Value{I(1), I(1), B(false)}, true); err == nil ||
		!strings.Contains(err.Error(), "startCond must be a boolean") {
		t.Errorf("bigint startCond: err = %v", err)
	}
	q := build(t, "acc_sum", col("a"))
	if _, err := q.Eval("", []value.Value{S("x")}, true); err == nil ||
		!strings.Contains(err.Error(), "acc_sum: the value should be a number") {
		t.Errorf("string acc_sum: err = %v", err)
	}
	c := build(t, "acc_count", col("a"))
	wantVal(t, "acc_count counts strings", eval(t, c, "", true, S("x")), I(1))
	if err := newErr("acc_sum", col("a"), expr()); err == nil {
		t.Error("acc_sum with 2 arguments accepted")
	}
}
