// Package agg implements the aggregate functions of sql.md §12.8 as
// accumulators: one Acc per aggregate call, group and window. Accumulators
// fold rows one at a time, so the runtime never has to buffer a window just to
// aggregate it, and the Merger ones combine per-pane partial states for
// hopping windows.
//
// NULL handling follows sql.md §7.3: NULL inputs are ignored (count(x) does not
// count them), count of nothing is 0 and every other aggregate of no non-NULL
// value is NULL. Exceptions kept from eKuiper: collect keeps NULL elements and
// returns [] for an empty group; last_value(x, false) may return a trailing
// NULL; deduplicate keys on NULL like on any other value.
package agg

import (
	"fmt"
	"sort"

	"github.com/oort-rules/oort/rules/value"
)

// Acc accumulates one aggregate call for one group of one window.
type Acc interface {
	// Add folds one row. args are the evaluated call arguments in order
	// (for '*' calls, args[0] is the whole row as a struct value); row
	// returns the whole row as a struct (deduplicate/collect(*) need it) and
	// is only called when needed.
	Add(args []value.Value, row func() value.Value) error
	// Result returns the aggregate over everything added (count: 0 when
	// nothing was added; others NULL when no non-NULL value was added).
	Result() (value.Value, error)
}

// Merger is implemented by accumulators whose partial states combine, so a
// hopping window can aggregate per pane and merge panes. a.Merge(b) treats
// everything added to b as having arrived after everything added to a (that
// matters for last_value, collect and merge_agg); b is left unchanged but must
// not be used afterwards, because a may share its storage.
type Merger interface{ Merge(other Acc) error }

// Spec describes one aggregate function.
type Spec struct {
	Name string
	// Params is how many trailing arguments are per-call constants
	// (last_value's ignoreNull, deduplicate's all, percentile's p); New gets them.
	Params int
	// Incremental: memory stays O(1) per group (count, sum, avg, max, min,
	// stddev*, var*, last_value, merge_agg); false when values must be kept
	// (collect, median, percentiles, deduplicate).
	Incremental bool
	Mergeable   bool
	New         func(params []value.Value) (Acc, error)
}

// specs is the constant function table; Lookup hands out copies so callers
// can never modify it.
var specs = map[string]Spec{
	"count":           {Name: "count", Incremental: true, Mergeable: true, New: newCount},
	"sum":             {Name: "sum", Incremental: true, Mergeable: true, New: newSum},
	"avg":             {Name: "avg", Incremental: true, Mergeable: true, New: newAvg},
	"max":             {Name: "max", Incremental: true, Mergeable: true, New: newMax},
	"min":             {Name: "min", Incremental: true, Mergeable: true, New: newMin},
	"collect":         {Name: "collect", Mergeable: true, New: newCollect},
	"merge_agg":       {Name: "merge_agg", Incremental: true, Mergeable: true, New: newMergeAgg},
	"last_value":      {Name: "last_value", Params: 1, Incremental: true, Mergeable: true, New: newLastValue},
	"deduplicate":     {Name: "deduplicate", Params: 1, New: newDeduplicate},
	"median":          {Name: "median", Mergeable: true, New: newMedian},
	"stddev":          {Name: "stddev", Incremental: true, Mergeable: true, New: newStddev},
	"stddevs":         {Name: "stddevs", Incremental: true, Mergeable: true, New: newStddevs},
	"var":             {Name: "var", Incremental: true, Mergeable: true, New: newVar},
	"vars":            {Name: "vars", Incremental: true, Mergeable: true, New: newVars},
	"percentile_cont": {Name: "percentile_cont", Params: 1, Mergeable: true, New: newPercentileCont},
	"percentile":      {Name: "percentile_cont", Params: 1, Mergeable: true, New: newPercentileCont},
	"percentile_disc": {Name: "percentile_disc", Params: 1, Mergeable: true, New: newPercentileDisc},
}

// Lookup finds a spec by lower-case name (aliases included). The table is a
// constant: no package-level mutable state.
func Lookup(name string) (*Spec, bool) {
	s, ok := specs[name]
	if !ok {
		return nil, false
	}
	return &s, true
}

// Names lists every callable name, aliases included, sorted.
func Names() []string {
	names := make([]string, 0, len(specs))
	for n := range specs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// describe renders v as type(text) for error messages, the form eKuiper uses.
func describe(v value.Value) string {
	return value.TypeName(v) + "(" + value.Text(v) + ")"
}

// first returns args[0]; a call without arguments is a planner bug, reported
// as an error rather than a panic.
func first(fn string, args []value.Value) (value.Value, error) {
	if len(args) == 0 {
		return value.NullValue, fmt.Errorf("%s: called without arguments", fn)
	}
	return args[0], nil
}

// mergeErr reports a Merge between accumulators of different functions.
func mergeErr(fn string, other Acc) error {
	return fmt.Errorf("%s: cannot merge with %T", fn, other)
}

// oneParam checks that New got exactly the one per-call constant it needs.
func oneParam(fn string, params []value.Value) (value.Value, error) {
	if len(params) != 1 {
		return value.NullValue, fmt.Errorf("%s: expects 1 constant parameter, got %d", fn, len(params))
	}
	return params[0], nil
}
