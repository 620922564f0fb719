// Package analytic implements the stateful analytic functions of sql.md §12.9
// (lag, latest, changed_col, had_changed, acc_*) and the multi-column
// changed_cols of §12.10. Every call site keeps one state per partition
// (OVER (PARTITION BY ...)); the planner evaluates them on every incoming row
// before WHERE (§8) and passes update=false for rows that OVER (WHEN ...)
// rejects.
package analytic

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oort-rules/oort/rules/value"
)

// Func is the per-partition state of one analytic call.
type Func interface {
	// Eval returns the value for the current row. args are the evaluated
	// call arguments (for acc_* with 3 arguments: x, startCond, resetCond as
	// booleans — NULL counts as false; for had_changed/changed_cols with '*',
	// the single value argument is the whole row as a struct and changes are
	// compared per key). update is false when OVER (WHEN ...) rejected the
	// row: return what the saved state gives, without changing it.
	Eval(args []value.Value, update bool) (value.Value, error)
}

// Spec describes one analytic function.
type Spec struct {
	Name             string
	MinArgs, MaxArgs int // -1: unbounded
	// New builds fresh state. lits[i] is the literal value of argument i, or
	// ok[i]=false when it is not a literal (lag's offset must be a literal
	// integer >= 0; ignoreNull flags must be literal booleans; changed_cols'
	// prefix a literal string). names[i] is the column name of argument i when
	// it is a plain column reference ("" otherwise): changed_cols names its
	// output columns <prefix><name>. names[i] == "*" marks the wildcard
	// argument of had_changed/changed_cols.
	New func(lits []value.Value, ok []bool, names []string) (Func, error)
}

// Wildcard is the name the planner passes for a '*' argument.
const Wildcard = "*"

// stateful is implemented by every Func of this package so Partitions can
// checkpoint it. snapshot returns a json.Marshal-able value; restore reads
// what snapshot produced (for a Func built with the same literals).
type stateful interface {
	snapshot() any
	restore(data []byte) error
}

// arities are the argument counts of each function, {min, max} with -1 for
// unbounded. They live apart from specs because the constructors check them
// and specs refers to the constructors.
var arities = map[string][2]int{
	"lag": {1, 4}, "latest": {1, 2}, "changed_col": {2, 2}, "had_changed": {2, -1},
	"changed_cols": {3, -1}, "acc_sum": {1, 3}, "acc_min": {1, 3}, "acc_max": {1, 3},
	"acc_avg": {1, 3}, "acc_count": {1, 3},
}

// constructors is a constant table: it is never written after initialisation.
var constructors = map[string]func([]value.Value, []bool, []string) (Func, error){
	"lag":          newLag,
	"latest":       newLatest,
	"changed_col":  newChangedCol,
	"had_changed":  newHadChanged,
	"changed_cols": newChangedCols,
	"acc_sum":      accNew(accSum),
	"acc_min":      accNew(accMin),
	"acc_max":      accNew(accMax),
	"acc_avg":      accNew(accAvg),
	"acc_count":    accNew(accCount),
}

// Lookup finds a function by its case-insensitive name. It returns a copy, so
// callers cannot alter the table.
func Lookup(name string) (*Spec, bool) {
	name = strings.ToLower(name)
	newFn, ok := constructors[name]
	if !ok {
		return nil, false
	}
	a := arities[name]
	return &Spec{Name: name, MinArgs: a[0], MaxArgs: a[1], New: newFn}, true
}

// Names lists the function names in sorted order.
func Names() []string {
	out := make([]string, 0, len(constructors))
	for n := range constructors {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// validateErr formats rule-creation errors the way sql.md §6.9 shows them.
func validateErr(name, format string, args ...any) error {
	return fmt.Errorf("validate function %s error: %s", name, fmt.Sprintf(format, args...))
}

// checkShape verifies the argument vectors New receives agree with each other
// and with the function's arity.
func checkShape(name string, lits []value.Value, ok []bool, names []string) error {
	lo, hi := arities[name][0], arities[name][1]
	n := len(lits)
	if n < lo || (hi >= 0 && n > hi) {
		if hi < 0 {
			return validateErr(name, "expect at least %d arguments but got %d", lo, n)
		}
		return validateErr(name, "expect %d to %d arguments but got %d", lo, hi, n)
	}
	if len(ok) != n || (names != nil && len(names) != n) {
		return validateErr(name, "inconsistent argument descriptions: %d literals, %d flags, %d names",
			n, len(ok), len(names))
	}
	return nil
}

// litBool returns literal argument i as a boolean.
func litBool(name string, lits []value.Value, ok []bool, i int, what string) (bool, error) {
	if !ok[i] || lits[i].Kind() != value.Bool {
		return false, validateErr(name, "%s (argument %d) must be a literal boolean", what, i+1)
	}
	return lits[i].Bool(), nil
}

// nameOf tolerates a nil names vector (no argument is a column reference).
func nameOf(names []string, i int) string {
	if i < len(names) {
		return names[i]
	}
	return ""
}

// checkArgs guards Eval against a caller passing the wrong number of
// arguments, which would otherwise index out of range.
func checkArgs(name string, args []value.Value, want int) error {
	if len(args) != want {
		return fmt.Errorf("%s: expect %d evaluated arguments but got %d", name, want, len(args))
	}
	return nil
}

// same reports whether a row's value equals the recorded one with SQL '='
// semantics (1 = 1.0), where NULL equals NULL (the "nothing recorded yet"
// state) and values of incomparable kinds differ.
func same(a, b value.Value) bool {
	if a.IsNull() || b.IsNull() {
		return a.IsNull() && b.IsNull()
	}
	eq, err := value.Equal(a, b)
	return eq && err == nil
}
