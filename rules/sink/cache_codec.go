package sink

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// Cache pages hold one message per line as JSON. Values are tagged so a
// reload restores their kind exactly (a float 2.0 stays a float, bytes stay
// bytes, a datetime keeps nanoseconds):
//
//	message {"n":rows,"p":"<base64 payload>","r":[row...]}
//	row     {"pt":ms,"et":ms,"tp":"topic","c":[["name",value,"valueType","units","mediaType"]...]}
//	value   null | true | false | 123 | "text" | [value...] |
//	        {"u":"<uint>"} | {"f":"<float>"} | {"b":"<base64>"} | {"t":"<RFC3339Nano>"} | {"o":{"k":value}}
//
// Row metadata is not kept: sinks read columns, never source metadata.

func appendMessage(dst []byte, m message) []byte {
	dst = append(dst, `{"n":`...)
	dst = strconv.AppendInt(dst, int64(m.n), 10)
	if m.payload != nil {
		dst = append(dst, `,"p":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, m.payload)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"r":[`...)
	for i, r := range m.rows {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendCacheRow(dst, r)
	}
	return append(dst, "]}"...)
}

func appendCacheRow(dst []byte, r *row.Row) []byte {
	dst = append(dst, `{"pt":`...)
	dst = strconv.AppendInt(dst, r.PT, 10)
	dst = append(dst, `,"et":`...)
	dst = strconv.AppendInt(dst, r.ET, 10)
	dst = append(dst, `,"tp":`...)
	dst = appendJSONString(dst, r.Topic)
	dst = append(dst, `,"c":[`...)
	for i, c := range r.Cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		dst = appendJSONString(dst, c.Name)
		dst = append(dst, ',')
		dst = appendTagged(dst, c.Val)
		if c.Prov != nil {
			for _, s := range []string{c.Prov.ValueType, c.Prov.Units, c.Prov.MediaType} {
				dst = append(dst, ',')
				dst = appendJSONString(dst, s)
			}
		}
		dst = append(dst, ']')
	}
	return append(dst, "]}"...)
}

func appendTagged(dst []byte, v value.Value) []byte {
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
		return appendJSONString(dst, v.Str())
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
			dst = appendTagged(dst, x)
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
			dst = appendJSONString(dst, k)
			dst = append(dst, ':')
			dst = appendTagged(dst, x)
		}
		return append(dst, "}}"...)
	}
	return append(dst, "null"...)
}

func appendJSONString(dst []byte, s string) []byte {
	return value.AppendJSONString(dst, s)
}

func parseMessage(line []byte) (message, error) {
	var p fastjson.Parser
	v, err := p.ParseBytes(line)
	if err != nil {
		return message{}, fmt.Errorf("invalid cache record: %w", err)
	}
	m := message{n: v.GetInt("n")}
	if pv := v.Get("p"); pv != nil {
		if m.payload, err = base64.StdEncoding.DecodeString(string(pv.GetStringBytes())); err != nil {
			return message{}, fmt.Errorf("invalid cache payload: %w", err)
		}
	}
	for _, rv := range v.GetArray("r") {
		r, err := parseCacheRow(rv)
		if err != nil {
			return message{}, err
		}
		m.rows = append(m.rows, r)
	}
	return m, nil
}

func parseCacheRow(v *fastjson.Value) (*row.Row, error) {
	r := &row.Row{PT: v.GetInt64("pt"), ET: v.GetInt64("et"), Topic: string(v.GetStringBytes("tp"))}
	for _, cv := range v.GetArray("c") {
		parts, err := cv.Array()
		if err != nil || len(parts) < 2 {
			return nil, fmt.Errorf("invalid cache column %s", cv)
		}
		val, err := parseTagged(parts[1])
		if err != nil {
			return nil, err
		}
		col := row.Col{Name: string(parts[0].GetStringBytes()), Val: val}
		if len(parts) >= 5 {
			col.Prov = &row.Prov{ValueType: string(parts[2].GetStringBytes()),
				Units: string(parts[3].GetStringBytes()), MediaType: string(parts[4].GetStringBytes())}
		}
		r.Cols = append(r.Cols, col)
	}
	return r, nil
}

func parseTagged(v *fastjson.Value) (value.Value, error) {
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
			return value.NullValue, fmt.Errorf("invalid cached integer %s: %w", v, err)
		}
		return value.FromInt(i), nil
	case fastjson.TypeString:
		return value.FromString(string(v.GetStringBytes())), nil
	case fastjson.TypeArray:
		a, _ := v.Array()
		out := make([]value.Value, len(a))
		for i, x := range a {
			var err error
			if out[i], err = parseTagged(x); err != nil {
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
		return value.NullValue, fmt.Errorf("invalid cached value %s", v)
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
		return value.NullValue, fmt.Errorf("invalid cached value %s: %w", v, err)
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
		m[string(k)], err = parseTagged(x)
	})
	return value.FromObject(m), err
}
