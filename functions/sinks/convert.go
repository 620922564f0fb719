package sinks

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"

	"github.com/oort-rules/oort/rules/value"
)

// errRange and errKind classify conversion failures for callers and tests.
var (
	errRange = errors.New("out of range")
	errKind  = errors.New("unconvertible value")
)

// intBits gives the width of each integer value type; signed types are the
// positive entries, unsigned the negative ones.
var intBits = map[string]int{
	common.ValueTypeInt8: 8, common.ValueTypeInt16: 16, common.ValueTypeInt32: 32, common.ValueTypeInt64: 64,
	common.ValueTypeUint8: -8, common.ValueTypeUint16: -16, common.ValueTypeUint32: -32, common.ValueTypeUint64: -64,
}

// arrayElem maps an array value type to its element type.
var arrayElem = map[string]string{
	common.ValueTypeBoolArray: common.ValueTypeBool, common.ValueTypeStringArray: common.ValueTypeString,
	common.ValueTypeInt8Array: common.ValueTypeInt8, common.ValueTypeInt16Array: common.ValueTypeInt16,
	common.ValueTypeInt32Array: common.ValueTypeInt32, common.ValueTypeInt64Array: common.ValueTypeInt64,
	common.ValueTypeUint8Array: common.ValueTypeUint8, common.ValueTypeUint16Array: common.ValueTypeUint16,
	common.ValueTypeUint32Array: common.ValueTypeUint32, common.ValueTypeUint64Array: common.ValueTypeUint64,
	common.ValueTypeFloat32Array: common.ValueTypeFloat32, common.ValueTypeFloat64Array: common.ValueTypeFloat64,
}

// simpleGo converts v to exactly the Go kind AddSimpleReading requires for vt
// (int32 for Int32, []uint16 for Uint16Array, ...). It never wraps: a value
// outside the type's range is errRange, a value of another kind errKind.
func simpleGo(vt string, v value.Value) (any, error) {
	if elem, ok := arrayElem[vt]; ok {
		return arrayGo(vt, elem, v)
	}
	switch vt {
	case common.ValueTypeBool:
		return toBool(v)
	case common.ValueTypeString:
		return canonicalText(v), nil
	case common.ValueTypeFloat32:
		f, err := toFloat(v, 32)
		return float32(f), err
	case common.ValueTypeFloat64:
		return toFloat(v, 64)
	}
	bits, ok := intBits[vt]
	if !ok {
		return nil, fmt.Errorf("%s is not a simple value type", vt)
	}
	if bits > 0 {
		i, err := toSigned(v, bits)
		return sizedSigned(i, bits), err
	}
	u, err := toUnsigned(v, -bits)
	return sizedUnsigned(u, -bits), err
}

func sizedSigned(i int64, bits int) any {
	switch bits {
	case 8:
		return int8(i)
	case 16:
		return int16(i)
	case 32:
		return int32(i)
	}
	return i
}

func sizedUnsigned(u uint64, bits int) any {
	switch bits {
	case 8:
		return uint8(u)
	case 16:
		return uint16(u)
	case 32:
		return uint32(u)
	}
	return u
}

// arrayGo builds the typed slice of an array value type element by element.
func arrayGo(vt, elem string, v value.Value) (any, error) {
	if v.Kind() != value.Array {
		return nil, fmt.Errorf("%w: %s needs an array, got %s", errKind, vt, v.Kind())
	}
	arr := v.Arr()
	var out any
	switch elem {
	case common.ValueTypeBool:
		out = fill(arr, toBool)
	case common.ValueTypeString:
		out = fill(arr, func(e value.Value) (string, error) {
			if e.IsNull() {
				return "", fmt.Errorf("%w: null element", errKind)
			}
			return canonicalText(e), nil
		})
	case common.ValueTypeFloat32:
		out = fill(arr, func(e value.Value) (float32, error) { f, err := toFloat(e, 32); return float32(f), err })
	case common.ValueTypeFloat64:
		out = fill(arr, func(e value.Value) (float64, error) { return toFloat(e, 64) })
	default:
		out = intArrayGo(elem, arr)
	}
	if ae, ok := out.(arrayErr); ok {
		return nil, fmt.Errorf("%s element %d: %w", vt, ae.index, ae.err)
	}
	return out, nil
}

// arrayErr carries the first failing element out of fill.
type arrayErr struct {
	index int
	err   error
}

func fill[T any](arr []value.Value, conv func(value.Value) (T, error)) any {
	out := make([]T, len(arr))
	for i, e := range arr {
		x, err := conv(e)
		if err != nil {
			return arrayErr{i, err}
		}
		out[i] = x
	}
	return out
}

