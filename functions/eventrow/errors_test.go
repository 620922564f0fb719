package eventrow

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeErrors(t *testing.T) {
	ev := func(readings string) string {
		return `{"apiVersion":"v3","id":"e1","deviceName":"D","profileName":"P","sourceName":"S","origin":1,"readings":` + readings + `}`
	}
	cases := []struct {
		name, msg  string
		noReadings bool
		contains   []string
	}{
		{"empty", "  ", false, []string{"empty message"}},
		{"malformed", `{"payload": {"event": {"id": "x",, }}}`, false, []string{"invalid JSON at byte 33", `topic "edgex/t"`}},
		{"truncated", `{"payload": {"event": {"id": "x"`, false, []string{"invalid JSON at byte"}},
		{"trailing", `{"payload": ` + ev(`[]`) + `} x`, false, []string{"after the top-level value"}},
		{"no event", `{"apiVersion":"v3","payload":{"apiVersion":"v3","requestId":"r"}}`, false, []string{"neither an AddEventRequest"}},
		{"null payload", `{"apiVersion":"v3","payload":null}`, false, []string{"envelope.payload", "missing or null"}},
		{"no readings", `{"payload":` + ev(`[]`) + `}`, true, []string{`event "e1" has no readings`}},
		{"null readings", `{"payload":` + ev(`null`) + `}`, true, []string{"has no readings"}},
		{"readings not array", `{"payload":` + ev(`{}`) + `}`, false, []string{"expected '['"}},
		{"none usable", `{"payload":` + ev(`[{"resourceName":"a","valueType":"Int8","value":"x"},{"valueType":"Int8","value":"1"}]`) + `}`, true,
			[]string{"none of its 2 readings is usable"}},
		{"error code", `{"apiVersion":"v3","errorCode":1,"payload":"b29wcw==","contentType":"text/plain"}`, false, []string{"errorCode 1"}},
		{"bad base64", `{"apiVersion":"v3","payload":"!!!","contentType":"application/json"}`, false, []string{"invalid base64"}},
		{"bad cbor", "\xa1\x67payload\x5f", false, []string{"neither JSON nor valid CBOR"}},
		{"bad cbor payload", `{"payload":"oWFh","contentType":"application/cbor"}`, false, []string{"invalid CBOR event"}},
		{"nested envelope", `{"payload":"eyJwYXlsb2FkIjoiZSJ9","contentType":"application/json"}`, false, []string{"nested inside"}},
		{"bad origin", `{"payload":{"event":{"origin":"soon","readings":[]}}}`, false, []string{"origin"}},
		{"deep", `{"payload":{"x":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}}`, false, []string{"nesting deeper"}},
		{"bad escape", `{"payload":{"event":{"id":"\q"}}}`, false, []string{"invalid escape"}},
	}
	d := NewDecoder(Options{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, _, err := d.DecodeMessage("edgex/t", []byte(c.msg))
			if err == nil || r != nil {
				t.Fatalf("want an error, got row %v", r)
			}
			if errors.Is(err, ErrNoReadings) != c.noReadings {
				t.Errorf("errors.Is(ErrNoReadings) = %v for %v", !c.noReadings, err)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Topic != "edgex/t" {
				t.Errorf("not a DecodeError naming the topic: %v", err)
			}
			for _, s := range c.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestDecodeEventDirect(t *testing.T) {
	d := NewDecoder(Options{})
	payload := `{"apiVersion":"v3","requestId":"r","event":{"id":"e","deviceName":"D","profileName":"P","sourceName":"S","origin":2000000,
	"readings":[{"resourceName":"x","valueType":"Uint8","value":"7","deviceName":"D","profileName":"P","origin":2000000}]}}`
	for _, ct := range []string{"application/json", ""} {
		r, _, err := d.DecodeEvent([]byte(payload), ct, "legacy/topic", "corr-x")
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := r.Get("x"); v.Int() != 7 || r.Topic != "legacy/topic" || r.ET != 2 {
			t.Errorf("row %+v", r)
		}
		if c, _ := r.Meta.Get("correlationid"); c.Str() != "corr-x" {
			t.Errorf("correlationid %q", c.Str())
		}
	}
}
