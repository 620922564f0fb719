package testscript

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

func (r *Runner) expect(s Step) error {
	if s.Op == "expect-none" {
		if len(r.out) > 0 {
			return fmt.Errorf("got emissions %s, want none", render(r.out))
		}
		return nil
	}
	if len(r.out) == 0 {
		return fmt.Errorf("no emission, want %s", s.Arg)
	}
	got := r.out[0]
	r.out = r.out[1:]
	if s.Op == "expect-error" {
		if len(got) != 1 || len(got[0].Cols) != 1 || got[0].Cols[0].Name != "error" || got[0].Cols[0].Val.Str() == "" {
			return fmt.Errorf("got %s, want one error row", render([][]*row.Row{got}))
		}
		return nil
	}
	want, err := value.ParseJSON([]byte(s.Arg), true)
	if err != nil || want.Kind() != value.Array {
		return fmt.Errorf("expectation must be a JSON array: %v", err)
	}
	return r.compareEmission(got, want.Arr(), s.Op == "expect-unordered")
}

// compareEmission checks one emission against the expected rows.
func (r *Runner) compareEmission(got []*row.Row, want []value.Value, unordered bool) error {
	gotVals := make([]value.Value, len(got))
	for i, g := range got {
		gotVals[i] = r.visible(g)
	}
	if len(gotVals) != len(want) {
		return fmt.Errorf("got %d rows %s, want %d rows %s", len(gotVals), renderVals(gotVals), len(want), renderVals(want))
	}
	if unordered {
		sort.Slice(gotVals, func(i, j int) bool { return value.ToJSON(gotVals[i]) < value.ToJSON(gotVals[j]) })
		sort.Slice(want, func(i, j int) bool { return value.ToJSON(want[i]) < value.ToJSON(want[j]) })
	}
	for i := range want {
		if !Same(gotVals[i], want[i]) {
			return fmt.Errorf("row %d: got %s, want %s (whole emission %s)", i, value.ToJSON(gotVals[i]), value.ToJSON(want[i]), renderVals(gotVals))
		}
	}
	return nil
}

// visible is what a sink sees: NULL columns are omitted unless sendNilField.
func (r *Runner) visible(g *row.Row) value.Value {
	m := map[string]value.Value{}
	for _, c := range g.Cols {
		if !c.Val.IsNull() || r.sendNil {
			m[c.Name] = c.Val
		}
	}
	return value.FromObject(m)
}

// Same compares as the conformance README says: numbers by value and kind
// (integer vs float) with a 1e-9 relative float tolerance, arrays in order,
// objects as maps.
func Same(got, want value.Value) bool {
	switch want.Kind() {
	case value.Float:
		if got.Kind() != value.Float {
			return false
		}
		a, b := got.Float(), want.Float()
		return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
	case value.Int, value.Uint:
		if got.Kind() != value.Int && got.Kind() != value.Uint {
			return false
		}
		return got.Kind() == want.Kind() && got.Uint() == want.Uint()
	case value.Array:
		ga, wa := got.Arr(), want.Arr()
		if got.Kind() != value.Array || len(ga) != len(wa) {
			return false
		}
		for i := range wa {
			if !Same(ga[i], wa[i]) {
				return false
			}
		}
		return true
	case value.Object:
		return sameObject(got, want)
	case value.String:
		if got.Kind() == value.Datetime || got.Kind() == value.Bytes {
			return value.Text(got) == want.Str()
		}
		return got.Kind() == value.String && got.Str() == want.Str()
	case value.Bool:
		return got.Kind() == value.Bool && got.Bool() == want.Bool()
	}
	return got.IsNull() && want.IsNull()
}

func sameObject(got, want value.Value) bool {
	if got.Kind() != value.Object || len(got.Obj()) != len(want.Obj()) {
		return false
	}
	for k, w := range want.Obj() {
		g, ok := got.Obj()[k]
		if !ok || !Same(g, w) {
			return false
		}
	}
	return true
}

func renderVals(vs []value.Value) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = value.ToJSON(v)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func render(es [][]*row.Row) string {
	parts := make([]string, len(es))
	for i, e := range es {
		vs := make([]value.Value, len(e))
		for j, r := range e {
			vs[j] = r.Object()
		}
		parts[i] = renderVals(vs)
	}
	return strings.Join(parts, " ")
}