func intArrayGo(elem string, arr []value.Value) any {
	switch elem {
	case common.ValueTypeInt8:
		return fill(arr, func(e value.Value) (int8, error) { i, err := toSigned(e, 8); return int8(i), err })
	case common.ValueTypeInt16:
		return fill(arr, func(e value.Value) (int16, error) { i, err := toSigned(e, 16); return int16(i), err })
	case common.ValueTypeInt32:
		return fill(arr, func(e value.Value) (int32, error) { i, err := toSigned(e, 32); return int32(i), err })
	case common.ValueTypeInt64:
		return fill(arr, func(e value.Value) (int64, error) { return toSigned(e, 64) })
	case common.ValueTypeUint8:
		return fill(arr, func(e value.Value) (uint8, error) { u, err := toUnsigned(e, 8); return uint8(u), err })
	case common.ValueTypeUint16:
		return fill(arr, func(e value.Value) (uint16, error) { u, err := toUnsigned(e, 16); return uint16(u), err })
	case common.ValueTypeUint32:
		return fill(arr, func(e value.Value) (uint32, error) { u, err := toUnsigned(e, 32); return uint32(u), err })
	}
	return fill(arr, func(e value.Value) (uint64, error) { return toUnsigned(e, 64) })
}

func toBool(v value.Value) (bool, error) {
	switch v.Kind() {
	case value.Bool:
		return v.Bool(), nil
	case value.String:
		b, err := strconv.ParseBool(v.Str())
		if err != nil {
			return false, fmt.Errorf("%w: %q is not a boolean", errKind, v.Str())
		}
		return b, nil
	}
	return false, fmt.Errorf("%w: %s %s is not a boolean", errKind, v.Kind(), canonicalText(v))
}

// toFloat reads numbers and numeric strings; for 32 bits a finite value beyond
// MaxFloat32 is out of range (float32 would turn it into Inf).
func toFloat(v value.Value, bits int) (float64, error) {
	f, ok := v.AsFloat()
	if !ok && v.Kind() == value.String {
		pf, err := strconv.ParseFloat(strings.TrimSpace(v.Str()), 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %q is not a number", errKind, v.Str())
		}
		f, ok = pf, true
	}
	if !ok {
		return 0, fmt.Errorf("%w: %s %s is not a number", errKind, v.Kind(), canonicalText(v))
	}
	if bits == 32 && !math.IsInf(f, 0) && math.Abs(f) > math.MaxFloat32 {
		return 0, fmt.Errorf("%w: %s does not fit Float32", errRange, value.FloatText(f))
	}
	return f, nil
}

// integer is an exact integer: neg/mag avoids losing values above MaxInt64.
type integer struct {
	neg bool
	mag uint64
}

func (n integer) String() string {
	if n.neg {
		return "-" + strconv.FormatUint(n.mag, 10)
	}
	return strconv.FormatUint(n.mag, 10)
}

// toInteger reads integers, integral floats and integer strings.
func toInteger(v value.Value) (integer, error) {
	switch v.Kind() {
	case value.Int:
		i := v.Int()
		if i < 0 {
			return integer{true, uint64(-(i + 1)) + 1}, nil
		}
		return integer{false, uint64(i)}, nil
	case value.Uint:
		return integer{false, v.Uint()}, nil
	case value.Float:
		return floatInteger(v.Float())
	case value.String:
		s := strings.TrimSpace(v.Str())
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return toInteger(value.FromInt(i))
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return integer{false, u}, nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return floatInteger(f)
		}
		return integer{}, fmt.Errorf("%w: %q is not an integer", errKind, v.Str())
	}
	return integer{}, fmt.Errorf("%w: %s %s is not an integer", errKind, v.Kind(), canonicalText(v))
}

func floatInteger(f float64) (integer, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return integer{}, fmt.Errorf("%w: %v is not an integer", errKind, f)
	}
	if f != math.Trunc(f) {
		return integer{}, fmt.Errorf("%w: %s is not an integer", errKind, value.FloatText(f))
	}
	if math.Abs(f) >= 18446744073709551616.0 { // 2^64
		return integer{}, fmt.Errorf("%w: %s exceeds 64 bits", errRange, value.FloatText(f))
	}
	return integer{f < 0, uint64(math.Abs(f))}, nil
}

func toSigned(v value.Value, bits int) (int64, error) {
	n, err := toInteger(v)
	if err != nil {
		return 0, err
	}
	limit := uint64(1) << (bits - 1) // |min|; max is limit-1
	if (n.neg && n.mag > limit) || (!n.neg && n.mag >= limit) {
		return 0, fmt.Errorf("%w: %s does not fit Int%d", errRange, n, bits)
	}
	if n.neg {
		return -int64(n.mag-1) - 1, nil
	}
	return int64(n.mag), nil
}

func toUnsigned(v value.Value, bits int) (uint64, error) {
	n, err := toInteger(v)
	if err != nil {
		return 0, err
	}
	if (n.neg && n.mag != 0) || (bits < 64 && n.mag >= uint64(1)<<bits) {
		return 0, fmt.Errorf("%w: %s does not fit Uint%d", errRange, n, bits)
	}
	return n.mag, nil
}
