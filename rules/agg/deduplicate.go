package agg

import (
	"fmt"
	"math"
	"strconv"

	"github.com/oort-rules/oort/rules/value"
)

// dedupAcc is deduplicate(x, all). A row is kept when its x was not seen
// earlier in the group (x compared with SQL '=' semantics: 1 equals 1.0; NULL
// equals NULL, as eKuiper keys NULL like any value). With all the result is
// every kept row in arrival order ([] for an empty group); without it, the
// latest row if it was kept, else {} — the latest row is what a trigger-style
// rule wants to forward.
type dedupAcc struct {
	all        bool
	seen       map[string]struct{}
	kept       []value.Value
	latest     value.Value
	latestKept bool
}

func newDeduplicate(params []value.Value) (Acc, error) {
	p, err := oneParam("deduplicate", params)
	if err != nil {
		return nil, err
	}
	if p.Kind() != value.Bool {
		return nil, fmt.Errorf("deduplicate: the second parameter requires bool but found %s", describe(p))
	}
	return &dedupAcc{all: p.Bool(), seen: map[string]struct{}{}}, nil
}

func (a *dedupAcc) Add(args []value.Value, row func() value.Value) error {
	x, err := first("deduplicate", args)
	if err != nil {
		return err
	}
	if row == nil {
		return fmt.Errorf("deduplicate: the whole row is not available")
	}
	k := dedupKey(x)
	_, dup := a.seen[k]
	a.latestKept = !dup
	if dup {
		a.latest = value.NullValue
		return nil
	}
	a.seen[k] = struct{}{}
	r := row()
	if a.all {
		a.kept = append(a.kept, r)
	} else {
		a.latest = r
	}
	return nil
}

func (a *dedupAcc) Result() (value.Value, error) {
	if a.all {
		return value.FromArray(a.kept[:len(a.kept):len(a.kept)]), nil
	}
	if !a.latestKept {
		return value.FromObject(nil), nil
	}
	return a.latest, nil
}

// dedupKey maps values that are '=' to the same string: every integral number
// uses its integer text, so bigint 1, float 1.0 and a uint share a key.
func dedupKey(v value.Value) string {
	switch v.Kind() {
	case value.Null:
		return "z"
	case value.Bool:
		return "b" + strconv.FormatBool(v.Bool())
	case value.Int:
		return "n" + strconv.FormatInt(v.Int(), 10)
	case value.Uint:
		return "n" + strconv.FormatUint(v.Uint(), 10)
	case value.Float:
		return floatKey(v.Float())
	case value.String:
		return "s" + v.Str()
	case value.Bytes:
		return "y" + string(v.Bytes())
	case value.Datetime:
		return "t" + strconv.FormatInt(v.Time().UnixNano(), 10)
	}
	return "j" + value.ToJSON(v)
}

func floatKey(f float64) string {
	if f == math.Trunc(f) {
		switch {
		case f >= -9223372036854775808.0 && f < 9223372036854775808.0:
			return "n" + strconv.FormatInt(int64(f), 10)
		case f >= 0 && f < 18446744073709551616.0:
			return "n" + strconv.FormatUint(uint64(f), 10)
		}
	}
	return "f" + strconv.FormatFloat(f, 'g', -1, 64)
}
