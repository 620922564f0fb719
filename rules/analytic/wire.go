package analytic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

// wireValue is the checkpoint form of a value.Value. Plain JSON would lose
// the difference between bigint and float (and datetime, bytea), and state
// restored after a restart must compare exactly as before, so every kind
// JSON cannot tell apart is tagged: null, true/false and strings are written
// as themselves, everything else as a one-key object.
type wireValue struct{ v value.Value }

type wireTagged struct {
	I *int64                `json:"i,omitempty"`
	U *string               `json:"u,omitempty"`
	F *wireFloat            `json:"f,omitempty"`
	B *[]byte               `json:"b,omitempty"`
	T *wireTime             `json:"t,omitempty"`
	A *[]wireValue          `json:"a,omitempty"`
	O *map[string]wireValue `json:"o,omitempty"`
}

type wireTime struct {
	N    int64  `json:"n"` // unix nanoseconds
	Loc  string `json:"l"` // location name (time.Location.String)
	Zone string `json:"z"` // zone abbreviation at that instant
	Off  int    `json:"o"` // offset in seconds at that instant
}

// wireFloat keeps NaN and ±Inf, which encoding/json refuses as numbers.
type wireFloat float64

func (f wireFloat) MarshalJSON() ([]byte, error) {
	return json.Marshal(strconv.FormatFloat(float64(f), 'g', -1, 64))
}

func (f *wireFloat) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("float state: %w", err)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("float state %q: %w", s, err)
	}
	*f = wireFloat(x)
	return nil
}

func (w wireValue) MarshalJSON() ([]byte, error) {
	v := w.v
	var t wireTagged
	switch v.Kind() {
	case value.Null:
		return []byte("null"), nil
	case value.Bool:
		return json.Marshal(v.Bool())
	case value.String:
		return json.Marshal(v.Str())
	case value.Int:
		i := v.Int()
		t.I = &i
	case value.Uint:
		u := strconv.FormatUint(v.Uint(), 10)
		t.U = &u
	case value.Float:
		f := wireFloat(v.Float())
		t.F = &f
	case value.Bytes:
		b := v.Bytes()
		if b == nil {
			b = []byte{}
		}
		t.B = &b
	case value.Datetime:
		t.T = timeToWire(v.Time())
	case value.Array:
		a := wireSlice(v.Arr())
		t.A = &a
	case value.Object:
		o := wireMap(v.Obj())
		t.O = &o
	default:
		return nil, fmt.Errorf("analytic state: cannot encode value of kind %s", v.Kind())
	}
	return json.Marshal(t)
}

func (w *wireValue) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("analytic state: empty value")
	}
	switch b[0] {
	case 'n':
		w.v = value.NullValue
		return nil
	case 't', 'f':
		var x bool
		if err := json.Unmarshal(b, &x); err != nil {
			return fmt.Errorf("analytic state: %w", err)
		}
		w.v = value.FromBool(x)
		return nil
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("analytic state: %w", err)
		}
		w.v = value.FromString(s)
		return nil
	case '{':
		return w.unmarshalTagged(b)
	}
	return fmt.Errorf("analytic state: unexpected value %.40s", b)
}

func (w *wireValue) unmarshalTagged(b []byte) error {
	var t wireTagged
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return fmt.Errorf("analytic state: %w", err)
	}
	switch {
	case t.I != nil:
		w.v = value.FromInt(*t.I)
	case t.U != nil:
		u, err := strconv.ParseUint(*t.U, 10, 64)
		if err != nil {
			return fmt.Errorf("analytic state: unsigned %q: %w", *t.U, err)
		}
		w.v = value.FromUint(u)
	case t.F != nil:
		w.v = value.FromFloat(float64(*t.F))
	case t.B != nil:
		w.v = value.FromBytes(*t.B)
	case t.T != nil:
		w.v = value.FromTime(timeFromWire(t.T))
	case t.A != nil:
		w.v = value.FromArray(unwireSlice(*t.A))
	case t.O != nil:
		w.v = value.FromObject(unwireMap(*t.O))
	default:
		return fmt.Errorf("analytic state: untagged object %.40s", b)
	}
	return nil
}

func timeToWire(t time.Time) *wireTime {
	zone, off := t.Zone()
	return &wireTime{N: t.UnixNano(), Loc: t.Location().String(), Zone: zone, Off: off}
}

// timeFromWire restores the named location when this host knows it, and a
// fixed zone with the recorded offset otherwise, so the instant and the
// printed offset survive either way.
func timeFromWire(w *wireTime) time.Time {
	t := time.Unix(0, w.N)
	switch w.Loc {
	case "UTC":
		return t.UTC()
	case "Local":
		return t.Local()
	}
	if loc, err := time.LoadLocation(w.Loc); err == nil {
		if _, off := t.In(loc).Zone(); off == w.Off {
			return t.In(loc)
		}
	}
	return t.In(time.FixedZone(w.Zone, w.Off))
}

func wireSlice(vs []value.Value) []wireValue {
	out := make([]wireValue, len(vs))
	for i, v := range vs {
		out[i] = wireValue{v}
	}
	return out
}

func unwireSlice(ws []wireValue) []value.Value {
	out := make([]value.Value, len(ws))
	for i, w := range ws {
		out[i] = w.v
	}
	return out
}

func wireMap(m map[string]value.Value) map[string]wireValue {
	out := make(map[string]wireValue, len(m))
	for k, v := range m {
		out[k] = wireValue{v}
	}
	return out
}

func unwireMap(m map[string]wireValue) map[string]value.Value {
	out := make(map[string]value.Value, len(m))
	for k, w := range m {
		out[k] = w.v
	}
	return out
}
