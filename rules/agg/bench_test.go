package agg

import (
	"math/big"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

func benchAdd(b *testing.B, name string, arg value.Value) {
	spec, _ := Lookup(name)
	acc, _ := spec.New(nil)
	args := []value.Value{arg}
	b.ReportAllocs()
	for b.Loop() {
		if err := acc.Add(args, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddCount(b *testing.B) { benchAdd(b, "count", i(7)) }
func BenchmarkAddSum(b *testing.B)   { benchAdd(b, "sum", i(7)) }
func BenchmarkAddAvg(b *testing.B)   { benchAdd(b, "avg", f(7.5)) }
func BenchmarkAddMax(b *testing.B)   { benchAdd(b, "max", f(7.5)) }
func BenchmarkAddVar(b *testing.B)   { benchAdd(b, "var", f(7.5)) }

// TestIncrementalAddDoesNotAllocate pins the benchmarks' 0 allocs/op.
func TestIncrementalAddDoesNotAllocate(t *testing.T) {
	for _, name := range []string{"count", "sum", "avg", "max", "min", "stddev", "vars", "last_value"} {
		for _, arg := range []value.Value{i(7), f(7.5), u(1 << 63), null} {
			spec, _ := Lookup(name)
			params := defaultParams(name)
			acc, _ := spec.New(params)
			args := append([]value.Value{arg}, params...)
			n := testing.AllocsPerRun(100, func() { _ = acc.Add(args, nil) })
			if n != 0 {
				t.Errorf("%s.Add(%s) allocates %v times per row", name, value.ToJSON(arg), n)
			}
		}
	}
}

// FuzzSumInts checks the integer sum and avg against math/big: exact results
// where they fit, an overflow error exactly where they do not.
func FuzzSumInts(f *testing.F) {
	f.Add(int64(1), int64(2), uint64(3), int64(-4))
	f.Add(int64(-1<<63), int64(-1), uint64(0), int64(0))
	f.Add(int64(1<<63-1), int64(1<<63-1), uint64(1<<64-1), int64(5))
	f.Fuzz(func(t *testing.T, a, b int64, c uint64, d int64) {
		in := []value.Value{i(a), i(b), value.FromUint(c), i(d)}
		total := new(big.Int)
		for _, x := range []*big.Int{big.NewInt(a), big.NewInt(b), new(big.Int).SetUint64(c), big.NewInt(d)} {
			total.Add(total, x)
		}
		sum, err := run(t, "sum", nil, in...)
		fits := total.IsInt64() || total.IsUint64()
		if fits != (err == nil) {
			t.Fatalf("sum %v: got (%s, %v)", total, value.ToJSON(sum), err)
		}
		if fits && value.Text(sum) != total.String() {
			t.Fatalf("sum = %s, want %s", value.Text(sum), total)
		}
		avg, err := run(t, "avg", nil, in...)
		want := new(big.Int).Quo(total, big.NewInt(4)) // Quo truncates toward zero
		if err != nil || value.Text(avg) != want.String() {
			t.Fatalf("avg = (%s, %v), want %s", value.Text(avg), err, want)
		}
	})
}
