package table

import (
	"math"
	"strconv"

	"github.com/oort-rules/oort/rules/value"
)

// hashKey maps a key value to a string such that values equal under
// value.Equal share a hash: numbers of every kind are written in one integer
// form when integral (3, 3.0 and uint 3 all give "n3") and datetimes as their
// epoch milliseconds, which is how Equal compares a datetime with a number.
// NULL and NaN never equal anything, so they report false. A datetime and a
// string that parses as that datetime are equal under Equal but hash
// differently: tables key on one column type, so that case is left out.
func hashKey(v value.Value) (string, bool) {
	switch v.Kind() {
	case value.Null:
		return "", false
	case value.Int:
		return "n" + strconv.FormatInt(v.Int(), 10), true
	case value.Uint:
		return "n" + strconv.FormatUint(v.Uint(), 10), true
	case value.Float:
		return floatKey(v.Float())
	case value.String:
		return "s" + v.Str(), true
	case value.Bool:
		if v.Bool() {
			return "b1", true
		}
		return "b0", true
	case value.Bytes:
		return "x" + string(v.Bytes()), true
	case value.Datetime:
		t := v.Time()
		if t.Nanosecond()%1e6 == 0 {
			return "n" + strconv.FormatInt(t.UnixMilli(), 10), true
		}
		return "t" + strconv.FormatInt(t.UnixNano(), 10), true
	}
	return "j" + value.ToJSON(v), true
}

func floatKey(f float64) (string, bool) {
	switch {
	case math.IsNaN(f):
		return "", false
	case f == math.Trunc(f) && f >= -(1<<63) && f < (1<<63):
		return "n" + strconv.FormatInt(int64(f), 10), true
	case f == math.Trunc(f) && f >= (1<<63) && f < (1<<64):
		return "n" + strconv.FormatUint(uint64(f), 10), true
	}
	return "f" + strconv.FormatFloat(f, 'g', -1, 64), true
}
