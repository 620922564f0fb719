package row

import (
	"math"
	"testing"
	"time"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/value"
)

// TestTypedRoundTrip: every value kind, provenance and metadata survive.
func TestTypedRoundTrip(t *testing.T) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("X", 3600))
	in := &Row{PT: 1, ET: 2, Topic: "t/1", Meta: MapMeta{"deviceName": value.FromString("d1")}, Cols: []Col{
		{Name: "i", Val: value.FromInt(-3)},
		{Name: "u", Val: value.FromUint(math.MaxUint64), Prov: &Prov{ValueType: "Uint64"}},
		{Name: "f", Val: value.FromFloat(2.0)},
		{Name: "s", Val: value.FromString("x\"y")},
		{Name: "b", Val: value.FromBytes([]byte{0, 255})},
		{Name: "d", Val: value.FromTime(when)},
		{Name: "a", Val: value.FromArray([]value.Value{value.True, value.NullValue})},
		{Name: "o", Val: value.FromObject(map[string]value.Value{"k": value.FromFloat(1.5)})},
	}}
	var p fastjson.Parser
	v, err := p.ParseBytes(AppendTyped(nil, in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := ParseTyped(v)
	if err != nil {
		t.Fatal(err)
	}
	if out.PT != 1 || out.ET != 2 || out.Topic != "t/1" || len(out.Cols) != len(in.Cols) {
		t.Fatalf("header: %+v", out)
	}
	if d, _ := out.Meta.Get("deviceName"); d.Str() != "d1" {
		t.Fatalf("meta: %v", d)
	}
	for i, c := range in.Cols {
		got := out.Cols[i]
		if got.Name != c.Name || got.Val.Kind() != c.Val.Kind() || value.ToJSON(got.Val) != value.ToJSON(c.Val) {
			t.Fatalf("column %s: got %s %s, want %s %s", c.Name, got.Val.Kind(), value.ToJSON(got.Val), c.Val.Kind(), value.ToJSON(c.Val))
		}
	}
	if out.Cols[1].Prov == nil || out.Cols[1].Prov.ValueType != "Uint64" {
		t.Fatal("provenance lost")
	}
	if !out.Cols[5].Val.Time().Equal(when) {
		t.Fatalf("datetime lost precision: %v", out.Cols[5].Val.Time())
	}
}
