// Package value is Oort's runtime value model. A Value is a small tagged struct
// (no interface boxing for scalars), so rows of numbers and strings can be built
// and compared without allocating per column.
package value

import (
	"math"
	"time"
)

// Kind is the runtime kind of a Value.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Int      // signed 64-bit
	Uint     // unsigned 64-bit, only for values above math.MaxInt64
	Float    // float64
	String   // UTF-8 text
	Bytes    // byte string (bytea)
	Datetime // instant with nanosecond precision and a zone
	Array    // []Value
	Object   // map[string]Value (struct)
)

var kindNames = [...]string{"null", "boolean", "bigint", "bigint", "float", "string", "bytea", "datetime", "array", "struct"}

// String returns the SQL type name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Value is one SQL value. The zero Value is NULL.
type Value struct {
	k Kind
	n uint64 // bool (0/1), int64 bits, uint64, float64 bits, unix nanoseconds
	s string // String payload
	r any    // []byte, []Value, map[string]Value, *time.Location
}

// NullValue is the SQL NULL.
var NullValue = Value{}

// True and False are the boolean constants.
var (
	True  = Value{k: Bool, n: 1}
	False = Value{k: Bool}
)

func FromBool(b bool) Value {
	if b {
		return True
	}
	return False
}

func FromInt(i int64) Value { return Value{k: Int, n: uint64(i)} }

// FromUint keeps values that fit in int64 as Int, so Uint only ever holds
// values above MaxInt64 and integer comparisons stay simple.
func FromUint(u uint64) Value {
	if u <= math.MaxInt64 {
		return Value{k: Int, n: u}
	}
	return Value{k: Uint, n: u}
}

func FromFloat(f float64) Value { return Value{k: Float, n: math.Float64bits(f)} }
func FromString(s string) Value { return Value{k: String, s: s} }

// FromBytes wraps b without copying; nil bytes are still a (empty) bytea value.
func FromBytes(b []byte) Value { return Value{k: Bytes, r: b} }

// FromArray wraps a without copying.
func FromArray(a []Value) Value {
	if a == nil {
		a = []Value{}
	}
	return Value{k: Array, r: a}
}

// FromObject wraps m without copying.
func FromObject(m map[string]Value) Value {
	if m == nil {
		m = map[string]Value{}
	}
	return Value{k: Object, r: m}
}

// FromTime keeps nanosecond precision and the zone of t.
func FromTime(t time.Time) Value {
	return Value{k: Datetime, n: uint64(t.UnixNano()), r: t.Location()}
}

func (v Value) Kind() Kind     { return v.k }
func (v Value) IsNull() bool   { return v.k == Null }
func (v Value) Bool() bool     { return v.n != 0 }
func (v Value) Int() int64     { return int64(v.n) }
func (v Value) Uint() uint64   { return v.n }
func (v Value) Float() float64 { return math.Float64frombits(v.n) }
func (v Value) Str() string    { return v.s }

// IsNumber reports whether v is an Int, Uint or Float.
func (v Value) IsNumber() bool { return v.k == Int || v.k == Uint || v.k == Float }

// Bytes returns the byte payload of a Bytes value (nil otherwise).
func (v Value) Bytes() []byte {
	b, _ := v.r.([]byte)
	return b
}

// Arr returns the elements of an Array value (nil otherwise). Callers must not
// modify the returned slice: values are shared between rows and rules.
func (v Value) Arr() []Value {
	a, _ := v.r.([]Value)
	return a
}

// Obj returns the map of an Object value (nil otherwise). Callers must not
// modify it; build a new map instead.
func (v Value) Obj() map[string]Value {
	m, _ := v.r.(map[string]Value)
	return m
}

// Time returns the instant of a Datetime value.
func (v Value) Time() time.Time {
	loc, _ := v.r.(*time.Location)
	if loc == nil {
		loc = time.UTC
	}
	return time.Unix(0, int64(v.n)).In(loc)
}

// AsFloat converts any number to float64; ok is false for non-numbers.
func (v Value) AsFloat() (float64, bool) {
	switch v.k {
	case Int:
		return float64(int64(v.n)), true
	case Uint:
		return float64(v.n), true
	case Float:
		return v.Float(), true
	}
	return 0, false
}

// AsInt converts an integer (or integral-in-range float) to int64.
func (v Value) AsInt() (int64, bool) {
	switch v.k {
	case Int:
		return int64(v.n), true
	case Float:
		f := v.Float()
		if f >= math.MinInt64 && f < math.MaxInt64 {
			return int64(f), true
		}
	}
	return 0, false
}
