package eventrow

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/fxamacker/cbor/v2"
	"github.com/oort-rules/oort/rules/value"
	"github.com/valyala/fastjson"
)

// conv turns decoded JSON (fastjson) and Go (CBOR, DTO) values into
// value.Values. With an arena, strings are copied out of reused parser
// memory; without one, every input string must already be durable and each
// nested parse uses a fresh parser.
type conv struct {
	arena *strArena
	ap    *fastjson.Parser // reused for value strings; only with an arena
	// num holds number literals and re-serialised tags of the current
	// message. It is append-only until reset, so views into it stay valid
	// while the message is decoded.
	num []byte
}

// reset starts a new message.
func (c *conv) reset() { c.num = c.num[:0] }

// marshal returns the JSON text of v as a view valid until reset.
func (c *conv) marshal(v *fastjson.Value) string {
	start := len(c.num)
	c.num = v.MarshalTo(c.num)
	return b2s(c.num[start:])
}

// keep makes s durable.
func (c *conv) keep(s string) string {
	if c.arena == nil {
		return s
	}
	return c.arena.str(s)
}

// parse parses JSON text held in a value string ("[1, 2]", an Object given as
// text). The result is valid until the next parse with the same conv.
func (c *conv) parse(s string) (*fastjson.Value, error) {
	if c.ap == nil {
		return fastjson.Parse(s)
	}
	return c.ap.Parse(s)
}

// fromFJ converts any JSON value.
func (c *conv) fromFJ(v *fastjson.Value) value.Value {
	switch v.Type() {
	case fastjson.TypeObject:
		o := v.GetObject()
		m := make(map[string]value.Value, o.Len())
		o.Visit(func(k []byte, vv *fastjson.Value) {
			m[c.keep(b2s(k))] = c.fromFJ(vv)
		})
		return value.FromObject(m)
	case fastjson.TypeArray:
		a := v.GetArray()
		out := make([]value.Value, len(a))
		for i, e := range a {
			out[i] = c.fromFJ(e)
		}
		return value.FromArray(out)
	case fastjson.TypeString:
		return value.FromString(c.keep(b2s(v.GetStringBytes())))
	case fastjson.TypeNumber:
		return numberValue(c.numText(v))
	case fastjson.TypeTrue:
		return value.True
	case fastjson.TypeFalse:
		return value.False
	}
	return value.NullValue
}

// numText returns the literal text of a JSON number (valid until reset), so
// it can be parsed exactly by strconv instead of fastjson's approximate float
// parser.
func (c *conv) numText(v *fastjson.Value) string { return c.marshal(v) }

// numberValue keeps integers exact (Int, or Uint above MaxInt64) and parses
// everything else as a float.
func numberValue(s string) value.Value {
	if isIntText(s) {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return value.FromInt(i)
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return value.FromUint(u)
		}
	}
	f, ok := parseFloat(s)
	if !ok {
		return value.NullValue
	}
	return value.FromFloat(f)
}

// parseFloat parses at 64-bit precision. Out-of-range literals saturate to
// ±Inf or 0 as strconv rounds them; only malformed text fails.
func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && errors.Is(err, strconv.ErrSyntax) {
		return 0, false
	}
	return f, true
}

func isIntText(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if (ch < '0' || ch > '9') && !(i == 0 && (ch == '-' || ch == '+')) {
			return false
		}
	}
	return true
}

// fromGo converts values decoded by encoding/json or fxamacker/cbor.
func (c *conv) fromGo(v any) value.Value {
	switch x := v.(type) {
	case nil:
		return value.NullValue
	case bool:
		return value.FromBool(x)
	case string:
		return value.FromString(c.keep(x))
	case []byte:
		return value.FromBytes(x)
	case int:
		return value.FromInt(int64(x))
	case int8, int16, int32, int64:
		return value.FromInt(reflectInt(x))
	case uint, uint8, uint16, uint32, uint64:
		return value.FromUint(reflectUint(x))
	case float32:
		return value.FromFloat(float64(x))
	case float64:
		return value.FromFloat(x)
	case json.Number:
		return numberValue(x.String())
	case big.Int:
		return bigValue(&x)
	case *big.Int:
		return bigValue(x)
	case cbor.Tag:
		return c.fromGo(x.Content)
	case map[string]any:
		m := make(map[string]value.Value, len(x))
		for k, e := range x {
			m[c.keep(k)] = c.fromGo(e)
		}
		return value.FromObject(m)
	case map[any]any:
		m := make(map[string]value.Value, len(x))
		for k, e := range x {
			m[keyString(k)] = c.fromGo(e)
		}
		return value.FromObject(m)
	case []any:
		out := make([]value.Value, len(x))
		for i, e := range x {
			out[i] = c.fromGo(e)
		}
		return value.FromArray(out)
	}
	return value.FromString(fmt.Sprint(v))
}

func reflectInt(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

func reflectUint(v any) uint64 {
	switch x := v.(type) {
	case uint:
		return uint64(x)
	case uint8:
		return uint64(x)
	case uint16:
		return uint64(x)
	case uint32:
		return uint64(x)
	case uint64:
		return x
	}
	return 0
}

// bigValue keeps CBOR bignums that fit 64 bits as integers; larger ones
// become floats, the nearest SQL number.
func bigValue(b *big.Int) value.Value {
	if b.IsInt64() {
		return value.FromInt(b.Int64())
	}
	if b.IsUint64() {
		return value.FromUint(b.Uint64())
	}
	f, _ := new(big.Float).SetInt(b).Float64()
	return value.FromFloat(f)
}

// keyString renders a CBOR map key (which may be any scalar) as a struct field
// name, as core-contracts' normalizeMap does.
func keyString(k any) string {
	if s, ok := k.(string); ok {
		return s
	}
	return fmt.Sprint(k)
}

// goNumberText formats a Go number decoded from CBOR or a DTO as the literal a
// JSON producer would have written, so both go through the same parser.
func (c *conv) goNumberText(v any) (string, bool) {
	start := len(c.num)
	switch x := v.(type) {
	case int, int8, int16, int32, int64:
		c.num = strconv.AppendInt(c.num, reflectIntAny(x), 10)
	case uint, uint8, uint16, uint32, uint64:
		c.num = strconv.AppendUint(c.num, reflectUint(x), 10)
	case float32:
		c.num = strconv.AppendFloat(c.num, float64(x), 'g', -1, 32)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			c.num = strconv.AppendInt(c.num, int64(x), 10)
			break
		}
		c.num = strconv.AppendFloat(c.num, x, 'g', -1, 64)
	case json.Number:
		return x.String(), true
	default:
		return "", false
	}
	return b2s(c.num[start:]), true
}

func reflectIntAny(v any) int64 {
	if i, ok := v.(int); ok {
		return int64(i)
	}
	return reflectInt(v)
}
