package eventrow

import (
	"encoding/base64"
	"strconv"

	"github.com/oort-rules/oort/rules/value"
)

// srcKind says what a reading field held on the wire.
type srcKind uint8

const (
	srcAbsent srcKind = iota
	srcNull
	srcText   // a JSON/CBOR string
	srcNumber // a JSON/CBOR number, text holds its literal
	srcBool
	srcRaw // a JSON array or object, text holds its JSON
	srcGo  // a decoded Go value (CBOR, DTO): []byte, []any, map
)

// src is one reading field in a format-neutral form. text may be a transient
// view into parser memory: it is consumed (parsed or copied) before the
// parser is reused.
type src struct {
	kind srcKind
	text string
	b    bool
	gv   any
}

func (s *src) missing() bool { return s.kind == srcAbsent || s.kind == srcNull }

// outcome classifies a conversion.
type outcome uint8

const (
	okValue outcome = iota
	okNull
	badValue
	lossyValue // old StringArray form: accepted but counted
)

// convert produces the column value of a reading from its valueType.
func (c *conv) convert(r *readingIn, vt vtype) (value.Value, outcome) {
	switch {
	case vt.elem == elemBinary:
		return c.binary(r)
	case vt.elem == elemObject:
		return c.object(r, vt)
	case r.value.missing():
		return value.NullValue, okNull
	case vt.elem == elemUnknown:
		return c.unknown(&r.value)
	case vt.array:
		return c.array(&r.value, vt)
	}
	return c.scalar(&r.value, vt)
}

// binary reads binaryValue: base64 text in JSON, a byte string in CBOR.
func (c *conv) binary(r *readingIn) (value.Value, outcome) {
	s := &r.binary
	switch s.kind {
	case srcGo:
		if b, ok := s.gv.([]byte); ok {
			return value.FromBytes(b), okValue
		}
		return value.NullValue, badValue
	case srcText:
		b, err := base64.StdEncoding.DecodeString(s.text)
		if err != nil {
			return value.NullValue, badValue
		}
		return value.FromBytes(b), okValue
	case srcAbsent, srcNull:
		return value.NullValue, okNull
	}
	return value.NullValue, badValue
}

// object reads objectValue; when it is missing but value carries JSON text
// (older producers), that text is parsed instead.
func (c *conv) object(r *readingIn, vt vtype) (value.Value, outcome) {
	s := &r.object
	if s.missing() {
		if r.value.kind != srcText || r.value.text == "" {
			return value.NullValue, okNull
		}
		s = &r.value
	}
	var v value.Value
	switch s.kind {
	case srcGo:
		v = c.fromGo(s.gv)
	case srcText, srcRaw:
		jv, err := c.parse(s.text)
		if err != nil {
			return value.NullValue, badValue
		}
		v = c.fromFJ(jv)
	case srcNumber:
		v = numberValue(s.text)
	case srcBool:
		v = value.FromBool(s.b)
	}
	if vt.array && v.Kind() != value.Array {
		return value.NullValue, badValue
	}
	return v, okValue
}

// unknown keeps the raw value text of an unknown valueType (as eKuiper).
func (c *conv) unknown(s *src) (value.Value, outcome) {
	switch s.kind {
	case srcText, srcNumber:
		return value.FromString(c.keep(s.text)), okValue
	case srcBool:
		return value.FromString(strconv.FormatBool(s.b)), okValue
	}
	return value.NullValue, badValue
}

// scalar parses one simple value.
func (c *conv) scalar(s *src, vt vtype) (value.Value, outcome) {
	switch s.kind {
	case srcText, srcNumber:
		v, ok := c.scalarText(s.text, vt)
		if !ok {
			return value.NullValue, badValue
		}
		return v, okValue
	case srcBool:
		if vt.elem == elemBool {
			return value.FromBool(s.b), okValue
		}
		if vt.elem == elemString {
			return value.FromString(strconv.FormatBool(s.b)), okValue
		}
	}
	return value.NullValue, badValue
}

// scalarText parses the text of a simple value for its element kind.
func (c *conv) scalarText(t string, vt vtype) (value.Value, bool) {
	switch vt.elem {
	case elemBool:
		b, err := strconv.ParseBool(t)
		return value.FromBool(b), err == nil
	case elemString:
		return value.FromString(c.keep(t)), true
	case elemInt:
		i, ok := parseIntBits(t, vt.bits)
		return value.FromInt(i), ok
	case elemUint:
		u, ok := parseUintBits(t, vt.bits)
		return value.FromUint(u), ok
	case elemFloat:
		f, ok := parseFloat(t)
		return value.FromFloat(f), ok
	}
	return value.NullValue, false
}

// parseIntBits parses a decimal integer that must fit bits. An integral float
// literal ("21.0", "2.1e+01", as numeric readings may carry) is accepted too.
func parseIntBits(t string, bits int) (int64, bool) {
	if i, err := strconv.ParseInt(t, 10, bits); err == nil {
		return i, true
	}
	if isIntText(t) {
		return 0, false
	}
	f, ok := parseFloat(t)
	if !ok || f != float64(int64(f)) {
		return 0, false
	}
	i := int64(f)
	if bits < 64 && (i < -1<<(bits-1) || i >= 1<<(bits-1)) {
		return 0, false
	}
	return i, true
}

// parseUintBits is parseIntBits for unsigned types.
func parseUintBits(t string, bits int) (uint64, bool) {
	if u, err := strconv.ParseUint(t, 10, bits); err == nil {
		return u, true
	}
	if isIntText(t) {
		return 0, false
	}
	f, ok := parseFloat(t)
	if !ok || f < 0 || f >= 18446744073709551616.0 || f != float64(uint64(f)) {
		return 0, false
	}
	u := uint64(f)
	if bits < 64 && u >= 1<<bits {
		return 0, false
	}
	return u, true
}
