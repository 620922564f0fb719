package agg

import "github.com/oort-rules/oort/rules/value"

// countAcc counts non-NULL first arguments; count(*) gets a non-NULL marker
// per row, so the same code counts rows.
type countAcc struct{ n int64 }

func newCount([]value.Value) (Acc, error) { return &countAcc{}, nil }

func (a *countAcc) Add(args []value.Value, _ func() value.Value) error {
	v, err := first("count", args)
	if err != nil {
		return err
	}
	if !v.IsNull() {
		a.n++
	}
	return nil
}

func (a *countAcc) Result() (value.Value, error) { return value.FromInt(a.n), nil }

func (a *countAcc) Merge(other Acc) error {
	o, ok := other.(*countAcc)
	if !ok {
		return mergeErr("count", other)
	}
	a.n += o.n
	return nil
}
