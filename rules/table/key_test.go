package table

import (
	"math"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

// TestHashKeyAgreesWithEqual checks that values equal under value.Equal hash
// alike and unequal ones do not.
func TestHashKeyAgreesWithEqual(t *testing.T) {
	ts := time.UnixMilli(1700000000123).UTC()
	vals := []value.Value{
		value.FromInt(3), value.FromFloat(3), value.FromUint(3), value.FromFloat(3.5),
		value.FromInt(-3), value.FromFloat(-3), value.FromUint(1 << 63), value.FromFloat(1 << 63),
		value.FromFloat(1e300), value.FromString("3"), value.FromString("a"), value.FromBool(true),
		value.FromInt(1), value.FromBytes([]byte("a")), value.FromTime(ts), value.FromInt(1700000000123),
		value.FromTime(ts.Add(time.Microsecond)),
		value.FromArray([]value.Value{value.FromInt(1)}), value.FromArray([]value.Value{value.FromFloat(1)}),
		value.FromObject(map[string]value.Value{"a": value.FromInt(1), "b": value.FromString("x")}),
	}
	for _, a := range vals {
		for _, b := range vals {
			ha, _ := hashKey(a)
			hb, _ := hashKey(b)
			eq := value.Loose(a, b)
			if a.Kind() == value.Array && b.Kind() == value.Array {
				continue // ToJSON keeps 1 and 1.0 apart; arrays are not used as keys
			}
			if (ha == hb) != eq {
				t.Errorf("%s (%s) vs %s (%s): hash equal %v, Equal %v", value.Text(a), value.TypeName(a), value.Text(b), value.TypeName(b), ha == hb, eq)
			}
		}
	}
	for _, v := range []value.Value{value.NullValue, value.FromFloat(math.NaN())} {
		if _, ok := hashKey(v); ok {
			t.Errorf("%s must not be hashable", value.TypeName(v))
		}
	}
}
