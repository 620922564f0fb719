package sinks

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

var testNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func testProps(t *testing.T, props map[string]any) *EdgeXProps {
	t.Helper()
	p, err := ParseEdgeXProps(props, "edgex")
	if err != nil {
		t.Fatalf("ParseEdgeXProps(%v): %v", props, err)
	}
	p.Clock = clock.NewFake(testNow)
	return p
}

func prov(vt string) *row.Prov { return &row.Prov{ValueType: vt} }

func ints(xs ...int64) value.Value {
	out := make([]value.Value, len(xs))
	for i, x := range xs {
		out[i] = value.FromInt(x)
	}
	return value.FromArray(out)
}

func arr(xs ...value.Value) value.Value { return value.FromArray(xs) }

// oneReading converts a single column and returns its reading.
func oneReading(t *testing.T, c row.Col, props map[string]any) (dtos.BaseReading, []error) {
	t.Helper()
	ev, errs := RowToEvent(&row.Row{Cols: []row.Col{c}}, testProps(t, props), "rule1", false)
	if len(ev.Readings) == 0 {
		return dtos.BaseReading{}, errs
	}
	if len(ev.Readings) != 1 {
		t.Fatalf("want 1 reading, got %d", len(ev.Readings))
	}
	return ev.Readings[0], errs
}

func TestValueTypeSelection(t *testing.T) {
	big := value.FromUint(math.MaxUint64)
	when := time.Date(2024, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	cases := []struct {
		name    string
		col     row.Col
		wantVT  string
		wantVal string
	}{
		{"Int32 t stays Int32", row.Col{Name: "t", Val: value.FromInt(64), Prov: prov("Int32")}, "Int32", "64"},
		{"alias keeps provenance", row.Col{Name: "temp", Val: value.FromInt(64), Prov: prov("Int32")}, "Int32", "64"},
		{"t*2 is Int64", row.Col{Name: "d", Val: value.FromInt(128)}, "Int64", "128"},
		{"t/3.0 is Float64", row.Col{Name: "r", Val: value.FromFloat(64 / 3.0)}, "Float64", "2.1333333333333332e+01"},
		{"whole float", row.Col{Name: "f", Val: value.FromFloat(50)}, "Float64", "5e+01"},
		{"uint64 above MaxInt64", row.Col{Name: "u", Val: big}, "Uint64", "18446744073709551615"},
		{"bool", row.Col{Name: "b", Val: value.True}, "Bool", "true"},
		{"string", row.Col{Name: "s", Val: value.FromString("a b")}, "String", "a b"},
		{"datetime is String", row.Col{Name: "ts", Val: value.FromTime(when)}, "String", "2024-01-02T03:04:05.678Z"},
		{"bool array", row.Col{Name: "ba", Val: arr(value.True, value.False)}, "BoolArray", "[true, false]"},
		{"int array", row.Col{Name: "ia", Val: ints(1, -2, 3)}, "Int64Array", "[1, -2, 3]"},
		{"uint array", row.Col{Name: "ua", Val: arr(big, value.FromInt(1))}, "Uint64Array", "[18446744073709551615, 1]"},
		{"float array", row.Col{Name: "fa", Val: arr(value.FromInt(1), value.FromFloat(2.5))}, "Float64Array", "[1e+00, 2.5e+00]"},
		{"string array is JSON", row.Col{Name: "sa", Val: arr(value.FromString("a b"), value.FromString("c,d"))}, "StringArray", `["a b","c,d"]`},
		{"empty array", row.Col{Name: "ea", Val: arr()}, "StringArray", "[]"},
		{"empty array, provenance Int32Array not valid empty", row.Col{Name: "ea", Val: arr(), Prov: prov("Int32Array")}, "StringArray", "[]"},
		{"Int8 provenance", row.Col{Name: "i8", Val: value.FromInt(-128), Prov: prov("Int8")}, "Int8", "-128"},
		{"Uint16 provenance", row.Col{Name: "u16", Val: value.FromInt(65535), Prov: prov("Uint16")}, "Uint16", "65535"},
		{"Float32 provenance", row.Col{Name: "f32", Val: value.FromFloat(1.1), Prov: prov("Float32")}, "Float32", "1.1e+00"},
		{"Int16Array provenance", row.Col{Name: "i16a", Val: ints(-3, 300), Prov: prov("Int16Array")}, "Int16Array", "[-3, 300]"},
		{"Float32Array provenance", row.Col{Name: "f32a", Val: arr(value.FromFloat(1.5), value.FromFloat(-3)), Prov: prov("Float32Array")}, "Float32Array", "[1.5e+00, -3e+00]"},
		{"unknown provenance falls back to inference", row.Col{Name: "x", Val: value.FromString("raw"), Prov: prov("Weird")}, "String", "raw"},
		{"lowercase provenance normalised", row.Col{Name: "x", Val: value.FromInt(7), Prov: prov("uint8")}, "Uint8", "7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rd, errs := oneReading(t, tc.col, nil)
			if len(errs) > 0 {
				t.Fatalf("unexpected errors: %v", errs)
			}
			if rd.ValueType != tc.wantVT || rd.Value != tc.wantVal {
				t.Fatalf("got %s %q, want %s %q", rd.ValueType, rd.Value, tc.wantVT, tc.wantVal)
			}
			if err := rd.Validate(); err != nil {
				t.Fatalf("reading does not validate: %v", err)
			}
		})
	}
}

