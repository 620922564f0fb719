package analytic

import (
	"encoding/json"
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// maxLagOffset bounds the ring buffer a literal offset can make a rule
// allocate per partition.
const maxLagOffset = 1 << 20

// lag keeps the last offset recorded values of x in a ring. A row's result is
// the value recorded offset positions before it, where the row itself would
// take the slot after the newest record; so rows that are not recorded
// (NULL with ignoreNull, or rejected by WHEN) see the same history a recorded
// row would.
type lag struct {
	nargs      int
	offset     int
	ignoreNull bool
	ring       []value.Value
	head       int // next write slot; the oldest record once the ring is full
	count      int // records held, at most offset
}

func newLag(lits []value.Value, ok []bool, names []string) (Func, error) {
	if err := checkShape("lag", lits, ok, names); err != nil {
		return nil, err
	}
	l := &lag{nargs: len(lits), offset: 1, ignoreNull: true}
	if len(lits) >= 2 {
		if !ok[1] || lits[1].Kind() != value.Int {
			return nil, validateErr("lag", "the offset (argument 2) must be a literal integer")
		}
		off := lits[1].Int()
		if off < 0 || off > maxLagOffset {
			return nil, validateErr("lag", "the offset %d must be between 0 and %d", off, maxLagOffset)
		}
		l.offset = int(off)
	}
	if len(lits) == 4 {
		b, err := litBool("lag", lits, ok, 3, "ignoreNull")
		if err != nil {
			return nil, err
		}
		l.ignoreNull = b
	}
	l.ring = make([]value.Value, l.offset)
	return l, nil
}

func (l *lag) Eval(args []value.Value, update bool) (value.Value, error) {
	if err := checkArgs("lag", args, l.nargs); err != nil {
		return value.NullValue, err
	}
	x := args[0]
	if l.offset == 0 {
		return x, nil
	}
	var out value.Value
	if l.count < l.offset {
		if len(args) >= 3 {
			out = args[2]
		}
	} else {
		out = l.ring[l.head]
	}
	if update && !(l.ignoreNull && x.IsNull()) {
		l.ring[l.head] = x
		l.head++
		if l.head == l.offset {
			l.head = 0
		}
		if l.count < l.offset {
			l.count++
		}
	}
	return out, nil
}

type lagState struct {
	Ring  []wireValue `json:"r"`
	Head  int         `json:"h"`
	Count int         `json:"n"`
}

func (l *lag) snapshot() any {
	return lagState{Ring: wireSlice(l.ring), Head: l.head, Count: l.count}
}

func (l *lag) restore(data []byte) error {
	var s lagState
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("lag state: %w", err)
	}
	if len(s.Ring) != l.offset || s.Count < 0 || s.Count > l.offset ||
		s.Head < 0 || (l.offset > 0 && s.Head >= l.offset) || (l.offset == 0 && s.Head != 0) {
		return fmt.Errorf("lag state: ring of %d (head %d, count %d) does not fit offset %d",
			len(s.Ring), s.Head, s.Count, l.offset)
	}
	l.ring, l.head, l.count = unwireSlice(s.Ring), s.Head, s.Count
	return nil
}
