package sinks

import (
	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// typeSource says which rule of edgex.md §11.2 chose a reading's valueType.
type typeSource int

const (
	fromInference typeSource = iota
	fromProvenance
	fromMetadata
	fromProperty
)

// normalValueType returns the canonical spelling of an EdgeX value type, or
// "" when s is not one of the 27.
func normalValueType(s string) string {
	if s == "" {
		return ""
	}
	vt, err := common.NormalizeValueType(s)
	if err != nil {
		return ""
	}
	return vt
}

// chooseType applies edgex.md §11.2: the valueTypes property, then the
// metadata column's per-reading valueType, then provenance, then inference.
func chooseType(c *row.Col, forced map[string]string, rmeta map[string]value.Value) (string, typeSource) {
	if vt, ok := forced[c.Name]; ok {
		return vt, fromProperty
	}
	if m, ok := rmeta["valueType"]; ok && m.Kind() == value.String {
		if vt := normalValueType(m.Str()); vt != "" {
			return vt, fromMetadata
		}
	}
	if c.Prov != nil {
		if vt := normalValueType(c.Prov.ValueType); vt != "" {
			return vt, fromProvenance
		}
	}
	return inferType(c.Val), fromInference
}

// emptyArrayValid reports whether EdgeX validation accepts "[]" for vt: its
// number and bool array parsers fail on the empty element.
func emptyArrayValid(vt string) bool {
	switch vt {
	case common.ValueTypeStringArray, common.ValueTypeObject, common.ValueTypeObjectArray:
		return true
	}
	return false
}

// inferType is the inference table of edgex.md §11.2. NULL has no type of its
// own; String keeps a null reading valid.
func inferType(v value.Value) string {
	switch v.Kind() {
	case value.Bool:
		return common.ValueTypeBool
	case value.Int:
		return common.ValueTypeInt64
	case value.Uint:
		return common.ValueTypeUint64
	case value.Float:
		return common.ValueTypeFloat64
	case value.Bytes:
		return common.ValueTypeBinary
	case value.Object:
		return common.ValueTypeObject
	case value.Array:
		return inferArrayType(v.Arr())
	}
	return common.ValueTypeString // string, datetime, null
}

// inferArrayType types an array by its elements; anything not covered by a
// typed EdgeX array (mixed kinds, nulls, nested arrays, bytes) is an Object.
func inferArrayType(arr []value.Value) string {
	if len(arr) == 0 {
		return common.ValueTypeStringArray
	}
	var nBool, nInt, nUint, nFloat, nStr, nObj int
	negative := false
	for _, e := range arr {
		switch e.Kind() {
		case value.Bool:
			nBool++
		case value.Int:
			nInt++
			negative = negative || e.Int() < 0
		case value.Uint:
			nUint++
		case value.Float:
			nFloat++
		case value.String, value.Datetime:
			nStr++
		case value.Object:
			nObj++
		}
	}
	n := len(arr)
	switch {
	case nBool == n:
		return common.ValueTypeBoolArray
	case nStr == n:
		return common.ValueTypeStringArray
	case nObj == n:
		return common.ValueTypeObjectArray
	case nInt == n:
		return common.ValueTypeInt64Array
	case nInt+nUint == n && !negative:
		return common.ValueTypeUint64Array
	case nInt+nUint+nFloat == n && nFloat > 0:
		return common.ValueTypeFloat64Array
	}
	return common.ValueTypeObject
}
