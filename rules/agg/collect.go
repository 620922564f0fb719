package agg

import "github.com/oort-rules/oort/rules/value"

// collectAcc is collect(x) / collect(*): every value (or row struct) of the
// group in arrival order. NULLs are kept, as eKuiper returns its argument
// list unchanged, so collect(x)[i] lines up with collect(*)[i]. An empty group
// (an empty window) gives NULL, like every aggregate but count (sql.md §9.4).
type collectAcc struct{ vals []value.Value }

func newCollect([]value.Value) (Acc, error) { return &collectAcc{}, nil }

func (a *collectAcc) Add(args []value.Value, _ func() value.Value) error {
	v, err := first("collect", args)
	if err != nil {
		return err
	}
	a.vals = append(a.vals, v)
	return nil
}

// Result shares the backing array; capping its capacity makes later Adds
// reallocate or write past the returned length, so the result never changes.
func (a *collectAcc) Result() (value.Value, error) {
	if len(a.vals) == 0 {
		return value.NullValue, nil
	}
	return value.FromArray(a.vals[:len(a.vals):len(a.vals)]), nil
}

func (a *collectAcc) Merge(other Acc) error {
	o, ok := other.(*collectAcc)
	if !ok {
		return mergeErr("collect", other)
	}
	a.vals = append(a.vals, o.vals...)
	return nil
}
