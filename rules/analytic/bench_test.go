package analytic

import (
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// Per-row evaluation must not allocate for the scalar analytic functions once
// their partition exists.
func TestEvalDoesNotAllocate(t *testing.T) {
	cases := []struct {
		fn    string
		descs []argDesc
		args  []value.Value
	}{
		{"lag", []argDesc{col("x")}, []value.Value{I(1)}},
		{"lag", []argDesc{col("x"), lit(I(3)), expr()}, []value.Value{I(1), I(3), I(0)}},
		{"latest", []argDesc{col("x")}, []value.Value{S("a")}},
		{"changed_col", []argDesc{lit(B(true)), col("x")}, []value.Value{B(true), I(1)}},
		{"had_changed", []argDesc{lit(B(true)), col("x"), col("y")}, []value.Value{B(true), I(1), S("y")}},
		{"acc_sum", []argDesc{col("x")}, []value.Value{I(1)}},
		{"acc_avg", []argDesc{col("x"), expr(), expr()}, []value.Value{F(1), B(true), B(false)}},
	}
	for _, c := range cases {
		p := build(t, c.fn, c.descs...)
		eval(t, p, `"red"`, true, c.args...)
		n := testing.AllocsPerRun(200, func() {
			if _, err := p.Eval(`"red"`, c.args, true); err != nil {
				t.Fatal(err)
			}
		})
		if n != 0 {
			t.Errorf("%s: %.1f allocations per row", c.fn, n)
		}
	}
}

// benchEval varies argument xi per row so changes and history are exercised.
func benchEval(b *testing.B, p *Partitions, args []value.Value, xi int) {
	keys := []string{`"red"`, `"blue"`, `"yellow"`}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		args[xi] = I(int64(n / 2))
		if _, err := p.Eval(keys[n%3], args, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLag(b *testing.B) {
	benchEval(b, build(b, "lag", col("x"), lit(I(2)), expr()), []value.Value{null, I(2), I(0)}, 0)
}

func BenchmarkAccSum(b *testing.B) {
	benchEval(b, build(b, "acc_sum", col("x")), []value.Value{null}, 0)
}

func BenchmarkHadChanged(b *testing.B) {
	benchEval(b, build(b, "had_changed", lit(B(true)), col("x"), col("y")), []value.Value{B(true), null, S("y")}, 1)
}
