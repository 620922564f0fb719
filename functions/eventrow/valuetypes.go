package eventrow

import "strings"

// vtype is the decoded form of an EdgeX valueType: the kind of its elements,
// whether it is an array, and the bit size integers must fit in.
type vtype struct {
	name  string
	elem  elemKind
	array bool
	bits  int // 8..64 for integers, 32/64 for floats
}

type elemKind uint8

const (
	elemUnknown elemKind = iota
	elemBool
	elemString
	elemInt
	elemUint
	elemFloat
	elemBinary
	elemObject // Object: any JSON value; ObjectArray: array of them
)

// valueTypes lists the 27 EdgeX value types (edgex.md §10.2). It is a constant
// table: read-only after initialisation.
var valueTypes = [...]vtype{
	{"Bool", elemBool, false, 0},
	{"String", elemString, false, 0},
	{"Uint8", elemUint, false, 8},
	{"Uint16", elemUint, false, 16},
	{"Uint32", elemUint, false, 32},
	{"Uint64", elemUint, false, 64},
	{"Int8", elemInt, false, 8},
	{"Int16", elemInt, false, 16},
	{"Int32", elemInt, false, 32},
	{"Int64", elemInt, false, 64},
	{"Float32", elemFloat, false, 32},
	{"Float64", elemFloat, false, 64},
	{"Binary", elemBinary, false, 0},
	{"BoolArray", elemBool, true, 0},
	{"StringArray", elemString, true, 0},
	{"Uint8Array", elemUint, true, 8},
	{"Uint16Array", elemUint, true, 16},
	{"Uint32Array", elemUint, true, 32},
	{"Uint64Array", elemUint, true, 64},
	{"Int8Array", elemInt, true, 8},
	{"Int16Array", elemInt, true, 16},
	{"Int32Array", elemInt, true, 32},
	{"Int64Array", elemInt, true, 64},
	{"Float32Array", elemFloat, true, 32},
	{"Float64Array", elemFloat, true, 64},
	{"Object", elemObject, false, 0},
	{"ObjectArray", elemObject, true, 0},
}

// lookupType resolves a valueType name. Producers spell them exactly as
// core-contracts does, so the exact comparison is tried first; a
// case-insensitive match keeps hand-written events (tests, scripts) working.
func lookupType(name string) (vtype, bool) {
	for i := range valueTypes {
		if valueTypes[i].name == name {
			return valueTypes[i], true
		}
	}
	for i := range valueTypes {
		if strings.EqualFold(valueTypes[i].name, name) {
			return valueTypes[i], true
		}
	}
	return vtype{name: name}, false
}
