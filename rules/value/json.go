package value

import (
	"encoding/base64"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

// ToJSON encodes v as JSON text (see AppendJSON).
func ToJSON(v Value) string { return string(AppendJSON(nil, v)) }

// AppendJSON appends the JSON encoding of v to dst: floats in shortest
// round-trip form (integral floats print as `3`, like encoding/json), unsigned
// integers exact, bytes as base64 strings, datetimes as their Text form and
// struct keys sorted so output is deterministic. NaN and ±Inf, which JSON
// cannot express, are written as null.
func AppendJSON(dst []byte, v Value) []byte {
	switch v.k {
	case Null:
		return append(dst, "null"...)
	case Bool:
		return strconv.AppendBool(dst, v.Bool())
	case Int:
		return strconv.AppendInt(dst, int64(v.n), 10)
	case Uint:
		return strconv.AppendUint(dst, v.n, 10)
	case Float:
		return appendJSONFloat(dst, v.Float())
	case String:
		return AppendJSONString(dst, v.s)
	case Bytes:
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, v.Bytes())
		return append(dst, '"')
	case Datetime:
		return AppendJSONString(dst, Text(v))
	case Array:
		dst = append(dst, '[')
		for i, e := range v.Arr() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSON(dst, e)
		}
		return append(dst, ']')
	case Object:
		return appendJSONObject(dst, v.Obj())
	}
	return append(dst, "null"...)
}

func appendJSONObject(dst []byte, m map[string]Value) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSONString(dst, k)
		dst = append(dst, ':')
		dst = AppendJSON(dst, m[k])
	}
	return append(dst, '}')
}

// appendJSONFloat follows encoding/json: plain notation between 1e-6 and
// 1e21, exponent notation outside, exponents without leading zeros.
func appendJSONFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string. Unlike encoding/json it does
// not escape <, > and &; invalid UTF-8 bytes become a literal U+FFFD, so
// encoding a decoded document is stable.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			// Valid JSON, but they end lines in JavaScript consumers.
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// ParseJSON decodes any JSON document. Numbers are floats unless wholeAsInt
// is set and the literal has no '.', 'e' or 'E' (then bigint, unsigned above
// MaxInt64). It allocates a parser per call; use a JSONDecoder on hot paths.
func ParseJSON(data []byte, wholeAsInt bool) (Value, error) {
	d := JSONDecoder{WholeAsInt: wholeAsInt}
	return d.Decode(data)
}

// JSONDecoder reuses a fastjson parser between documents. It is not safe for
// concurrent use: keep one per goroutine (e.g. per source connector).
type JSONDecoder struct {
	WholeAsInt bool
	p          fastjson.Parser
	scratch    []byte
}

// Decode parses one JSON document into a Value that owns its memory (nothing
// refers to data or the parser afterwards).
func (d *JSONDecoder) Decode(data []byte) (Value, error) {
	fv, err := d.p.ParseBytes(data)
	if err != nil {
		return NullValue, fmt.Errorf("invalid JSON: %w", err)
	}
	return d.convert(fv)
}

func (d *JSONDecoder) convert(fv *fastjson.Value) (Value, error) {
	switch fv.Type() {
	case fastjson.TypeNull:
		return NullValue, nil
	case fastjson.TypeTrue:
		return True, nil
	case fastjson.TypeFalse:
		return False, nil
	case fastjson.TypeString:
		b, _ := fv.StringBytes()
		return FromString(string(b)), nil
	case fastjson.TypeNumber:
		return d.number(fv)
	case fastjson.TypeArray:
		items, _ := fv.Array()
		out := make([]Value, len(items))
		for i, it := range items {
			v, err := d.convert(it)
			if err != nil {
				return NullValue, err
			}
			out[i] = v
		}
		return FromArray(out), nil
	case fastjson.TypeObject:
		return d.object(fv)
	}
	return NullValue, fmt.Errorf("invalid JSON: unexpected value type %s", fv.Type())
}

func (d *JSONDecoder) object(fv *fastjson.Value) (Value, error) {
	o, _ := fv.Object()
	out := make(map[string]Value, o.Len())
	var err error
	o.Visit(func(key []byte, item *fastjson.Value) {
		if err != nil {
			return
		}
		var v Value
		if v, err = d.convert(item); err == nil {
			out[string(key)] = v
		}
	})
	if err != nil {
		return NullValue, err
	}
	return FromObject(out), nil
}

// number validates the literal against the JSON grammar (fastjson alone
// accepts NaN, Inf and stray signs) and parses it exactly with strconv.
func (d *JSONDecoder) number(fv *fastjson.Value) (Value, error) {
	d.scratch = fv.MarshalTo(d.scratch[:0])
	lit := d.scratch
	integral, ok := scanJSONNumber(lit)
	if !ok {
		return NullValue, fmt.Errorf("invalid JSON: bad number %q", lit)
	}
	if integral && d.WholeAsInt {
		if i, err := strconv.ParseInt(string(lit), 10, 64); err == nil {
			return FromInt(i), nil
		}
		if u, err := strconv.ParseUint(string(lit), 10, 64); err == nil {
			return FromUint(u), nil
		}
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		return NullValue, fmt.Errorf("invalid JSON: number %q out of range", lit)
	}
	return FromFloat(f), nil
}

// scanJSONNumber checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and
// reports whether the literal is integral (no fraction, no exponent).
func scanJSONNumber(s []byte) (integral, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	start := i
	n := digits()
	if n == 0 || (n > 1 && s[start] == '0') {
		return false, false
	}
	integral = true
	if i < len(s) && s[i] == '.' {
		i++
		integral = false
		if digits() == 0 {
			return false, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		integral = false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false, false
		}
	}
	return integral, i == len(s)
}
