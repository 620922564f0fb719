package eventrow

import (
	"strings"

	"github.com/oort-rules/oort/rules/value"
	"github.com/valyala/fastjson"
)

// array converts an array reading. The value is normally JSON text
// ("[1, -2]"); numeric readings from core-data may carry a real JSON array,
// and CBOR/DTO producers a Go slice.
func (c *conv) array(s *src, vt vtype) (value.Value, outcome) {
	switch s.kind {
	case srcText:
		return c.arrayText(s.text, vt)
	case srcRaw:
		if jv, err := c.parse(s.text); err == nil && jv.Type() == fastjson.TypeArray {
			return c.fjArray(jv.GetArray(), vt)
		}
	case srcGo:
		if a, ok := s.gv.([]any); ok {
			return c.goArray(a, vt)
		}
	}
	return value.NullValue, badValue
}

// arrayText parses the JSON text of an array value. StringArray values written
// by core-contracts ≤ 4.0.2 are Go's %v form ("[a, b]"), not JSON: when the
// text is not a JSON array of strings, that form is split instead and the
// reading is reported as lossy (elements containing ", " cannot be recovered).
func (c *conv) arrayText(t string, vt vtype) (value.Value, outcome) {
	jv, err := c.parse(t)
	isArr := err == nil && jv.Type() == fastjson.TypeArray
	if vt.elem == elemString && (!isArr || !allStrings(jv.GetArray())) {
		return c.oldStringArray(t)
	}
	if !isArr {
		return value.NullValue, badValue
	}
	return c.fjArray(jv.GetArray(), vt)
}

func allStrings(a []*fastjson.Value) bool {
	for _, e := range a {
		if e.Type() != fastjson.TypeString {
			return false
		}
	}
	return true
}

// oldStringArray splits the pre-4.0.3 "[a, b, c]" form.
func (c *conv) oldStringArray(t string) (value.Value, outcome) {
	t = strings.TrimSpace(t)
	if len(t) < 2 || t[0] != '[' || t[len(t)-1] != ']' {
		return value.NullValue, badValue
	}
	inner := t[1 : len(t)-1]
	if inner == "" {
		return value.FromArray([]value.Value{}), lossyValue
	}
	out := make([]value.Value, 0, strings.Count(inner, ", ")+1)
	for part := range strings.SplitSeq(inner, ", ") {
		out = append(out, value.FromString(c.keep(part)))
	}
	return value.FromArray(out), lossyValue
}

// fjArray converts JSON elements; any element that does not fit the element
// type rejects the whole reading.
func (c *conv) fjArray(a []*fastjson.Value, vt vtype) (value.Value, outcome) {
	out := make([]value.Value, len(a))
	for i, e := range a {
		var ok bool
		switch e.Type() {
		case fastjson.TypeString:
			out[i], ok = c.scalarText(b2s(e.GetStringBytes()), vt)
		case fastjson.TypeNumber:
			ok = vt.elem != elemString && vt.elem != elemBool
			if ok {
				out[i], ok = c.scalarText(c.numText(e), vt)
			}
		case fastjson.TypeTrue, fastjson.TypeFalse:
			ok = vt.elem == elemBool
			out[i] = value.FromBool(e.Type() == fastjson.TypeTrue)
		}
		if !ok {
			return value.NullValue, badValue
		}
	}
	return value.FromArray(out), okValue
}

// goArray converts a decoded Go slice element by element.
func (c *conv) goArray(a []any, vt vtype) (value.Value, outcome) {
	out := make([]value.Value, len(a))
	for i, e := range a {
		var ok bool
		switch x := e.(type) {
		case string:
			out[i], ok = c.scalarText(x, vt)
		case bool:
			ok = vt.elem == elemBool
			out[i] = value.FromBool(x)
		default:
			var t string
			if t, ok = c.goNumberText(e); ok && vt.elem != elemString && vt.elem != elemBool {
				out[i], ok = c.scalarText(t, vt)
			} else {
				ok = false
			}
		}
		if !ok {
			return value.NullValue, badValue
		}
	}
	return value.FromArray(out), okValue
}
