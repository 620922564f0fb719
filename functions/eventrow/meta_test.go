package eventrow

import (
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

func TestMetaEventKeys(t *testing.T) {
	r, _ := decodeFile(t, "all-types.json", Options{})
	want := map[string]value.Value{
		"id":            vS("ev-alltypes"),
		"deviceName":    vS("AllTypes-Device"),
		"profileName":   vS("AllTypes-Profile"),
		"sourceName":    vS("AllTypes"),
		"origin":        vI(1795479264161465074),
		"tags":          vO("site", vS("lab"), "floor", vI(3)),
		"correlationid": vS("corr-alltypes"),
		"receivedTopic": vS("edgex/events/device/t/all-types.json"),
	}
	for k, w := range want {
		got, ok := r.Meta.Get(k)
		if !ok || !value.Identical(got, w) {
			t.Errorf("meta(%s) = %s, want %s", k, show(got), show(w))
		}
	}
	if _, ok := r.Meta.Get("apiVersion"); ok {
		t.Error("apiVersion must not be exposed")
	}
}

func TestMetaReadingKeys(t *testing.T) {
	r, _ := decodeFile(t, "all-types.json", Options{})
	f32, _ := r.Meta.Get("Float32")
	want := vO("id", vS("r-Float32"), "origin", vI(1795479264161400000), "deviceName", vS("AllTypes-Device"),
		"profileName", vS("AllTypes-Profile"), "valueType", vS("Float32"), "units", vS("degC"), "tags", vO())
	if !value.Identical(f32, want) {
		t.Errorf("meta(Float32) = %s, want %s", show(f32), show(want))
	}
	bin, _ := r.Meta.Get("Binary")
	if bin.Obj()["mediaType"].Str() != "application/octet-stream" {
		t.Errorf("meta(Binary) lacks mediaType: %s", show(bin))
	}
	if _, has := f32.Obj()["mediaType"]; has {
		t.Error("mediaType must be absent when empty")
	}
	// An unparsable reading has no column but keeps its metadata.
	if bad, ok := r.Meta.Get("BadInt"); !ok || bad.Obj()["valueType"].Str() != "Int8" {
		t.Errorf("meta(BadInt) = %s", show(bad))
	}
	// Duplicate names: the last reading's metadata wins.
	if dup, _ := r.Meta.Get("Dup"); !value.Identical(dup.Obj()["tags"], vO("k", vS("v"))) {
		t.Errorf("meta(Dup) = %s, want the last reading's", show(dup))
	}
	if _, ok := r.Meta.Get("NoSuchReading"); ok {
		t.Error("unknown key reported present")
	}
}

// TestMetaEventKeysWin: a reading named like an event key is an ordinary
// column, but meta(<key>) returns the event value (as eKuiper).
func TestMetaEventKeysWin(t *testing.T) {
	msg := `{"apiVersion":"v3","correlationID":"c1","payload":{"event":{"id":"e1","deviceName":"D","profileName":"P","sourceName":"S","origin":5000000,
	"readings":[{"id":"r1","origin":7,"deviceName":"D","profileName":"P","resourceName":"origin","valueType":"Int64","value":"42"},
	{"id":"r2","origin":8,"deviceName":"D","profileName":"P","resourceName":"deviceName","valueType":"String","value":"col"}]}},"contentType":"application/json"}`
	r, _, err := NewDecoder(Options{}).DecodeMessage("t", []byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Get("origin"); v.Int() != 42 {
		t.Errorf("column origin = %s", show(v))
	}
	if v, _ := r.Get("deviceName"); v.Str() != "col" {
		t.Errorf("column deviceName = %s", show(v))
	}
	if v, _ := r.Meta.Get("origin"); v.Int() != 5000000 {
		t.Errorf("meta(origin) = %s, want the event origin", show(v))
	}
	all := r.Meta.All().Obj()
	if all["origin"].Int() != 5000000 || all["deviceName"].Str() != "D" || all["correlationid"].Str() != "c1" {
		t.Errorf("meta(*) event keys: %s", show(r.Meta.All()))
	}
	if r.ET != 5 {
		t.Errorf("ET = %d, want 5 (origin ns → ms)", r.ET)
	}
}

func TestMetaAll(t *testing.T) {
	r, _ := decodeFile(t, "device-virtual.json", Options{})
	all := r.Meta.All().Obj()
	for _, k := range []string{"id", "deviceName", "profileName", "sourceName", "origin", "tags", "correlationid", "receivedTopic", "Int32", "Float64Array", "Object"} {
		if _, ok := all[k]; !ok {
			t.Errorf("meta(*) lacks %q", k)
		}
	}
	if len(all) != 11 {
		t.Errorf("meta(*) has %d keys, want 11: %s", len(all), show(r.Meta.All()))
	}
	if vt := all["Int32"].Obj()["valueType"].Str(); vt != "Int32" {
		t.Errorf("meta(Int32->valueType) = %q", vt)
	}
}
