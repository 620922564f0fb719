package agg

import (
	"maps"

	"github.com/oort-rules/oort/rules/value"
)

// mergeAggAcc is merge_agg(x) / merge_agg(*): a shallow merge of the struct
// values of the group, later keys winning. Non-struct values are skipped, as
// in eKuiper. The result is NULL when no key was seen.
type mergeAggAcc struct {
	m map[string]value.Value
	// shared is set once Result handed out m; the next write copies it first
	// so an emitted result never changes under the consumer.
	shared bool
}

func newMergeAgg([]value.Value) (Acc, error) { return &mergeAggAcc{}, nil }

func (a *mergeAggAcc) Add(args []value.Value, _ func() value.Value) error {
	v, err := first("merge_agg", args)
	if err != nil {
		return err
	}
	a.mergeMap(v.Obj())
	return nil
}

func (a *mergeAggAcc) mergeMap(src map[string]value.Value) {
	if len(src) == 0 {
		return
	}
	switch {
	case a.m == nil:
		a.m = make(map[string]value.Value, len(src))
	case a.shared:
		a.m = maps.Clone(a.m)
	}
	a.shared = false
	maps.Copy(a.m, src)
}

func (a *mergeAggAcc) Result() (value.Value, error) {
	if len(a.m) == 0 {
		return value.NullValue, nil
	}
	a.shared = true
	return value.FromObject(a.m), nil
}

func (a *mergeAggAcc) Merge(other Acc) error {
	o, ok := other.(*mergeAggAcc)
	if !ok {
		return mergeErr("merge_agg", other)
	}
	a.mergeMap(o.m)
	return nil
}
