package sinks

import (
	"testing"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// BenchmarkRowToEvent converts a typical device row: provenance-typed
// scalars, an inferred float, an array and a struct.
func BenchmarkRowToEvent(b *testing.B) {
	r := &row.Row{Cols: []row.Col{
		{Name: "temperature", Val: value.FromInt(21), Prov: &row.Prov{ValueType: "Int32", Units: "C"}},
		{Name: "humidity", Val: value.FromFloat(40.5), Prov: &row.Prov{ValueType: "Float32", Units: "%"}},
		{Name: "avg", Val: value.FromFloat(64 / 3.0)},
		{Name: "ok", Val: value.True},
		{Name: "label", Val: value.FromString("north")},
		{Name: "samples", Val: ints(1, 2, 3, 4)},
		{Name: "status", Val: value.FromObject(map[string]value.Value{"code": value.FromInt(0), "msg": value.FromString("ok")})},
	}}
	p, err := ParseEdgeXProps(map[string]any{"deviceName": "dev-1"}, "edgex")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ev, errs := RowToEvent(r, p, "rule1", false)
		if len(errs) > 0 || len(ev.Readings) != 7 {
			b.Fatalf("%d readings, %v", len(ev.Readings), errs)
		}
	}
}

// FuzzSimpleGo checks that no value/type combination panics and that every
// accepted simple value passes EdgeX validation.
func FuzzSimpleGo(f *testing.F) {
	f.Add(uint8(0), int64(1), 1.5, "12", uint8(0))
	f.Add(uint8(5), int64(-1), -1e300, "x", uint8(3))
	types := []string{"Bool", "String", "Uint8", "Uint16", "Uint32", "Uint64", "Int8", "Int16", "Int32", "Int64",
		"Float32", "Float64", "Int8Array", "Uint64Array", "Float32Array", "StringArray", "BoolArray"}
	f.Fuzz(func(t *testing.T, ti uint8, i int64, fl float64, s string, kind uint8) {
		vt := types[int(ti)%len(types)]
		vals := []value.Value{value.FromInt(i), value.FromFloat(fl), value.FromString(s), value.FromBool(i%2 == 0),
			value.FromUint(uint64(i) | 1<<63), value.FromArray([]value.Value{value.FromInt(i), value.FromFloat(fl)})}
		v := vals[int(kind)%len(vals)]
		rd, err := valueReading("p", "d", "r", vt, v, "")
		if err != nil {
			return
		}
		if verr := rd.Validate(); verr != nil {
			t.Fatalf("%s from %s %s gave %q which EdgeX rejects: %v", vt, v.Kind(), canonicalText(v), rd.Value, verr)
		}
	})
}
