package agg

import (
	"math"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

func arr(vs ...value.Value) value.Value { return value.FromArray(vs) }

// demo rows of the conformance fixture (sql.md §14).
func demoRows() []value.Value {
	return []value.Value{
		obj("color", "red", "size", 3, "ts", 1541152486013),
		obj("color", "blue", "size", 6, "ts", 1541152486822),
		obj("color", "blue", "size", 2, "ts", 1541152487632),
		obj("color", "yellow", "size", 4, "ts", 1541152488442),
		obj("color", "red", "size", 1, "ts", 1541152489252),
	}
}

// TestCollectCountWindow is conformance case win_count_collect_index:
// collect(*)[0]->color over COUNTWINDOW(3) of demo is "red".
func TestCollectCountWindow(t *testing.T) {
	got, err := run(t, "collect", nil, demoRows()[:3]...)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Arr()); n != 3 {
		t.Fatalf("collect(*) kept %d rows, want 3", n)
	}
	if c := got.Arr()[0].Obj()["color"]; c.Str() != "red" {
		t.Fatalf("collect(*)[0]->color = %s, want red", value.ToJSON(c))
	}
}

func TestCollect(t *testing.T) {
	runCases(t, []aggCase{
		{name: "empty", fn: "collect", want: null}, // an empty window: NULL (sql.md §9.4)
		{name: "keeps nulls and order", fn: "collect", in: []value.Value{i(3), null, s("a")}, want: arr(i(3), null, s("a"))},
	})
	// A result handed out must not change when more rows arrive.
	acc, _ := newCollect(nil)
	for k := range 4 {
		_ = acc.Add([]value.Value{i(int64(k))}, nil)
	}
	r1, _ := acc.Result()
	_ = acc.Add([]value.Value{i(99)}, nil)
	r2, _ := acc.Result()
	if value.ToJSON(r1) != "[0,1,2,3]" || value.ToJSON(r2) != "[0,1,2,3,99]" {
		t.Fatalf("results %s then %s", value.ToJSON(r1), value.ToJSON(r2))
	}
}

func TestMergeAgg(t *testing.T) {
	runCases(t, []aggCase{
		{name: "empty", fn: "merge_agg", want: null},
		{name: "later keys win", fn: "merge_agg",
			in:   []value.Value{obj("a", 1, "b", 2), null, obj("b", 3, "c", 4), i(7)},
			want: obj("a", 1, "b", 3, "c", 4)},
		{name: "shallow", fn: "merge_agg",
			in:   []value.Value{obj("n", map[string]any{"x": 1}), obj("n", map[string]any{"y": 2})},
			want: obj("n", map[string]any{"y": 2})},
		{name: "only non-structs", fn: "merge_agg", in: []value.Value{i(1), s("a")}, want: null},
	})
	in := obj("a", 1)
	acc, _ := newMergeAgg(nil)
	_ = acc.Add([]value.Value{in}, nil)
	r1, _ := acc.Result()
	_ = acc.Add([]value.Value{obj("a", 2, "b", 3)}, nil)
	r2, _ := acc.Result()
	if value.ToJSON(in) != `{"a":1}` || value.ToJSON(r1) != `{"a":1}` || value.ToJSON(r2) != `{"a":2,"b":3}` {
		t.Fatalf("input %s, results %s then %s", value.ToJSON(in), value.ToJSON(r1), value.ToJSON(r2))
	}
}

func TestLastValue(t *testing.T) {
	runCases(t, []aggCase{
		{name: "empty", fn: "last_value", params: []value.Value{value.True}, want: null},
		{name: "ignore null", fn: "last_value", params: []value.Value{value.True}, in: []value.Value{i(1), i(2), null}, want: i(2)},
		{name: "keep null", fn: "last_value", params: []value.Value{value.False}, in: []value.Value{i(1), i(2), null}, want: null},
		{name: "last", fn: "last_value", params: []value.Value{value.False}, in: []value.Value{i(1), null, s("z")}, want: s("z")},
		{name: "row", fn: "last_value", params: []value.Value{value.True}, in: demoRows(), want: demoRows()[4]},
		{name: "bad param", fn: "last_value", params: []value.Value{i(1)}, wantErr: "last_value: the second parameter requires bool but found bigint(1)"},
		{name: "no param", fn: "last_value", wantErr: "last_value: expects 1 constant parameter, got 0"},
	})
}

