package fn

// Struct (object) functions, sql.md §12.12. keys, values, items and
// obj_to_kvpair_array list entries sorted by key (Oort improvement: eKuiper's
// order changes from run to run).

import (
	"fmt"
	"sort"

	"github.com/oort-rules/oort/rules/value"
)

func objectArg(name string, v value.Value, i int) (map[string]value.Value, error) {
	if v.Kind() != value.Object {
		return nil, fmt.Errorf("%s: argument %d should be a struct, got %s", name, i+1, describe(v))
	}
	return v.Obj(), nil
}

func sortedKeys(m map[string]value.Value) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// obj1 wraps a one-struct-argument body with the argument check.
func obj1(name string, body func(m map[string]value.Value) (value.Value, error)) Impl {
	return func(_ *Env, args []value.Value) (value.Value, error) {
		m, err := objectArg(name, args[0], 0)
		if err != nil {
			return value.NullValue, err
		}
		return body(m)
	}
}

// entries lists m by key, each entry built by mk.
func entries(m map[string]value.Value, mk func(k string, v value.Value) value.Value) []value.Value {
	out := make([]value.Value, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, mk(k, m[k]))
	}
	return out
}

func objKeys(m map[string]value.Value) (value.Value, error) {
	return value.FromArray(entries(m, func(k string, _ value.Value) value.Value { return value.FromString(k) })), nil
}

func objValues(m map[string]value.Value) (value.Value, error) {
	return value.FromArray(entries(m, func(_ string, v value.Value) value.Value { return v })), nil
}

// objItems gives NULL for an empty struct, as eKuiper does.
func objItems(m map[string]value.Value) (value.Value, error) {
	if len(m) == 0 {
		return value.NullValue, nil
	}
	return value.FromArray(entries(m, func(k string, v value.Value) value.Value {
		return value.FromArray([]value.Value{value.FromString(k), v})
	})), nil
}

func objToKV(m map[string]value.Value) (value.Value, error) {
	return value.FromArray(entries(m, func(k string, v value.Value) value.Value {
		return value.FromObject(map[string]value.Value{"key": value.FromString(k), "value": v})
	})), nil
}

func objSize(m map[string]value.Value) (value.Value, error) {
	return value.FromInt(int64(len(m))), nil
}

// objectFromArrays pairs a key array with a value array; empty gives NULL.
func objectFromArrays(_ *Env, args []value.Value) (value.Value, error) {
	ks, err := arrayArg("object", args[0], 0)
	if err != nil {
		return value.NullValue, err
	}
	vs, err := arrayArg("object", args[1], 1)
	if err != nil {
		return value.NullValue, err
	}
	if len(ks) != len(vs) {
		return value.NullValue, fmt.Errorf("object: %d keys but %d values, the arrays should have the same length", len(ks), len(vs))
	}
	if len(ks) == 0 {
		return value.NullValue, nil
	}
	m := make(map[string]value.Value, len(ks))
	for i, k := range ks {
		if k.Kind() != value.String {
			return value.NullValue, fmt.Errorf("object: key %d should be a string, got %s", i, describe(k))
		}
		m[k.Str()] = vs[i]
	}
	return value.FromObject(m), nil
}

// zipPairs builds a struct from [[k, v], ...]; NULL pairs are skipped and an
// empty array gives NULL, as in eKuiper.
func zipPairs(a []value.Value) (value.Value, error) {
	if len(a) == 0 {
		return value.NullValue, nil
	}
	m := make(map[string]value.Value, len(a))
	for i, p := range a {
		if p.IsNull() {
			continue
		}
		kv := p.Arr()
		if p.Kind() != value.Array || len(kv) != 2 {
			return value.NullValue, fmt.Errorf("zip: element %d should be a [key, value] array, got %s", i, describe(p))
		}
		if kv[0].Kind() != value.String {
			return value.NullValue, fmt.Errorf("zip: the key of element %d should be a string, got %s", i, describe(kv[0]))
		}
		m[kv[0].Str()] = kv[1]
	}
	return value.FromObject(m), nil
}

// objectConstruct takes key/value argument pairs; pairs with a NULL key or
// value are skipped.
func objectConstruct(_ *Env, args []value.Value) (value.Value, error) {
	if len(args)%2 != 0 {
		return value.NullValue, fmt.Errorf("object_construct: %d arguments, expect key/value pairs", len(args))
	}
	m := make(map[string]value.Value, len(args)/2)
	for i := 0; i < len(args); i += 2 {
		k, v := args[i], args[i+1]
		if k.IsNull() || v.IsNull() {
			continue
		}
		if k.Kind() != value.String {
			return value.NullValue, fmt.Errorf("object_construct: key argument %d should be a string, got %s", i+1, describe(k))
		}
		m[k.Str()] = v
	}
	return value.FromObject(m), nil
}

func validatePairs(args []Arg) error {
	if len(args)%2 != 0 {
		return fmt.Errorf("expect key/value pairs (an even number of arguments) but found %d", len(args))
	}
	for i := 0; i < len(args); i += 2 {
		a := args[i]
		if a.Literal && !a.Val.IsNull() && a.Val.Kind() != value.String {
			return fmt.Errorf("expect string type for parameter %d", i+1)
		}
	}
	return nil
}

// objectConcat merges structs left to right; NULL arguments are skipped.
func objectConcat(_ *Env, args []value.Value) (value.Value, error) {
	m := map[string]value.Value{}
	for i, a := range args {
		if a.IsNull() {
			continue
		}
		o, err := objectArg("object_concat", a, i)
		if err != nil {
			return value.NullValue, err
		}
		for k, v := range o {
			m[k] = v
		}
	}
	return value.FromObject(m), nil
}

// keySet reads the key argument of erase / object_pick: one string or an
// array of keys (non-string elements are used by their text, as in eKuiper).
func keySet(name string, v value.Value) (map[string]bool, error) {
	switch v.Kind() {
	case value.String:
		return map[string]bool{v.Str(): true}, nil
	case value.Array:
		ks := make(map[string]bool, len(v.Arr()))
		for _, e := range v.Arr() {
			if !e.IsNull() {
				ks[value.Text(e)] = true
			}
		}
		return ks, nil
	}
	return nil, fmt.Errorf("%s: argument 2 should be a string or an array of strings, got %s", name, describe(v))
}

// filterKeys copies the struct keeping the keys whose membership equals keep.
func filterKeys(name string, keep bool) Impl {
	return func(_ *Env, args []value.Value) (value.Value, error) {
		m, err := objectArg(name, args[0], 0)
		if err != nil {
			return value.NullValue, err
		}
		ks, err := keySet(name, args[1])
		if err != nil {
			return value.NullValue, err
		}
		out := make(map[string]value.Value, len(m))
		for k, v := range m {
			if ks[k] == keep {
				out[k] = v
			}
		}
		return value.FromObject(out), nil
	}
}

// kvpairToObj is kvpair_array_to_obj, the inverse of obj_to_kvpair_array.
func kvpairToObj(a []value.Value) (value.Value, error) {
	m := make(map[string]value.Value, len(a))
	for i, e := range a {
		pair := e.Obj()
		k, kok := pair["key"]
		v, vok := pair["value"]
		if e.Kind() != value.Object || len(pair) != 2 || !kok || !vok || k.Kind() != value.String {
			return value.NullValue, fmt.Errorf(`kvpair_array_to_obj: element %d should be {"key": string, "value": any}, got %s`, i, describe(e))
		}
		m[k.Str()] = v
	}
	return value.FromObject(m), nil
}
