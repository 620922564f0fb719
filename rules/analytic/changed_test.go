package analytic

import (
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

func TestChangedCol(t *testing.T) {
	p := build(t, "changed_col", lit(B(true)), col("x"))
	xs := []value.Value{I(1), F(1.0), null, I(2), I(2), S("2")}
	// 1.0 equals 1 (SQL '='); NULL is ignored; "2" is a different kind.
	want := []value.Value{I(1), null, null, I(2), null, S("2")}
	for j, x := range xs {
		wantVal(t, "changed_col", eval(t, p, "", true, B(true), x), want[j])
	}

	p = build(t, "changed_col", lit(B(false)), col("x"))
	got := []value.Value{
		eval(t, p, "", true, B(false), null), // nothing recorded equals NULL
		eval(t, p, "", true, B(false), I(1)),
		eval(t, p, "", true, B(false), null), // a change to NULL yields NULL itself
		eval(t, p, "", true, B(false), I(1)),
	}
	wantSeq(t, "changed_col(false,x)", got, []value.Value{null, I(1), null, I(1)})
}

func TestChangedColWhen(t *testing.T) {
	p := build(t, "changed_col", lit(B(true)), col("x"))
	wantVal(t, "first", eval(t, p, "", true, B(true), I(1)), I(1))
	// Rejected rows compare with the saved value but do not record.
	wantVal(t, "rejected change", eval(t, p, "", false, B(true), I(2)), I(2))
	wantVal(t, "rejected same", eval(t, p, "", false, B(true), I(1)), null)
	wantVal(t, "accepted change", eval(t, p, "", true, B(true), I(2)), I(2))
	wantVal(t, "accepted same", eval(t, p, "", true, B(true), I(2)), null)
}

func TestHadChangedWithoutIgnoreNull(t *testing.T) {
	p := build(t, "had_changed", lit(B(false)), col("a"))
	got := run(t, p, []value.Value{B(false), null}, []value.Value{B(false), I(1)},
		[]value.Value{B(false), I(1)}, []value.Value{B(false), null}, []value.Value{B(false), null})
	wantSeq(t, "had_changed(false,a)", got, []value.Value{B(false), B(true), B(false), B(true), B(false)})
}

func TestHadChangedWhen(t *testing.T) {
	p := build(t, "had_changed", lit(B(true)), col("a"))
	wantVal(t, "first", eval(t, p, "", true, B(true), I(1)), B(true))
	wantVal(t, "rejected change", eval(t, p, "", false, B(true), I(2)), B(true))
	wantVal(t, "same as saved", eval(t, p, "", true, B(true), I(1)), B(false))
}

func TestHadChangedWildcard(t *testing.T) {
	p := build(t, "had_changed", lit(B(true)), star())
	rows := []value.Value{
		obj("a", I(1), "b", S("x")),
		obj("a", F(1), "b", S("x")), // 1.0 = 1
		obj("a", I(1)),              // b missing: ignored
		obj("a", I(1), "b", S("y")),
		obj("a", I(1), "b", S("y"), "c", B(true)), // a new key is a change
	}
	want := []bool{true, false, false, true, true}
	for j, r := range rows {
		wantVal(t, "had_changed(true,*)", eval(t, p, "", true, B(true), r), B(want[j]))
	}

	p = build(t, "had_changed", lit(B(false)), star())
	wantVal(t, "first", eval(t, p, "", true, B(false), obj("a", I(1), "b", I(2))), B(true))
	wantVal(t, "key gone", eval(t, p, "", true, B(false), obj("a", I(1))), B(true))
	wantVal(t, "still gone", eval(t, p, "", true, B(false), obj("a", I(1))), B(false))

	if _, err := p.Eval("", []value.Value{B(false), I(3)}, true); err == nil ||
		!strings.Contains(err.Error(), "must be a struct") {
		t.Errorf("non-struct '*' argument: err = %v", err)
	}
}

func TestChangedColsSpecExample(t *testing.T) {
	// sql.md §12.10, ignoreNull with a NULL in the middle.
	p := build(t, "changed_cols", lit(S("")), lit(B(true)), col("a"), col("b"))
	got := run(t, p,
		[]value.Value{S(""), B(true), I(1), null},
		[]value.Value{S(""), B(true), I(1), I(2)},
		[]value.Value{S(""), B(true), null, I(2)},
		[]value.Value{S(""), B(true), I(1), I(3)})
	wantSeq(t, "changed_cols", got, []value.Value{obj("a", I(1)), obj("b", I(2)), obj(), obj("b", I(3))})

	p = build(t, "changed_cols", lit(S("c_")), lit(B(false)), col("a"), star())
	got = run(t, p,
		[]value.Value{S("c_"), B(false), I(1), obj("x", I(1), "y", I(2))},
		[]value.Value{S("c_"), B(false), I(1), obj("x", I(1))})
	wantSeq(t, "changed_cols with *", got, []value.Value{
		obj("c_a", I(1), "c_x", I(1), "c_y", I(2)), obj("c_y", null)})
}

func TestChangedValidation(t *testing.T) {
	cases := []struct {
		fn    string
		descs []argDesc
	}{
		{"changed_col", []argDesc{col("flag"), col("x")}},
		{"changed_col", []argDesc{lit(I(1)), col("x")}},
		{"changed_col", []argDesc{lit(B(true))}},
		{"had_changed", []argDesc{lit(S("true")), col("x")}},
		{"had_changed", []argDesc{lit(B(true))}},
		{"changed_cols", []argDesc{col("p"), lit(B(true)), col("x")}},
		{"changed_cols", []argDesc{lit(S("p")), expr(), col("x")}},
		{"changed_cols", []argDesc{lit(S("p")), lit(B(true)), expr()}},
		{"changed_cols", []argDesc{lit(S("p")), lit(B(true))}},
	}
	for _, c := range cases {
		err := newErr(c.fn, c.descs...)
		if err == nil || !strings.HasPrefix(err.Error(), "validate function "+c.fn+" error: ") {
			t.Errorf("%s%v: err = %v", c.fn, c.descs, err)
		}
	}
}
