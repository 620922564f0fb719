package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/google/uuid"
)

func mqttClient(t *testing.T) paho.Client {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker("tcp://127.0.0.1:1883").
		SetClientID("oort-e2e-" + uuid.NewString()[:8]).SetOrderMatters(true))
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("connecting to Mosquitto 127.0.0.1:1883: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

// allTypesEvent has one reading of each of the 27 EdgeX value types.
func allTypesEvent(device string) dtos.Event {
	ev := dtos.NewEvent("e2e-profile", device, "all")
	add := func(name, vt string, v any) {
		if err := ev.AddSimpleReading(name, vt, v); err != nil {
			panic(fmt.Sprintf("%s: %v", name, err))
		}
	}
	add("Bool", common.ValueTypeBool, true)
	add("String", common.ValueTypeString, "héllo, world")
	add("Uint8", common.ValueTypeUint8, uint8(200))
	add("Uint16", common.ValueTypeUint16, uint16(60000))
	add("Uint32", common.ValueTypeUint32, uint32(4000000000))
	add("Uint64", common.ValueTypeUint64, uint64(18446744073709551615))
	add("Int8", common.ValueTypeInt8, int8(-100))
	add("Int16", common.ValueTypeInt16, int16(-30000))
	add("Int32", common.ValueTypeInt32, int32(-42))
	add("Int64", common.ValueTypeInt64, int64(-9223372036854775807))
	add("Float32", common.ValueTypeFloat32, float32(1.1))
	add("Float64", common.ValueTypeFloat64, 2.2250738585072014e-300)
	add("BoolArray", common.ValueTypeBoolArray, []bool{true, false})
	add("StringArray", common.ValueTypeStringArray, []string{"a b", "c,d"})
	add("Uint8Array", common.ValueTypeUint8Array, []uint8{1, 255})
	add("Uint16Array", common.ValueTypeUint16Array, []uint16{2, 65535})
	add("Uint32Array", common.ValueTypeUint32Array, []uint32{3, 4294967295})
	add("Uint64Array", common.ValueTypeUint64Array, []uint64{4, 18446744073709551615})
	add("Int8Array", common.ValueTypeInt8Array, []int8{-5, 127})
	add("Int16Array", common.ValueTypeInt16Array, []int16{-6, 32767})
	add("Int32Array", common.ValueTypeInt32Array, []int32{-7, 2147483647})
	add("Int64Array", common.ValueTypeInt64Array, []int64{-8, 9223372036854775807})
	add("Float32Array", common.ValueTypeFloat32Array, []float32{1.5, -0.25})
	add("Float64Array", common.ValueTypeFloat64Array, []float64{1e-10, 3.75})
	ev.AddBinaryReading("Binary", []byte{0, 1, 2, 254, 255}, "application/octet-stream")
	ev.AddObjectReading("Object", map[string]any{"ok": true, "temp": 21.5, "unit": "C"})
	ev.Readings = append(ev.Readings, dtos.NewObjectReadingWithArray("e2e-profile", device, "ObjectArray", []any{map[string]any{"a": 1.0}, map[string]any{"a": 2.0}}))
	ev.Readings[0].Units = "flag"
	return ev
}

func publishEvent(t *testing.T, c paho.Client, topic string, ev dtos.Event) {
	t.Helper()
	env := types.MessageEnvelope{CorrelationID: uuid.NewString(), Payload: requests.NewAddEventRequest(ev), ContentType: common.ContentTypeJSON}
	env.ApiVersion = common.ApiVersion
	b, err := json.Marshal(env)
	must(t, err)
	if tok := c.Publish(topic, 0, false, b); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("publish: %v", tok.Error())
	}
}

