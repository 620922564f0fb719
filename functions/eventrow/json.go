package eventrow

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/oort-rules/oort/rules/row"
)

// jsonMsg is what one scan of a JSON message found. The same scan accepts a
// MessageEnvelope (v3/v4 camelCase or EdgeX 2.x PascalCase keys), an
// AddEventRequest and a bare Event, so no format has to be guessed first.
type jsonMsg struct {
	envelope    bool
	b64         string // base64 payload (transient)
	hasB64      bool
	contentType string // transient
	corr        string // transient
	errorCode   string
	event       bool // an event was found ("event" object or "readings")
	objPayload  bool // the envelope payload is an embedded object
}

// jsonMessage decodes a JSON message (envelope or bare payload). corr is the
// correlation id when an outer layer already had it; inner marks a payload
// that came out of an envelope, which may not nest another base64 payload.
func (d *Decoder) jsonMessage(topic string, data []byte, corr string, inner bool) (*row.Row, Stats, error) {
	d.resetEvent()
	s := scanner{b: data, c: &d.conv}
	var m jsonMsg
	for it := s.open('{'); it.next(); {
		d.topKey(&s, s.key(), &m)
	}
	s.end()
	if s.err != nil {
		return nil, Stats{}, &DecodeError{topic, "message", s.err}
	}
	if m.errorCode != "" && m.errorCode != "0" {
		return nil, Stats{}, &DecodeError{topic, "envelope", fmt.Errorf("errorCode %s: the message carries an error, not an event", m.errorCode)}
	}
	if m.corr != "" {
		corr = d.arena.str(m.corr)
	}
	if m.hasB64 {
		if inner {
			return nil, Stats{}, &DecodeError{topic, "payload", errors.New("envelope nested inside an envelope payload")}
		}
		raw, err := d.unbase64(m.b64)
		if err != nil {
			return nil, Stats{}, &DecodeError{topic, "envelope.payload", fmt.Errorf("invalid base64: %w", err)}
		}
		return d.decodeEvent(raw, m.contentType, topic, corr)
	}
	if m.envelope && !m.event && !m.objPayload {
		return nil, Stats{}, &DecodeError{topic, "envelope.payload", errors.New("missing or null")}
	}
	return d.jsonBuild(topic, corr, m.event)
}

// topKey handles one member of the top-level object.
func (d *Decoder) topKey(s *scanner, k string, m *jsonMsg) {
	switch k {
	case "payload", "Payload":
		m.envelope = true
		switch s.peek() {
		case '{':
			m.objPayload = true
			for it := s.open('{'); it.next(); {
				if k := s.key(); !d.holderKey(s, k, m) {
					s.skip(1)
				}
			}
		case '"':
			m.b64, m.hasB64 = s.str(), true
		default:
			s.skip(0)
		}
	case "contentType", "ContentType":
		m.contentType = s.strOrNull()
	case "correlationID", "CorrelationID":
		m.corr = s.strOrNull()
	case "errorCode", "ErrorCode":
		m.errorCode = s.number()
	default:
		if !d.holderKey(s, k, m) {
			s.skip(0)
		}
	}
}

// holderKey handles a member of an AddEventRequest ("event") or of a bare
// Event (its own fields). It reports whether it consumed the value.
func (d *Decoder) holderKey(s *scanner, k string, m *jsonMsg) bool {
	if k == "event" {
		if s.peek() != '{' {
			s.fail("event: expected an object")
			return true
		}
		m.event = true
		for it := s.open('{'); it.next(); {
			if k := s.key(); !d.eventKey(s, k, m) {
				s.skip(2)
			}
		}
		return true
	}
	return d.eventKey(s, k, m)
}

// eventKey reads one Event field into d.ev / d.rds.
func (d *Decoder) eventKey(s *scanner, k string, m *jsonMsg) bool {
	ev := &d.ev
	switch k {
	case "id":
		ev.id = s.strOrNull()
	case "deviceName":
		ev.deviceName = s.strOrNull()
	case "profileName":
		ev.profileName = s.strOrNull()
	case "sourceName":
		ev.sourceName = s.strOrNull()
	case "origin":
		ev.origin = s.origin()
	case "tags":
		ev.tags.json = s.tags()
	case "readings":
		m.event = true
		if s.peek() == 'n' {
			s.literal("null")
			return true
		}
		for it := s.open('['); it.next(); {
			d.rds = append(d.rds, readingIn{})
			d.reading(s, &d.rds[len(d.rds)-1])
		}
	default:
		return false
	}
	return true
}

