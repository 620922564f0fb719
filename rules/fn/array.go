// Array functions, sql.md §12.11. Elements compare with SQL '=' semantics
// (value.Loose: 1 matches 1.0) and every array value is accepted, including
// EdgeX typed arrays, which arrive as plain []Value (Oort improvement).

package fn

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/oort-rules/oort/rules/value"
)

// Array functions (sql.md §12.11); sets use SQL equality (1 matches 1.0) via hashable keys.

type valueSet struct {
	keys   map[string]struct{}
	vals   []value.Value
	others []value.Value
}

func newValueSet(n int) *valueSet {
	return &valueSet{keys: make(map[string]struct{}, n)}
}

func hashKey(v value.Value) (string, bool) {
	switch v.Kind() {
	case value.Null:
		return "z", true
	case value.Bool:
		return "b" + strconv.FormatBool(v.Bool()), true
	case value.String:
		return "s" + v.Str(), true
	case value.Int:
		f := float64(v.Int())
		if f < two63 && f >= -two63 && int64(f) == v.Int() {
			return floatKey(f), true
		}
		return "i" + strconv.FormatInt(v.Int(), 10), true
	case value.Uint:
		f := float64(v.Uint())
		if f < 2*two63 && uint64(f) == v.Uint() {
			return floatKey(f), true
		}
		return "u" + strconv.FormatUint(v.Uint(), 10), true
	case value.Float:
		f := v.Float()
		if f != f { // NaN equals nothing
			return "", false
		}
		return floatKey(f), true
	}
	return "", false
}

// two63 is 2^63: integers whose float conversion stays below it convert back
// exactly when they are representable.
const two63 = 9223372036854775808.0

func floatKey(f float64) string {
	if f == 0 {
		f = 0 // -0 = 0
	}
	return "n" + strconv.FormatFloat(f, 'g', -1, 64)
}

func (s *valueSet) has(v value.Value) bool {
	k, ok := hashKey(v)
	if ok {
		if _, in := s.keys[k]; in {
			return true
		}
	}
	pool := s.others
	if !ok {
		pool = s.vals
	}
	for _, o := range pool {
		if value.Loose(o, v) {
			return true
		}
	}
	return false
}

func (s *valueSet) add(v value.Value) {
	s.vals = append(s.vals, v)
	if k, ok := hashKey(v); ok {
		s.keys[k] = struct{}{}
	} else {
		s.others = append(s.others, v)
	}
}

// addNew adds v and reports whether it was absent.
func (s *valueSet) addNew(v value.Value) bool {
	if s.has(v) {
		return false
	}
	s.add(v)
	return true
}

func setOf(a []value.Value) *valueSet {
	s := newValueSet(len(a))
	for _, v := range a {
		s.addNew(v)
	}
	return s
}

// arr1 wraps a one-array-argument body with the argument check.
func arr1(name string, body func(a []value.Value) (value.Value, error)) Impl {
	return func(_ *Env, args []value.Value) (value.Value, error) {
		a, err := arrayArg(name, args[0], 0)
		if err != nil {
			return value.NullValue, err
		}
		return body(a)
	}
}

// arr2 wraps a two-array-argument body; with nullAsEmpty a NULL array is
// treated as empty (the function must then be NullSafe).
func arr2(name string, nullAsEmpty bool, body func(a, b []value.Value) (value.Value, error)) Impl {
	return func(_ *Env, args []value.Value) (value.Value, error) {
		var ab [2][]value.Value
		for i := range ab {
			if nullAsEmpty && args[i].IsNull() {
				continue
			}
			a, err := arrayArg(name, args[i], i)
			if err != nil {
				return value.NullValue, err
			}
			ab[i] = a
		}
		return body(ab[0], ab[1])
	}
}

func positionImpl(name string, last bool) Impl {
	return func(_ *Env, args []value.Value) (value.Value, error) {
		if args[0].IsNull() {
			return value.FromInt(-1), nil
		}
		a, err := arrayArg(name, args[0], 0)
		if err != nil {
			return value.NullValue, err
		}
		for j := range a {
			i := j
			if last {
				i = len(a) - 1 - j
			}
			if matches(a[i], args[1]) {
				return value.FromInt(int64(i)), nil
			}
		}
		return value.FromInt(-1), nil
	}
}

