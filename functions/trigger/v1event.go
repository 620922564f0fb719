package trigger

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/fxamacker/cbor/v2"
)

// V1ProfileName is the profileName given to converted EdgeX 1.x events and
// readings: v1 has no profiles, and the v4 Event DTO requires one (§7.3).
const V1ProfileName = "unknown"

// v1Event is an EdgeX 1.x event (go-mod-core-contracts v0.1 models.Event).
// pushed, created and modified are not read: they are dropped. Readings stay
// raw so each is decoded on its own and an error can name its index.
type v1Event[R ~[]byte] struct {
	ID       string            `json:"id"`
	Device   string            `json:"device"`
	Origin   int64             `json:"origin"`
	Tags     map[string]string `json:"tags"`
	Readings []R               `json:"readings"`
}

// v1Reading is an EdgeX 1.x reading.
type v1Reading struct {
	ID            string `json:"id"`
	Origin        int64  `json:"origin"`
	Device        string `json:"device"`
	Name          string `json:"name"`
	Value         string `json:"value"`
	ValueType     string `json:"valueType"`
	FloatEncoding string `json:"floatEncoding"`
	BinaryValue   []byte `json:"binaryValue"`
	MediaType     string `json:"mediaType"`
}

// v4Event and v4Reading write the v4 Event DTO (edgex.md §10.1) with only
// the fields a v1 event can fill.
type v4Event struct {
	APIVersion  string            `json:"apiVersion"`
	ID          string            `json:"id"`
	DeviceName  string            `json:"deviceName"`
	ProfileName string            `json:"profileName"`
	SourceName  string            `json:"sourceName"`
	Origin      int64             `json:"origin"`
	Readings    []v4Reading       `json:"readings"`
	Tags        map[string]string `json:"tags,omitempty"`
}

type v4Reading struct {
	ID           string `json:"id,omitempty"`
	Origin       int64  `json:"origin"`
	DeviceName   string `json:"deviceName"`
	ResourceName string `json:"resourceName"`
	ProfileName  string `json:"profileName"`
	ValueType    string `json:"valueType"`
	BinaryValue  []byte `json:"binaryValue,omitempty"`
	MediaType    string `json:"mediaType,omitempty"`
	Value        string `json:"value"`
}

// ConvertV1Event converts an EdgeX 1.x event (JSON or CBOR, chosen by
// contentType, sniffed from the first byte when contentType names neither)
// into v4 Event JSON (edgex.md §7.3): device → deviceName (readings too,
// unless a reading names its own device), reading name → resourceName,
// profileName "unknown", sourceName = the first reading's name;
// pushed/created/modified are dropped. Float32/Float64 values sent with
// floatEncoding "Base64" (big-endian IEEE-754 bits) are re-encoded in e
// notation. A reading without valueType (EdgeX ≤ Edinburgh) gets one
// inferred from its content; a reading without origin gets the event's.
// Errors name the offending field, e.g. "readings[2].value: …".
func ConvertV1Event(payload []byte, contentType string) (v4 []byte, err error) {
	i := firstNonSpaceByte(payload)
	if i < 0 {
		return nil, errors.New("EdgeX 1.x event: payload is empty")
	}
	var ev v4Event
	if isCBORPayload(payload[i], contentType) {
		ev, err = convertV1[cbor.RawMessage](payload, cbor.Unmarshal, "CBOR")
	} else {
		ev, err = convertV1[json.RawMessage](payload, json.Unmarshal, "JSON")
	}
	if err != nil {
		return nil, fmt.Errorf("EdgeX 1.x event: %w", err)
	}
	out, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("EdgeX 1.x event %q: encoding the v4 event: %w", ev.ID, err)
	}
	return out, nil
}

func isCBORPayload(first byte, contentType string) bool {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "cbor"):
		return true
	case strings.Contains(ct, "json"):
		return false
	}
	return first != '{' && first != '[' // a CBOR event starts with a map header (0xa0-0xbf)
}

func firstNonSpaceByte(b []byte) int {
	for i, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
	}
	return -1
}

func convertV1[R ~[]byte](payload []byte, unmarshal func([]byte, any) error, format string) (v4Event, error) {
	var in v1Event[R]
	if err := unmarshal(payload, &in); err != nil {
		if fe := asFieldError("", err); fe != nil {
			return v4Event{}, fe
		}
		return v4Event{}, fmt.Errorf("not a valid %s event: %w", format, err)
	}
	if in.Device == "" {
		return v4Event{}, fmt.Errorf(`%sdevice: missing or empty (an EdgeX 1.x event names its device in "device")`, eventLabel(in.ID))
	}
	if len(in.Readings) == 0 {
		return v4Event{}, fmt.Errorf("%sreadings: missing or empty", eventLabel(in.ID))
	}
	out := v4Event{
		APIVersion: "v3", ID: in.ID, DeviceName: in.Device, ProfileName: V1ProfileName,
		Origin: in.Origin, Tags: in.Tags, Readings: make([]v4Reading, len(in.Readings)),
	}
	for i, raw := range in.Readings {
		var r v1Reading
		if err := unmarshal(raw, &r); err != nil {
			if fe := asFieldError(fmt.Sprintf("readings[%d]", i), err); fe != nil {
				return v4Event{}, fmt.Errorf("%s%w", eventLabel(in.ID), fe)
			}
			return v4Event{}, fmt.Errorf("%sreadings[%d]: %w", eventLabel(in.ID), i, err)
		}
		cr, err := convertV1Reading(&r, &in)
		if err != nil {
			return v4Event{}, fmt.Errorf("%sreadings[%d].%w", eventLabel(in.ID), i, err)
		}
		out.Readings[i] = cr
	}
	out.SourceName = out.Readings[0].ResourceName
	return out, nil
}

