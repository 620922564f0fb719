package value

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
)

// castTypes lists the target types accepted by Cast, in documentation order.
var castTypes = [...]string{"bigint", "float", "string", "boolean", "datetime", "bytea"}

// IsCastType reports whether typ is a valid Cast target.
func IsCastType(typ string) bool {
	for _, t := range castTypes {
		if t == typ {
			return true
		}
	}
	return false
}

// Cast converts v to typ following sql.md §3.4. layout is a Java-style
// TIMESTAMP_FORMAT used for string → datetime ("" auto-detects). Strings
// without a zone are read as UTC; use CastIn to choose the zone.
func Cast(v Value, typ string, layout string) (Value, error) {
	return CastIn(v, typ, layout, time.UTC)
}

// CastIn is Cast with the zone used for zone-less datetime strings.
func CastIn(v Value, typ, layout string, loc *time.Location) (Value, error) {
	if v.k == Null {
		return NullValue, nil
	}
	var (
		r   Value
		err error
	)
	switch typ {
	case "bigint":
		r, err = castBigint(v)
	case "float":
		r, err = castFloat(v)
	case "string":
		return FromString(Text(v)), nil
	case "boolean":
		r, err = castBool(v)
	case "datetime":
		r, err = castDatetime(v, layout, loc)
	case "bytea":
		r, err = castBytes(v)
	default:
		return NullValue, fmt.Errorf("unknown cast type %q, expect one of bigint, float, string, boolean, datetime, bytea", typ)
	}
	if err != nil {
		return NullValue, fmt.Errorf("cannot cast %s to %s: %w", describe(v), typ, err)
	}
	return r, nil
}

func castBigint(v Value) (Value, error) {
	switch v.k {
	case Int, Uint:
		return v, nil
	case Float:
		f := math.Trunc(v.Float())
		switch {
		case f >= -9223372036854775808.0 && f < 9223372036854775808.0:
			return FromInt(int64(f)), nil
		case f >= 0 && f < 18446744073709551616.0:
			return FromUint(uint64(f)), nil
		}
		return NullValue, ErrIntegerOverflow
	case String:
		if i, err := strconv.ParseInt(v.s, 10, 64); err == nil {
			return FromInt(i), nil
		}
		u, err := strconv.ParseUint(v.s, 10, 64)
		if err != nil {
			return NullValue, fmt.Errorf("not an integer")
		}
		return FromUint(u), nil
	case Bool:
		return FromInt(int64(v.n)), nil
	case Datetime:
		return FromInt(v.Time().UnixMilli()), nil
	}
	return NullValue, fmt.Errorf("unsupported conversion")
}

func castFloat(v Value) (Value, error) {
	switch v.k {
	case Int, Uint, Float:
		f, _ := v.AsFloat()
		return FromFloat(f), nil
	case String:
		f, err := strconv.ParseFloat(v.s, 64)
		if err != nil {
			return NullValue, fmt.Errorf("not a number")
		}
		return FromFloat(f), nil
	case Bool:
		return FromFloat(float64(v.n)), nil
	case Datetime:
		return FromFloat(float64(v.Time().UnixMilli())), nil
	}
	return NullValue, fmt.Errorf("unsupported conversion")
}

func castBool(v Value) (Value, error) {
	switch v.k {
	case Bool:
		return v, nil
	case Int, Uint:
		return FromBool(v.n != 0), nil
	case Float:
		return FromBool(v.Float() != 0), nil
	case String:
		b, err := strconv.ParseBool(v.s)
		if err != nil {
			return NullValue, fmt.Errorf("not a boolean")
		}
		return FromBool(b), nil
	}
	return NullValue, fmt.Errorf("unsupported conversion")
}

func castDatetime(v Value, layout string, loc *time.Location) (Value, error) {
	switch v.k {
	case Datetime:
		return v, nil
	case String:
		if layout != "" {
			t, err := ParseDatetime(v.s, layout, loc)
			if err != nil {
				return NullValue, err
			}
			return FromTime(t), nil
		}
	case Int, Uint, Float:
	default:
		return NullValue, fmt.Errorf("unsupported conversion")
	}
	t, err := ToTime(v, loc)
	if err != nil {
		return NullValue, err
	}
	return FromTime(t), nil
}

