package value

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"
)

// Comparison semantics of sql.md §3.3: numbers compare by mathematical value
// across bigint (signed or unsigned) and float, strings by byte order,
// datetimes by instant (against epoch-ms numbers and parseable strings too).

func incomparable(a, b Value) error {
	return fmt.Errorf("incompatible types for comparison: %s and %s", describe(a), describe(b))
}

// Compare orders two non-NULL comparable values: -1, 0 or 1.
func Compare(a, b Value) (int, error) {
	switch {
	case a.IsNumber() && b.IsNumber():
		return numCompare(a, b), nil
	case a.k == String && b.k == String:
		return strings.Compare(a.s, b.s), nil
	case a.k == Bool && b.k == Bool:
		return int(a.n) - int(b.n), nil
	case a.k == Bytes && b.k == Bytes:
		return bytes.Compare(a.Bytes(), b.Bytes()), nil
	case a.k == Datetime || b.k == Datetime:
		return timeCompare(a, b)
	}
	return 0, incomparable(a, b)
}

// Equal is SQL '=' on two non-NULL values. Arrays and structs are equal when
// their elements are (NULL elements equal each other there).
func Equal(a, b Value) (bool, error) {
	switch {
	case a.IsNumber() && b.IsNumber():
		if isNaN(a) || isNaN(b) {
			return false, nil
		}
		return numCompare(a, b) == 0, nil
	case a.k == String && b.k == String:
		return a.s == b.s, nil
	case a.k == Array && b.k == Array, a.k == Object && b.k == Object:
		return deepEqual(a, b), nil
	}
	c, err := Compare(a, b)
	return c == 0 && err == nil, err
}

// Loose is Equal for membership tests (IN lists, array functions): NULL never
// matches and incomparable values simply do not match.
func Loose(a, b Value) bool {
	if a.k == Null || b.k == Null {
		return false
	}
	eq, err := Equal(a, b)
	return eq && err == nil
}

func deepEqual(a, b Value) bool {
	if a.k == Null || b.k == Null {
		return a.k == b.k
	}
	switch {
	case a.k == Array && b.k == Array:
		x, y := a.Arr(), b.Arr()
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !deepEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case a.k == Object && b.k == Object:
		x, y := a.Obj(), b.Obj()
		if len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !deepEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	eq, err := Equal(a, b)
	return eq && err == nil
}

// timeCompare compares a datetime with a datetime, an epoch-ms number or a
// string that parses as a datetime. A string without a zone is read in the
// zone of the datetime operand.
func timeCompare(a, b Value) (int, error) {
	loc := time.UTC
	if a.k == Datetime {
		loc = a.Time().Location()
	} else if b.k == Datetime {
		loc = b.Time().Location()
	}
	ta, errA := timeOperand(a, loc)
	tb, errB := timeOperand(b, loc)
	if errA != nil || errB != nil {
		return 0, incomparable(a, b)
	}
	return ta.Compare(tb), nil
}

func timeOperand(v Value, loc *time.Location) (time.Time, error) {
	switch v.k {
	case Datetime:
		return v.Time(), nil
	case Int, Uint, Float, String:
		return ToTime(v, loc)
	}
	return time.Time{}, fmt.Errorf("%s is not a datetime", describe(v))
}

func isNaN(v Value) bool { return v.k == Float && math.IsNaN(v.Float()) }

// numCompare orders two numbers exactly (no rounding of large integers to
// float). NaN sorts below every other number.
func numCompare(a, b Value) int {
	switch {
	case a.k == Float && b.k == Float:
		return floatCompare(a.Float(), b.Float())
	case a.k == Float:
		return floatIntCompare(a.Float(), toWide(b))
	case b.k == Float:
		return -floatIntCompare(b.Float(), toWide(a))
	}
	return wideCompare(toWide(a), toWide(b))
}

func floatCompare(x, y float64) int {
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return boolInt(!math.IsNaN(x)) - boolInt(!math.IsNaN(y))
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func wideCompare(a, b wide) int {
	if a.m == 0 && b.m == 0 {
		return 0
	}
	if a.neg != b.neg {
		if a.neg {
			return -1
		}
		return 1
	}
	c := 0
	switch {
	case a.m < b.m:
		c = -1
	case a.m > b.m:
		c = 1
	}
	if a.neg {
		return -c
	}
	return c
}

// floatIntCompare compares f with an integer without converting the integer
// to float (which would lose precision above 2^53).
func floatIntCompare(f float64, w wide) int {
	switch {
	case math.IsNaN(f):
		return -1
	case f >= 18446744073709551616.0:
		return 1
	case f < -9223372036854775808.0:
		return -1
	}
	t := math.Trunc(f)
	var tw wide
	if t >= 0 {
		tw = wide{m: uint64(t)}
	} else {
		tw = wide{neg: true, m: uint64(-t)}
	}
	if c := wideCompare(tw, w); c != 0 {
		return c
	}
	return floatCompare(f-t, 0)
}
