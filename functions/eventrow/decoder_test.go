package eventrow

import (
	"math"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// TestAllValueTypes decodes one event carrying every valueType, null
// readings, numeric JSON values, an unknown type, an unnamed reading, an
// unparsable value and a duplicate name.
func TestAllValueTypes(t *testing.T) {
	log := &recLogger{}
	r, st := decodeFile(t, "all-types.json", Options{Logger: log})
	want := allTypesWant()
	if got := colNames(r); len(got) != len(want) {
		t.Fatalf("columns %v, want %d columns", got, len(want))
	}
	for i, w := range want {
		c := r.Cols[i]
		if c.Name != w.name || !value.Identical(c.Val, w.v) {
			t.Errorf("column %d: got %s=%s, want %s=%s", i, c.Name, show(c.Val), w.name, show(w.v))
		}
		if c.Prov == nil || c.Prov.ValueType == "" {
			t.Errorf("column %s: no provenance", c.Name)
		}
	}
	wantSt := Stats{Readings: 37, Columns: 34, NullReadings: 3, BadReadings: 1, UnknownTypes: 1, Unnamed: 1, Duplicates: 1}
	if st != wantSt {
		t.Errorf("stats %+v, want %+v", st, wantSt)
	}
	if p := r.Cols[10].Prov; p.ValueType != "Float32" || p.Units != "degC" {
		t.Errorf("Float32 provenance %+v", *p)
	}
	if p := r.Cols[12].Prov; p.ValueType != "Binary" || p.MediaType != "application/octet-stream" {
		t.Errorf("Binary provenance %+v", *p)
	}
	if p := r.Cols[32].Prov; p.ValueType != "Decimal128" {
		t.Errorf("unknown type provenance %+v", *p)
	}
	if r.ET != 1795479264161 || r.Topic != "edgex/events/device/t/all-types.json" {
		t.Errorf("ET %d topic %q", r.ET, r.Topic)
	}
	checkWarnings(t, log.warns)
}

// allTypesWant lists the columns of all-types.json in reading order.
func allTypesWant() []namedValue {
	return []namedValue{
		{"Bool", vB(true)},
		{"String", vS("hello \"world\" é")},
		{"Uint8", vI(255)},
		{"Uint16", vI(65535)},
		{"Uint32", vI(4294967295)},
		{"Uint64", vU(math.MaxUint64)},
		{"Int8", vI(-128)},
		{"Int16", vI(-32768)},
		{"Int32", vI(math.MinInt32)},
		{"Int64", vI(math.MinInt64)},
		{"Float32", vF(1.1)}, // 64-bit parse of the text, not 1.100000023841858
		{"Float64", vF(-2.5e-3)},
		{"Binary", value.FromBytes([]byte{1, 2, 3, 255})},
		{"BoolArray", vA(vB(true), vB(false), vB(true))},
		{"StringArray", vA(vS("a b"), vS("c, d"), vS(""))},
		{"Uint8Array", vA(vI(0), vI(255))},
		{"Uint16Array", vA(vI(1), vI(65535))},
		{"Uint32Array", vA(vI(1), vI(4294967295))},
		{"Uint64Array", vA(vI(1), vU(math.MaxUint64))},
		{"Int8Array", vA(vI(-128), vI(127))},
		{"Int16Array", vA(vI(-32768), vI(32767))},
		{"Int32Array", vA(vI(1), vI(-2), vI(3))},
		{"Int64Array", vA(vI(math.MaxInt64), vI(math.MinInt64))},
		{"Float32Array", vA(vF(1.1), vF(-2.5))},
		{"Float64Array", vA(vF(1.5), vF(2.25), vF(-3))},
		{"Object", vO("ok", vB(true), "temp", vF(21.5), "unit", vS("C"), "n", vU(12345678901234567890),
			"nested", vO("a", vA(vI(1), vI(2))))},
		{"ObjectArray", vA(vO("a", vI(1)), vO("a", vI(2)))},
		{"NullInt", value.NullValue},
		{"NullBinary", value.NullValue},
		{"NullObject", value.NullValue},
		{"NumericInt", vI(1234567890123)},
		{"NumericFloat", vF(21.5)},
		{"Mystery", vS("3.14159")},
		{"Dup", vI(2)},
	}
}

type namedValue struct {
	name string
	v    value.Value
}

func checkWarnings(t *testing.T, warns []string) {
	t.Helper()
	var bad, unknown bool
	for _, w := range warns {
		bad = bad || strings.Contains(w, `"AllTypes-Device"`) && strings.Contains(w, `"BadInt"`) &&
			strings.Contains(w, "Int8") && strings.Contains(w, `"300"`)
		unknown = unknown || strings.Contains(w, `"Mystery"`) && strings.Contains(w, "Decimal128")
	}
	if !bad || !unknown || len(warns) != 2 {
		t.Errorf("warnings %q: want one naming device/resource/valueType/value of BadInt and one for Mystery", warns)
	}
}

// TestEncodings decodes the same kinds of event in every wire form.
func TestEncodings(t *testing.T) {
	cases := []struct {
		file, col string
		want      value.Value
		corr      string
		opt       Options
	}{
		{"device-virtual.json", "Float64Array", vA(vF(1.5), vF(2.25), vF(-3)), "14a42ea6-c394-41c3-8bcd-a29b9f5e6835", Options{}},
		{"bench-4readings.json", "Status", vS("running"), "5b0a1f7e-6c1d-4a8e-b1c2-3d4e5f6a7b8c", Options{}},
		{"base64-payload.json", "Int16", vI(-7), "corr-b64", Options{}},
		{"v2-pascalcase.json", "Int16", vI(-7), "corr-v2", Options{}},
		{"cbor-payload.json", "Image", value.FromBytes([]byte{0x89, 'P', 'N', 'G', 0, 1, 2}), "corr-cbor", Options{}},
		{"cbor-payload.json", "Gains", vA(vF(1.1), vF(-2.5)), "corr-cbor", Options{}},
		{"cbor-payload.json", "Meta", vO("w", vI(640), "h", vI(480)), "corr-cbor", Options{}},
		{"whole-cbor.cbor", "Exposure", vI(-42), "corr-whole", Options{}},
		{"whole-cbor.cbor", "Image", value.FromBytes([]byte{0x89, 'P', 'N', 'G', 0, 1, 2}), "corr-whole", Options{}},
		{"whole-cbor-bytes.cbor", "Exposure", vI(-42), "corr-whole-bytes", Options{}},
		{"optimized-payload.json", "Temperature", vF(21.5), "corr-opt", Options{OptimizedPayload: true}},
	}
	for _, c := range cases {
		t.Run(c.file+"/"+c.col, func(t *testing.T) {
			r, _ := decodeFile(t, c.file, c.opt)
			got, ok := r.Get(c.col)
			if !ok || !value.Identical(got, c.want) {
				t.Fatalf("%s = %s (present %v), want %s; columns %v", c.col, show(got), ok, show(c.want), colNames(r))
			}
			if corr, _ := r.Meta.Get("correlationid"); corr.Str() != c.corr {
				t.Errorf("correlationid %q, want %q", corr.Str(), c.corr)
			}
			if r.ET <= 0 {
				t.Errorf("ET %d", r.ET)
			}
		})
	}
}

// TestCBORBinaryProvenance checks the media type of a CBOR Binary reading.
func TestCBORBinaryProvenance(t *testing.T) {
	r, st := decodeFile(t, "cbor-payload.json", Options{})
	i := r.Index("Image")
	if i < 0 || r.Cols[i].Prov.MediaType != "image/png" || r.Cols[i].Prov.ValueType != "Binary" {
		t.Fatalf("Image column %+v", r.Cols)
	}
	if st.Columns != 4 || st.BadReadings != 0 {
		t.Errorf("stats %+v", st)
	}
	if tags, _ := r.Meta.Get("tags"); !value.Identical(tags, vO("site", vS("lab"))) {
		t.Errorf("tags %s", show(tags))
	}
}

func TestOldStringArray(t *testing.T) {
	r, st := decodeFile(t, "old-stringarray.json", Options{})
	want := map[string]value.Value{
		"Names": vA(vS("a"), vS("b"), vS("c")),
		"Nums":  vA(vS("1"), vS("2")), // valid JSON, but not strings: the old form of ["1","2"]
		"Empty": vA(),
	}
	for k, w := range want {
		if got, _ := r.Get(k); !value.Identical(got, w) {
			t.Errorf("%s = %s, want %s", k, show(got), show(w))
		}
	}
	if st.LossyStringArrays != 2 {
		t.Errorf("lossy %d, want 2", st.LossyStringArrays)
	}
}

func TestOptimizedPayloadFill(t *testing.T) {
	r, _ := decodeFile(t, "optimized-payload.json", Options{OptimizedPayload: true})
	m, ok := r.Meta.Get("Temperature")
	if !ok {
		t.Fatal("no reading metadata")
	}
	o := m.Obj()
	if o["deviceName"].Str() != "Opt-Device" || o["profileName"].Str() != "Opt-Profile" || o["origin"].Int() != 1795479264161465074 {
		t.Errorf("reading meta not filled from the event: %s", show(m))
	}
	// Without the option the unnamed single reading is skipped.
	_, _, err := NewDecoder(Options{}).DecodeMessage("t", readFile(t, "optimized-payload.json"))
	if !isNoReadings(err) {
		t.Errorf("without OptimizedPayload: err %v, want ErrNoReadings", err)
	}
}

// TestDecoderReuse checks that rows survive later decodes: strings live in
// arena chunks that are never rewritten, not in the reused parser buffers.
func TestDecoderReuse(t *testing.T) {
	d := NewDecoder(Options{})
	first, _, err := d.DecodeMessage("a", readFile(t, "all-types.json"))
	if err != nil {
		t.Fatal(err)
	}
	before := show(first.Object()) + show(first.Meta.All())
	for _, f := range []string{"device-virtual.json", "base64-payload.json", "cbor-payload.json", "bench-4readings.json"} {
		for i := 0; i < 300; i++ {
			if _, _, err := d.DecodeMessage("b", readFile(t, f)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if after := show(first.Object()) + show(first.Meta.All()); after != before {
		t.Fatalf("first row changed after later decodes:\nbefore %s\nafter  %s", before, after)
	}
}
