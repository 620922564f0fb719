package agg

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/oort-rules/oort/rules/value"
)

// int128 is a two's-complement 128-bit integer. Summing int64 and uint64
// values in 128 bits cannot overflow for any realistic number of rows
// (2^63 of them), so overflow is only decided once, on the final result,
// and a transient excursion past int64 that later comes back is not an error.
type int128 struct {
	hi int64
	lo uint64
}

func (x *int128) addInt(i int64) {
	lo, carry := bits.Add64(x.lo, uint64(i), 0)
	x.lo = lo
	x.hi += int64(carry)
	if i < 0 {
		x.hi--
	}
}

func (x *int128) addUint(u uint64) {
	lo, carry := bits.Add64(x.lo, u, 0)
	x.lo = lo
	x.hi += int64(carry)
}

func (x *int128) add(y int128) {
	lo, carry := bits.Add64(x.lo, y.lo, 0)
	x.lo = lo
	x.hi += y.hi + int64(carry)
}

// magnitude returns |x| as (hi, lo) and the sign.
func (x int128) magnitude() (neg bool, hi, lo uint64) {
	if x.hi >= 0 {
		return false, uint64(x.hi), x.lo
	}
	lo, borrow := bits.Sub64(0, x.lo, 0)
	hi, _ = bits.Sub64(0, uint64(x.hi), borrow)
	return true, hi, lo
}

// value narrows x to a bigint (signed, or unsigned above MaxInt64).
func (x int128) value() (value.Value, bool) {
	switch {
	case x.hi == 0:
		return value.FromUint(x.lo), true
	case x.hi == -1 && x.lo >= 1<<63:
		return value.FromInt(int64(x.lo)), true
	}
	return value.NullValue, false
}

// quo divides x by a positive n, truncating toward zero like integer '/'.
func (x int128) quo(n uint64) (value.Value, bool) {
	neg, hi, lo := x.magnitude()
	if hi >= n {
		return value.NullValue, false
	}
	q, _ := bits.Div64(hi, lo, n)
	if !neg {
		return value.FromUint(q), true
	}
	if q > 1<<63 {
		return value.NullValue, false
	}
	return value.FromInt(int64(-q)), true
}

// numSum is the state shared by sum and avg. Both the integer and the float
// total are kept for every value, because the result type is fixed by the
// first non-NULL value (sql.md §12.8, kept for compatibility) and partial
// states merged from panes must still agree with sequential addition.
type numSum struct {
	fn     string
	n      int64 // non-NULL values added
	isInt  bool  // the first non-NULL value was an integer
	ints   int128
	floats float64
	bad    bool    // a float did not fit the integer total
	badF   float64 // the first such float, for the error message
}

func (s *numSum) add(args []value.Value) error {
	v, err := first(s.fn, args)
	if err != nil {
		return err
	}
	switch v.Kind() {
	case value.Null:
		return nil
	case value.Int:
		s.ints.addInt(v.Int())
		s.floats += float64(v.Int())
	case value.Uint:
		s.ints.addUint(v.Uint())
		s.floats += float64(v.Uint())
	case value.Float:
		s.addFloat(v.Float())
	default:
		return fmt.Errorf("run %s function error: found invalid arg %s", s.fn, describe(v))
	}
	if s.n == 0 {
		s.isInt = v.Kind() != value.Float
	}
	s.n++
	return nil
}

// addFloat adds f to the float total and, truncated toward zero as eKuiper
// does for floats in an integer sum, to the integer total. A float that has no
// integer truncation only matters (as an error) if the sum is an integer one.
func (s *numSum) addFloat(f float64) {
	s.floats += f
	switch {
	case math.IsNaN(f) || f < -9223372036854775808.0 || f >= 18446744073709551616.0:
		if !s.bad {
			s.bad, s.badF = true, f
		}
	case f < 0:
		s.ints.addInt(int64(f))
	default:
		s.ints.addUint(uint64(f))
	}
}

func (s *numSum) merge(o *numSum) {
	if o.n == 0 {
		return
	}
	if s.n == 0 {
		s.isInt = o.isInt
	}
	s.n += o.n
	s.ints.add(o.ints)
	s.floats += o.floats
	if o.bad && !s.bad {
		s.bad, s.badF = true, o.badF
	}
}

// intErr is the error of an integer result that cannot be represented.
func (s *numSum) intErr() error {
	if s.bad {
		return fmt.Errorf("run %s function error: %s does not fit a bigint total: %w",
			s.fn, describe(value.FromFloat(s.badF)), value.ErrIntegerOverflow)
	}
	return fmt.Errorf("run %s function error: bigint total out of range: %w", s.fn, value.ErrIntegerOverflow)
}

// sumAcc is sum(x): bigint when the first non-NULL value is an integer (a
// later float is truncated, as in eKuiper), float otherwise.
type sumAcc struct{ numSum }

func newSum([]value.Value) (Acc, error) { return &sumAcc{numSum{fn: "sum"}}, nil }

func (a *sumAcc) Add(args []value.Value, _ func() value.Value) error { return a.add(args) }

func (a *sumAcc) Result() (value.Value, error) {
	switch {
	case a.n == 0:
		return value.NullValue, nil
	case !a.isInt:
		return value.FromFloat(a.floats), nil
	case a.bad:
		return value.NullValue, a.intErr()
	}
	if v, ok := a.ints.value(); ok {
		return v, nil
	}
	return value.NullValue, a.intErr()
}

func (a *sumAcc) Merge(other Acc) error {
	o, ok := other.(*sumAcc)
	if !ok {
		return mergeErr("sum", other)
	}
	a.merge(&o.numSum)
	return nil
}

// avgAcc is avg(x): the truncated integer mean when the first non-NULL value
// is an integer (kept for compatibility), the float mean otherwise.
type avgAcc struct{ numSum }

func newAvg([]value.Value) (Acc, error) { return &avgAcc{numSum{fn: "avg"}}, nil }

func (a *avgAcc) Add(args []value.Value, _ func() value.Value) error { return a.add(args) }

func (a *avgAcc) Result() (value.Value, error) {
	switch {
	case a.n == 0:
		return value.NullValue, nil
	case !a.isInt:
		return value.FromFloat(a.floats / float64(a.n)), nil
	case a.bad:
		return value.NullValue, a.intErr()
	}
	if v, ok := a.ints.quo(uint64(a.n)); ok {
		return v, nil
	}
	return value.NullValue, a.intErr()
}

func (a *avgAcc) Merge(other Acc) error {
	o, ok := other.(*avgAcc)
	if !ok {
		return mergeErr("avg", other)
	}
	a.merge(&o.numSum)
	return nil
}
