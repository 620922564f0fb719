package analytic

import (
	"encoding/json"
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// accKind selects the running aggregate of an acc_* function.
type accKind uint8

const (
	accSum accKind = iota
	accMin
	accMax
	accAvg
	accCount
)

var accNames = [...]string{accSum: "acc_sum", accMin: "acc_min", accMax: "acc_max", accAvg: "acc_avg", accCount: "acc_count"}

// acc is acc_*(x [, startCond, resetCond]). With conditions it accumulates
// from the first row satisfying startCond; a row satisfying resetCond is still
// included, then the state is cleared until startCond holds again. Before
// anything is accumulated every acc_* returns 0 (0.0 for the float ones), as
// eKuiper does.
type acc struct {
	kind    accKind
	nargs   int
	begun   bool // only meaningful with conditions
	count   int64
	sum     float64
	extreme float64 // min or max so far, valid when count > 0
}

func accNew(kind accKind) func([]value.Value, []bool, []string) (Func, error) {
	return func(lits []value.Value, ok []bool, names []string) (Func, error) {
		name := accNames[kind]
		if err := checkShape(name, lits, ok, names); err != nil {
			return nil, err
		}
		if len(lits) == 2 {
			return nil, validateErr(name, "expect 1 or 3 arguments but got 2")
		}
		return &acc{kind: kind, nargs: len(lits)}, nil
	}
}

func (a *acc) Eval(args []value.Value, update bool) (value.Value, error) {
	if err := checkArgs(accNames[a.kind], args, a.nargs); err != nil {
		return value.NullValue, err
	}
	if a.nargs == 1 {
		if update {
			if err := a.add(args[0]); err != nil {
				return value.NullValue, err
			}
		}
		return a.result(), nil
	}
	start, err := a.cond(args[1], "startCond")
	if err != nil {
		return value.NullValue, err
	}
	reset, err := a.cond(args[2], "resetCond")
	if err != nil {
		return value.NullValue, err
	}
	if !update {
		return a.result(), nil
	}
	if start {
		a.begun = true
	}
	if a.begun {
		if err := a.add(args[0]); err != nil {
			return value.NullValue, err
		}
	}
	out := a.result()
	if reset {
		a.begun = false
		a.count, a.sum, a.extreme = 0, 0, 0
	}
	return out, nil
}

// cond reads a start/reset condition; NULL (e.g. a comparison with a missing
// column) counts as false.
func (a *acc) cond(v value.Value, what string) (bool, error) {
	switch v.Kind() {
	case value.Null:
		return false, nil
	case value.Bool:
		return v.Bool(), nil
	}
	return false, fmt.Errorf("%s: %s must be a boolean, got %s", accNames[a.kind], what, v.Kind())
}

// add folds x into the state. NULL is skipped like in every aggregate;
// acc_count counts any non-NULL value, the others need numbers.
func (a *acc) add(x value.Value) error {
	if x.IsNull() {
		return nil
	}
	if a.kind == accCount {
		a.count++
		return nil
	}
	f, ok := x.AsFloat()
	if !ok {
		return fmt.Errorf("%s: the value should be a number, got %s", accNames[a.kind], x.Kind())
	}
	switch {
	case a.count == 0:
		a.extreme = f
	case a.kind == accMin && f < a.extreme, a.kind == accMax && f > a.extreme:
		a.extreme = f
	}
	a.count++
	a.sum += f
	return nil
}

// result is the value of the state. A reset clears the state at once, so a
// conditional accumulation that has not begun always reads as empty.
func (a *acc) result() value.Value {
	if a.kind == accCount {
		return value.FromInt(a.count)
	}
	if a.count == 0 {
		return value.FromFloat(0)
	}
	switch a.kind {
	case accMin, accMax:
		return value.FromFloat(a.extreme)
	case accAvg:
		return value.FromFloat(a.sum / float64(a.count))
	}
	return value.FromFloat(a.sum)
}

type accState struct {
	Begun   bool      `json:"b"`
	Count   int64     `json:"c"`
	Sum     wireFloat `json:"s"`
	Extreme wireFloat `json:"e"`
}

func (a *acc) snapshot() any {
	return accState{Begun: a.begun, Count: a.count, Sum: wireFloat(a.sum), Extreme: wireFloat(a.extreme)}
}

func (a *acc) restore(data []byte) error {
	var s accState
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("%s state: %w", accNames[a.kind], err)
	}
	if s.Count < 0 {
		return fmt.Errorf("%s state: negative count %d", accNames[a.kind], s.Count)
	}
	a.begun, a.count, a.sum, a.extreme = s.Begun, s.Count, float64(s.Sum), float64(s.Extreme)
	return nil
}
