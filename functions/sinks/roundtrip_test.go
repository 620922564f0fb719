package sinks

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/google/uuid"

	"github.com/oort-rules/oort/functions/eventrow"
	"github.com/oort-rules/oort/rules/row"
)

// allTypesEvent builds one event holding each of the 27 EdgeX value types,
// with the exact Go kinds AddSimpleReading requires.
func allTypesEvent(t *testing.T) dtos.Event {
	t.Helper()
	ev := dtos.NewEvent("RT-Profile", "RT-Device", "RTSource")
	simple := []struct {
		vt string
		v  any
	}{
		{common.ValueTypeBool, true},
		{common.ValueTypeString, "héllo, \"world\""},
		{common.ValueTypeUint8, uint8(math.MaxUint8)},
		{common.ValueTypeUint16, uint16(math.MaxUint16)},
		{common.ValueTypeUint32, uint32(math.MaxUint32)},
		{common.ValueTypeUint64, uint64(math.MaxUint64)},
		{common.ValueTypeInt8, int8(math.MinInt8)},
		{common.ValueTypeInt16, int16(math.MinInt16)},
		{common.ValueTypeInt32, int32(math.MinInt32)},
		{common.ValueTypeInt64, int64(math.MinInt64)},
		{common.ValueTypeFloat32, float32(1.1)},
		{common.ValueTypeFloat64, 64 / 3.0},
		{common.ValueTypeBoolArray, []bool{true, false, true}},
		{common.ValueTypeStringArray, []string{"a b", "c, d", ""}},
		{common.ValueTypeUint8Array, []uint8{0, 255}},
		{common.ValueTypeUint16Array, []uint16{0, 65535}},
		{common.ValueTypeUint32Array, []uint32{0, 4294967295}},
		{common.ValueTypeUint64Array, []uint64{0, math.MaxUint64}},
		{common.ValueTypeInt8Array, []int8{-128, 127}},
		{common.ValueTypeInt16Array, []int16{-32768, 32767}},
		{common.ValueTypeInt32Array, []int32{math.MinInt32, math.MaxInt32}},
		{common.ValueTypeInt64Array, []int64{math.MinInt64, math.MaxInt64}},
		{common.ValueTypeFloat32Array, []float32{1.5, -3, 1.1}},
		{common.ValueTypeFloat64Array, []float64{1.5, 2.25, -3, 1e-7}},
	}
	for _, s := range simple {
		if err := ev.AddSimpleReading(s.vt, s.vt, s.v); err != nil {
			t.Fatalf("AddSimpleReading %s: %v", s.vt, err)
		}
	}
	ev.AddBinaryReading(common.ValueTypeBinary, []byte{0, 1, 2, 0xfe, 0xff}, "image/png")
	ev.AddObjectReading(common.ValueTypeObject, map[string]any{
		"ok": true, "temp": 21.5, "unit": "C", "n": 3, "nested": map[string]any{"list": []any{1, "x", nil}},
	})
	ev.Readings = append(ev.Readings, dtos.NewObjectReadingWithArray(ev.ProfileName, ev.DeviceName,
		common.ValueTypeObjectArray, []any{map[string]any{"a": 1}, map[string]any{"a": 2.5, "b": "z"}}))
	for i := range ev.Readings {
		ev.Readings[i].Units = "u-" + ev.Readings[i].ValueType
	}
	if len(ev.Readings) != 27 {
		t.Fatalf("want 27 readings, built %d", len(ev.Readings))
	}
	return ev
}

