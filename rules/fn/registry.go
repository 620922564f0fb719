// Package fn holds Oort's SQL function catalogue. Each function is registered
// once, with its signature, a doc line and runnable examples that double as
// tests (see examples_test.go). The registry is a value built by the caller:
// there is no package-level mutable state.
package fn

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/value"
)

// Kind says where a function may appear and how the planner treats it.
type Kind uint8

const (
	Scalar    Kind = iota // evaluated per row from its arguments
	Aggregate             // over a group (issue 3)
	Analytic              // stateful per rule, evaluated before WHERE
	Multi                 // changed_cols: expands into several columns
	SetReturn             // unnest, extract
	WindowFn              // row_number
	WindowDef             // tumblingwindow ... statewindow (GROUP BY only)
	Trigger               // dedup_trigger
	Context               // reads the row or rule context: meta, event_time, window_start, rule_id ...
)

var kindNames = [...]string{"scalar", "aggregate", "analytic", "multi", "set-returning", "window", "window definition", "trigger", "context"}

func (k Kind) String() string { return kindNames[k] }

// Env is what a function may read besides its arguments. One Env exists per
// rule; it is only used from that rule's goroutine.
type Env struct {
	Clock     clock.Clock
	RuleID    string
	RuleStart int64          // epoch ms of the rule's last start
	TZ        *time.Location // service time zone (now(), cur_date() ...)
	Props     func(name string) (string, bool)
	State     KeyedState
}

// KeyedState backs get_keyed_state.
type KeyedState interface {
	Get(key string) (value.Value, bool)
}

// Arg describes one argument at plan time, so validators can check literal
// arguments and bind-time specialisations can precompute (e.g. a regexp).
type Arg struct {
	Literal bool        // the argument is a constant expression
	Val     value.Value // its value when Literal
	Star    bool        // the argument is '*'
	Name    string      // column name when the argument is a plain column reference
}

// Impl evaluates a scalar call on already evaluated arguments.
type Impl func(env *Env, args []value.Value) (value.Value, error)

// Example is a runnable documentation example: Call is SQL text evaluated on
// an empty row, Want the expected result written as a SQL literal or JSON
// ("3", "3.0", "\"abc\"", "[1,2]", "null", "true"). Want "error" expects a
// runtime error.
type Example struct {
	Call string
	Want string
}

// Func is one registered function.
type Func struct {
	Name     string
	Aliases  []string
	Kind     Kind
	MinArgs  int
	MaxArgs  int    // -1: unbounded
	Star     bool   // '*' allowed as an argument
	Args     string // signature for docs, e.g. "(x [, s])"
	Returns  string // result type for docs: "bigint", "float", "any" ...
	Doc      string
	Examples []Example
	// NullSafe: the function handles NULL arguments itself. Otherwise any NULL
	// argument yields NULL without calling Eval.
	NullSafe bool
	// Validate checks argument count-independent constraints on literal
	// arguments at rule creation; its error becomes
	// "validate function <name> error: <reason>".
	Validate func(args []Arg) error
	// Bind may return a specialised Impl for these arguments (precompiled
	// patterns, constant methods). When nil, or when it returns nil, Eval is used.
	Bind func(args []Arg) (Impl, error)
	Eval Impl
}

// Registry maps lower-case names (and aliases) to functions.
type Registry struct {
	byName map[string]*Func
	order  []*Func
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byName: map[string]*Func{}} }

// Register adds f under its name and aliases; a duplicate name is a
// programming error reported to the caller.
func (r *Registry) Register(f *Func) error {
	names := append([]string{f.Name}, f.Aliases...)
	for _, n := range names {
		n = strings.ToLower(n)
		if _, dup := r.byName[n]; dup {
			return fmt.Errorf("function %s registered twice", n)
		}
		r.byName[n] = f
	}
	r.order = append(r.order, f)
	return nil
}

// MustRegister is Register for catalogue construction, where a duplicate is a bug.
func (r *Registry) MustRegister(fs ...*Func) {
	for _, f := range fs {
		if err := r.Register(f); err != nil {
			panic(err)
		}
	}
}

// Lookup finds a function by case-insensitive name.
func (r *Registry) Lookup(name string) (*Func, bool) {
	f, ok := r.byName[strings.ToLower(name)]
	return f, ok
}

// All returns every registered function sorted by name.
func (r *Registry) All() []*Func {
	out := append([]*Func(nil), r.order...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns every callable name, aliases included, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.byName))
	for n := range r.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// CheckArity validates the argument count against the signature.
func (f *Func) CheckArity(n int) error {
	if n < f.MinArgs || (f.MaxArgs >= 0 && n > f.MaxArgs) {
		switch {
		case f.MinArgs == f.MaxArgs:
			return fmt.Errorf("expect %d arguments but found %d", f.MinArgs, n)
		case f.MaxArgs < 0:
			return fmt.Errorf("expect at least %d arguments but found %d", f.MinArgs, n)
		default:
			return fmt.Errorf("expect %d to %d arguments but found %d", f.MinArgs, f.MaxArgs, n)
		}
	}
	return nil
}
