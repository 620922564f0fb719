package analytic

import (
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// argDesc describes one call argument the way the planner hands it to New.
type argDesc struct {
	lit   value.Value
	isLit bool
	name  string
}

func lit(v value.Value) argDesc { return argDesc{lit: v, isLit: true} }
func col(name string) argDesc   { return argDesc{name: name} }
func expr() argDesc             { return argDesc{} }
func star() argDesc             { return argDesc{name: Wildcard} }

func split(descs []argDesc) ([]value.Value, []bool, []string) {
	lits := make([]value.Value, len(descs))
	ok := make([]bool, len(descs))
	names := make([]string, len(descs))
	for i, d := range descs {
		lits[i], ok[i], names[i] = d.lit, d.isLit, d.name
	}
	return lits, ok, names
}

func build(t testing.TB, fn string, descs ...argDesc) *Partitions {
	t.Helper()
	spec, found := Lookup(fn)
	if !found {
		t.Fatalf("Lookup(%q) failed", fn)
	}
	lits, ok, names := split(descs)
	p, err := NewPartitions(spec, lits, ok, names)
	if err != nil {
		t.Fatalf("NewPartitions(%s): %v", fn, err)
	}
	return p
}

func newErr(fn string, descs ...argDesc) error {
	spec, found := Lookup(fn)
	if !found {
		return nil
	}
	lits, ok, names := split(descs)
	_, err := NewPartitions(spec, lits, ok, names)
	return err
}

func eval(t testing.TB, p *Partitions, key string, update bool, args ...value.Value) value.Value {
	t.Helper()
	v, err := p.Eval(key, args, update)
	if err != nil {
		t.Fatalf("Eval(%q, %v): %v", key, args, err)
	}
	return v
}

func wantVal(t testing.TB, what string, got, want value.Value) {
	t.Helper()
	if !value.Identical(got, want) {
		t.Errorf("%s = %s (%s), want %s (%s)", what, value.ToJSON(got), got.Kind(), value.ToJSON(want), want.Kind())
	}
}

var (
	null = value.NullValue
	I    = value.FromInt
	F    = value.FromFloat
	S    = value.FromString
	B    = value.FromBool
)

func obj(kv ...any) value.Value {
	m := map[string]value.Value{}
	for j := 0; j < len(kv); j += 2 {
		m[kv[j].(string)] = kv[j+1].(value.Value)
	}
	return value.FromObject(m)
}

// demo is the fixture of sql.md §14 (color, size).
var demo = []struct {
	color string
	size  int64
}{{"red", 3}, {"blue", 6}, {"blue", 2}, {"yellow", 4}, {"red", 1}}
