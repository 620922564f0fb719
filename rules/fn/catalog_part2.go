package fn

// Catalogue part 2: date and time (§12.7), array (§12.11), struct (§12.12)
// and the pure functions of §12.13. Implementations live in datetime.go,
// array.go, object.go and other.go; this file holds the signatures, docs and
// examples of the array, struct and other families.

import (
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

// registerPart2 registers every part-2 function in r. array_map keeps r to
// resolve the function it applies.
func registerPart2(r *Registry) {
	r.MustRegister(datetimeFuncs()...)
	r.MustRegister(arrayFuncs()...)
	r.MustRegister(arrayBuildFuncs(r)...)
	r.MustRegister(objectFuncs()...)
	r.MustRegister(otherFuncs()...)
}

// sc builds a scalar function entry.
func sc(name string, min, max int, args, ret, doc string, eval Impl, ex ...Example) *Func {
	return &Func{Name: name, Kind: Scalar, MinArgs: min, MaxArgs: max, Args: args, Returns: ret, Doc: doc, Eval: eval, Examples: ex}
}

// nullSafe marks f as handling NULL arguments itself.
func nullSafe(f *Func) *Func {
	f.NullSafe = true
	return f
}

func withValidate(f *Func, v func([]Arg) error) *Func {
	f.Validate = v
	return f
}

// arrayFuncs are the array functions that inspect or search arrays.
func arrayFuncs() []*Func {
	return []*Func{
		nullSafe(sc("cardinality", 1, 1, "(a)", "bigint", "number of elements of an array; 0 for NULL or a non-array",
			cardinality,
			Example{"cardinality(array_create(1, null, 3))", "2"}, Example{"cardinality(null)", "0"})),
		nullSafe(sc("array_cardinality", 1, 1, "(a)", "bigint", "number of non-NULL elements; 0 for NULL",
			arrayCardinality,
			Example{`array_cardinality(parse_json("[1, null, 3]"))`, "2"}, Example{"array_cardinality(null)", "0"})),
		nullSafe(sc("array_create", 0, -1, "(x1, ...)", "array", "array of the non-NULL arguments; NULL if there are none",
			arrayCreate,
			Example{"array_create(1, null, \"a\")", `[1,"a"]`}, Example{"array_create(null)", "null"})),
		nullSafe(sc("array_position", 2, 2, "(a, v)", "bigint", "first 0-based index of v in a (SQL equality), -1 if absent or a is NULL",
			positionImpl("array_position", false),
			Example{"array_position(array_create(1, 2, 3), 2)", "1"}, Example{"array_position(array_create(1, 2), 2.0)", "1"},
			Example{"array_position(null, 1)", "-1"})),
		nullSafe(sc("array_last_position", 2, 2, "(a, v)", "bigint", "last 0-based index of v in a, -1 if absent or a is NULL",
			positionImpl("array_last_position", true),
			Example{"array_last_position(array_create(5, 1, 5), 5)", "2"}, Example{"array_last_position(array_create(1), 2)", "-1"})),
		sc("element_at", 2, 2, "(a, i) | (m, key)", "any", "element i of an array (negative counts from the end; out of range is an error) or the value of key in a struct",
			elementAt,
			Example{"element_at(array_create(1, 2, 3), -1)", "3"}, Example{`element_at(object_construct("a", 1), "a")`, "1"},
			Example{"element_at(array_create(1), 5)", "error"}),
		nullSafe(sc("array_contains", 2, 2, "(a, v)", "boolean", "whether a has an element equal to v; false for a NULL array",
			containsImpl,
			Example{"array_contains(array_create(1, 2), 2)", "true"}, Example{"array_contains(null, 2)", "false"})),
		nullSafe(sc("array_contains_any", 2, 2, "(a, b)", "boolean", "whether the arrays share an element; false when either is NULL",
			containsAny,
			Example{"array_contains_any(array_create(1, 2), array_create(3, 2))", "true"},
			Example{"array_contains_any(array_create(1), array_create(3))", "false"})),
		nullSafe(sc("array_remove", 2, 2, "(a, v)", "array", "copy of a without the elements equal to v (NULL v removes NULL elements)",
			arrayRemove,
			Example{"array_remove(array_create(1, 2, 3, 2), 2)", "[1,3]"})),
		sc("array_intersect", 2, 2, "(a, b)", "array", "elements of b also in a, duplicates removed, in order of b",
			arr2("array_intersect", false, intersect),
			Example{"array_intersect(array_create(1, 1, 2, 3), array_create(3, 1, 3, 4))", "[3,1]"}),
		nullSafe(sc("array_union", 2, 2, "(a, b)", "array", "elements of a then b, duplicates removed; a NULL array counts as empty",
			arr2("array_union", true, union),
			Example{"array_union(array_create(1, 2), array_create(2, 3))", "[1,2,3]"})),
		nullSafe(sc("array_except", 2, 2, "(a, b)", "array", "elements of a not in b, duplicates removed; NULL when a is NULL",
			exceptImpl,
			Example{"array_except(array_create(1, 2, 2, 3), array_create(3))", "[1,2]"})),
	}
}

// arrayBuildFuncs are the array functions that build a new array or value.
func arrayBuildFuncs(r *Registry) []*Func {
	return []*Func{
		sc("array_max", 1, 1, "(a)", "any", "largest element, NULLs ignored", extremum("array_max", 1),
			Example{"array_max(array_create(1, 5.5, 3))", "5.5"}, Example{`array_max(array_create("b", "a"))`, `"b"`}),
		sc("array_min", 1, 1, "(a)", "any", "smallest element, NULLs ignored", extremum("array_min", -1),
			Example{"array_min(array_create(4, 2, 3))", "2"}, Example{`array_min(array_create(1, "a"))`, "error"}),
		sc("array_distinct", 1, 1, "(a)", "array", "duplicates removed, first occurrence kept", arr1("array_distinct", distinct),
			Example{"array_distinct(array_create(1, 2, 1.0, 3, 2))", "[1,2,3]"}),
		sc("array_flatten", 1, 1, "(a)", "array", "nested arrays flattened by one level", arr1("array_flatten", flatten),
			Example{"array_flatten(array_create(array_create(1, 2), 3, array_create(4)))", "[1,2,3,4]"}),
		sc("array_join", 2, 3, "(a, sep [, nullReplacement])", "string", "elements joined as text with sep; NULLs skipped unless a non-empty replacement is given",
			arrayJoin,
			Example{`array_join(array_create("a", "b"), "-")`, `"a-b"`},
			Example{`array_join(parse_json("[\"a\", null, \"b\"]"), ",", "?")`, `"a,?,b"`}),
		arrayMapFunc(r),
		sc("array_shuffle", 1, 1, "(a)", "array", "elements in random order", arr1("array_shuffle", shuffle),
			Example{"cardinality(array_shuffle(array_create(1, 2, 3)))", "3"}),
		sc("array_sort", 1, 1, "(a)", "array", "sorted copy: numbers by value, then strings, booleans, datetimes; NULLs last",
			arr1("array_sort", arraySort),
			Example{`array_sort(array_create(3, 2, "b", "a"))`, `[2,3,"a","b"]`},
			Example{`array_sort(array_create("abc", 3, "def", 1.6, -0.83))`, `[-0.83,1.6,3,"abc","def"]`}),
		nullSafe(sc("array_concat", 1, -1, "(a1, ...)", "array", "concatenation of the arrays; NULL arrays count as empty",
			arrayConcat,
			Example{"array_concat(array_create(1), null, array_create(2, 3))", "[1,2,3]"})),
		sc("repeat", 2, 2, "(x, n)", "array", "array of x repeated n times", repeatImpl,
			Example{`repeat("a", 3)`, `["a","a","a"]`}, Example{"repeat(1, -1)", "error"}),
		sc("sequence", 2, 3, "(start, stop [, step])", "array", "integers from start to stop inclusive with an optional (possibly negative) step",
			sequenceImpl,
			Example{"sequence(1, 5)", "[1,2,3,4,5]"}, Example{"sequence(5, 1, -2)", "[5,3,1]"}, Example{"sequence(1, 5, 0)", "error"}),
		sc("kvpair_array_to_obj", 1, 1, "(a)", "struct", `[{"key": k, "value": v}, ...] to a struct`,
			arr1("kvpair_array_to_obj", kvpairToObj),
			Example{`kvpair_array_to_obj(parse_json("[{\"key\":\"k1\",\"value\":1},{\"key\":\"k2\",\"value\":2}]"))`, `{"k1":1.0,"k2":2.0}`}),
	}
}

func objectFuncs() []*Func {
	return []*Func{
		sc("keys", 1, 1, "(m)", "array", "keys of a struct, sorted", obj1("keys", objKeys),
			Example{`keys(object_construct("b", 1, "a", 2))`, `["a","b"]`}),
		sc("values", 1, 1, "(m)", "array", "values of a struct, sorted by key", obj1("values", objValues),
			Example{`values(object_construct("b", 1, "a", 2))`, "[2,1]"}),
		sc("items", 1, 1, "(m)", "array", "[key, value] pairs of a struct, sorted by key; NULL for an empty struct", obj1("items", objItems),
			Example{`items(object_construct("b", 1, "a", 2))`, `[["a",2],["b",1]]`}),
		sc("object", 2, 2, "(keys, values)", "struct", "struct from a key array and a value array of the same length",
			objectFromArrays,
			Example{`object(array_create("a", "b"), array_create(1, 2))`, `{"a":1,"b":2}`},
			Example{`object(array_create("a"), array_create(1, 2))`, "error"}),
		sc("zip", 1, 1, "(pairs)", "struct", "struct from [[key, value], ...]", arr1("zip", zipPairs),
			Example{`zip(array_create(array_create("a", 1), array_create("b", 2)))`, `{"a":1,"b":2}`}),
		withValidate(nullSafe(sc("object_construct", 0, -1, "(k1, v1, k2, v2, ...)", "struct", "struct from key/value argument pairs; pairs with a NULL value are skipped",
			objectConstruct,
			Example{`object_construct("a", 1, "b", null)`, `{"a":1}`})), validatePairs),
		nullSafe(sc("object_concat", 2, -1, "(m1, m2, ...)", "struct", "merge of the structs, later keys win; NULL arguments skipped",
			objectConcat,
			Example{`object_concat(object_construct("a", 1), object_construct("b", 2), object_construct("b", 3))`, `{"a":1,"b":3}`})),
		sc("erase", 2, 2, "(m, k | [k1, k2])", "struct", "copy of the struct without the key(s)", filterKeys("erase", false),
			Example{`erase(object_construct("a", 1, "b", 2, "c", 3), "a")`, `{"b":2,"c":3}`},
			Example{`erase(object_construct("a", 1, "b", 2, "c", 3), array_create("a", "b"))`, `{"c":3}`}),
		sc("object_pick", 2, 2, "(m, k | [k1, k2])", "struct", "copy of the struct with only the key(s)", filterKeys("object_pick", true),
			Example{`object_pick(object_construct("a", 1, "b", 2, "c", 3), array_create("a", "c"))`, `{"a":1,"c":3}`}),
		sc("object_size", 1, 1, "(m)", "bigint", "number of keys of a struct", obj1("object_size", objSize),
			Example{`object_size(object_construct("a", 1, "b", 2))`, "2"}),
		sc("obj_to_kvpair_array", 1, 1, "(m)", "array", `struct to [{"key": k, "value": v}, ...], sorted by key`,
			obj1("obj_to_kvpair_array", objToKV),
			Example{`obj_to_kvpair_array(object_construct("b", 2, "a", 1))`, `[{"key":"a","value":1},{"key":"b","value":2}]`}),
	}
}

func otherFuncs() []*Func {
	sf := &snowflake{}
	return []*Func{
		nullSafe(sc("isnull", 1, 1, "(x)", "boolean", "whether x is NULL (an empty array or struct is not NULL)", isNull,
			Example{"isnull(null)", "true"}, Example{"isnull(array_create(1))", "false"})),
		nullSafe(sc("coalesce", 1, -1, "(x1, ...)", "any", "first non-NULL argument, NULL if none", coalesce,
			Example{`coalesce(null, "a", "b")`, `"a"`}, Example{"coalesce(null)", "null"})),
		sc("newuuid", 0, 0, "()", "string", "a new random UUID", newUUID,
			Example{"length(newuuid())", "36"}),
		sc("tstamp", 0, 0, "()", "bigint", "current time in epoch milliseconds", tstamp,
			Example{"tstamp() > 0", "true"}),
		sc("rule_id", 0, 0, "()", "string", "id of the rule", ruleID,
			Example{"isnull(rule_id())", "false"}),
		sc("rule_start", 0, 0, "()", "bigint", "the rule's last start time in epoch milliseconds", ruleStart,
			Example{"rule_start() >= 0", "true"}),
		withValidate(sc("get_keyed_state", 3, 3, "(key, type, default)", "any", "value of key in the keyed state store converted to type (bigint, float, string, boolean, datetime), or default when nothing is stored",
			getKeyedState,
			Example{`get_keyed_state("oort_example_missing", "bigint", 7)`, "7"}), validateKeyedState),
		withValidate(sc("delay", 2, 2, "(ms, x)", "any", "waits ms milliseconds on the rule clock, then returns x (a testing aid: it stalls the rule)",
			delayImpl,
			Example{"delay(0, 5)", "5"}), validateDelay),
		withValidate(sc("props", 1, 1, "(name)", "string", "global property from OORT_PROPS_<name> or KUIPER_PROPS_<name>; \"et\" is now in ms, \"snowflake\" a unique id",
			propsImpl(sf),
			Example{`length(props("et")) > 0`, "true"}, Example{`props("oort_example_missing")`, "error"}), validateStrLit(0)),
	}
}

// mapTarget resolves the function applied by array_map: a scalar function
// that accepts exactly one argument, validated and bound for a column-like
// argument.
func mapTarget(r *Registry, name string) (*Func, Impl, error) {
	f, ok := r.Lookup(name)
	if !ok {
		return nil, nil, fmt.Errorf("array_map: unknown function %q", name)
	}
	if f.Kind != Scalar || f.Eval == nil {
		return nil, nil, fmt.Errorf("array_map: %s is a %s function, expect a scalar function", f.Name, f.Kind)
	}
	if err := f.CheckArity(1); err != nil {
		return nil, nil, fmt.Errorf("array_map: %s cannot take one argument: %w", f.Name, err)
	}
	one := []Arg{{}}
	if f.Validate != nil {
		if err := f.Validate(one); err != nil {
			return nil, nil, fmt.Errorf("array_map: %s: %w", f.Name, err)
		}
	}
	impl := f.Eval
	if f.Bind != nil {
		b, err := f.Bind(one)
		if err != nil {
			return nil, nil, fmt.Errorf("array_map: %s: %w", f.Name, err)
		}
		if b != nil {
			impl = b
		}
	}
	return f, impl, nil
}

func mapArray(env *Env, f *Func, impl Impl, v value.Value) (value.Value, error) {
	a, err := arrayArg("array_map", v, 1)
	if err != nil {
		return value.NullValue, err
	}
	out := make([]value.Value, len(a))
	arg := make([]value.Value, 1)
	for i, e := range a {
		if e.IsNull() && !f.NullSafe {
			continue
		}
		arg[0] = e
		r, err := impl(env, arg)
		if err != nil {
			return value.NullValue, fmt.Errorf("array_map: %s on element %d: %w", f.Name, i, err)
		}
		out[i] = r
	}
	return value.FromArray(out), nil
}

// arrayMapFunc needs the registry: the mapped function is resolved at bind
// time when its name is a literal, at run time otherwise.
func arrayMapFunc(r *Registry) *Func {
	return &Func{
		Name: "array_map", MinArgs: 2, MaxArgs: 2, Args: `("fname", a)`, Returns: "array",
		Doc: "apply the named one-argument scalar function to each element",
		Examples: []Example{
			{`array_map("upper", array_create("a", "b"))`, `["A","B"]`},
			{`array_map("abs", array_create(-1, 2.5))`, `[1,2.5]`},
			{`array_map("month_name", array_create("2024-01-01", "2024-02-01"))`, `["January","February"]`},
		},
		Validate: func(args []Arg) error {
			if len(args) < 1 || !args[0].Literal || args[0].Val.IsNull() {
				return nil
			}
			if args[0].Val.Kind() != value.String {
				return fmt.Errorf("expect string type for parameter 1")
			}
			_, _, err := mapTarget(r, args[0].Val.Str())
			return err
		},
		Bind: func(args []Arg) (Impl, error) {
			if len(args) < 1 || !args[0].Literal || args[0].Val.Kind() != value.String {
				return nil, nil
			}
			f, impl, err := mapTarget(r, args[0].Val.Str())
			if err != nil {
				return nil, err
			}
			return func(env *Env, args []value.Value) (value.Value, error) {
				return mapArray(env, f, impl, args[1])
			}, nil
		},
		Eval: func(env *Env, args []value.Value) (value.Value, error) {
			name, err := strArg("array_map", args[0], 0)
			if err != nil {
				return value.NullValue, err
			}
			f, impl, err := mapTarget(r, name)
			if err != nil {
				return value.NullValue, err
			}
			return mapArray(env, f, impl, args[1])
		},
	}
}
