package agg

import (
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// extremeAcc is max(x) (sign 1) or min(x) (sign -1) over numbers, strings or
// datetimes. Numbers compare mathematically across bigint and float and the
// winner keeps its own kind; on ties the earlier value stays.
type extremeAcc struct {
	fn   string
	sign int
	best value.Value // NULL until the first non-NULL value
}

func newMax([]value.Value) (Acc, error) { return &extremeAcc{fn: "max", sign: 1}, nil }
func newMin([]value.Value) (Acc, error) { return &extremeAcc{fn: "min", sign: -1}, nil }

func (a *extremeAcc) Add(args []value.Value, _ func() value.Value) error {
	v, err := first(a.fn, args)
	if err != nil {
		return err
	}
	return a.offer(v)
}

func (a *extremeAcc) offer(v value.Value) error {
	switch v.Kind() {
	case value.Null:
		return nil
	case value.Int, value.Uint, value.Float, value.String, value.Datetime:
	default:
		return fmt.Errorf("run %s function error: found invalid arg %s", a.fn, describe(v))
	}
	if a.best.IsNull() {
		a.best = v
		return nil
	}
	c, err := value.Compare(v, a.best)
	if err != nil {
		return fmt.Errorf("run %s function error: %w", a.fn, err)
	}
	if c*a.sign > 0 {
		a.best = v
	}
	return nil
}

func (a *extremeAcc) Result() (value.Value, error) { return a.best, nil }

func (a *extremeAcc) Merge(other Acc) error {
	o, ok := other.(*extremeAcc)
	if !ok || o.sign != a.sign {
		return mergeErr(a.fn, other)
	}
	return a.offer(o.best)
}
