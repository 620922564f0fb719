package trigger

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/fxamacker/cbor/v2"
	"github.com/oort-rules/oort/functions/eventrow"
	"github.com/oort-rules/oort/rules/value"
)

func b64f32(f float32) string {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, math.Float32bits(f))
	return base64.StdEncoding.EncodeToString(b)
}

func b64f64(f float64) string {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, math.Float64bits(f))
	return base64.StdEncoding.EncodeToString(b)
}

const (
	v1EventID = "5f1c2a3b-9d4e-4f60-8a7b-1c2d3e4f5a6b"
	v1Origin  = int64(1600000000123456789)
)

// fullV1Event is an EdgeX 1.x (Hanoi) event exercising every mapping: v1
// housekeeping fields, both float encodings, a float without encoding
// (device-sdk-go 1.x then sent Base64), an upper-case valueType, a binary
// reading, readings without device or origin.
func fullV1Event() map[string]any {
	return map[string]any{
		"id": v1EventID, "pushed": 1, "created": 2, "modified": 3, "device": "Random-Device",
		"origin": v1Origin, "tags": map[string]string{"site": "north", "line": "2"},
		"readings": []map[string]any{
			{"id": "9b3e1c40-7a2d-4e55-b9e0-0f1e2d3c4b5a", "pushed": 4, "created": 5, "modified": 6, "origin": v1Origin + 1,
				"device": "Random-Device", "name": "temp", "value": "-42", "valueType": "Int32"},
			{"id": "r2", "origin": v1Origin + 2, "device": "Random-Device", "name": "f32", "value": b64f32(1.1),
				"valueType": "Float32", "floatEncoding": "Base64"},
			{"id": "r3", "origin": v1Origin + 3, "device": "Random-Device", "name": "f64", "value": b64f64(-2.5e-300),
				"valueType": "Float64", "floatEncoding": "Base64"},
			{"id": "r4", "origin": v1Origin + 4, "device": "Random-Device", "name": "e64", "value": "1.234000e+02",
				"valueType": "Float64", "floatEncoding": "eNotation"},
			{"id": "r5", "origin": v1Origin + 5, "name": "raw32", "value": b64f32(-0.5), "valueType": "Float32"},
			{"id": "r6", "name": "counter", "value": "7", "valueType": "INT16"},
			{"id": "r7", "origin": v1Origin + 7, "device": "Cam", "name": "img", "binaryValue": []byte{1, 2, 3},
				"mediaType": "image/png", "valueType": "Binary"},
		},
	}
}

func wantV4Event() v4Event {
	rd := func(id string, origin int64, dev, name, vt, val string) v4Reading {
		return v4Reading{ID: id, Origin: origin, DeviceName: dev, ResourceName: name, ProfileName: "unknown", ValueType: vt, Value: val}
	}
	img := rd("r7", v1Origin+7, "Cam", "img", "Binary", "")
	img.BinaryValue, img.MediaType = []byte{1, 2, 3}, "image/png"
	return v4Event{
		APIVersion: "v3", ID: v1EventID, DeviceName: "Random-Device", ProfileName: "unknown", SourceName: "temp",
		Origin: v1Origin, Tags: map[string]string{"site": "north", "line": "2"},
		Readings: []v4Reading{
			rd("9b3e1c40-7a2d-4e55-b9e0-0f1e2d3c4b5a", v1Origin+1, "Random-Device", "temp", "Int32", "-42"),
			rd("r2", v1Origin+2, "Random-Device", "f32", "Float32", "1.1e+00"),
			rd("r3", v1Origin+3, "Random-Device", "f64", "Float64", "-2.5e-300"),
			rd("r4", v1Origin+4, "Random-Device", "e64", "Float64", "1.234000e+02"),
			rd("r5", v1Origin+5, "Random-Device", "raw32", "Float32", "-5e-01"),
			rd("r6", v1Origin, "Random-Device", "counter", "Int16", "7"),
			img,
		},
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConvertV1EventMapping(t *testing.T) {
	cborPayload, err := cbor.Marshal(fullV1Event())
	if err != nil {
		t.Fatal(err)
	}
	inputs := []struct {
		name, ct string
		payload  []byte
	}{
		{"json", "application/json", mustJSON(t, fullV1Event())},
		{"json sniffed", "", mustJSON(t, fullV1Event())},
		{"cbor", "application/cbor", cborPayload},
		{"cbor sniffed", "", cborPayload},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			out, err := ConvertV1Event(in.payload, in.ct)
			if err != nil {
				t.Fatal(err)
			}
			for _, dropped := range []string{`"pushed"`, `"created"`, `"modified"`, `"device"`, `"name"`, `"floatEncoding"`} {
				if bytes.Contains(out, []byte(dropped)) {
					t.Errorf("output still has %s: %s", dropped, out)
				}
			}
			var got v4Event
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if want := wantV4Event(); !reflect.DeepEqual(got, want) {
				t.Errorf("converted event\n got %+v\nwant %+v", got, want)
			}
			checkWithEventrow(t, out)
			checkDTOValidates(t, out)
		})
	}
}