// TestValueTypeRoundTrip: every value type in → edgex sink out, types and
// values equal, readings in order.
func TestValueTypeRoundTrip(t *testing.T) {
	s := startService(t, t.TempDir(), freePort(t))
	defer s.stop()
	dev := "rt-" + uuid.NewString()[:8]
	s.expect("POST", "/streams", fmt.Sprintf(`{"sql":"CREATE STREAM rtIn () WITH (TYPE=\"edgex\", DATASOURCE=\"edgex/events/device/+/+/%s/#\")"}`, dev), 201, "")
	s.expect("POST", "/rules", fmt.Sprintf(`{"id":"rt","sql":"SELECT * FROM rtIn","actions":[{"edgex":{"topic":"e2e/out/%s","deviceName":"%s"}}]}`, dev, dev), 201, "")
	assertRuleStatus(t, s, "rt", "running")

	c := mqttClient(t)
	got := make(chan []byte, 1)
	tok := c.Subscribe("edgex/e2e/out/"+dev, 0, func(_ paho.Client, m paho.Message) { got <- append([]byte(nil), m.Payload()...) })
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	in := allTypesEvent(dev)
	publishEvent(t, c, "edgex/events/device/e2e-svc/e2e-profile/"+dev+"/all", in)
	var raw []byte
	select {
	case raw = <-got:
	case <-time.After(10 * time.Second):
		_, _, st := s.call("GET", "/rules/rt/status", "")
		t.Fatalf("no output event within 10s; status: %s", st)
	}
	out := decodePublishedEvent(t, raw)
	compareReadings(t, in, out)
}

func decodePublishedEvent(t *testing.T, raw []byte) dtos.Event {
	t.Helper()
	var env struct {
		ContentType string          `json:"contentType"`
		Payload     json.RawMessage `json:"payload"`
	}
	must(t, json.Unmarshal(raw, &env))
	var ev dtos.Event
	dec := json.NewDecoder(bytes.NewReader(env.Payload))
	dec.UseNumber()
	must(t, dec.Decode(&ev))
	if err := common.Validate(ev); err != nil {
		t.Fatalf("published event is not valid: %v", err)
	}
	return ev
}

func compareReadings(t *testing.T, in, out dtos.Event) {
	t.Helper()
	if len(in.Readings) != len(out.Readings) {
		t.Fatalf("got %d readings, want %d", len(out.Readings), len(in.Readings))
	}
	for i, want := range in.Readings {
		got := out.Readings[i]
		if got.ResourceName != want.ResourceName || got.ValueType != want.ValueType || got.Units != want.Units || got.MediaType != want.MediaType {
			t.Errorf("reading %d: got %s/%s units %q media %q, want %s/%s units %q media %q", i,
				got.ResourceName, got.ValueType, got.Units, got.MediaType, want.ResourceName, want.ValueType, want.Units, want.MediaType)
			continue
		}
		switch want.ValueType {
		case common.ValueTypeBinary:
			if !bytes.Equal(got.BinaryValue, want.BinaryValue) {
				t.Errorf("%s: got %v, want %v", want.ResourceName, got.BinaryValue, want.BinaryValue)
			}
		case common.ValueTypeObject, common.ValueTypeObjectArray:
			g, _ := json.Marshal(got.ObjectValue)
			w, _ := json.Marshal(want.ObjectValue)
			if !jsonEqual(g, w) {
				t.Errorf("%s: got %s, want %s", want.ResourceName, g, w)
			}
		default:
			if normalise(got.Value) != normalise(want.Value) {
				t.Errorf("%s: got %q, want %q", want.ResourceName, got.Value, want.Value)
			}
		}
	}
}

// normalise makes textual forms comparable: EdgeX writes floats in e
// notation with varying precision and arrays with or without spaces.
func normalise(s string) string {
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err == nil {
		b, _ := json.Marshal(canonNumbers(v))
		return string(b)
	}
	return strings.TrimSpace(s)
}

// canonNumbers keeps integers exact and renders floats in one form.
func canonNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if !strings.ContainsAny(x.String(), ".eE") {
			return x.String()
		}
		f, _ := strconv.ParseFloat(x.String(), 64)
		return strconv.FormatFloat(f, 'g', -1, 64)
	case []any:
		for i := range x {
			x[i] = canonNumbers(x[i])
		}
	}
	return v
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
