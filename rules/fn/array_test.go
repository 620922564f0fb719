package fn

import (
	"math"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

func p2Arr(vs ...value.Value) value.Value { return value.FromArray(vs) }

func p2Obj(kv ...any) value.Value {
	m := map[string]value.Value{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(value.Value)
	}
	return value.FromObject(m)
}

func p2Ints(ns ...int64) value.Value {
	out := make([]value.Value, len(ns))
	for i, n := range ns {
		out[i] = p2I(n)
	}
	return value.FromArray(out)
}

func p2Args(vs ...value.Value) []value.Value { return vs }

func TestArrayCounting(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	p2Run(t, r, env, []p2Case{
		{"cardinality", p2Args(p2Arr(p2I(1), p2Null, p2I(3))), p2I(3)},
		{"cardinality", p2Args(p2Null), p2I(0)},
		{"cardinality", p2Args(p2S("abc")), p2I(0)},
		{"array_cardinality", p2Args(p2Arr(p2I(1), p2Null, p2I(3))), p2I(2)},
		{"array_cardinality", p2Args(p2Null), p2I(0)},
		{"array_create", p2Args(p2I(1), p2Null, p2S("a")), p2Arr(p2I(1), p2S("a"))},
		{"array_create", p2Args(p2Null, p2Null), p2Null},
		{"array_create", nil, p2Null},
	})
	p2Errors(t, r, env, false, "should be an array", p2Case{name: "array_cardinality", args: p2Args(p2S("x"))})
}

func TestArraySearch(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	big := value.FromUint(1 << 63)
	p2Run(t, r, env, []p2Case{
		{"array_position", p2Args(p2Ints(3, 2, 1), p2I(1)), p2I(2)},
		{"array_position", p2Args(p2Ints(3, 2, 1), p2I(4)), p2I(-1)},
		{"array_position", p2Args(p2Ints(1, 2), p2F(2)), p2I(1)},
		{"array_position", p2Args(p2Arr(p2F(1)), p2I(1)), p2I(0)},
		{"array_position", p2Args(p2Arr(p2I(1), p2Null), p2Null), p2I(1)},
		{"array_position", p2Args(p2Null, p2I(1)), p2I(-1)},
		{"array_position", p2Args(p2Arr(p2I(1), big), p2F(9223372036854775808)), p2I(1)},
		{"array_position", p2Args(p2Arr(p2S("1")), p2I(1)), p2I(-1)},
		{"array_last_position", p2Args(p2Arr(p2I(5), p2Null, p2I(5)), p2I(5)), p2I(2)},
		{"array_last_position", p2Args(p2Null, p2I(5)), p2I(-1)},
		{"array_contains", p2Args(p2Ints(1, 2), p2I(2)), value.True},
		{"array_contains", p2Args(p2Ints(1, 2), p2I(3)), value.False},
		{"array_contains", p2Args(p2Null, p2I(3)), value.False},
		{"array_contains", p2Args(p2Arr(p2I(1), p2Null), p2Null), value.True},
		{"array_contains", p2Args(p2Arr(p2F(1.5)), p2S("1.5")), value.False},
		{"array_contains_any", p2Args(p2Ints(1, 2), p2Ints(3, 2)), value.True},
		{"array_contains_any", p2Args(p2Ints(1, 2), p2Arr(p2F(2))), value.True},
		{"array_contains_any", p2Args(p2Ints(1, 2), p2Ints(3)), value.False},
		{"array_contains_any", p2Args(p2Null, p2Ints(3)), value.False},
		{"array_contains_any", p2Args(p2Ints(3), p2Null), value.False},
	})
	p2Errors(t, r, env, false, "should be an array",
		p2Case{name: "array_position", args: p2Args(p2S("abc"), p2I(1))},
		p2Case{name: "array_contains", args: p2Args(p2I(1), p2I(1))},
		p2Case{name: "array_contains_any", args: p2Args(p2Ints(1), p2S("x"))})
}

func TestElementAt(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	a := p2Ints(1, 2, 3)
	o := p2Obj("a", p2I(1), "b", p2Arr())
	p2Run(t, r, env, []p2Case{
		{"element_at", p2Args(a, p2I(1)), p2I(2)},
		{"element_at", p2Args(a, p2I(-1)), p2I(3)},
		{"element_at", p2Args(a, p2I(-3)), p2I(1)},
		{"element_at", p2Args(a, p2F(0)), p2I(1)},
		{"element_at", p2Args(o, p2S("a")), p2I(1)},
		{"element_at", p2Args(o, p2S("b")), p2Arr()},
		{"element_at", p2Args(o, p2S("z")), p2Null},
		{"element_at", p2Args(p2Null, p2I(1)), p2Null},
		{"element_at", p2Args(a, p2Null), p2Null},
	})
	p2Errors(t, r, env, false, "out of range",
		p2Case{name: "element_at", args: p2Args(a, p2I(3))}, p2Case{name: "element_at", args: p2Args(a, p2I(-4))})
	p2Errors(t, r, env, false, "element_at",
		p2Case{name: "element_at", args: p2Args(a, p2F(1.5))},
		p2Case{name: "element_at", args: p2Args(o, p2I(1))},
		p2Case{name: "element_at", args: p2Args(p2S("abc"), p2I(1))})
}

func TestArraySetOperations(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	nan := p2F(math.NaN())
	dt := value.FromTime(time.UnixMilli(1000).UTC())
	p2Run(t, r, env, []p2Case{
		{"array_remove", p2Args(p2Ints(1, 2, 3, 4, 3), p2I(3)), p2Ints(1, 2, 4)},
		{"array_remove", p2Args(p2Arr(p2I(1), p2F(2), p2I(2)), p2I(2)), p2Ints(1)},
		{"array_remove", p2Args(p2Arr(p2I(1), p2Null), p2Null), p2Ints(1)},
		{"array_remove", p2Args(p2Null, p2I(1)), p2Null},
		{"array_intersect", p2Args(p2Ints(1, 1, 2, 3), p2Ints(3, 1, 3, 4)), p2Ints(3, 1)},
		{"array_intersect", p2Args(p2Ints(1, 2), p2Arr(p2F(2))), p2Arr(p2F(2))},
		{"array_intersect", p2Args(p2Null, p2Ints(1)), p2Null},
		{"array_union", p2Args(p2Ints(1, 2), p2Ints(2, 3)), p2Ints(1, 2, 3)},
		{"array_union", p2Args(p2Null, p2Ints(1, 1)), p2Ints(1)},
		{"array_union", p2Args(p2Ints(1), p2Arr(p2F(1), p2S("1"))), p2Arr(p2I(1), p2S("1"))},
		{"array_except", p2Args(p2Ints(1, 2, 2, 3), p2Ints(3)), p2Ints(1, 2)},
		{"array_except", p2Args(p2Ints(1, 2), p2Null), p2Ints(1, 2)},
		{"array_except", p2Args(p2Null, p2Ints(1)), p2Null},
		{"array_distinct", p2Args(p2Arr(p2I(1), p2I(2), p2F(1), p2I(3), p2I(2))), p2Ints(1, 2, 3)},
		{"array_distinct", p2Args(p2Arr(p2S("a"), p2S("a"), p2Null, p2Null, value.True, value.True)), p2Arr(p2S("a"), p2Null, value.True)},
		{"array_distinct", p2Args(p2Arr(p2Ints(1), p2Arr(p2F(1)), p2Ints(2))), p2Arr(p2Ints(1), p2Ints(2))},
		{"array_distinct", p2Args(p2Arr(p2Obj("a", p2I(1)), p2Obj("a", p2F(1)))), p2Arr(p2Obj("a", p2I(1)))},
		{"array_distinct", p2Args(p2Arr(dt, p2I(1000), p2S("1970-01-01T00:00:01Z"), p2I(2))), p2Arr(dt, p2I(2))},
		{"array_distinct", p2Args(p2Arr(p2I(1000), dt)), p2Ints(1000)},
		{"array_distinct", p2Args(p2Arr(p2F(0), p2F(math.Copysign(0, -1)), value.FromUint(1<<63), p2F(1<<63))), p2Arr(p2F(0), value.FromUint(1<<63))},
		{"array_distinct", p2Args(p2Arr(p2I(math.MaxInt64), p2I(math.MaxInt64-1))), p2Ints(math.MaxInt64, math.MaxInt64-1)},
		{"array_distinct", p2Args(p2Arr(p2I(1<<63-1024), p2F(1<<63-1024), p2I(math.MinInt64), p2F(-(1 << 63)))), p2Ints(1<<63-1024, math.MinInt64)},
	})
	got, err := p2Invoke(r, env, false, "array_distinct", p2Arr(nan, nan))
	if err != nil || len(got.Arr()) != 2 {
		t.Errorf("NaN never equals NaN: %s %v", value.ToJSON(got), err)
	}
	p2Errors(t, r, env, false, "argument 2 should be an array",
		p2Case{name: "array_union", args: p2Args(p2Ints(1), p2S("x"))}, p2Case{name: "array_except", args: p2Args(p2Ints(1), p2I(1))})
}

func TestArrayOrdering(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	in := p2Arr(p2S("abc"), p2I(3), p2S("def"), p2F(1.6), p2F(-0.83))
	p2Run(t, r, env, []p2Case{
		{"array_sort", p2Args(in), p2Arr(p2F(-0.83), p2F(1.6), p2I(3), p2S("abc"), p2S("def"))},
		{"array_sort", p2Args(p2Arr(p2I(10), p2I(9), value.FromUint(1<<63))), p2Arr(p2I(9), p2I(10), value.FromUint(1<<63))},
		{"array_sort", p2Args(p2Arr(p2Null, value.True, p2I(1), p2S("x"), value.False)), p2Arr(p2I(1), p2S("x"), value.False, value.True, p2Null)},
		{"array_sort", p2Args(p2Arr()), p2Arr()},
		{"array_max", p2Args(p2Arr(p2I(1), p2F(5.5), p2I(3))), p2F(5.5)},
		{"array_max", p2Args(p2Arr(p2Null, p2S("b"), p2S("a"))), p2S("b")},
		{"array_max", p2Args(p2Arr(p2I(1), value.FromUint(1<<63))), value.FromUint(1 << 63)},
		{"array_min", p2Args(p2Arr(p2Null, p2I(2), p2I(1))), p2I(1)},
		{"array_min", p2Args(p2Arr(p2Null, p2Null)), p2Null},
		{"array_min", p2Args(p2Arr()), p2Null},
	})
	if in.Arr()[0].Str() != "abc" {
		t.Errorf("array_sort modified its input")
	}
	p2Errors(t, r, env, false, "incompatible types", p2Case{name: "array_max", args: p2Args(p2Arr(p2I(1), p2S("a")))})
	sh, err := p2Invoke(r, env, false, "array_shuffle", p2Ints(1, 2, 3, 4, 5))
	if err != nil {
		t.Fatal(err)
	}
	sorted, _ := p2Invoke(r, env, false, "array_sort", sh)
	if !value.Identical(sorted, p2Ints(1, 2, 3, 4, 5)) {
		t.Errorf("array_shuffle is not a permutation: %s", value.ToJSON(sh))
	}
}

func TestArrayBuilders(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	p2Run(t, r, env, []p2Case{
		{"array_flatten", p2Args(p2Arr(p2Ints(1, 2), p2I(3), p2Ints(4), p2Arr())), p2Ints(1, 2, 3, 4)},
		{"array_flatten", p2Args(p2Arr(p2Arr(p2Ints(1)))), p2Arr(p2Ints(1))},
		{"array_concat", p2Args(p2Ints(1), p2Null, p2Ints(2, 3)), p2Ints(1, 2, 3)},
		{"array_concat", p2Args(p2Null), p2Arr()},
		{"repeat", p2Args(p2S("a"), p2I(3)), p2Arr(p2S("a"), p2S("a"), p2S("a"))},
		{"repeat", p2Args(p2I(1), p2I(0)), p2Arr()},
		{"repeat", p2Args(p2Null, p2I(2)), p2Null},
		{"sequence", p2Args(p2I(1), p2I(5)), p2Ints(1, 2, 3, 4, 5)},
		{"sequence", p2Args(p2I(3), p2I(1)), p2Ints(3, 2, 1)},
		{"sequence", p2Args(p2I(1), p2I(1)), p2Ints(1)},
		{"sequence", p2Args(p2I(1), p2I(6), p2I(2)), p2Ints(1, 3, 5)},
		{"sequence", p2Args(p2I(5), p2I(1), p2I(-2)), p2Ints(5, 3, 1)},
		{"sequence", p2Args(p2I(1), p2I(5), p2I(-1)), p2Arr()},
		{"sequence", p2Args(p2I(math.MaxInt64-1), p2I(math.MaxInt64), p2I(math.MinInt64)), p2Arr()},
		{"sequence", p2Args(p2I(math.MinInt64), p2I(math.MinInt64+2), p2I(math.MaxInt64)), p2Ints(math.MinInt64)},
		{"kvpair_array_to_obj", p2Args(p2Arr(p2Obj("key", p2S("k1"), "value", p2I(1)), p2Obj("key", p2S("k2"), "value", p2Null))), p2Obj("k1", p2I(1), "k2", p2Null)},
	})
	p2Errors(t, r, env, false, "array_concat: argument 2", p2Case{name: "array_concat", args: p2Args(p2Ints(1), p2S("x"))})
	p2Errors(t, r, env, false, "repeat", p2Case{name: "repeat", args: p2Args(p2I(1), p2I(-1))}, p2Case{name: "repeat", args: p2Args(p2I(1), p2I(1<<40))})
	p2Errors(t, r, env, false, "sequence",
		p2Case{name: "sequence", args: p2Args(p2I(1), p2I(5), p2I(0))},
		p2Case{name: "sequence", args: p2Args(p2I(math.MinInt64), p2I(math.MaxInt64))},
		p2Case{name: "sequence", args: p2Args(p2F(1.5), p2I(3))})
	p2Errors(t, r, env, false, "kvpair_array_to_obj: element 1",
		p2Case{name: "kvpair_array_to_obj", args: p2Args(p2Arr(p2Obj("key", p2S("a"), "value", p2I(1)), p2Obj("key", p2I(1), "value", p2I(2))))},
		p2Case{name: "kvpair_array_to_obj", args: p2Args(p2Arr(p2Obj("key", p2S("a"), "value", p2I(1)), p2Obj("key", p2S("b"))))},
		p2Case{name: "kvpair_array_to_obj", args: p2Args(p2Arr(p2Obj("key", p2S("a"), "value", p2I(1)), p2I(3)))})
}

func TestArrayJoin(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	abn := p2Arr(p2S("a"), p2Null, p2S("b"))
	p2Run(t, r, env, []p2Case{
		{"array_join", p2Args(p2Arr(p2S("a"), p2S("b")), p2S("-")), p2S("a-b")},
		{"array_join", p2Args(abn, p2S(",")), p2S("a,b")},
		{"array_join", p2Args(abn, p2S(","), p2S("?")), p2S("a,?,b")},
		{"array_join", p2Args(abn, p2S(","), p2S("")), p2S("a,b")},
		{"array_join", p2Args(p2Arr(p2I(1), p2F(2.5), value.True), p2S(" ")), p2S("1 2.5 true")},
		{"array_join", p2Args(p2Arr(), p2S(",")), p2S("")},
		{"array_join", p2Args(abn, p2Null), p2Null},
	})
	p2Errors(t, r, env, false, "array_join",
		p2Case{name: "array_join", args: p2Args(p2Arr(p2Ints(1)), p2S(","))},
		p2Case{name: "array_join", args: p2Args(abn, p2I(1))})
}

func TestArrayMap(t *testing.T) {
	r := p2Registry()
	registerKinds(r)
	env, _ := p2Env()
	p2Run(t, r, env, []p2Case{
		{"array_map", p2Args(p2S("month_name"), p2Arr(p2S("2024-01-01"), p2S("2024-02-01"))), p2Arr(p2S("January"), p2S("February"))},
		{"array_map", p2Args(p2S("isnull"), p2Arr(p2I(1), p2Null)), p2Arr(value.False, value.True)},
		{"array_map", p2Args(p2S("HOUR"), p2Arr(p2Null, p2S("2024-01-01 05:00:00"))), p2Arr(p2Null, p2I(5))},
		{"array_map", p2Args(p2S("hour"), p2Arr()), p2Arr()},
	})
	// A column holding the function name is resolved at run time.
	got, err := p2Invoke(r, env, false, "array_map", p2S("cardinality"), p2Arr(p2Ints(1, 2), p2Null))
	if err != nil || !value.Identical(got, p2Ints(2, 0)) {
		t.Errorf("array_map by column = %s, %v", value.ToJSON(got), err)
	}
	p2Errors(t, r, env, true, "array_map",
		p2Case{name: "array_map", args: p2Args(p2S("nosuchfn"), p2Ints(1))},
		p2Case{name: "array_map", args: p2Args(p2S("count"), p2Ints(1))},
		p2Case{name: "array_map", args: p2Args(p2S("date_diff"), p2Ints(1))},
		p2Case{name: "array_map", args: p2Args(p2S("now"), p2Ints(1))},
		p2Case{name: "array_map", args: p2Args(p2I(1), p2Ints(1))})
	p2Errors(t, r, env, false, "array_map: hour on element 1",
		p2Case{name: "array_map", args: p2Args(p2S("hour"), p2Arr(p2I(0), p2S("x")))})
	p2Errors(t, r, env, false, "should be an array",
		p2Case{name: "array_map", args: p2Args(p2S("hour"), p2S("x"))})
}

func BenchmarkArrayPosition(b *testing.B) {
	r := p2Registry()
	f, _ := r.Lookup("array_position")
	vs := make([]value.Value, 100)
	for i := range vs {
		vs[i] = p2I(int64(i))
	}
	in := []value.Value{value.FromArray(vs), p2F(99)}
	for i := 0; i < b.N; i++ {
		if v, err := f.Eval(nil, in); err != nil || v.Int() != 99 {
			b.Fatal(v, err)
		}
	}
}

func BenchmarkArrayDistinct(b *testing.B) {
	r := p2Registry()
	f, _ := r.Lookup("array_distinct")
	vs := make([]value.Value, 1000)
	for i := range vs {
		vs[i] = p2I(int64(i % 300))
	}
	in := []value.Value{value.FromArray(vs)}
	for i := 0; i < b.N; i++ {
		if v, err := f.Eval(nil, in); err != nil || len(v.Arr()) != 300 {
			b.Fatal(v, err)
		}
	}
}
