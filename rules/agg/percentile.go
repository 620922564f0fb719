package agg

import (
	"fmt"
	"math"
	"slices"

	"github.com/oort-rules/oort/rules/value"
)

// sample keeps every non-NULL number of the group: order statistics need
// them all. Values are kept (not floats) so percentile_disc can return an
// actual input value with its own kind.
type sample struct {
	fn   string
	vals []value.Value
}

func (s *sample) add(args []value.Value) error {
	v, err := first(s.fn, args)
	if err != nil || v.IsNull() {
		return err
	}
	if !v.IsNumber() {
		return fmt.Errorf("run %s function error: requires a number but found %s", s.fn, describe(v))
	}
	s.vals = append(s.vals, v)
	return nil
}

// sorted returns the values in ascending numeric order (NaN first), leaving
// the arrival-ordered slice alone so Result can be called repeatedly.
func (s *sample) sorted() []value.Value {
	c := slices.Clone(s.vals)
	slices.SortStableFunc(c, func(a, b value.Value) int {
		r, _ := value.Compare(a, b) // numbers always compare
		return r
	})
	return c
}

func (s *sample) merge(o *sample) { s.vals = append(s.vals, o.vals...) }

func toFloat(v value.Value) float64 {
	f, _ := v.AsFloat()
	return f
}

// interpolate is the continuous percentile of sorted values: the value at
// position p*(n-1), interpolated linearly between its neighbours.
func interpolate(c []value.Value, p float64) value.Value {
	pos := p * float64(len(c)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	a, b := toFloat(c[lo]), toFloat(c[hi])
	return value.FromFloat(a + (b-a)*(pos-float64(lo)))
}

// medianAcc is median(x), the 0.5 continuous percentile (the mean of the two
// middle values for an even count). Always a float.
type medianAcc struct{ sample }

func newMedian([]value.Value) (Acc, error) { return &medianAcc{sample{fn: "median"}}, nil }

func (a *medianAcc) Add(args []value.Value, _ func() value.Value) error { return a.add(args) }

func (a *medianAcc) Result() (value.Value, error) {
	if len(a.vals) == 0 {
		return value.NullValue, nil
	}
	return interpolate(a.sorted(), 0.5), nil
}

func (a *medianAcc) Merge(other Acc) error {
	o, ok := other.(*medianAcc)
	if !ok {
		return mergeErr("median", other)
	}
	a.merge(&o.sample)
	return nil
}

// percentileAcc is percentile_cont(x, p) (interpolated, a float) or
// percentile_disc(x, p) (the smallest value whose cumulative share reaches p,
// i.e. the nearest-rank value, returned as it was added).
type percentileAcc struct {
	sample
	p    float64
	disc bool
}

func newPercentileCont(params []value.Value) (Acc, error) {
	return newPercentile("percentile_cont", false, params)
}

func newPercentileDisc(params []value.Value) (Acc, error) {
	return newPercentile("percentile_disc", true, params)
}

func newPercentile(fn string, disc bool, params []value.Value) (Acc, error) {
	pv, err := oneParam(fn, params)
	if err != nil {
		return nil, err
	}
	p, ok := pv.AsFloat()
	if !ok || math.IsNaN(p) || p < 0 || p > 1 {
		return nil, fmt.Errorf("%s: the second parameter must be a number in [0, 1] but found %s", fn, describe(pv))
	}
	return &percentileAcc{sample: sample{fn: fn}, p: p, disc: disc}, nil
}

func (a *percentileAcc) Add(args []value.Value, _ func() value.Value) error { return a.add(args) }

func (a *percentileAcc) Result() (value.Value, error) {
	if len(a.vals) == 0 {
		return value.NullValue, nil
	}
	c := a.sorted()
	if !a.disc {
		return interpolate(c, a.p), nil
	}
	return c[max(nearestRank(a.p, len(c))-1, 0)], nil
}

func (a *percentileAcc) Merge(other Acc) error {
	o, ok := other.(*percentileAcc)
	if !ok || o.disc != a.disc || o.p != a.p {
		return mergeErr(a.fn, other)
	}
	a.merge(&o.sample)
	return nil
}

// nearestRank is ceil(p*n), except that a product within rounding error of an
// integer counts as that integer (0.3*10 is 3.0000000000000004 in floats, and
// must give rank 3, not 4).
func nearestRank(p float64, n int) int {
	x := p * float64(n)
	if r := math.Round(x); math.Abs(x-r) < 1e-9 {
		return int(r)
	}
	return int(math.Ceil(x))
}