// reading reads one reading object.
func (d *Decoder) reading(s *scanner, r *readingIn) {
	for it := s.open('{'); it.next(); {
		switch s.key() {
		case "id":
			r.id = s.strOrNull()
		case "origin":
			r.origin = s.origin()
		case "deviceName":
			r.deviceName = s.strOrNull()
		case "resourceName":
			r.resourceName = s.strOrNull()
		case "profileName":
			r.profileName = s.strOrNull()
		case "valueType":
			r.valueType = s.strOrNull()
		case "units":
			r.units = s.strOrNull()
		case "mediaType":
			r.mediaType = s.strOrNull()
		case "tags":
			r.tags.json = s.tags()
		case "value":
			r.value = s.src()
		case "binaryValue":
			r.binary = s.src()
		case "objectValue":
			r.object = s.src()
		default:
			s.skip(3)
		}
	}
}

// jsonBuild turns the scanned event into a row.
func (d *Decoder) jsonBuild(topic, corr string, found bool) (*row.Row, Stats, error) {
	if !found {
		return nil, Stats{}, &DecodeError{topic, "payload", errors.New(`neither an AddEventRequest (no "event") nor an Event (no "readings")`)}
	}
	if len(d.rds) == 0 {
		return nil, Stats{}, &DecodeError{topic, "event.readings", fmt.Errorf("event %q has no readings: %w", d.ev.id, ErrNoReadings)}
	}
	d.ev.readings = len(d.rds)
	b := builder{c: &d.conv, log: d.log, optimized: d.opt.OptimizedPayload}
	b.begin(&d.ev, topic, corr)
	for i := range d.rds {
		b.add(&d.rds[i])
	}
	if out := b.finish(); out != nil {
		return out, b.st, nil
	}
	return nil, b.st, &DecodeError{topic, "event", fmt.Errorf("event %q: none of its %d readings is usable: %w", b.blk.m.id, len(d.rds), ErrNoReadings)}
}

// strOrNull reads a string; null reads as "".
func (s *scanner) strOrNull() string {
	if s.peek() == 'n' {
		s.literal("null")
		return ""
	}
	return s.str()
}

// origin reads a nanosecond timestamp: an integer literal normally; floats
// and numeric strings from loose producers are accepted.
func (s *scanner) origin() int64 {
	var t string
	switch s.peek() {
	case 'n':
		s.literal("null")
		return 0
	case '"':
		t = s.str()
	default:
		t = s.number()
	}
	if s.err != nil {
		return 0
	}
	if i, err := strconv.ParseInt(t, 10, 64); err == nil {
		return i
	}
	if f, ok := parseFloat(t); ok && f < 9.2e18 && f > -9.2e18 {
		return int64(f)
	}
	s.fail("origin: expected a nanosecond timestamp")
	return 0
}

// tags returns the JSON text of a non-empty tags object ("" otherwise), kept
// undecoded until meta() asks for it.
func (s *scanner) tags() string {
	if s.peek() != '{' {
		s.skip(1)
		return ""
	}
	t := s.raw()
	for i := 1; i < len(t)-1; i++ {
		if c := t[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return t
		}
	}
	return ""
}

// src reads a reading's value field.
func (s *scanner) src() src {
	switch s.peek() {
	case 'n':
		s.literal("null")
		return src{kind: srcNull}
	case '"':
		return src{kind: srcText, text: s.str()}
	case 't':
		s.literal("true")
		return src{kind: srcBool, b: true}
	case 'f':
		s.literal("false")
		return src{kind: srcBool}
	case '{', '[':
		return src{kind: srcRaw, text: s.raw()}
	}
	return src{kind: srcNumber, text: s.number()}
}