func elementAt(_ *Env, args []value.Value) (value.Value, error) {
	switch args[0].Kind() {
	case value.Array:
		a := args[0].Arr()
		i, err := intArg("element_at", args[1], 1)
		if err != nil {
			return value.NullValue, err
		}
		if i < 0 {
			i += int64(len(a))
		}
		if i < 0 || i >= int64(len(a)) {
			return value.NullValue, fmt.Errorf("element_at: index %s out of range for an array of %d elements", value.Text(args[1]), len(a))
		}
		return a[i], nil
	case value.Object:
		k, err := strArg("element_at", args[1], 1)
		if err != nil {
			return value.NullValue, err
		}
		return args[0].Obj()[k], nil
	}
	return value.NullValue, fmt.Errorf("element_at: argument 1 should be an array or a struct, got %s", describe(args[0]))
}

func extremum(name string, sign int) Impl {
	return arr1(name, func(a []value.Value) (value.Value, error) {
		best := value.NullValue
		for _, e := range a {
			if e.IsNull() {
				continue
			}
			if best.IsNull() {
				best = e
				continue
			}
			c, err := value.Compare(e, best)
			if err != nil {
				return value.NullValue, fmt.Errorf("%s: %w", name, err)
			}
			if c*sign > 0 {
				best = e
			}
		}
		return best, nil
	})
}

// sortRank orders kinds for array_sort: numbers, then strings, booleans,
// datetimes, bytes, arrays, structs, NULLs last.
func sortRank(v value.Value) int {
	switch v.Kind() {
	case value.Int, value.Uint, value.Float:
		return 0
	case value.String:
		return 1
	case value.Bool:
		return 2
	case value.Datetime:
		return 3
	case value.Bytes:
		return 4
	case value.Array:
		return 5
	case value.Object:
		return 6
	}
	return 7
}

func sortLess(x, y value.Value) bool {
	rx, ry := sortRank(x), sortRank(y)
	if rx != ry {
		return rx < ry
	}
	if rx <= 4 {
		if c, err := value.Compare(x, y); err == nil {
			return c < 0
		}
	}
	return value.Text(x) < value.Text(y)
}

func arraySort(a []value.Value) (value.Value, error) {
	out := append([]value.Value(nil), a...)
	sort.SliceStable(out, func(i, j int) bool { return sortLess(out[i], out[j]) })
	return value.FromArray(out), nil
}

func arrayJoin(_ *Env, args []value.Value) (value.Value, error) {
	a, err := arrayArg("array_join", args[0], 0)
	if err != nil {
		return value.NullValue, err
	}
	sep, err := strArg("array_join", args[1], 1)
	if err != nil {
		return value.NullValue, err
	}
	repl := ""
	if len(args) == 3 {
		if repl, err = strArg("array_join", args[2], 2); err != nil {
			return value.NullValue, err
		}
	}
	var buf []byte
	n := 0
	for _, e := range a {
		var s string
		switch e.Kind() {
		case value.Null:
			if repl == "" {
				continue
			}
			s = repl
		case value.Array, value.Object:
			return value.NullValue, fmt.Errorf("array_join: elements should be strings, got %s", describe(e))
		default:
			s = value.Text(e)
		}
		if n > 0 {
			buf = append(buf, sep...)
		}
		buf = append(buf, s...)
		n++
	}
	return value.FromString(string(buf)), nil
}

func repeatImpl(_ *Env, args []value.Value) (value.Value, error) {
	n, err := intArg("repeat", args[1], 1)
	if err != nil {
		return value.NullValue, err
	}
	if n < 0 || n > maxBuiltElems {
		return value.NullValue, fmt.Errorf("repeat: count %d should be between 0 and %d", n, maxBuiltElems)
	}
	out := make([]value.Value, n)
	for i := range out {
		out[i] = args[0]
	}
	return value.FromArray(out), nil
}

func sequenceImpl(_ *Env, args []value.Value) (value.Value, error) {
	var nums [3]int64
	for i := range args {
		n, err := intArg("sequence", args[i], i)
		if err != nil {
			return value.NullValue, err
		}
		nums[i] = n
	}
	start, stop, step := nums[0], nums[1], nums[2]
	switch {
	case len(args) < 3 && start <= stop:
		step = 1
	case len(args) < 3:
		step = -1
	case step == 0:
		return value.NullValue, fmt.Errorf("sequence: step should not be zero")
	}
	// The element count is computed in unsigned space so extreme bounds
	// cannot overflow.
	var count uint64
	switch {
	case step > 0 && stop >= start:
		count = uint64(stop-start)/uint64(step) + 1
	case step < 0 && stop <= start:
		count = uint64(start-stop)/(uint64(-(step+1))+1) + 1
	}
	if count > maxBuiltElems || (count == 0 && (step > 0) == (stop >= start)) {
		return value.NullValue, fmt.Errorf("sequence: from %d to %d by %d exceeds the limit of %d elements", start, stop, step, maxBuiltElems)
	}
	out := make([]value.Value, count)
	for i := range out {
		out[i] = value.FromInt(start + int64(i)*step)
	}
	return value.FromArray(out), nil
}

