package agg

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// gen produces one random input value.
type gen func(r *rand.Rand) value.Value

func moderate(r *rand.Rand) value.Value {
	switch r.IntN(4) {
	case 0:
		return null
	case 1:
		return f(r.Float64()*2000 - 1000)
	}
	return i(r.Int64N(2_000_001) - 1_000_000)
}

// wideInts mixes extremes so integer sums overflow (or come back) sometimes.
func wideInts(r *rand.Rand) value.Value {
	switch r.IntN(6) {
	case 0:
		return null
	case 1:
		return u(math.MaxUint64 - r.Uint64N(1000))
	case 2:
		return i(math.MinInt64 + r.Int64N(1000))
	case 3:
		return i(math.MaxInt64 - r.Int64N(1000))
	}
	return i(r.Int64N(2001) - 1000)
}

func structs(r *rand.Rand) value.Value {
	if r.IntN(5) == 0 {
		return null
	}
	keys := []string{"a", "b", "c", "d"}
	m := map[string]value.Value{}
	for range r.IntN(3) {
		m[keys[r.IntN(len(keys))]] = i(r.Int64N(10))
	}
	return value.FromObject(m)
}

// TestMergeEqualsSequential checks, for every Mergeable aggregate, that
// aggregating random panes and merging them in order gives what adding every
// row to one accumulator gives (floats up to summation-order rounding).
func TestMergeEqualsSequential(t *testing.T) {
	gens := map[string][]gen{"moderate": {moderate}, "wide": {wideInts}, "structs": {structs}}
	fns := map[string][]string{
		"moderate": {"count", "sum", "avg", "max", "min", "collect", "last_value", "median",
			"stddev", "stddevs", "var", "vars", "percentile_cont", "percentile_disc"},
		"wide":    {"count", "sum", "avg", "max", "min", "last_value"},
		"structs": {"count", "collect", "merge_agg", "last_value"},
	}
	r := rand.New(rand.NewPCG(20240601, 3))
	for g, names := range fns {
		for _, name := range names {
			for trial := range 200 {
				in := make([]value.Value, r.IntN(40))
				for k := range in {
					in[k] = gens[g][0](r)
				}
				params := defaultParams(name)
				if name == "last_value" && trial%2 == 0 {
					params = []value.Value{value.False}
				}
				checkMerge(t, name, params, in, r)
			}
		}
	}
}

func checkMerge(t *testing.T, name string, params, in []value.Value, r *rand.Rand) {
	t.Helper()
	spec, _ := Lookup(name)
	seq, _ := spec.New(params)
	for _, v := range in {
		if err := seq.Add(append([]value.Value{v}, params...), nil); err != nil {
			t.Fatalf("%s: Add(%s): %v", name, value.ToJSON(v), err)
		}
	}
	want, wantErr := seq.Result()

	merged, _ := spec.New(params)
	for rest := in; ; {
		n := r.IntN(len(rest) + 1)
		pane, _ := spec.New(params)
		for _, v := range rest[:n] {
			_ = pane.Add(append([]value.Value{v}, params...), nil)
		}
		if err := merged.(Merger).Merge(pane); err != nil {
			t.Fatalf("%s: Merge: %v", name, err)
		}
		if rest = rest[n:]; len(rest) == 0 {
			break
		}
	}
	got, gotErr := merged.Result()
	if (wantErr == nil) != (gotErr == nil) || !closeEnough(got, want) {
		t.Fatalf("%s over %s: merged (%s, %v), sequential (%s, %v)", name, value.ToJSON(value.FromArray(in)),
			value.ToJSON(got), gotErr, value.ToJSON(want), wantErr)
	}
}

func closeEnough(a, b value.Value) bool {
	if a.Kind() == value.Float && b.Kind() == value.Float {
		x, y := a.Float(), b.Float()
		return x == y || math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y))+1e-6
	}
	return value.Identical(a, b)
}

func TestMergeRejectsOtherFunctions(t *testing.T) {
	for _, name := range Names() {
		spec, _ := Lookup(name)
		if !spec.Mergeable {
			continue
		}
		a, _ := spec.New(defaultParams(name))
		other := &countAcc{}
		if name == "count" {
			other2, _ := newSum(nil)
			if err := a.(Merger).Merge(other2); err == nil {
				t.Fatalf("%s merged a sum", name)
			}
			continue
		}
		if err := a.(Merger).Merge(other); err == nil {
			t.Fatalf("%s merged a count", name)
		}
	}
	mx, _ := newMax(nil)
	mn, _ := newMin(nil)
	if err := mx.(Merger).Merge(mn); err == nil {
		t.Fatal("max merged a min")
	}
	p1, _ := newPercentileCont([]value.Value{f(0.5)})
	p2, _ := newPercentileCont([]value.Value{f(0.9)})
	if err := p1.(Merger).Merge(p2); err == nil {
		t.Fatal("percentiles with different p merged")
	}
}

// TestLastValueMergeEmptyPane: an empty later pane must not erase the value.
func TestLastValueMergeEmptyPane(t *testing.T) {
	for _, ignore := range []value.Value{value.True, value.False} {
		a, _ := newLastValue([]value.Value{ignore})
		_ = a.Add([]value.Value{i(5)}, nil)
		b, _ := newLastValue([]value.Value{ignore})
		if err := a.(Merger).Merge(b); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Result(); !value.Identical(got, i(5)) {
			t.Fatalf("ignoreNull=%v: got %s, want 5", ignore.Bool(), value.ToJSON(got))
		}
	}
}
