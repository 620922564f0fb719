package analytic

import (
	"encoding/json"
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// tracker records, per tracked argument, the last value seen (per key for a
// '*' argument). Nothing recorded reads as NULL, as in eKuiper, so a first
// non-NULL value counts as a change and a first NULL does not.
type tracker struct {
	fn         string
	ignoreNull bool
	first      int      // index in args of the first tracked argument
	names      []string // column name, "*" or "" per tracked argument
	prev       []value.Value
	wild       []map[string]value.Value // non-nil only for '*' arguments
}

func newTracker(fn string, ignoreNull bool, first int, names []string, n int) *tracker {
	t := &tracker{fn: fn, ignoreNull: ignoreNull, first: first,
		names: make([]string, n-first), prev: make([]value.Value, n-first),
		wild: make([]map[string]value.Value, n-first)}
	for i := range t.names {
		t.names[i] = nameOf(names, first+i)
		if t.names[i] == Wildcard {
			t.wild[i] = map[string]value.Value{}
		}
	}
	return t
}

// diff compares the tracked arguments with the recorded values, records the
// changes when update is set and, when out is non-nil, writes each changed
// value into out under prefix+name. It reports whether anything changed.
func (t *tracker) diff(args []value.Value, update bool, out map[string]value.Value, prefix string) (bool, error) {
	if err := checkArgs(t.fn, args, t.first+len(t.prev)); err != nil {
		return false, err
	}
	changed := false
	for i, v := range args[t.first:] {
		if t.wild[i] != nil {
			c, err := t.diffStruct(i, v, update, out, prefix)
			if err != nil {
				return false, err
			}
			changed = changed || c
			continue
		}
		if (t.ignoreNull && v.IsNull()) || same(v, t.prev[i]) {
			continue
		}
		changed = true
		if update {
			t.prev[i] = v
		}
		if out != nil {
			out[prefix+t.names[i]] = v
		}
	}
	return changed, nil
}

// diffStruct compares a '*' argument key by key. A key missing from the row
// reads as NULL, so without ignoreNull its disappearance is a change.
func (t *tracker) diffStruct(i int, v value.Value, update bool, out map[string]value.Value, prefix string) (bool, error) {
	if !v.IsNull() && v.Kind() != value.Object {
		return false, fmt.Errorf("%s: the '*' argument must be a struct, got %s", t.fn, v.Kind())
	}
	row, saved := v.Obj(), t.wild[i]
	changed := false
	for k, cur := range row {
		if (t.ignoreNull && cur.IsNull()) || same(cur, saved[k]) {
			continue
		}
		changed = true
		if update {
			saved[k] = cur
		}
		if out != nil {
			out[prefix+k] = cur
		}
	}
	if t.ignoreNull {
		return changed, nil
	}
	for k, old := range saved {
		if _, present := row[k]; present || old.IsNull() {
			continue
		}
		changed = true
		if update {
			delete(saved, k)
		}
		if out != nil {
			out[prefix+k] = value.NullValue
		}
	}
	return changed, nil
}

type trackerState struct {
	Prev []wireValue            `json:"p"`
	Wild []map[string]wireValue `json:"w"`
}

func (t *tracker) snapshot() any {
	s := trackerState{Prev: wireSlice(t.prev), Wild: make([]map[string]wireValue, len(t.wild))}
	for i, m := range t.wild {
		if m != nil {
			s.Wild[i] = wireMap(m)
		}
	}
	return s
}

func (t *tracker) restore(data []byte) error {
	var s trackerState
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("%s state: %w", t.fn, err)
	}
	if len(s.Prev) != len(t.prev) || len(s.Wild) != len(t.wild) {
		return fmt.Errorf("%s state: %d recorded arguments, the call has %d", t.fn, len(s.Prev), len(t.prev))
	}
	for i := range t.wild {
		if (s.Wild[i] != nil) != (t.wild[i] != nil) {
			return fmt.Errorf("%s state: argument %d wildcard mismatch", t.fn, t.first+i+1)
		}
	}
	t.prev = unwireSlice(s.Prev)
	for i, m := range s.Wild {
		if m != nil {
			t.wild[i] = unwireMap(m)
		}
	}
	return nil
}

// hadChanged is had_changed(ignoreNull, x1, ...).
type hadChanged struct{ *tracker }

func newHadChanged(lits []value.Value, ok []bool, names []string) (Func, error) {
	if err := checkShape("had_changed", lits, ok, names); err != nil {
		return nil, err
	}
	ignoreNull, err := litBool("had_changed", lits, ok, 0, "ignoreNull")
	if err != nil {
		return nil, err
	}
	return hadChanged{newTracker("had_changed", ignoreNull, 1, names, len(lits))}, nil
}

func (h hadChanged) Eval(args []value.Value, update bool) (value.Value, error) {
	c, err := h.diff(args, update, nil, "")
	if err != nil {
		return value.NullValue, err
	}
	return value.FromBool(c), nil
}

// changedCols is changed_cols(prefix, ignoreNull, x1, ...): a struct of the
// changed columns named <prefix><column name>.
type changedCols struct {
	*tracker
	prefix string
}

func newChangedCols(lits []value.Value, ok []bool, names []string) (Func, error) {
	if err := checkShape("changed_cols", lits, ok, names); err != nil {
		return nil, err
	}
	if !ok[0] || lits[0].Kind() != value.String {
		return nil, validateErr("changed_cols", "the prefix (argument 1) must be a literal string")
	}
	ignoreNull, err := litBool("changed_cols", lits, ok, 1, "ignoreNull")
	if err != nil {
		return nil, err
	}
	for i := 2; i < len(lits); i++ {
		if nameOf(names, i) == "" {
			return nil, validateErr("changed_cols", "argument %d must be a column reference or *", i+1)
		}
	}
	return changedCols{newTracker("changed_cols", ignoreNull, 2, names, len(lits)), lits[0].Str()}, nil
}

func (c changedCols) Eval(args []value.Value, update bool) (value.Value, error) {
	out := make(map[string]value.Value, len(args))
	if _, err := c.diff(args, update, out, c.prefix); err != nil {
		return value.NullValue, err
	}
	return value.FromObject(out), nil
}

// changedCol is changed_col(ignoreNull, x).
type changedCol struct {
	ignoreNull bool
	prev       value.Value
}

func newChangedCol(lits []value.Value, ok []bool, names []string) (Func, error) {
	if err := checkShape("changed_col", lits, ok, names); err != nil {
		return nil, err
	}
	ignoreNull, err := litBool("changed_col", lits, ok, 0, "ignoreNull")
	if err != nil {
		return nil, err
	}
	return &changedCol{ignoreNull: ignoreNull}, nil
}

func (c *changedCol) Eval(args []value.Value, update bool) (value.Value, error) {
	if err := checkArgs("changed_col", args, 2); err != nil {
		return value.NullValue, err
	}
	x := args[1]
	if (c.ignoreNull && x.IsNull()) || same(x, c.prev) {
		return value.NullValue, nil
	}
	if update {
		c.prev = x
	}
	return x, nil
}

type changedColState struct {
	Prev wireValue `json:"p"`
}

func (c *changedCol) snapshot() any { return changedColState{Prev: wireValue{c.prev}} }

func (c *changedCol) restore(data []byte) error {
	var s changedColState
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("changed_col state: %w", err)
	}
	c.prev = s.Prev.v
	return nil
}