// checkWithEventrow decodes the converted event the way Oort does and checks
// the columns and the metadata.
func checkWithEventrow(t *testing.T, out []byte) {
	t.Helper()
	r, _, err := eventrow.NewDecoder(eventrow.Options{}).DecodeEvent(out, "application/json", "events", "corr-1")
	if err != nil {
		t.Fatalf("eventrow rejects the converted event: %v\n%s", err, out)
	}
	cols := map[string]value.Value{
		"temp": value.FromInt(-42), "f32": value.FromFloat(1.1), "f64": value.FromFloat(-2.5e-300),
		"e64": value.FromFloat(123.4), "raw32": value.FromFloat(-0.5), "counter": value.FromInt(7),
		"img": value.FromBytes([]byte{1, 2, 3}),
	}
	if len(r.Cols) != len(cols) {
		t.Errorf("row has %d columns, want %d", len(r.Cols), len(cols))
	}
	for name, want := range cols {
		got, ok := r.Get(name)
		if !ok || got.Kind() != want.Kind() || !reflect.DeepEqual(got, want) {
			t.Errorf("column %s = %v (%v), want %v", name, got, got.Kind(), want)
		}
	}
	meta := map[string]value.Value{
		"id": value.FromString(v1EventID), "deviceName": value.FromString("Random-Device"),
		"profileName": value.FromString("unknown"), "sourceName": value.FromString("temp"),
		"origin": value.FromInt(v1Origin), "correlationid": value.FromString("corr-1"),
	}
	for key, want := range meta {
		if got, _ := r.Meta.Get(key); !reflect.DeepEqual(got, want) {
			t.Errorf("meta(%s) = %v, want %v", key, got, want)
		}
	}
	if tags, _ := r.Meta.Get("tags"); tags.Obj()["site"].Str() != "north" || tags.Obj()["line"].Str() != "2" {
		t.Errorf("meta(tags) = %v", tags)
	}
	img, _ := r.Meta.Get("img")
	o := img.Obj()
	if o["deviceName"].Str() != "Cam" || o["profileName"].Str() != "unknown" || o["valueType"].Str() != "Binary" ||
		o["mediaType"].Str() != "image/png" || o["id"].Str() != "r7" || o["origin"].Int() != v1Origin+7 {
		t.Errorf("meta(img) = %v", img)
	}
	counter, _ := r.Meta.Get("counter")
	if o := counter.Obj(); o["deviceName"].Str() != "Random-Device" || o["origin"].Int() != v1Origin || o["valueType"].Str() != "Int16" {
		t.Errorf("meta(counter) = %v (reading without device/origin takes the event's)", counter)
	}
}

// checkDTOValidates runs the EdgeX 4 DTO validation on the converted event.
func checkDTOValidates(t *testing.T, out []byte) {
	t.Helper()
	req := []byte(`{"apiVersion":"v3","requestId":"3c9a61c6-27a4-4c30-a8b4-6f1a0d2e9b11","event":` + string(out) + `}`)
	var r requests.AddEventRequest
	if err := r.UnmarshalJSON(req); err != nil {
		t.Errorf("the v4 DTO rejects the converted event: %v", err)
	}
}

