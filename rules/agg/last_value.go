package agg

import (
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// lastValueAcc is last_value(x, ignoreNull) / last_value(*, ignoreNull): the
// last value of the group, or with ignoreNull the last non-NULL one.
type lastValueAcc struct {
	ignoreNull bool
	added      bool // a row that counts was seen (a NULL one without ignoreNull)
	last       value.Value
}

func newLastValue(params []value.Value) (Acc, error) {
	p, err := oneParam("last_value", params)
	if err != nil {
		return nil, err
	}
	if p.Kind() != value.Bool {
		return nil, fmt.Errorf("last_value: the second parameter requires bool but found %s", describe(p))
	}
	return &lastValueAcc{ignoreNull: p.Bool()}, nil
}

func (a *lastValueAcc) Add(args []value.Value, _ func() value.Value) error {
	v, err := first("last_value", args)
	if err != nil {
		return err
	}
	if !v.IsNull() || !a.ignoreNull {
		a.last, a.added = v, true
	}
	return nil
}

func (a *lastValueAcc) Result() (value.Value, error) { return a.last, nil }

// Merge takes other's value whenever other saw a row that counts: with
// ignoreNull only non-NULL values count, and an empty pane never replaces a.
func (a *lastValueAcc) Merge(other Acc) error {
	o, ok := other.(*lastValueAcc)
	if !ok || o.ignoreNull != a.ignoreNull {
		return mergeErr("last_value", other)
	}
	if o.added {
		a.last = o.last
	}
	return nil
}