// TestValueTypeRoundTrip is the acceptance test of the edgex sink: an event
// with all 27 value types goes over Mosquitto, through eventrow and the edgex
// connector unchanged (identity projection), back over Mosquitto, and comes
// out with the same readings.
func TestValueTypeRoundTrip(t *testing.T) {
	variants := []struct {
		name          string
		inCT, outCT   string
		messageType   string
		withMetadata  bool
		wantSameIdent bool
	}{
		{"json-in json-out event", common.ContentTypeJSON, common.ContentTypeJSON, MessageTypeEvent, false, false},
		{"cbor-in cbor-out request", common.ContentTypeCBOR, common.ContentTypeCBOR, MessageTypeRequest, false, false},
		{"json-in cbor-out event with metadata", common.ContentTypeJSON, common.ContentTypeCBOR, MessageTypeEvent, true, true},
		{"cbor-in json-out request with metadata", common.ContentTypeCBOR, common.ContentTypeJSON, MessageTypeRequest, true, true},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			prefix := testPrefix()
			client := busClient(t)
			inCh := rawSubscriber(t, prefix+"/events/#")
			outCh := rawSubscriber(t, prefix+"/rules/out")

			in := allTypesEvent(t)
			devicePub := NewBusPublisher(client, prefix)
			if err := devicePub.PublishWithTopic("events/device/rt/RT-Profile/RT-Device/RTSource", requests.NewAddEventRequest(in), v.inCT); err != nil {
				t.Fatalf("publishing the input event: %v", err)
			}
			raw := receive(t, inCh, "the input event")
			r, st, err := eventrow.NewDecoder(eventrow.Options{}).DecodeMessage(raw.topic, raw.data)
			if err != nil || st.Columns != 27 || st.BadReadings != 0 {
				t.Fatalf("eventrow: %v, stats %+v", err, st)
			}
			props := map[string]any{"topic": prefix + "/rules/out", "contentType": v.outCT, "messageType": v.messageType}
			if v.withMetadata {
				r.Cols = append(r.Cols, row.Col{Name: "edgex_meta", Val: r.Meta.All()})
				props["metadata"] = "edgex_meta"
			}
			env, _ := newEnv("rt_rule")
			conn, err := NewEdgeXFactory(NewBusPublisher(client, prefix), prefix)(props, env)
			if err != nil {
				t.Fatal(err)
			}
			if err := conn.(interface {
				SendRows(context.Context, []*row.Row) error
			}).SendRows(context.Background(), []*row.Row{r}); err != nil {
				t.Fatalf("edgex sink: %v", err)
			}
			if env.Node.Exceptions.Load() != 0 {
				t.Fatalf("sink exceptions: %s", env.Node.LastException())
			}
			outRaw := receive(t, outCh, "the published event")
			out := decodeOutput(t, outRaw, v.outCT, v.messageType)
			inDecoded := decodeOutput(t, raw, v.inCT, MessageTypeRequest)
			compareEvents(t, inDecoded, out, v.wantSameIdent)
		})
	}
}

// decodeOutput checks the envelope and decodes its payload with the
// core-contracts DTOs, as any EdgeX consumer would.
func decodeOutput(t *testing.T, m rawMsg, contentType, messageType string) dtos.Event {
	t.Helper()
	// UseNumber: the SDK's own envelope decoding (json.Unmarshal into any)
	// rounds nanosecond origins inside embedded payloads to float64.
	var env types.MessageEnvelope
	dec := json.NewDecoder(bytes.NewReader(m.data))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("envelope on %s: %v", m.topic, err)
	}
	if env.ApiVersion != common.ApiVersion || env.ContentType != contentType {
		t.Fatalf("envelope apiVersion %q contentType %q, want v3 %q", env.ApiVersion, env.ContentType, contentType)
	}
	if _, err := uuid.Parse(env.CorrelationID); err != nil {
		t.Fatalf("correlationID %q: %v", env.CorrelationID, err)
	}
	if contentType == common.ContentTypeJSON {
		if _, embedded := env.Payload.(map[string]any); !embedded {
			t.Fatalf("JSON payload must be an embedded object, got %T", env.Payload)
		}
	} else if _, isB64 := env.Payload.(string); !isB64 {
		t.Fatalf("CBOR payload must travel as base64 bytes, got %T", env.Payload)
	}
	if messageType == MessageTypeRequest {
		req, err := types.GetMsgPayload[requests.AddEventRequest](env) // validates too
		if err != nil {
			t.Fatalf("AddEventRequest payload: %v", err)
		}
		return req.Event
	}
	ev, err := types.GetMsgPayload[dtos.Event](env)
	if err != nil {
		t.Fatalf("Event payload: %v", err)
	}
	if err := requests.NewAddEventRequest(ev).Validate(); err != nil {
		t.Fatalf("published event does not validate: %v", err)
	}
	return ev
}