// eventLabel names the event in errors when it has an id.
func eventLabel(id string) string {
	if id == "" {
		return ""
	}
	return fmt.Sprintf("event %q: ", id)
}

// convertV1Reading maps one reading. Its errors start with the field name,
// so the caller can prefix "readings[i].".
func convertV1Reading[R ~[]byte](r *v1Reading, ev *v1Event[R]) (v4Reading, error) {
	if r.Name == "" {
		return v4Reading{}, errors.New("name: missing or empty")
	}
	vt, err := v1ValueType(r)
	if err != nil {
		return v4Reading{}, err
	}
	val := r.Value
	if vt == "Float32" || vt == "Float64" {
		if val, err = v1Float(r, vt); err != nil {
			return v4Reading{}, err
		}
	}
	out := v4Reading{
		ID: r.ID, Origin: r.Origin, DeviceName: r.Device, ResourceName: r.Name, ProfileName: V1ProfileName,
		ValueType: vt, BinaryValue: r.BinaryValue, MediaType: r.MediaType, Value: val,
	}
	if out.DeviceName == "" {
		out.DeviceName = ev.Device
	}
	if out.Origin == 0 {
		out.Origin = ev.Origin
	}
	return out, nil
}

// v1ValueTypes maps the lower-cased value type names to the v4 spelling;
// EdgeX 1.x device profiles also wrote them in upper case ("FLOAT32").
var v1ValueTypes = func() map[string]string {
	names := []string{"Bool", "String", "Uint8", "Uint16", "Uint32", "Uint64", "Int8", "Int16", "Int32", "Int64",
		"Float32", "Float64", "Binary", "BoolArray", "StringArray", "Uint8Array", "Uint16Array", "Uint32Array",
		"Uint64Array", "Int8Array", "Int16Array", "Int32Array", "Int64Array", "Float32Array", "Float64Array",
		"Object", "ObjectArray"}
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[strings.ToLower(n)] = n
	}
	return m
}()

// v1ValueType returns the v4 value type of a reading. An unknown type is
// kept as sent (eventrow then keeps the raw value string, as eKuiper does).
func v1ValueType(r *v1Reading) (string, error) {
	if r.ValueType != "" {
		if vt, ok := v1ValueTypes[strings.ToLower(r.ValueType)]; ok {
			return vt, nil
		}
		return r.ValueType, nil
	}
	switch {
	case len(r.BinaryValue) > 0:
		return "Binary", nil
	case strings.EqualFold(r.FloatEncoding, "Base64"):
		b, err := base64.StdEncoding.DecodeString(r.Value)
		if err != nil {
			return "", fmt.Errorf("value: floatEncoding is Base64 but %q is not base64: %w", clip(r.Value), err)
		}
		switch len(b) {
		case 4:
			return "Float32", nil
		case 8:
			return "Float64", nil
		}
		return "", fmt.Errorf("value: floatEncoding is Base64 and valueType is missing: %d bytes is neither a Float32 (4) nor a Float64 (8)", len(b))
	case strings.EqualFold(r.FloatEncoding, "eNotation"):
		return "Float64", nil
	}
	return "String", nil
}

// v1Float returns the decimal text of a Float32/Float64 reading.
func v1Float(r *v1Reading, vt string) (string, error) {
	switch {
	case strings.EqualFold(r.FloatEncoding, "Base64"):
		return base64Float(r.Value, vt)
	case strings.EqualFold(r.FloatEncoding, "eNotation"):
		return r.Value, nil
	case r.FloatEncoding != "":
		return "", fmt.Errorf("floatEncoding: %q is neither Base64 nor eNotation", r.FloatEncoding)
	}
	// No encoding: device-sdk-go 1.x then still sent Base64. Base64 of 4 or
	// 8 bytes always ends in '=', which no decimal number contains, so the
	// two forms cannot be confused.
	if _, err := strconv.ParseFloat(r.Value, 64); err != nil && strings.HasSuffix(r.Value, "=") {
		return base64Float(r.Value, vt)
	}
	return r.Value, nil
}

// base64Float decodes the big-endian IEEE-754 bits and re-encodes the value
// in the shortest exact e notation (core-contracts ≥ 4.0.1 style).
func base64Float(s, vt string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("value: floatEncoding is Base64 but %q is not base64: %w", clip(s), err)
	}
	switch {
	case vt == "Float32" && len(b) == 4:
		f := math.Float32frombits(binary.BigEndian.Uint32(b))
		return strconv.FormatFloat(float64(f), 'e', -1, 32), nil
	case vt == "Float64" && len(b) == 8:
		return strconv.FormatFloat(math.Float64frombits(binary.BigEndian.Uint64(b)), 'e', -1, 64), nil
	}
	want := 4
	if vt == "Float64" {
		want = 8
	}
	return "", fmt.Errorf("value: a Base64 %s holds %d bytes (big-endian IEEE-754), got %d", vt, want, len(b))
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}