// TestConvertV1Floats checks the Base64 float decoding on edge values.
func TestConvertV1Floats(t *testing.T) {
	cases := []struct {
		vt, enc, value, want string
	}{
		{"Float32", "Base64", b64f32(3.4028235e38), "3.4028235e+38"},
		{"Float32", "Base64", b64f32(1e-45), "1e-45"},
		{"Float32", "base64", b64f32(0), "0e+00"},
		{"Float64", "Base64", b64f64(math.MaxFloat64), "1.7976931348623157e+308"},
		{"Float64", "Base64", b64f64(math.Inf(-1)), "-Inf"},
		{"Float64", "Base64", b64f64(0.1), "1e-01"},
		{"Float64", "eNotation", "6.400000e+01", "6.400000e+01"},
		{"Float64", "", "12.5", "12.5"},
		{"Float64", "", b64f64(12.5), "1.25e+01"},
		{"Float32Array", "Base64", "[1.5,2]", "[1.5,2]"}, // encoding only applies to scalars
	}
	for _, c := range cases {
		ev := map[string]any{"device": "d", "readings": []map[string]any{
			{"name": "x", "valueType": c.vt, "floatEncoding": c.enc, "value": c.value}}}
		out, err := ConvertV1Event(mustJSON(t, ev), "application/json")
		if err != nil {
			t.Errorf("%s %s %q: %v", c.vt, c.enc, c.value, err)
			continue
		}
		var got v4Event
		_ = json.Unmarshal(out, &got)
		if got.Readings[0].Value != c.want || got.Readings[0].ValueType != c.vt {
			t.Errorf("%s %s %q: value %q type %q, want %q", c.vt, c.enc, c.value, got.Readings[0].Value, got.Readings[0].ValueType, c.want)
		}
	}
}

// TestConvertV1InferredValueType covers readings without valueType.
func TestConvertV1InferredValueType(t *testing.T) {
	cases := []struct {
		reading   map[string]any
		vt, value string
	}{
		{map[string]any{"name": "x", "value": "abc"}, "String", "abc"},
		{map[string]any{"name": "x", "binaryValue": []byte{9}, "mediaType": "application/octet-stream"}, "Binary", ""},
		{map[string]any{"name": "x", "floatEncoding": "Base64", "value": b64f32(2)}, "Float32", "2e+00"},
		{map[string]any{"name": "x", "floatEncoding": "Base64", "value": b64f64(2)}, "Float64", "2e+00"},
		{map[string]any{"name": "x", "floatEncoding": "eNotation", "value": "2.000000e+00"}, "Float64", "2.000000e+00"},
	}
	for _, c := range cases {
		out, err := ConvertV1Event(mustJSON(t, map[string]any{"device": "d", "readings": []any{c.reading}}), "")
		if err != nil {
			t.Errorf("%v: %v", c.reading, err)
			continue
		}
		var got v4Event
		_ = json.Unmarshal(out, &got)
		if r := got.Readings[0]; r.ValueType != c.vt || r.Value != c.value {
			t.Errorf("%v: valueType %q value %q, want %q %q", c.reading, r.ValueType, r.Value, c.vt, c.value)
		}
	}
}