func castBytes(v Value) (Value, error) {
	switch v.k {
	case Bytes:
		return v, nil
	case String:
		b, err := base64.StdEncoding.DecodeString(v.s)
		if err != nil {
			if b2, err2 := base64.RawStdEncoding.DecodeString(v.s); err2 == nil {
				return FromBytes(b2), nil
			}
			return NullValue, fmt.Errorf("invalid base64: %w", err)
		}
		return FromBytes(b), nil
	}
	return NullValue, fmt.Errorf("unsupported conversion")
}

// ToGo converts v to plain Go values for templates and json.Marshal:
// nil, bool, int64, uint64, float64, string, []byte, time.Time, []any,
// map[string]any.
func ToGo(v Value) any {
	switch v.k {
	case Bool:
		return v.Bool()
	case Int:
		return int64(v.n)
	case Uint:
		return v.n
	case Float:
		return v.Float()
	case String:
		return v.s
	case Bytes:
		return v.Bytes()
	case Datetime:
		return v.Time()
	case Array:
		a := v.Arr()
		out := make([]any, len(a))
		for i, e := range a {
			out[i] = ToGo(e)
		}
		return out
	case Object:
		m := v.Obj()
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = ToGo(e)
		}
		return out
	}
	return nil
}

// FromGo converts encoding/json-style values (nil, bool, float64,
// json.Number, string, []any, map[string]any) and Go scalars, slices, maps
// with string keys and pointers to them. Anything else becomes its fmt text.
func FromGo(x any) Value {
	switch t := x.(type) {
	case nil:
		return NullValue
	case Value:
		return t
	case bool:
		return FromBool(t)
	case string:
		return FromString(t)
	case float64:
		return FromFloat(t)
	case float32:
		return FromFloat(float64(t))
	case int:
		return FromInt(int64(t))
	case int64:
		return FromInt(t)
	case int32:
		return FromInt(int64(t))
	case int16:
		return FromInt(int64(t))
	case int8:
		return FromInt(int64(t))
	case uint:
		return FromUint(uint64(t))
	case uint64:
		return FromUint(t)
	case uint32:
		return FromUint(uint64(t))
	case uint16:
		return FromUint(uint64(t))
	case uint8:
		return FromUint(uint64(t))
	case json.Number:
		return fromJSONNumber(t)
	case []byte:
		return FromBytes(t)
	case time.Time:
		return FromTime(t)
	case []any:
		out := make([]Value, len(t))
		for i, e := range t {
			out[i] = FromGo(e)
		}
		return FromArray(out)
	case map[string]any:
		out := make(map[string]Value, len(t))
		for k, e := range t {
			out[k] = FromGo(e)
		}
		return FromObject(out)
	case []Value:
		return FromArray(t)
	case map[string]Value:
		return FromObject(t)
	}
	return fromReflect(reflect.ValueOf(x))
}

func fromJSONNumber(n json.Number) Value {
	s := string(n)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return FromInt(i)
	}
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		return FromUint(u)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return FromFloat(f)
	}
	return FromString(s)
}

// fromReflect handles typed slices ([]string, []float64, []int64 ...), maps
// with string keys and pointers, which EdgeX readings and codecs produce.
func fromReflect(rv reflect.Value) Value {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return NullValue
		}
		return FromGo(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return FromArray(nil)
		}
		out := make([]Value, rv.Len())
		for i := range out {
			out[i] = FromGo(rv.Index(i).Interface())
		}
		return FromArray(out)
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		out := make(map[string]Value, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			out[iter.Key().String()] = FromGo(iter.Value().Interface())
		}
		return FromObject(out)
	case reflect.Bool:
		return FromBool(rv.Bool())
	case reflect.String:
		return FromString(rv.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return FromInt(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return FromUint(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return FromFloat(rv.Float())
	}
	return FromString(fmt.Sprint(rv.Interface()))
}