func TestValueTypeObjectsAndBinary(t *testing.T) {
	obj := value.FromObject(map[string]value.Value{"ok": value.True, "temp": value.FromFloat(21.5), "n": value.FromInt(3)})
	rd, _ := oneReading(t, row.Col{Name: "o", Val: obj}, nil)
	m, ok := rd.ObjectValue.(map[string]any)
	if rd.ValueType != common.ValueTypeObject || !ok || m["ok"] != true || m["temp"] != 21.5 || m["n"] != int64(3) {
		t.Fatalf("struct: got %s %#v", rd.ValueType, rd.ObjectValue)
	}
	objs := arr(value.FromObject(map[string]value.Value{"a": value.FromInt(1)}), value.FromObject(map[string]value.Value{"a": value.FromInt(2)}))
	rd, _ = oneReading(t, row.Col{Name: "oa", Val: objs}, nil)
	if list, ok := rd.ObjectValue.([]any); rd.ValueType != common.ValueTypeObjectArray || !ok || len(list) != 2 {
		t.Fatalf("array of structs: got %s %#v", rd.ValueType, rd.ObjectValue)
	}
	rd, _ = oneReading(t, row.Col{Name: "mix", Val: arr(value.FromInt(1), value.FromString("a"), value.NullValue)}, nil)
	if list, ok := rd.ObjectValue.([]any); rd.ValueType != common.ValueTypeObject || !ok || list[0] != int64(1) || list[1] != "a" || list[2] != nil {
		t.Fatalf("mixed array: got %s %#v", rd.ValueType, rd.ObjectValue)
	}
	rd, _ = oneReading(t, row.Col{Name: "bin", Val: value.FromBytes([]byte{1, 2, 3})}, nil)
	if rd.ValueType != common.ValueTypeBinary || string(rd.BinaryValue) != "\x01\x02\x03" || rd.MediaType != "application/octet-stream" {
		t.Fatalf("bytes: got %s %v %q", rd.ValueType, rd.BinaryValue, rd.MediaType)
	}
	p := &row.Prov{ValueType: "Binary", MediaType: "image/png", Units: "px"}
	rd, _ = oneReading(t, row.Col{Name: "img", Val: value.FromBytes([]byte{9}), Prov: p}, nil)
	if rd.MediaType != "image/png" || rd.Units != "px" {
		t.Fatalf("provenance media type/units: got %q %q", rd.MediaType, rd.Units)
	}
}