func shuffle(a []value.Value) (value.Value, error) {
	out := append([]value.Value(nil), a...)
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return value.FromArray(out), nil
}

func cardinality(_ *Env, args []value.Value) (value.Value, error) {
	return value.FromInt(int64(len(args[0].Arr()))), nil
}

func arrayCardinality(_ *Env, args []value.Value) (value.Value, error) {
	if args[0].IsNull() {
		return value.FromInt(0), nil
	}
	a, err := arrayArg("array_cardinality", args[0], 0)
	if err != nil {
		return value.NullValue, err
	}
	n := 0
	for _, e := range a {
		if !e.IsNull() {
			n++
		}
	}
	return value.FromInt(int64(n)), nil
}

func arrayCreate(_ *Env, args []value.Value) (value.Value, error) {
	out := make([]value.Value, 0, len(args))
	for _, a := range args {
		if !a.IsNull() {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return value.NullValue, nil
	}
	return value.FromArray(out), nil
}

func containsImpl(_ *Env, args []value.Value) (value.Value, error) {
	if args[0].IsNull() {
		return value.False, nil
	}
	a, err := arrayArg("array_contains", args[0], 0)
	if err != nil {
		return value.NullValue, err
	}
	for _, e := range a {
		if matches(e, args[1]) {
			return value.True, nil
		}
	}
	return value.False, nil
}

func containsAny(_ *Env, args []value.Value) (value.Value, error) {
	if args[0].IsNull() || args[1].IsNull() {
		return value.False, nil
	}
	return arr2("array_contains_any", false, func(a, b []value.Value) (value.Value, error) {
		s := setOf(b)
		for _, e := range a {
			if s.has(e) {
				return value.True, nil
			}
		}
		return value.False, nil
	})(nil, args)
}

func arrayRemove(_ *Env, args []value.Value) (value.Value, error) {
	if args[0].IsNull() {
		return value.NullValue, nil
	}
	a, err := arrayArg("array_remove", args[0], 0)
	if err != nil {
		return value.NullValue, err
	}
	out := make([]value.Value, 0, len(a))
	for _, e := range a {
		if !matches(e, args[1]) {
			out = append(out, e)
		}
	}
	return value.FromArray(out), nil
}

func intersect(a, b []value.Value) (value.Value, error) {
	in, seen := setOf(a), newValueSet(len(b))
	out := make([]value.Value, 0, len(b))
	for _, e := range b {
		if in.has(e) && seen.addNew(e) {
			out = append(out, e)
		}
	}
	return value.FromArray(out), nil
}

func union(a, b []value.Value) (value.Value, error) {
	return distinct(append(append(make([]value.Value, 0, len(a)+len(b)), a...), b...))
}

func exceptImpl(env *Env, args []value.Value) (value.Value, error) {
	if args[0].IsNull() {
		return value.NullValue, nil
	}
	return arr2("array_except", true, func(a, b []value.Value) (value.Value, error) {
		seen := setOf(b)
		out := make([]value.Value, 0, len(a))
		for _, e := range a {
			if seen.addNew(e) {
				out = append(out, e)
			}
		}
		return value.FromArray(out), nil
	})(env, args)
}

func distinct(a []value.Value) (value.Value, error) {
	seen := newValueSet(len(a))
	out := make([]value.Value, 0, len(a))
	for _, e := range a {
		if seen.addNew(e) {
			out = append(out, e)
		}
	}
	return value.FromArray(out), nil
}

// flatten splices nested arrays one level deep; other elements stay.
func flatten(a []value.Value) (value.Value, error) {
	out := make([]value.Value, 0, len(a))
	for _, e := range a {
		if e.Kind() == value.Array {
			out = append(out, e.Arr()...)
		} else {
			out = append(out, e)
		}
	}
	return value.FromArray(out), nil
}

func arrayConcat(_ *Env, args []value.Value) (value.Value, error) {
	out := []value.Value{}
	for i, a := range args {
		if a.IsNull() {
			continue
		}
		arr, err := arrayArg("array_concat", a, i)
		if err != nil {
			return value.NullValue, err
		}
		out = append(out, arr...)
	}
	return value.FromArray(out), nil
}
