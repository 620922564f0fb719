package value

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestCompareNumbersExact(t *testing.T) {
	big := FromUint(1 << 63)
	cases := []struct {
		a, b Value
		want int
	}{
		{FromInt(1), FromFloat(1.0), 0},
		{FromInt(1), FromFloat(1.5), -1},
		{FromFloat(-0.5), FromInt(-1), 1},
		{FromInt(math.MaxInt64), big, -1},
		{big, FromInt(math.MinInt64), 1},
		{big, FromFloat(9223372036854775808.0), 0},
		{FromUint(1<<63 + 1), FromFloat(9223372036854775808.0), 1},
		// 2^53+1 is not representable as float: an int/float comparison must not round
		{FromInt(1<<53 + 1), FromFloat(1 << 53), 1},
		{FromFloat(math.Inf(1)), FromUint(math.MaxUint64), 1},
		{FromFloat(math.Inf(-1)), FromInt(math.MinInt64), -1},
		{FromFloat(-9223372036854775808.0), FromInt(math.MinInt64), 0},
		{FromFloat(2), FromFloat(3), -1},
	}
	for _, c := range cases {
		got, err := Compare(c.a, c.b)
		if err != nil || got != c.want {
			t.Errorf("Compare(%s, %s) = %d (%v), want %d", describe(c.a), describe(c.b), got, err, c.want)
		}
		back, _ := Compare(c.b, c.a)
		if back != -c.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", describe(c.b), describe(c.a), back, -c.want)
		}
	}
}

func TestCompareOtherKinds(t *testing.T) {
	ts := FromTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	ms := ts.Time().UnixMilli()
	cases := []struct {
		a, b Value
		want int
	}{
		{FromString("abc"), FromString("abd"), -1},
		{FromString("b"), FromString("B"), 1},
		{False, True, -1},
		{FromBytes([]byte{1}), FromBytes([]byte{1}), 0},
		{ts, FromInt(ms), 0},
		{FromInt(ms + 1), ts, 1},
		{ts, FromString("2024-01-02T03:04:05Z"), 0},
		{FromString("2024-01-02 03:04:06"), ts, 1},
		{ts, FromTime(ts.Time().In(time.FixedZone("X", 3600))), 0},
	}
	for _, c := range cases {
		got, err := Compare(c.a, c.b)
		if err != nil || got != c.want {
			t.Errorf("Compare(%s, %s) = %d (%v), want %d", describe(c.a), describe(c.b), got, err, c.want)
		}
	}
}

func TestCompareIncompatible(t *testing.T) {
	ts := FromTime(time.Unix(0, 0).UTC())
	for _, c := range [][2]Value{
		{FromString("1"), FromInt(1)},
		{True, FromInt(1)},
		{ts, FromString("not a date")},
		{ts, True},
		{FromArray(nil), FromArray(nil)},
		{FromObject(nil), FromInt(1)},
	} {
		_, err := Compare(c[0], c[1])
		if err == nil || !strings.HasPrefix(err.Error(), "incompatible types for comparison: ") {
			t.Errorf("Compare(%s, %s): error %v", describe(c[0]), describe(c[1]), err)
		}
	}
	if _, err := Compare(FromString("a"), FromInt(1)); err.Error() != "incompatible types for comparison: string(a) and bigint(1)" {
		t.Errorf("message: %v", err)
	}
}

func TestEqual(t *testing.T) {
	arr := func(vs ...Value) Value { return FromArray(vs) }
	obj := func(kv ...any) Value {
		m := map[string]Value{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(Value)
		}
		return FromObject(m)
	}
	cases := []struct {
		a, b Value
		want bool
	}{
		{FromInt(1), FromFloat(1), true},
		{FromFloat(math.NaN()), FromFloat(math.NaN()), false},
		{FromString("a"), FromString("a"), true},
		{True, False, false},
		{FromBytes([]byte("ab")), FromBytes([]byte("ab")), true},
		{arr(FromInt(1), FromString("x")), arr(FromFloat(1), FromString("x")), true},
		{arr(FromInt(1)), arr(FromInt(1), FromInt(2)), false},
		{arr(NullValue), arr(NullValue), true},
		{arr(FromInt(1)), arr(FromString("1")), false},
		{obj("a", FromInt(1), "b", arr()), obj("b", arr(), "a", FromFloat(1)), true},
		{obj("a", FromInt(1)), obj("b", FromInt(1)), false},
	}
	for _, c := range cases {
		got, err := Equal(c.a, c.b)
		if err != nil || got != c.want {
			t.Errorf("Equal(%s, %s) = %v (%v), want %v", describe(c.a), describe(c.b), got, err, c.want)
		}
	}
	if _, err := Equal(FromString("1"), FromInt(1)); err == nil {
		t.Error("string = bigint must be an error")
	}
}

func TestLoose(t *testing.T) {
	if !Loose(FromInt(1), FromFloat(1)) || Loose(NullValue, NullValue) || Loose(FromString("1"), FromInt(1)) {
		t.Error("Loose: 1 must match 1.0; NULL and incomparable kinds never match")
	}
}

func TestIdentical(t *testing.T) {
	arr := func(vs ...Value) Value { return FromArray(vs) }
	same := [][2]Value{
		{NullValue, NullValue}, {FromInt(1), FromInt(1)}, {FromFloat(1.5), FromFloat(1.5)},
		{FromBytes([]byte("ab")), FromBytes([]byte("ab"))},
		{arr(FromInt(1), FromObject(map[string]Value{"a": FromString("x")})), arr(FromInt(1), FromObject(map[string]Value{"a": FromString("x")}))},
	}
	for _, p := range same {
		if !Identical(p[0], p[1]) {
			t.Errorf("%v and %v should be identical", p[0], p[1])
		}
	}
	differ := [][2]Value{
		{FromInt(1), FromFloat(1)}, {FromInt(1), NullValue}, {arr(FromInt(1)), arr(FromFloat(1))},
		{FromObject(map[string]Value{"a": FromInt(1)}), FromObject(map[string]Value{"b": FromInt(1)})},
	}
	for _, p := range differ {
		if Identical(p[0], p[1]) {
			t.Errorf("%v and %v should differ", p[0], p[1])
		}
	}
}