func TestForcedValueTypes(t *testing.T) {
	cases := []struct {
		name    string
		vt      string
		val     value.Value
		wantVal string
		wantErr error
	}{
		{"Int8 out of range", "Int8", value.FromInt(128), "", errRange},
		{"Int8 min", "int8", value.FromInt(-128), "-128", nil},
		{"Uint8 negative", "Uint8", value.FromInt(-1), "", errRange},
		{"Uint32 max", "Uint32", value.FromInt(math.MaxUint32), "4294967295", nil},
		{"Uint32 above", "Uint32", value.FromInt(math.MaxUint32 + 1), "", errRange},
		{"Int64 from big uint", "Int64", value.FromUint(math.MaxUint64), "", errRange},
		{"Uint64 from big uint", "Uint64", value.FromUint(math.MaxUint64), "18446744073709551615", nil},
		{"Int32 from integral float", "Int32", value.FromFloat(42), "42", nil},
		{"Int32 from fractional float", "Int32", value.FromFloat(4.2), "", errKind},
		{"Int32 from numeric string", "Int32", value.FromString("42"), "42", nil},
		{"Int32 from text", "Int32", value.FromString("abc"), "", errKind},
		{"Int32 from bool", "Int32", value.True, "", errKind},
		{"Float32 overflow", "Float32", value.FromFloat(1e300), "", errRange},
		{"Float32", "Float32", value.FromInt(3), "3e+00", nil},
		{"Float64 from string", "Float64", value.FromString("2.5"), "2.5e+00", nil},
		{"Bool from string", "Bool", value.FromString("true"), "true", nil},
		{"Bool from int", "Bool", value.FromInt(1), "", errKind},
		{"String from int", "String", value.FromInt(12), "12", nil},
		{"String from float", "String", value.FromFloat(1.5), "1.5", nil},
		{"Int16Array element out of range", "Int16Array", ints(1, 70000), "", errRange},
		{"Uint8Array", "Uint8Array", ints(0, 255), "[0, 255]", nil},
		{"Int32Array from scalar", "Int32Array", value.FromInt(1), "", errKind},
		{"empty Int32Array forced", "Int32Array", arr(), "", errKind},
		{"StringArray from numbers", "StringArray", ints(1, 2), `["1","2"]`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rd, errs := oneReading(t, row.Col{Name: "x", Val: tc.val, Prov: prov("Int64")}, map[string]any{"valueTypes": map[string]any{"x": tc.vt}})
			if tc.wantErr != nil {
				var re *ReadingError
				if len(errs) != 1 || !errors.As(errs[0], &re) || !errors.Is(errs[0], tc.wantErr) || rd.ResourceName != "" {
					t.Fatalf("want a dropped reading with %v, got reading %+v errors %v", tc.wantErr, rd, errs)
				}
				return
			}
			if len(errs) > 0 || rd.Value != tc.wantVal {
				t.Fatalf("got %s %q (errors %v), want %q", rd.ValueType, rd.Value, errs, tc.wantVal)
			}
			if err := rd.Validate(); err != nil {
				t.Fatalf("reading does not validate: %v", err)
			}
		})
	}
}

func TestForcedBinaryFromBase64(t *testing.T) {
	props := map[string]any{"valueTypes": map[string]any{"b": "Binary"}}
	rd, errs := oneReading(t, row.Col{Name: "b", Val: value.FromString("AQID")}, props)
	if len(errs) > 0 || string(rd.BinaryValue) != "\x01\x02\x03" {
		t.Fatalf("got %v %v", rd.BinaryValue, errs)
	}
	_, errs = oneReading(t, row.Col{Name: "b", Val: value.FromString("not base64!")}, props)
	if len(errs) != 1 || !errors.Is(errs[0], errKind) {
		t.Fatalf("want errKind, got %v", errs)
	}
}

func TestValueTypePrecedence(t *testing.T) {
	meta := value.FromObject(map[string]value.Value{
		"x": value.FromObject(map[string]value.Value{"valueType": value.FromString("Int16")}),
		"y": value.FromObject(map[string]value.Value{"valueType": value.FromString("Int16")}),
	})
	r := &row.Row{Cols: []row.Col{
		{Name: "x", Val: value.FromInt(5), Prov: prov("Int32")},
		{Name: "y", Val: value.FromInt(6), Prov: prov("Int32")},
		{Name: "z", Val: value.FromInt(7), Prov: prov("Int32")},
		{Name: "meta", Val: meta},
	}}
	p := testProps(t, map[string]any{"metadata": "meta", "valueTypes": map[string]any{"y": "Uint8"}})
	ev, errs := RowToEvent(r, p, "rule1", false)
	if len(errs) > 0 || len(ev.Readings) != 3 {
		t.Fatalf("got %d readings, errors %v", len(ev.Readings), errs)
	}
	got := []string{ev.Readings[0].ValueType, ev.Readings[1].ValueType, ev.Readings[2].ValueType}
	want := []string{"Int16", "Uint8", "Int32"} // metadata > provenance; property > metadata; provenance
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("reading %d: got %s, want %s (all %v)", i, got[i], want[i], got)
		}
	}
}

func TestBadValueTypesProperty(t *testing.T) {
	_, err := ParseEdgeXProps(map[string]any{"valueTypes": map[string]any{"a": "Int33"}}, "edgex")
	if err == nil {
		t.Fatal("want an error for an unknown value type")
	}
	_, err = ParseEdgeXProps(map[string]any{"valueTypes": []any{"Int32"}}, "edgex")
	if err == nil {
		t.Fatal("want an error for a non-object valueTypes")
	}
}
