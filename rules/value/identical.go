package value

import "bytes"

// Identical reports whether a and b have the same kind at every level and
// equal leaves: the strict equality of round-trip checks and tests, unlike
// SQL '=' (Equal), which compares 1 and 1.0 as equal. Datetimes compare
// their instants; floats their values (NaN is identical to NaN).
func Identical(a, b Value) bool {
	if a.k != b.k {
		return false
	}
	switch a.k {
	case Null:
		return true
	case String:
		return a.s == b.s
	case Bytes:
		return bytes.Equal(a.Bytes(), b.Bytes())
	case Float:
		return a.n == b.n || a.Float() == b.Float()
	case Array:
		x, y := a.Arr(), b.Arr()
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Identical(x[i], y[i]) {
				return false
			}
		}
		return true
	case Object:
		x, y := a.Obj(), b.Obj()
		if len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			if yv, ok := y[k]; !ok || !Identical(xv, yv) {
				return false
			}
		}
		return true
	}
	return a.n == b.n // Bool, Int, Uint, Datetime (unix nanoseconds)
}
