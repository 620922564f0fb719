// Package eventrow turns EdgeX 4 bus messages into rows (edgex.md §10.8): one
// row per event, one column per reading, typed by the reading's valueType,
// with the event and reading identity as lazily built metadata (§10.9).
//
// The decoder parses each message exactly once, straight from the raw bus
// bytes, instead of the SDK's map → JSON → DTO → reflection-validation chain.
package eventrow

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/fxamacker/cbor/v2"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/valyala/fastjson"
)

// ErrNoReadings reports an event that yields no column: it has no readings,
// or none with a name and a parsable value. Callers count such events as
// dropped with reason "no_readings" (edgex.md §10.8).
var ErrNoReadings = errors.New("event has no usable readings")

// DecodeError says what could not be decoded and where.
type DecodeError struct {
	Topic string // topic the message arrived on
	Where string // part of the message: "envelope", "payload", "event.readings[2]", …
	Err   error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("eventrow: topic %q: %s: %v", e.Topic, e.Where, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Options configure a Decoder.
type Options struct {
	// OptimizedPayload mirrors EDGEX_OPTIMIZE_EVENT_PAYLOAD: readings lack the
	// fields the sender stripped, and they are filled from the event.
	OptimizedPayload bool
	// Logger receives warnings about unparsable readings; nil discards them.
	Logger obs.Logger
}

// Decoder decodes EdgeX messages into rows. It reuses parser memory between
// calls and is NOT safe for concurrent use: give each ingest goroutine its
// own. Rows it returns are independent of the decoder and of the input bytes.
type Decoder struct {
	opt     Options
	log     obs.Logger
	arr     fastjson.Parser // JSON inside values: arrays, objects, tags
	arena   strArena
	conv    conv
	scratch []byte // base64-decoded payload
	cbor    cbor.DecMode
	// The event being decoded: transient views, reused between messages.
	ev  eventIn
	rds []readingIn
}

// NewDecoder returns a decoder with options opt.
func NewDecoder(opt Options) *Decoder {
	d := &Decoder{opt: opt, log: opt.Logger}
	if d.log == nil {
		d.log = obs.NopLogger{}
	}
	d.conv = conv{arena: &d.arena, ap: &d.arr}
	d.cbor = newCBORDecMode()
	return d
}

// DecodeMessage decodes one raw bus message: a JSON MessageEnvelope whose
// payload is an embedded event object (v4) or a base64 string (v3 form, CBOR
// content), a whole-CBOR envelope (EDGEX_MSG_CBOR_ENCODE), or a bare
// AddEventRequest/Event without envelope.
func (d *Decoder) DecodeMessage(topic string, data []byte) (*row.Row, Stats, error) {
	d.conv.reset()
	i := firstNonSpace(data)
	if i < 0 {
		return nil, Stats{}, &DecodeError{topic, "message", errors.New("empty message")}
	}
	if data[i] != '{' {
		return d.decodeCBOREnvelope(topic, data)
	}
	return d.jsonMessage(topic, data, "", false)
}

// DecodeEvent decodes an unwrapped payload (AddEventRequest or Event, JSON or
// CBOR) for paths that already removed the envelope (NATS, legacy triggers).
// contentType may be empty: the format is then sniffed from the first byte.
func (d *Decoder) DecodeEvent(payload []byte, contentType, topic, correlationID string) (*row.Row, Stats, error) {
	d.conv.reset()
	return d.decodeEvent(payload, contentType, topic, correlationID)
}

func (d *Decoder) decodeEvent(payload []byte, contentType, topic, corr string) (*row.Row, Stats, error) {
	i := firstNonSpace(payload)
	if i < 0 {
		return nil, Stats{}, &DecodeError{topic, "payload", errors.New("empty payload")}
	}
	isCBOR := strings.Contains(contentType, "cbor")
	if !isCBOR && !strings.Contains(contentType, "json") {
		isCBOR = payload[i] != '{'
	}
	if isCBOR {
		return d.cborPayload(payload, topic, corr)
	}
	return d.jsonMessage(topic, payload, corr, true)
}

func (d *Decoder) resetEvent() {
	// Stale views in the reused slots pin only the previous message until
	// they are overwritten; clearing them would cost write barriers.
	d.ev = eventIn{}
	d.rds = d.rds[:0]
}

// unbase64 decodes into the decoder's scratch buffer (valid until the next
// message).
func (d *Decoder) unbase64(s string) ([]byte, error) {
	n := base64.StdEncoding.DecodedLen(len(s))
	if cap(d.scratch) < n {
		d.scratch = make([]byte, n)
	}
	m, err := base64.StdEncoding.Decode(d.scratch[:n], unsafe.Slice(unsafe.StringData(s), len(s)))
	if err != nil {
		return nil, err
	}
	return d.scratch[:m], nil
}

func firstNonSpace(b []byte) int {
	for i, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
	}
	return -1
}
