package analytic

import (
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

func TestLookupAndNames(t *testing.T) {
	want := "acc_avg acc_count acc_max acc_min acc_sum changed_col changed_cols had_changed lag latest"
	if got := strings.Join(Names(), " "); got != want {
		t.Errorf("Names() = %s", got)
	}
	s, ok := Lookup("LAG")
	if !ok || s.Name != "lag" || s.MinArgs != 1 || s.MaxArgs != 4 {
		t.Errorf("Lookup(LAG) = %+v, %v", s, ok)
	}
	s.MaxArgs = 99 // a copy: the table is unaffected
	if s2, _ := Lookup("lag"); s2.MaxArgs != 4 {
		t.Errorf("Lookup returned shared state")
	}
	if h, _ := Lookup("had_changed"); h.MaxArgs != -1 {
		t.Errorf("had_changed MaxArgs = %d", h.MaxArgs)
	}
	if _, ok := Lookup("sum"); ok {
		t.Error("Lookup(sum) found an aggregate")
	}
}

func TestNewPartitionsErrors(t *testing.T) {
	if _, err := NewPartitions(nil, nil, nil, nil); err == nil {
		t.Error("nil spec accepted")
	}
	spec, _ := Lookup("lag")
	_, err := NewPartitions(spec, []value.Value{null}, []bool{false, false}, nil)
	if err == nil || !strings.Contains(err.Error(), "inconsistent") {
		t.Errorf("mismatched vectors: err = %v", err)
	}
	// names may be nil: no argument is a column reference.
	if _, err := NewPartitions(spec, []value.Value{null}, []bool{false}, nil); err != nil {
		t.Errorf("nil names: %v", err)
	}
}

func TestPartitionsAreIndependent(t *testing.T) {
	p := build(t, "latest", col("x"))
	wantVal(t, "a", eval(t, p, "a", true, I(1)), I(1))
	wantVal(t, "b empty", eval(t, p, "b", true, null), null)
	wantVal(t, "a kept", eval(t, p, "a", true, null), I(1))
	wantVal(t, "b", eval(t, p, "b", true, I(2)), I(2))
	wantVal(t, "a still", eval(t, p, "a", true, null), I(1))
	if p.Len() != 2 {
		t.Errorf("Len = %d", p.Len())
	}
}
