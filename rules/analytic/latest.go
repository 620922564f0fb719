package analytic

import (
	"encoding/json"
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// latest remembers the most recent non-NULL x.
type latest struct {
	nargs int
	last  value.Value
	has   bool
}

func newLatest(lits []value.Value, ok []bool, names []string) (Func, error) {
	if err := checkShape("latest", lits, ok, names); err != nil {
		return nil, err
	}
	return &latest{nargs: len(lits)}, nil
}

func (l *latest) Eval(args []value.Value, update bool) (value.Value, error) {
	if err := checkArgs("latest", args, l.nargs); err != nil {
		return value.NullValue, err
	}
	if update && !args[0].IsNull() {
		l.last, l.has = args[0], true
		return args[0], nil
	}
	if l.has {
		return l.last, nil
	}
	if len(args) == 2 {
		return args[1], nil
	}
	return value.NullValue, nil
}

type latestState struct {
	Last wireValue `json:"v"`
	Has  bool      `json:"s"`
}

func (l *latest) snapshot() any { return latestState{Last: wireValue{l.last}, Has: l.has} }

func (l *latest) restore(data []byte) error {
	var s latestState
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("latest state: %w", err)
	}
	l.last, l.has = s.Last.v, s.Has
	return nil
}