func compareEvents(t *testing.T, in, out dtos.Event, sameIdent bool) {
	t.Helper()
	if len(out.Readings) != len(in.Readings) {
		t.Fatalf("readings: got %d, want %d", len(out.Readings), len(in.Readings))
	}
	if sameIdent && (out.Id != in.Id || out.DeviceName != in.DeviceName || out.ProfileName != in.ProfileName ||
		out.SourceName != in.SourceName || out.Origin != in.Origin) {
		t.Fatalf("identity from metadata: got %s %s/%s/%s %d, want %s %s/%s/%s %d", out.Id, out.DeviceName, out.ProfileName,
			out.SourceName, out.Origin, in.Id, in.DeviceName, in.ProfileName, in.SourceName, in.Origin)
	}
	for i := range in.Readings {
		a, b := in.Readings[i], out.Readings[i]
		if a.ResourceName != b.ResourceName || a.ValueType != b.ValueType || a.Units != b.Units || a.MediaType != b.MediaType {
			t.Errorf("reading %d: got %s %s units %q media %q, want %s %s units %q media %q", i,
				b.ResourceName, b.ValueType, b.Units, b.MediaType, a.ResourceName, a.ValueType, a.Units, a.MediaType)
			continue
		}
		if sameIdent && (a.Id != b.Id || a.Origin != b.Origin || a.DeviceName != b.DeviceName) {
			t.Errorf("reading %s identity: got %s %d %s, want %s %d %s", a.ResourceName, b.Id, b.Origin, b.DeviceName, a.Id, a.Origin, a.DeviceName)
		}
		if msg := sameValue(t, a, b); msg != "" {
			t.Errorf("reading %s (%s): %s", a.ResourceName, a.ValueType, msg)
		}
	}
}

// sameValue compares reading values: exact bytes for Binary, deep equality
// for objects, numeric equality for float text, exact text otherwise.
func sameValue(t *testing.T, a, b dtos.BaseReading) string {
	switch a.ValueType {
	case common.ValueTypeBinary:
		if string(a.BinaryValue) != string(b.BinaryValue) {
			return "binary " + strconv.Quote(string(b.BinaryValue)) + " != " + strconv.Quote(string(a.BinaryValue))
		}
		return ""
	case common.ValueTypeObject, common.ValueTypeObjectArray:
		var x, y any
		if err := a.UnmarshalObjectValue(&x); err != nil {
			return err.Error()
		}
		if err := b.UnmarshalObjectValue(&y); err != nil {
			return err.Error()
		}
		if !reflect.DeepEqual(x, y) {
			return "object mismatch"
		}
		return ""
	case common.ValueTypeFloat32, common.ValueTypeFloat64, common.ValueTypeFloat32Array, common.ValueTypeFloat64Array:
		bits := 64
		if strings.HasPrefix(a.ValueType, "Float32") {
			bits = 32
		}
		if !sameFloats(a.Value, b.Value, bits) {
			return "float " + b.Value + " != " + a.Value
		}
		return ""
	}
	if a.Value != b.Value {
		return strconv.Quote(b.Value) + " != " + strconv.Quote(a.Value)
	}
	return ""
}

func sameFloats(x, y string, bits int) bool {
	xs := strings.Split(strings.Trim(x, "[]"), ",")
	ys := strings.Split(strings.Trim(y, "[]"), ",")
	if len(xs) != len(ys) {
		return false
	}
	for i := range xs {
		fx, err1 := strconv.ParseFloat(strings.TrimSpace(xs[i]), bits)
		fy, err2 := strconv.ParseFloat(strings.TrimSpace(ys[i]), bits)
		if err1 != nil || err2 != nil || fx != fy {
			return false
		}
	}
	return true
}
