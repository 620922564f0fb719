package value

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestArithIntegers(t *testing.T) {
	maxU := FromUint(math.MaxUint64)
	big := FromUint(1 << 63)
	cases := []struct {
		op   ArithOp
		a, b Value
		want Value
	}{
		{OpAdd, FromInt(2), FromInt(3), FromInt(5)},
		{OpSub, FromInt(2), FromInt(3), FromInt(-1)},
		{OpMul, FromInt(-4), FromInt(3), FromInt(-12)},
		{OpDiv, FromInt(3), FromInt(6), FromInt(0)},
		{OpDiv, FromInt(-7), FromInt(2), FromInt(-3)},
		{OpMod, FromInt(-7), FromInt(2), FromInt(-1)},
		{OpMod, FromInt(7), FromInt(-2), FromInt(1)},
		// results that only fit uint64 become unsigned
		{OpAdd, FromInt(math.MaxInt64), FromInt(1), big},
		{OpMul, FromInt(math.MaxInt64), FromInt(2), FromUint(math.MaxUint64 - 1)},
		{OpSub, maxU, FromInt(1), FromUint(math.MaxUint64 - 1)},
		{OpSub, big, FromInt(1), FromInt(math.MaxInt64)},
		{OpAdd, big, FromInt(math.MinInt64), FromInt(0)},
		{OpDiv, FromInt(math.MinInt64), FromInt(-1), big},
		{OpMod, FromInt(math.MinInt64), FromInt(-1), FromInt(0)},
		{OpDiv, maxU, FromInt(-1), NullValue}, // overflow, checked below
		{OpSub, FromInt(math.MinInt64), FromInt(1), NullValue},
		{OpAdd, maxU, FromInt(1), NullValue},
		{OpMul, FromInt(math.MinInt64), FromInt(-1), big},
		{OpSub, FromInt(0), big, FromInt(math.MinInt64)},
	}
	for _, c := range cases {
		got, err := Arith(c.op, c.a, c.b)
		if c.want.IsNull() {
			if !errors.Is(err, ErrIntegerOverflow) || !strings.HasPrefix(err.Error(), "integer overflow") {
				t.Errorf("%v %v %v: want integer overflow, got %v, %v", c.a, c.op, c.b, got, err)
			}
			continue
		}
		if err != nil || got.Kind() != c.want.Kind() || got.Uint() != c.want.Uint() {
			t.Errorf("%s %v %s = %s (%v), want %s", Text(c.a), c.op, Text(c.b), describe(got), err, describe(c.want))
		}
	}
}

func TestArithFloatsAndMixed(t *testing.T) {
	cases := []struct {
		op   ArithOp
		a, b Value
		want float64
	}{
		{OpAdd, FromInt(1), FromFloat(0.5), 1.5},
		{OpDiv, FromFloat(3), FromInt(6), 0.5},
		{OpMod, FromFloat(5.5), FromInt(2), 1.5},
		{OpMul, FromUint(1 << 63), FromFloat(2), 18446744073709551616},
		{OpSub, FromFloat(1), FromFloat(1.5), -0.5},
	}
	for _, c := range cases {
		got, err := Arith(c.op, c.a, c.b)
		if err != nil || got.Kind() != Float || got.Float() != c.want {
			t.Errorf("%s %v %s = %s (%v), want %v", Text(c.a), c.op, Text(c.b), describe(got), err, c.want)
		}
	}
}

func TestArithErrors(t *testing.T) {
	for _, c := range []struct {
		op   ArithOp
		a, b Value
		msg  string
	}{
		{OpDiv, FromInt(1), FromInt(0), "divided by zero"},
		{OpMod, FromInt(1), FromInt(0), "divided by zero"},
		{OpDiv, FromFloat(1), FromInt(0), "divided by zero"},
		{OpDiv, FromUint(1 << 63), FromInt(0), "divided by zero"},
		{OpAdd, FromString("a"), FromInt(1), "invalid operation string(a) + bigint(1)"},
		{OpSub, FromBool(true), FromFloat(1.5), "invalid operation boolean(true) - float(1.5)"},
		{OpBitAnd, FromFloat(1), FromInt(1), "invalid operation float(1) & bigint(1)"},
		{OpBitOr, FromBool(true), FromInt(1), "invalid operation boolean(true) | bigint(1)"},
		{ArithOp(42), FromInt(1), FromInt(1), "unknown arithmetic operator 42"},
	} {
		_, err := Arith(c.op, c.a, c.b)
		if err == nil || err.Error() != c.msg {
			t.Errorf("%s %v %s: error %v, want %q", Text(c.a), c.op, Text(c.b), err, c.msg)
		}
	}
}

func TestBitwise(t *testing.T) {
	check := func(op ArithOp, a, b, want Value) {
		t.Helper()
		got, err := Arith(op, a, b)
		if err != nil || got != want {
			t.Errorf("%s %v %s = %s (%v), want %s", Text(a), op, Text(b), describe(got), err, describe(want))
		}
	}
	check(OpBitAnd, FromInt(-10), FromInt(2), FromInt(2))
	check(OpBitOr, FromInt(-10), FromInt(2), FromInt(-10))
	check(OpBitXor, FromInt(-10), FromInt(2), FromInt(-12))
	check(OpBitAnd, FromInt(-1), FromUint(1<<63+5), FromUint(1<<63+5))
	check(OpBitAnd, True, False, False)
	check(OpBitOr, True, False, True)
	check(OpBitXor, True, True, False)
}

func TestNegate(t *testing.T) {
	for _, c := range []struct{ in, want Value }{
		{FromInt(5), FromInt(-5)},
		{FromInt(0), FromInt(0)},
		{FromInt(math.MinInt64), FromUint(1 << 63)},
		{FromUint(1 << 63), FromInt(math.MinInt64)},
		{FromFloat(1.5), FromFloat(-1.5)},
	} {
		got, err := Negate(c.in)
		if err != nil || got != c.want {
			t.Errorf("-%s = %s (%v), want %s", describe(c.in), describe(got), err, describe(c.want))
		}
	}
	if _, err := Negate(FromUint(1<<63 + 1)); !errors.Is(err, ErrIntegerOverflow) {
		t.Errorf("negating 2^63+1: %v, want overflow", err)
	}
	if _, err := Negate(FromString("x")); err == nil || err.Error() != "invalid operation -string(x)" {
		t.Errorf("negating a string: %v", err)
	}
}

func BenchmarkArith(b *testing.B) {
	x, y, f := FromInt(123456), FromInt(789), FromFloat(2.5)
	b.Run("int_add", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = Arith(OpAdd, x, y)
		}
	})
	b.Run("int_mul", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = Arith(OpMul, x, y)
		}
	})
	b.Run("mixed_div", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = Arith(OpDiv, x, f)
		}
	})
}
