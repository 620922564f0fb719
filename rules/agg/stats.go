package agg

import (
	"fmt"
	"math"

	"github.com/oort-rules/oort/rules/value"
)

// welford keeps count, mean and the sum of squared deviations (m2) with
// Welford's online update, which stays accurate where the textbook
// sum-of-squares formula cancels catastrophically (large means, small spread).
type welford struct {
	n    float64
	mean float64
	m2   float64
}

func (w *welford) add(x float64) {
	w.n++
	d := x - w.mean
	w.mean += d / w.n
	w.m2 += d * (x - w.mean)
}

// merge combines two partial states (Chan et al.'s parallel formula).
func (w *welford) merge(o welford) {
	if o.n == 0 {
		return
	}
	if w.n == 0 {
		*w = o
		return
	}
	n := w.n + o.n
	d := o.mean - w.mean
	w.mean += d * o.n / n
	w.m2 += o.m2 + d*d*w.n*o.n/n
	w.n = n
}

// spreadAcc is var/vars/stddev/stddevs: population (sample=false) or sample
// variance, optionally square-rooted. Always a float.
type spreadAcc struct {
	fn     string
	sample bool
	sqrt   bool
	w      welford
}

func newVar([]value.Value) (Acc, error)  { return &spreadAcc{fn: "var"}, nil }
func newVars([]value.Value) (Acc, error) { return &spreadAcc{fn: "vars", sample: true}, nil }
func newStddev([]value.Value) (Acc, error) {
	return &spreadAcc{fn: "stddev", sqrt: true}, nil
}
func newStddevs([]value.Value) (Acc, error) {
	return &spreadAcc{fn: "stddevs", sample: true, sqrt: true}, nil
}

func (a *spreadAcc) Add(args []value.Value, _ func() value.Value) error {
	v, err := first(a.fn, args)
	if err != nil || v.IsNull() {
		return err
	}
	f, ok := v.AsFloat()
	if !ok {
		return fmt.Errorf("run %s function error: requires a number but found %s", a.fn, describe(v))
	}
	a.w.add(f)
	return nil
}

func (a *spreadAcc) Result() (value.Value, error) {
	n := a.w.n
	if a.sample {
		n--
	}
	if n < 1 {
		return value.NullValue, nil
	}
	r := a.w.m2 / n
	if r < 0 {
		r = 0 // rounding can leave a tiny negative m2 for constant inputs
	}
	if a.sqrt {
		r = math.Sqrt(r)
	}
	return value.FromFloat(r), nil
}

func (a *spreadAcc) Merge(other Acc) error {
	o, ok := other.(*spreadAcc)
	if !ok || o.sample != a.sample || o.sqrt != a.sqrt {
		return mergeErr(a.fn, other)
	}
	a.w.merge(o.w)
	return nil
}
