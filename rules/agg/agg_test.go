package agg

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

var (
	null = value.NullValue
	i    = value.FromInt
	u    = value.FromUint
	f    = value.FromFloat
	s    = value.FromString
)

func obj(kv ...any) value.Value {
	m := map[string]value.Value{}
	for k := 0; k < len(kv); k += 2 {
		m[kv[k].(string)] = value.FromGo(kv[k+1])
	}
	return value.FromObject(m)
}

// run feeds vals one per row (each row's struct is {"x": val}) and returns
// the result, or the first error from New, Add or Result.
func run(t *testing.T, name string, params []value.Value, vals ...value.Value) (value.Value, error) {
	t.Helper()
	spec, ok := Lookup(name)
	if !ok {
		t.Fatalf("Lookup(%q) failed", name)
	}
	acc, err := spec.New(params)
	if err != nil {
		return null, err
	}
	for _, v := range vals {
		row := func() value.Value { return value.FromObject(map[string]value.Value{"x": v}) }
		if err := acc.Add(append([]value.Value{v}, params...), row); err != nil {
			return null, err
		}
	}
	return acc.Result()
}

type aggCase struct {
	name    string
	fn      string
	params  []value.Value
	in      []value.Value
	want    value.Value
	wantErr string // substring; empty means no error
}

func runCases(t *testing.T, cases []aggCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := run(t, c.fn, c.params, c.in...)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("%s: got (%v, %v), want error containing %q", c.fn, value.ToJSON(got), err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: unexpected error %v", c.fn, err)
			}
			if !value.Identical(got, c.want) {
				t.Fatalf("%s: got %s %s, want %s %s", c.fn, value.TypeName(got), value.ToJSON(got),
					value.TypeName(c.want), value.ToJSON(c.want))
			}
		})
	}
}

