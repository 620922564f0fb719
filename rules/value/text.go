package value

import (
	"encoding/base64"
	"strconv"
)

// Text is the canonical string form of v (sql.md §3.4, cast to string):
// `true`, `12`, `1.5`, datetimes as DatetimeLayout, bytes as standard base64,
// arrays and structs as JSON. NULL gives the empty string, which is what the
// functions that treat NULL as text (concat) need.
func Text(v Value) string {
	switch v.k {
	case Null:
		return ""
	case String:
		return v.s
	case Bool:
		return strconv.FormatBool(v.Bool())
	case Int:
		return strconv.FormatInt(int64(v.n), 10)
	case Uint:
		return strconv.FormatUint(v.n, 10)
	case Float:
		return FloatText(v.Float())
	case Bytes:
		return base64.StdEncoding.EncodeToString(v.Bytes())
	case Datetime:
		return v.Time().Format(DatetimeLayout)
	}
	return ToJSON(v)
}

// AppendText appends Text(v) to dst without the intermediate string for the
// scalar kinds (hot in concat and string sinks).
func AppendText(dst []byte, v Value) []byte {
	switch v.k {
	case Null:
		return dst
	case String:
		return append(dst, v.s...)
	case Bool:
		return strconv.AppendBool(dst, v.Bool())
	case Int:
		return strconv.AppendInt(dst, int64(v.n), 10)
	case Uint:
		return strconv.AppendUint(dst, v.n, 10)
	case Float:
		return appendFloatText(dst, v.Float())
	case Array, Object:
		return AppendJSON(dst, v)
	}
	return append(dst, Text(v)...)
}

// FloatText formats f as eKuiper's cast(x, "string") does: plain decimal
// notation with the fewest digits that round-trip (1e21 gives
// "1000000000000000000000", 1.2 gives "1.2").
func FloatText(f float64) string {
	return string(appendFloatText(nil, f))
}

func appendFloatText(dst []byte, f float64) []byte {
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}