func TestConvertV1Malformed(t *testing.T) {
	badCBOR, _ := cbor.Marshal(map[string]any{"device": "d", "readings": []any{map[string]any{"name": "x", "value": 5}}})
	badTags, _ := cbor.Marshal(map[string]any{"device": "d", "tags": map[string]any{"a": 1}, "readings": []any{map[string]any{"name": "x"}}})
	cases := []struct {
		name, ct, payload string
		want              []string // all must appear in the error
	}{
		{"empty", "application/json", "  \n", []string{"payload is empty"}},
		{"not json", "application/json", "{nope", []string{"not a valid JSON event"}},
		{"trailing data", "application/json", `{"device":"d","readings":[{"name":"x"}]} x`, []string{"not a valid JSON event"}},
		{"not cbor", "application/cbor", "\xff\x00", []string{"not a valid CBOR event"}},
		{"no device", "", `{"id":"e1","readings":[{"name":"x","value":"1","valueType":"Int32"}]}`, []string{`event "e1"`, "device: missing"}},
		{"v4 event", "", `{"id":"e1","deviceName":"d","profileName":"p","sourceName":"s","readings":[{"resourceName":"x"}]}`, []string{"device: missing"}},
		{"no readings", "", `{"device":"d"}`, []string{"readings: missing or empty"}},
		{"empty readings", "", `{"device":"d","readings":[]}`, []string{"readings: missing or empty"}},
		{"readings not array", "", `{"device":"d","readings":{}}`, []string{"readings: expected an array, got JSON object"}},
		{"origin not number", "", `{"device":"d","origin":"x","readings":[{"name":"x"}]}`, []string{"origin: expected an integer, got JSON string"}},
		{"tags not strings", "", `{"device":"d","tags":{"a":1},"readings":[{"name":"x"}]}`, []string{"tags: expected a string, got JSON number"}},
		{"reading without name", "", `{"device":"d","readings":[{"name":"a"},{"value":"1"}]}`, []string{"readings[1].name: missing"}},
		{"value not string", "", `{"device":"d","readings":[{"name":"a"},{"name":"b","value":5}]}`, []string{"readings[1].value: expected a string, got JSON number"}},
		{"value not string (CBOR)", "application/cbor", string(badCBOR), []string{"readings[0].value: expected a string, got CBOR positive integer"}},
		{"tags not strings (CBOR)", "application/cbor", string(badTags), []string{"tags: expected a string, got CBOR positive integer"}},
		{"reading not object", "", `{"device":"d","readings":[7]}`, []string{"readings[0]: expected an object, got JSON number"}},
		{"array not event", "", `[1]`, []string{"expected an object, got JSON array"}},
		{"binary not base64", "", `{"id":"e","device":"d","readings":[{"name":"a","binaryValue":5}]}`,
			[]string{`event "e": readings[0].binaryValue: expected base64 text, got JSON number`}},
		{"bad base64", "", `{"device":"d","readings":[{"name":"f","valueType":"Float32","floatEncoding":"Base64","value":"!!"}]}`,
			[]string{"readings[0].value", "not base64"}},
		{"float32 width", "", `{"device":"d","readings":[{"name":"f","valueType":"Float32","floatEncoding":"Base64","value":"` + b64f64(1) + `"}]}`,
			[]string{"readings[0].value", "Float32 holds 4 bytes", "got 8"}},
		{"float64 width", "", `{"device":"d","readings":[{"name":"f","valueType":"Float64","floatEncoding":"Base64","value":"` + b64f32(1) + `"}]}`,
			[]string{"readings[0].value", "Float64 holds 8 bytes", "got 4"}},
		{"inferred width", "", `{"device":"d","readings":[{"name":"f","floatEncoding":"Base64","value":"AAA="}]}`,
			[]string{"readings[0].value", "neither a Float32"}},
		{"unknown encoding", "", `{"device":"d","readings":[{"name":"f","valueType":"Float64","floatEncoding":"hex","value":"00"}]}`,
			[]string{"readings[0].floatEncoding", `"hex"`}},
	}
	for _, c := range cases {
		out, err := ConvertV1Event([]byte(c.payload), c.ct)
		if err == nil {
			t.Errorf("%s: no error, got %s", c.name, out)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", c.name, err, w)
			}
		}
		if !strings.HasPrefix(err.Error(), "EdgeX 1.x event: ") {
			t.Errorf("%s: error %q does not say what was converted", c.name, err)
		}
	}
}

// FuzzConvertV1Event checks that no input panics and that every accepted
// event is one eventrow can decode.
func FuzzConvertV1Event(f *testing.F) {
	f.Add(mustJSON(f, fullV1Event()), "application/json")
	c, _ := cbor.Marshal(fullV1Event())
	f.Add(c, "application/cbor")
	f.Add([]byte(`{"device":"d","readings":[{"name":"f","valueType":"Float32","value":"AAAAAA=="}]}`), "")
	f.Fuzz(func(t *testing.T, payload []byte, ct string) {
		out, err := ConvertV1Event(payload, ct)
		if err != nil {
			return
		}
		var ev v4Event
		if err := json.Unmarshal(out, &ev); err != nil || ev.DeviceName == "" || len(ev.Readings) == 0 || ev.SourceName == "" {
			t.Fatalf("accepted %q but produced %s (%v)", payload, out, err)
		}
	})
}

func BenchmarkConvertV1Event(b *testing.B) {
	payload := mustJSON(b, fullV1Event())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ConvertV1Event(payload, "application/json"); err != nil {
			b.Fatal(err)
		}
	}
}