func TestDeduplicate(t *testing.T) {
	rows := func(xs ...value.Value) []value.Value { return xs }
	x := func(v value.Value) value.Value { return value.FromObject(map[string]value.Value{"x": v}) }
	runCases(t, []aggCase{
		{name: "all", fn: "deduplicate", params: []value.Value{value.True},
			in:   rows(i(1), f(1), s("1"), null, i(2), null, u(math.MaxUint64), f(18446744073709551615.0)),
			want: arr(x(i(1)), x(s("1")), x(null), x(i(2)), x(u(math.MaxUint64)), x(f(18446744073709551615.0)))},
		{name: "all empty", fn: "deduplicate", params: []value.Value{value.True}, want: arr()},
		{name: "latest new", fn: "deduplicate", params: []value.Value{value.False}, in: rows(i(1), i(2), i(3)), want: x(i(3))},
		{name: "latest duplicate", fn: "deduplicate", params: []value.Value{value.False}, in: rows(i(1), i(2), f(1.0)), want: obj()},
		{name: "latest empty", fn: "deduplicate", params: []value.Value{value.False}, want: obj()},
		{name: "structs", fn: "deduplicate", params: []value.Value{value.True},
			in:   rows(obj("a", 1), obj("a", 1.0), obj("a", 2)),
			want: arr(x(obj("a", 1)), x(obj("a", 2)))},
		{name: "bad param", fn: "deduplicate", params: []value.Value{s("true")}, wantErr: "deduplicate: the second parameter requires bool but found string(true)"},
	})
	acc, _ := newDeduplicate([]value.Value{value.True})
	if err := acc.Add([]value.Value{i(1)}, nil); err == nil {
		t.Fatal("deduplicate without the row must fail, not panic")
	}
}

func TestMedianPercentile(t *testing.T) {
	p := func(x float64) []value.Value { return []value.Value{f(x)} }
	ints := []value.Value{i(200), null, i(100), i(150)}
	runCases(t, []aggCase{
		{name: "median odd", fn: "median", in: ints, want: f(150)},
		{name: "median even", fn: "median", in: []value.Value{i(4), f(1), i(3), i(2)}, want: f(2.5)},
		{name: "median empty", fn: "median", in: []value.Value{null}, want: null},
		{name: "median one", fn: "median", in: []value.Value{i(7)}, want: f(7)},
		{name: "median string", fn: "median", in: []value.Value{s("a")}, wantErr: "run median function error: requires a number but found string(a)"},
		// eKuiper TestPercentileExec: percentile_disc([100,150,200], 0.5) = 150.
		{name: "disc ekuiper", fn: "percentile_disc", params: p(0.5), in: ints, want: i(150)},
		{name: "disc keeps kind", fn: "percentile_disc", params: p(0.5), in: []value.Value{f(1.5), i(2), f(0.5)}, want: f(1.5)},
		{name: "disc 0", fn: "percentile_disc", params: p(0), in: ints, want: i(100)},
		{name: "disc 1", fn: "percentile_disc", params: p(1), in: ints, want: i(200)},
		{name: "disc rounding", fn: "percentile_disc", params: p(0.3),
			in: []value.Value{i(1), i(2), i(3), i(4), i(5), i(6), i(7), i(8), i(9), i(10)}, want: i(3)},
		{name: "cont interpolates", fn: "percentile_cont", params: p(0.5), in: ints, want: f(150)},
		{name: "cont quarter", fn: "percentile_cont", params: p(0.25), in: ints, want: f(125)},
		{name: "cont alias", fn: "percentile", params: p(0.9), in: []value.Value{i(0), i(10)}, want: f(9)},
		{name: "cont 0 and 1", fn: "percentile_cont", params: p(1), in: ints, want: f(200)},
		{name: "cont empty", fn: "percentile_cont", params: p(0.5), want: null},
		{name: "cont uint", fn: "percentile_cont", params: p(0), in: []value.Value{u(math.MaxUint64)}, want: f(18446744073709551615.0)},
		{name: "p above 1", fn: "percentile_cont", params: p(1.5), wantErr: "percentile_cont: the second parameter must be a number in [0, 1] but found float(1.5)"},
		{name: "p negative", fn: "percentile_disc", params: p(-0.1), wantErr: "in [0, 1]"},
		{name: "p string", fn: "percentile_disc", params: []value.Value{s("x")}, wantErr: "in [0, 1]"},
		{name: "p null", fn: "percentile_disc", params: []value.Value{null}, wantErr: "in [0, 1]"},
		{name: "p int", fn: "percentile_disc", params: []value.Value{i(1)}, in: ints, want: i(200)},
	})
}