func TestLookupAndNames(t *testing.T) {
	want := []string{"avg", "collect", "count", "deduplicate", "last_value", "max", "median", "merge_agg",
		"min", "percentile", "percentile_cont", "percentile_disc", "stddev", "stddevs", "sum", "var", "vars"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for _, n := range want {
		sp, ok := Lookup(n)
		if !ok || sp.New == nil {
			t.Fatalf("Lookup(%q) = %v, %v", n, sp, ok)
		}
	}
	if sp, _ := Lookup("percentile"); sp.Name != "percentile_cont" || sp.Params != 1 {
		t.Fatalf("percentile alias: %+v", sp)
	}
	if _, ok := Lookup("COUNT"); ok {
		t.Fatal("Lookup must take lower-case names only")
	}
	if _, ok := Lookup("inc_count"); ok {
		t.Fatal("planner internals are not aggregates")
	}
	// Lookup hands out copies: changing one must not leak into the table.
	sp, _ := Lookup("count")
	sp.Name = "changed"
	if again, _ := Lookup("count"); again.Name != "count" {
		t.Fatal("Lookup returned the table entry itself")
	}
	incremental := map[string]bool{"count": true, "sum": true, "avg": true, "max": true, "min": true,
		"stddev": true, "stddevs": true, "var": true, "vars": true, "last_value": true, "merge_agg": true}
	for _, n := range want {
		sp, _ := Lookup(n)
		if sp.Incremental != incremental[n] {
			t.Errorf("%s: Incremental = %v", n, sp.Incremental)
		}
		acc, err := sp.New(defaultParams(n))
		if err != nil {
			t.Fatalf("%s: New: %v", n, err)
		}
		if _, ok := acc.(Merger); ok != sp.Mergeable {
			t.Errorf("%s: implements Merger = %v, Mergeable = %v", n, ok, sp.Mergeable)
		}
	}
}

func defaultParams(name string) []value.Value {
	switch name {
	case "last_value", "deduplicate":
		return []value.Value{value.True}
	case "percentile", "percentile_cont", "percentile_disc":
		return []value.Value{f(0.5)}
	}
	return nil
}

func TestCount(t *testing.T) {
	runCases(t, []aggCase{
		{name: "empty", fn: "count", want: i(0)},
		{name: "values", fn: "count", in: []value.Value{i(1), null, s("a"), f(2)}, want: i(3)},
		{name: "all null", fn: "count", in: []value.Value{null, null}, want: i(0)},
		{name: "star marker", fn: "count", in: []value.Value{value.True, value.True}, want: i(2)},
	})
	if err := (&countAcc{}).Add(nil, nil); err == nil || !strings.Contains(err.Error(), "count") {
		t.Fatalf("Add without arguments: %v", err)
	}
}

func TestSum(t *testing.T) {
	runCases(t, []aggCase{
		{name: "empty", fn: "sum", want: null},
		{name: "all null", fn: "sum", in: []value.Value{null}, want: null},
		{name: "ints", fn: "sum", in: []value.Value{i(100), null, i(150), i(200)}, want: i(450)},
		{name: "floats", fn: "sum", in: []value.Value{f(1.5), f(2.25)}, want: f(3.75)},
		{name: "int first truncates later floats", fn: "sum", in: []value.Value{i(1), f(2.7), f(-1.9)}, want: i(2)},
		{name: "float first accepts ints", fn: "sum", in: []value.Value{f(0.5), i(2)}, want: f(2.5)},
		{name: "uint", fn: "sum", in: []value.Value{u(math.MaxUint64 - 5), i(5)}, want: u(math.MaxUint64)},
		{name: "into uint range", fn: "sum", in: []value.Value{i(math.MaxInt64), i(1)}, want: u(1 << 63)},
		{name: "transient overflow comes back", fn: "sum",
			in: []value.Value{u(math.MaxUint64), i(math.MaxInt64), i(math.MinInt64), i(math.MinInt64), i(math.MinInt64)}, want: i(-2)},
		{name: "overflow", fn: "sum", in: []value.Value{u(math.MaxUint64), i(1)}, wantErr: "integer overflow"},
		{name: "negative overflow", fn: "sum", in: []value.Value{i(math.MinInt64), i(-1)}, wantErr: "integer overflow"},
		{name: "NaN in integer sum", fn: "sum", in: []value.Value{i(1), f(math.NaN())}, wantErr: "float(NaN) does not fit"},
		{name: "NaN in float sum", fn: "sum", in: []value.Value{f(1), f(math.NaN())}, want: f(math.NaN())},
		{name: "string", fn: "sum", in: []value.Value{s("foo")}, wantErr: "run sum function error: found invalid arg string(foo)"},
		{name: "bool", fn: "sum", in: []value.Value{i(1), value.True}, wantErr: "invalid arg boolean(true)"},
	})
	_, err := run(t, "sum", nil, u(math.MaxUint64), i(1))
	if !errors.Is(err, value.ErrIntegerOverflow) {
		t.Fatalf("overflow error must wrap value.ErrIntegerOverflow: %v", err)
	}
}

func TestAvg(t *testing.T) {
	runCases(t, []aggCase{
		// eKuiper TestAggExec oracles.
		{name: "ekuiper strings", fn: "avg", in: []value.Value{s("foo"), s("bar"), s("self")},
			wantErr: "run avg function error: found invalid arg string(foo)"},
		{name: "ekuiper ints", fn: "avg", in: []value.Value{i(100), i(150), i(200)}, want: i(150)},
		{name: "ekuiper floats", fn: "avg", in: []value.Value{f(100), f(150), f(200)}, want: f(150)},
		{name: "empty", fn: "avg", want: null},
		{name: "nulls ignored", fn: "avg", in: []value.Value{null, i(1), null, i(2)}, want: i(1)},
		{name: "truncates toward zero", fn: "avg", in: []value.Value{i(-1), i(-2)}, want: i(-1)},
		{name: "float mean", fn: "avg", in: []value.Value{f(1), i(2)}, want: f(1.5)},
		{name: "uint mean", fn: "avg", in: []value.Value{u(math.MaxUint64), u(math.MaxUint64 - 2)}, want: u(math.MaxUint64 - 1)},
		{name: "large int mean", fn: "avg", in: []value.Value{i(math.MaxInt64), i(math.MaxInt64)}, want: i(math.MaxInt64)},
		{name: "min int mean", fn: "avg", in: []value.Value{i(math.MinInt64), i(math.MinInt64)}, want: i(math.MinInt64)},
		{name: "huge float in int avg", fn: "avg", in: []value.Value{i(1), f(1e30)}, wantErr: "integer overflow"},
	})
}

func TestMaxMin(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tm := value.FromTime
	runCases(t, []aggCase{
		// eKuiper TestAggExec oracles.
		{name: "ekuiper strings max", fn: "max", in: []value.Value{s("foo"), s("bar"), s("self")}, want: s("self")},
		{name: "ekuiper strings min", fn: "min", in: []value.Value{s("foo"), s("bar"), s("self")}, want: s("bar")},
		{name: "ekuiper ints max", fn: "max", in: []value.Value{i(100), i(150), i(200)}, want: i(200)},
		{name: "ekuiper ints min", fn: "min", in: []value.Value{i(100), i(150), i(200)}, want: i(100)},
		{name: "ekuiper floats max", fn: "max", in: []value.Value{f(100), f(150), f(200)}, want: f(200)},
		{name: "empty", fn: "max", want: null},
		{name: "nulls", fn: "min", in: []value.Value{null, i(3), null, i(2)}, want: i(2)},
		{name: "mixed keeps winner kind", fn: "max", in: []value.Value{i(2), f(2.5), i(1)}, want: f(2.5)},
		{name: "mixed int wins", fn: "max", in: []value.Value{f(2.5), i(3)}, want: i(3)},
		{name: "tie keeps first", fn: "max", in: []value.Value{i(3), f(3)}, want: i(3)},
		{name: "uint beyond float precision", fn: "max",
			in: []value.Value{f(18446744073709551615.0 - 4096), u(math.MaxUint64 - 1)}, want: u(math.MaxUint64 - 1)},
		{name: "uint vs negative", fn: "min", in: []value.Value{u(math.MaxUint64), i(-1)}, want: i(-1)},
		{name: "datetimes", fn: "max", in: []value.Value{tm(t0), tm(t0.Add(time.Hour)), tm(t0.Add(-time.Hour))}, want: tm(t0.Add(time.Hour))},
		{name: "datetimes min", fn: "min", in: []value.Value{tm(t0), tm(t0.Add(-time.Hour))}, want: tm(t0.Add(-time.Hour))},
		{name: "incomparable", fn: "max", in: []value.Value{i(1), s("a")},
			wantErr: "run max function error: incompatible types for comparison: string(a) and bigint(1)"},
		{name: "bool", fn: "min", in: []value.Value{value.True}, wantErr: "run min function error: found invalid arg boolean(true)"},
		{name: "struct", fn: "max", in: []value.Value{obj("a", 1)}, wantErr: "found invalid arg struct"},
	})
}

func TestSpread(t *testing.T) {
	ints := []value.Value{i(100), i(150), i(200)}
	floats := []value.Value{f(100), null, f(150), f(200)}
	// eKuiper TestAggExec oracles, on ints and floats alike.
	for _, in := range [][]value.Value{ints, floats} {
		checkClose(t, "stddev", in, 40.824829046386306)
		checkClose(t, "stddevs", in, 50)
		checkClose(t, "var", in, 1666.6666666666667)
		checkClose(t, "vars", in, 2500)
	}
	checkClose(t, "var", []value.Value{u(math.MaxUint64), u(math.MaxUint64)}, 0)
	// Welford survives a large mean with a small spread, where sum of squares
	// would lose every digit.
	checkClose(t, "vars", []value.Value{f(1e9 + 4), f(1e9 + 7), f(1e9 + 13), f(1e9 + 16)}, 30)
	runCases(t, []aggCase{
		{name: "empty", fn: "stddev", want: null},
		{name: "one value population", fn: "var", in: []value.Value{i(5)}, want: f(0)},
		{name: "one value sample", fn: "vars", in: []value.Value{i(5), null}, want: null},
		{name: "one value stddevs", fn: "stddevs", in: []value.Value{f(5)}, want: null},
		{name: "string", fn: "stddev", in: []value.Value{s("foo")}, wantErr: "run stddev function error: requires a number but found string(foo)"},
	})
}

func checkClose(t *testing.T, fn string, in []value.Value, want float64) {
	t.Helper()
	got, err := run(t, fn, nil, in...)
	if err != nil || got.Kind() != value.Float {
		t.Fatalf("%s(%v) = %v, %v; want float %v", fn, in, value.ToJSON(got), err, want)
	}
	if d := math.Abs(got.Float() - want); d > 1e-9*math.Max(1, math.Abs(want)) {
		t.Fatalf("%s = %v, want %v", fn, got.Float(), want)
	}
}
