package fn

import (
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// invoke plays the planner's part for one call: arity, Validate, Bind and the
// NULL short-cut; lits marks the arguments given as literals.
func invoke(r *Registry, env *Env, name string, args []value.Value, lits []bool) (value.Value, error) {
	f, ok := r.Lookup(name)
	if !ok {
		return value.NullValue, fmt.Errorf("function %s not found", name)
	}
	if err := f.CheckArity(len(args)); err != nil {
		return value.NullValue, fmt.Errorf("validate function %s error: %w", name, err)
	}
	as := make([]Arg, len(args))
	for i, a := range args {
		as[i] = Arg{Literal: lits[i], Val: a}
	}
	if f.Validate != nil {
		if err := f.Validate(as); err != nil {
			return value.NullValue, fmt.Errorf("validate function %s error: %w", name, err)
		}
	}
	impl := f.Eval
	if f.Bind != nil {
		b, err := f.Bind(as)
		if err != nil {
			return value.NullValue, err
		}
		if b != nil {
			impl = b
		}
	}
	if !f.NullSafe && anyNull(args) {
		return value.NullValue, nil
	}
	return impl(env, args)
}
