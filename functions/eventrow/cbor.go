package eventrow

import (
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// cborReading mirrors BaseReading as core-contracts encodes it in CBOR (keys
// are the JSON names). Value fields are left untyped: value is a string or,
// for numeric readings, a number; binaryValue a byte string.
type cborReading struct {
	Id           string         `cbor:"id"`
	Origin       int64          `cbor:"origin"`
	DeviceName   string         `cbor:"deviceName"`
	ResourceName string         `cbor:"resourceName"`
	ProfileName  string         `cbor:"profileName"`
	ValueType    string         `cbor:"valueType"`
	Units        string         `cbor:"units"`
	Tags         map[string]any `cbor:"tags"`
	Value        any            `cbor:"value"`
	BinaryValue  any            `cbor:"binaryValue"`
	MediaType    string         `cbor:"mediaType"`
	ObjectValue  any            `cbor:"objectValue"`
}

type cborEvent struct {
	Id          string         `cbor:"id"`
	DeviceName  string         `cbor:"deviceName"`
	ProfileName string         `cbor:"profileName"`
	SourceName  string         `cbor:"sourceName"`
	Origin      int64          `cbor:"origin"`
	Readings    []cborReading  `cbor:"readings"`
	Tags        map[string]any `cbor:"tags"`
}

// cborPayload is an AddEventRequest ("event" set) or a bare Event (the
// embedded fields set), told apart after decoding.
type cborPayload struct {
	Event *cborEvent `cbor:"event"`
	cborEvent
}

// cborEnvelope is a MessageEnvelope encoded whole in CBOR
// (EDGEX_MSG_CBOR_ENCODE). Its payload may be a byte string (JSON or CBOR
// bytes), a text string (base64) or the event map itself.
type cborEnvelope struct {
	CorrelationID string          `cbor:"correlationID"`
	ContentType   string          `cbor:"contentType"`
	ErrorCode     int             `cbor:"errorCode"`
	Payload       cbor.RawMessage `cbor:"payload"`
}

// newCBORDecMode limits nesting and sizes so hostile input cannot exhaust
// memory, and keeps the default map type (map[any]any) that conv handles.
func newCBORDecMode() cbor.DecMode {
	dm, err := cbor.DecOptions{
		MaxNestedLevels:  64,
		MaxArrayElements: 1 << 20,
		MaxMapPairs:      1 << 20,
	}.DecMode()
	if err != nil {
		// The options are constants: failing here is a programming error.
		panic(fmt.Sprintf("eventrow: invalid CBOR options: %v", err))
	}
	return dm
}

func (d *Decoder) decodeCBOREnvelope(topic string, data []byte) (*row.Row, Stats, error) {
	var env cborEnvelope
	if err := d.cbor.Unmarshal(data, &env); err != nil {
		return nil, Stats{}, &DecodeError{topic, "envelope", fmt.Errorf("neither JSON nor valid CBOR: %w", err)}
	}
	if env.ErrorCode != 0 {
		return nil, Stats{}, &DecodeError{topic, "envelope", fmt.Errorf("errorCode %d", env.ErrorCode)}
	}
	p := []byte(env.Payload)
	if len(p) == 0 || p[0] == 0xf6 || p[0] == 0xf7 {
		return nil, Stats{}, &DecodeError{topic, "envelope.payload", errors.New("missing")}
	}
	switch p[0] >> 5 {
	case 2: // byte string: the encoded event
		var raw []byte
		if err := d.cbor.Unmarshal(p, &raw); err != nil {
			return nil, Stats{}, &DecodeError{topic, "envelope.payload", err}
		}
		return d.decodeEvent(raw, env.ContentType, topic, env.CorrelationID)
	case 3: // text string: base64 of the encoded event
		var s string
		if err := d.cbor.Unmarshal(p, &s); err != nil {
			return nil, Stats{}, &DecodeError{topic, "envelope.payload", err}
		}
		raw, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, Stats{}, &DecodeError{topic, "envelope.payload", fmt.Errorf("invalid base64: %w", err)}
		}
		return d.decodeEvent(raw, env.ContentType, topic, env.CorrelationID)
	}
	return d.cborPayload(p, topic, env.CorrelationID)
}

// cborPayload decodes a CBOR AddEventRequest or Event.
func (d *Decoder) cborPayload(data []byte, topic, corr string) (*row.Row, Stats, error) {
	var p cborPayload
	if err := d.cbor.Unmarshal(data, &p); err != nil {
		return nil, Stats{}, &DecodeError{topic, "payload", fmt.Errorf("invalid CBOR event: %w", err)}
	}
	ev := p.Event
	if ev == nil {
		ev = &p.cborEvent
	}
	d.conv.reset()
	return buildGoEvent(ev, &d.conv, d.log, d.opt.OptimizedPayload, topic, corr)
}

// buildGoEvent turns a decoded CBOR event into a row.
func buildGoEvent(ev *cborEvent, c *conv, log obs.Logger, optimized bool, topic, corr string) (*row.Row, Stats, error) {
	if len(ev.Readings) == 0 {
		return nil, Stats{}, &DecodeError{topic, "event.readings", fmt.Errorf("event %q has no readings: %w", ev.Id, ErrNoReadings)}
	}
	in := eventIn{
		id: ev.Id, deviceName: ev.DeviceName, profileName: ev.ProfileName, sourceName: ev.SourceName,
		origin: ev.Origin, tags: tagsIn{gov: nonEmpty(ev.Tags)}, readings: len(ev.Readings),
	}
	b := builder{c: c, log: log, optimized: optimized}
	b.begin(&in, topic, corr)
	for i := range ev.Readings {
		cr := &ev.Readings[i]
		r := readingIn{
			id: cr.Id, deviceName: cr.DeviceName, profileName: cr.ProfileName, resourceName: cr.ResourceName,
			valueType: cr.ValueType, units: cr.Units, mediaType: cr.MediaType, origin: cr.Origin,
			tags:   tagsIn{gov: nonEmpty(cr.Tags)},
			value:  c.goSrc(cr.Value),
			binary: c.goSrc(cr.BinaryValue),
			object: c.goSrc(cr.ObjectValue),
		}
		b.add(&r)
	}
	if out := b.finish(); out != nil {
		return out, b.st, nil
	}
	return nil, b.st, &DecodeError{topic, "event", fmt.Errorf("event %q: all %d readings unusable: %w", ev.Id, len(ev.Readings), ErrNoReadings)}
}

// goSrc classifies a decoded Go field.
func (c *conv) goSrc(v any) src {
	switch x := v.(type) {
	case nil:
		return src{kind: srcAbsent}
	case string:
		return src{kind: srcText, text: x}
	case bool:
		return src{kind: srcBool, b: x}
	}
	if t, ok := c.goNumberText(v); ok {
		return src{kind: srcNumber, text: t}
	}
	return src{kind: srcGo, gv: v}
}

func nonEmpty(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return m
}
