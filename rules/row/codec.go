package row

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/value"
)

// The typed row encoding keeps every value's kind exactly (a float 2.0 stays
// a float, bytes stay bytes, a datetime keeps nanoseconds), so rows survive
// a disk round trip: sink caches and rule checkpoints use it.
//
//	row     {"pt":ms,"et":ms,"tp":"topic","m":metadata,"c":[["name",value,"valueType","units","mediaType"]...]}
//	value   null | true | false | 123 | "text" | [value...] |
//	        {"u":"<uint>"} | {"f":"<float>"} | {"b":"<base64>"} | {"t":"<RFC3339Nano>"} | {"o":{"k":value}}
//
// Metadata is kept as a plain map (its values, not a lazy implementation).

func AppendTyped(dst []byte, r *Row) []byte {
	dst = append(dst, `{"pt":`...)
	dst = strconv.AppendInt(dst, r.PT, 10)
	dst = append(dst, `,"et":`...)
	dst = strconv.AppendInt(dst, r.ET, 10)
	dst = append(dst, `,"tp":`...)
	dst = value.AppendJSONString(dst, r.Topic)
	if r.Meta != nil {
		dst = append(dst, `,"m":`...)
		dst = AppendTaggedValue(dst, r.Meta.All())
	}
	dst = append(dst, `,"c":[`...)
	for i, c := range r.Cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		dst = value.AppendJSONString(dst, c.Name)
		dst = append(dst, ',')
		dst = AppendTaggedValue(dst, c.Val)
		if c.Prov != nil {
			for _, s := range []string{c.Prov.ValueType, c.Prov.Units, c.Prov.MediaType} {
				dst = append(dst, ',')
				dst = value.AppendJSONString(dst, s)
			}
		}
		dst = append(dst, ']')
	}
	return append(dst, "]}"...)
}

func AppendTaggedValue(dst []byte, v value.Value) []byte {
	switch v.Kind() {
	case value.Null:
		return append(dst, "null"...)
	case value.Bool:
		return strconv.AppendBool(dst, v.Bool())
	case value.Int:
		return strconv.AppendInt(dst, v.Int(), 10)
	case value.Uint:
		return append(strconv.AppendUint(append(dst, `{"u":"`...), v.Uint(), 10), `"}`...)
	case value.Float:
		return append(strconv.AppendFloat(append(dst, `{"f":"`...), v.Float(), 'g', -1, 64), `"}`...)
	case value.String:
		return value.AppendJSONString(dst, v.Str())
	case value.Bytes:
		return append(base64.StdEncoding.AppendEncode(append(dst, `{"b":"`...), v.Bytes()), `"}`...)
	case value.Datetime:
		return append(v.Time().AppendFormat(append(dst, `{"t":"`...), time.RFC3339Nano), `"}`...)
	case value.Array:
		dst = append(dst, '[')
		for i, x := range v.Arr() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendTaggedValue(dst, x)
		}
		return append(dst, ']')
	case value.Object:
		dst = append(dst, `{"o":{`...)
		i := 0
		for k, x := range v.Obj() {
			if i > 0 {
				dst = append(dst, ',')
			}
			i++
			dst = value.AppendJSONString(dst, k)
			dst = append(dst, ':')
			dst = AppendTaggedValue(dst, x)
		}
		return append(dst, "}}"...)
	}
	return append(dst, "null"...)
}

func ParseTyped(v *fastjson.Value) (*Row, error) {
	r := &Row{PT: v.GetInt64("pt"), ET: v.GetInt64("et"), Topic: string(v.GetStringBytes("tp"))}
	if mv := v.Get("m"); mv != nil {
		m, err := ParseTaggedValue(mv)
		if err != nil {
			return nil, err
		}
		r.Meta = MapMeta(m.Obj())
	}
	for _, cv := range v.GetArray("c") {
		parts, err := cv.Array()
		if err != nil || len(parts) < 2 {
			return nil, fmt.Errorf("invalid typed column %s", cv)
		}
		val, err := ParseTaggedValue(parts[1])
		if err != nil {
			return nil, err
		}
		col := Col{Name: string(parts[0].GetStringBytes()), Val: val}
		if len(parts) >= 5 {
			col.Prov = &Prov{ValueType: string(parts[2].GetStringBytes()),
				Units: string(parts[3].GetStringBytes()), MediaType: string(parts[4].GetStringBytes())}
		}
		r.Cols = append(r.Cols, col)
	}
	return r, nil
}

func ParseTaggedValue(v *fastjson.Value) (value.Value, error) {
	switch v.Type() {
	case fastjson.TypeNull:
		return value.NullValue, nil
	case fastjson.TypeTrue:
		return value.True, nil
	case fastjson.TypeFalse:
		return value.False, nil
	case fastjson.TypeNumber:
		i, err := v.Int64()
		if err != nil {
			return value.NullValue, fmt.Errorf("invalid typed integer %s: %w", v, err)
		}
		return value.FromInt(i), nil
	case fastjson.TypeString:
		return value.FromString(string(v.GetStringBytes())), nil
	case fastjson.TypeArray:
		a, _ := v.Array()
		out := make([]value.Value, len(a))
		for i, x := range a {
			var err error
			if out[i], err = ParseTaggedValue(x); err != nil {
				return value.NullValue, err
			}
		}
		return value.FromArray(out), nil
	}
	return parseTaggedObject(v)
}

func parseTaggedObject(v *fastjson.Value) (value.Value, error) {
	o, _ := v.Object()
	if o == nil || o.Len() != 1 {
		return value.NullValue, fmt.Errorf("invalid typed value %s", v)
	}
	var out value.Value
	var err error
	o.Visit(func(k []byte, x *fastjson.Value) {
		s := string(x.GetStringBytes())
		switch string(k) {
		case "u":
			var u uint64
			u, err = strconv.ParseUint(s, 10, 64)
			out = value.FromUint(u)
		case "f":
			var f float64
			f, err = strconv.ParseFloat(s, 64)
			out = value.FromFloat(f)
		case "b":
			var b []byte
			b, err = base64.StdEncoding.DecodeString(s)
			out = value.FromBytes(b)
		case "t":
			var t time.Time
			t, err = time.Parse(time.RFC3339Nano, s)
			out = value.FromTime(t)
		case "o":
			out, err = parseTaggedMap(x)
		default:
			err = fmt.Errorf("unknown tag %q", k)
		}
	})
	if err != nil {
		return value.NullValue, fmt.Errorf("invalid typed value %s: %w", v, err)
	}
	return out, nil
}

func parseTaggedMap(v *fastjson.Value) (value.Value, error) {
	o, err := v.Object()
	if err != nil {
		return value.NullValue, err
	}
	m := make(map[string]value.Value, o.Len())
	o.Visit(func(k []byte, x *fastjson.Value) {
		if err != nil {
			return
		}
		m[string(k)], err = ParseTaggedValue(x)
	})
	return value.FromObject(m), err
}
