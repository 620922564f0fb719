package sinks

import (
	"math"

	"github.com/oort-rules/oort/rules/value"
)

// toGo converts a value to plain Go data for JSON or CBOR encoding (Object
// readings, command settings, event tags). It differs from value.ToGo where
// the engine's JSON output differs from encoding/json: datetimes become
// their canonical text and non-finite floats null, since a marshal failure
// at publish time would look like a transport error.
func toGo(v value.Value) any {
	switch v.Kind() {
	case value.Float:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return v.Float()
	case value.Datetime:
		return value.Text(v)
	case value.Array:
		arr := v.Arr()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = toGo(e)
		}
		return out
	case value.Object:
		obj := v.Obj()
		out := make(map[string]any, len(obj))
		for k, e := range obj {
			out[k] = toGo(e)
		}
		return out
	}
	return value.ToGo(v)
}

// canonicalText is the text of a value as cast(x, "string") gives it (true,
// 12, 1.5, datetimes in value.DatetimeLayout, bytes as base64, arrays and
// structs as JSON); NULL is spelled out for error messages.
func canonicalText(v value.Value) string {
	if v.IsNull() {
		return "null"
	}
	return value.Text(v)
}
