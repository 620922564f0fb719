package analytic

import (
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// run feeds xs through p in partition "" (all updating) and returns the results.
func run(t *testing.T, p *Partitions, rows ...[]value.Value) []value.Value {
	t.Helper()
	out := make([]value.Value, len(rows))
	for j, args := range rows {
		out[j] = eval(t, p, "", true, args...)
	}
	return out
}

func wantSeq(t *testing.T, what string, got, want []value.Value) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d results, want %d", what, len(got), len(want))
	}
	for j := range want {
		wantVal(t, what, got[j], want[j])
	}
}

func TestLagOffsetAndDefault(t *testing.T) {
	p := build(t, "lag", col("x"), lit(I(2)), expr())
	got := run(t, p, []value.Value{I(1), I(2), S("d")}, []value.Value{I(2), I(2), S("d")},
		[]value.Value{I(3), I(2), S("e")}, []value.Value{I(4), I(2), S("e")})
	wantSeq(t, "lag(x,2,d)", got, []value.Value{S("d"), S("d"), I(1), I(2)})
}

func TestLagIgnoreNull(t *testing.T) {
	// Default ignoreNull is true: NULL x is not recorded, the row still sees
	// the previous non-NULL value.
	p := build(t, "lag", col("x"))
	got := run(t, p, []value.Value{I(1)}, []value.Value{null}, []value.Value{I(3)}, []value.Value{I(4)})
	wantSeq(t, "lag(x)", got, []value.Value{null, I(1), I(1), I(3)})

	p = build(t, "lag", col("x"), lit(I(1)), lit(null), lit(B(false)))
	got = run(t, p, []value.Value{I(1), I(1), null, B(false)}, []value.Value{null, I(1), null, B(false)},
		[]value.Value{I(3), I(1), null, B(false)})
	wantSeq(t, "lag(x,1,null,false)", got, []value.Value{null, I(1), null})
}

func TestLagOffsetZero(t *testing.T) {
	p := build(t, "lag", col("x"), lit(I(0)))
	got := run(t, p, []value.Value{I(7), I(0)}, []value.Value{I(8), I(0)})
	wantSeq(t, "lag(x,0)", got, []value.Value{I(7), I(8)})
}

func TestLagWhen(t *testing.T) {
	// Rows 2 and 4 are rejected by WHEN: they see the saved history but are
	// not recorded.
	p := build(t, "lag", col("x"))
	xs := []int64{1, 2, 3, 4, 5}
	upd := []bool{true, false, true, false, true}
	want := []value.Value{null, I(1), I(1), I(3), I(3)}
	for j := range xs {
		wantVal(t, "lag when", eval(t, p, "", upd[j], I(xs[j])), want[j])
	}
}

func TestLagValidation(t *testing.T) {
	cases := map[string][]argDesc{
		"offset not literal":    {col("x"), col("n")},
		"offset float":          {col("x"), lit(F(1))},
		"offset negative":       {col("x"), lit(I(-1))},
		"offset huge":           {col("x"), lit(I(1 << 40))},
		"ignoreNull not bool":   {col("x"), lit(I(1)), lit(null), lit(S("true"))},
		"ignoreNull not a lit":  {col("x"), lit(I(1)), lit(null), col("flag")},
		"too many arguments":    {col("x"), lit(I(1)), lit(null), lit(B(true)), lit(B(true))},
		"too few arguments (0)": {},
	}
	for name, descs := range cases {
		if err := newErr("lag", descs...); err == nil {
			t.Errorf("%s: NewPartitions succeeded", name)
		}
	}
	err := newErr("lag", col("x"), lit(I(-1)))
	if want := "validate function lag error: the offset -1 must be between 0 and 1048576"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestLatest(t *testing.T) {
	p := build(t, "latest", col("x"), lit(S("none")))
	got := run(t, p, []value.Value{null, S("none")}, []value.Value{I(1), S("none")},
		[]value.Value{null, S("none")}, []value.Value{I(2), S("none")})
	wantSeq(t, "latest(x,'none')", got, []value.Value{S("none"), I(1), I(1), I(2)})

	p = build(t, "latest", col("x"))
	wantVal(t, "latest first NULL", eval(t, p, "", true, null), null)
	wantVal(t, "latest rejected", eval(t, p, "", false, I(5)), null)
	wantVal(t, "latest", eval(t, p, "", true, I(6)), I(6))
	wantVal(t, "latest rejected keeps saved", eval(t, p, "", false, I(9)), I(6))
	wantVal(t, "latest after reject", eval(t, p, "", true, null), I(6))
}

func TestEvalWrongArgCount(t *testing.T) {
	for _, fn := range Names() {
		spec, _ := Lookup(fn)
		descs := make([]argDesc, spec.MinArgs)
		for j := range descs {
			descs[j] = col("c")
		}
		switch fn {
		case "changed_col", "had_changed":
			descs[0] = lit(B(true))
		case "changed_cols":
			descs[0], descs[1] = lit(S("p_")), lit(B(true))
		}
		p := build(t, fn, descs...)
		if _, err := p.Eval("", make([]value.Value, spec.MinArgs+1), true); err == nil {
			t.Errorf("%s: Eval with %d args succeeded", fn, spec.MinArgs+1)
		}
		if _, err := p.Eval("", nil, true); err == nil {
			t.Errorf("%s: Eval with no args succeeded", fn)
		}
	}
}
