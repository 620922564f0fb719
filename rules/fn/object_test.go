package fn

import (
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

func TestObjectListing(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	o := p2Obj("c", p2I(3), "a", p2I(1), "b", p2Null)
	pair := func(k string, v value.Value) value.Value { return p2Arr(p2S(k), v) }
	kv := func(k string, v value.Value) value.Value { return p2Obj("key", p2S(k), "value", v) }
	p2Run(t, r, env, []p2Case{
		{"keys", p2Args(o), p2Arr(p2S("a"), p2S("b"), p2S("c"))},
		{"keys", p2Args(p2Obj()), p2Arr()},
		{"values", p2Args(o), p2Arr(p2I(1), p2Null, p2I(3))},
		{"items", p2Args(o), p2Arr(pair("a", p2I(1)), pair("b", p2Null), pair("c", p2I(3)))},
		{"items", p2Args(p2Obj()), p2Null},
		{"obj_to_kvpair_array", p2Args(p2Obj("b", p2I(2), "a", p2I(1))), p2Arr(kv("a", p2I(1)), kv("b", p2I(2)))},
		{"obj_to_kvpair_array", p2Args(p2Obj("a", p2I(1))), p2Arr(kv("a", p2I(1)))},
		{"object_size", p2Args(o), p2I(3)},
		{"object_size", p2Args(p2Obj()), p2I(0)},
		{"keys", p2Args(p2Null), p2Null},
	})
	for _, name := range []string{"keys", "values", "items", "obj_to_kvpair_array", "object_size"} {
		p2Errors(t, r, env, false, name+": argument 1 should be a struct", p2Case{name: name, args: p2Args(p2Ints(1))})
	}
	// Sorted output is stable from call to call (Oort improvement).
	big := map[string]value.Value{}
	for _, k := range []string{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"} {
		big[k] = p2S(k)
	}
	first, _ := p2Invoke(r, env, false, "keys", value.FromObject(big))
	for n := 0; n < 20; n++ {
		again, _ := p2Invoke(r, env, false, "keys", value.FromObject(big))
		if !value.Identical(first, again) {
			t.Fatalf("keys order changed: %s vs %s", value.ToJSON(first), value.ToJSON(again))
		}
	}
}

func TestObjectBuilding(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	p2Run(t, r, env, []p2Case{
		{"object", p2Args(p2Arr(p2S("a"), p2S("b")), p2Ints(1, 2)), p2Obj("a", p2I(1), "b", p2I(2))},
		{"object", p2Args(p2Arr(), p2Arr()), p2Null},
		{"object", p2Args(p2Null, p2Ints(1)), p2Null},
		{"zip", p2Args(p2Arr(p2Arr(p2S("a"), p2I(1)), p2Null, p2Arr(p2S("b"), p2Ints(2)))), p2Obj("a", p2I(1), "b", p2Ints(2))},
		{"zip", p2Args(p2Arr()), p2Null},
		{"object_construct", p2Args(p2S("a"), p2I(1), p2S("b"), p2Null, p2Null, p2I(3)), p2Obj("a", p2I(1))},
		{"object_construct", nil, p2Obj()},
		{"object_concat", p2Args(p2Obj("a", p2I(1), "b", p2I(2)), p2Obj("b", p2I(3), "c", p2I(4)), p2Obj("a", p2I(2), "d", p2I(1))),
			p2Obj("a", p2I(2), "b", p2I(3), "c", p2I(4), "d", p2I(1))},
		{"object_concat", p2Args(p2Null, p2Obj("a", p2I(1))), p2Obj("a", p2I(1))},
		{"object_concat", p2Args(p2Null, p2Null), p2Obj()},
	})
	p2Errors(t, r, env, false, "object:",
		p2Case{name: "object", args: p2Args(p2Arr(p2S("a")), p2Ints(1, 2))},
		p2Case{name: "object", args: p2Args(p2Ints(1), p2Ints(1))},
		p2Case{name: "object", args: p2Args(p2S("a"), p2Ints(1))})
	p2Errors(t, r, env, false, "zip: ",
		p2Case{name: "zip", args: p2Args(p2Arr(p2Arr(p2S("a"))))},
		p2Case{name: "zip", args: p2Args(p2Arr(p2Arr(p2I(1), p2I(1))))},
		p2Case{name: "zip", args: p2Args(p2Arr(p2S("a")))})
	p2Errors(t, r, env, false, "object_construct: key argument 1",
		p2Case{name: "object_construct", args: p2Args(p2I(1), p2I(1))})
	p2Errors(t, r, env, true, "even number",
		p2Case{name: "object_construct", args: p2Args(p2S("a"), p2I(1), p2S("b"))})
	p2Errors(t, r, env, true, "expect string type for parameter 3",
		p2Case{name: "object_construct", args: p2Args(p2S("a"), p2I(1), p2I(2), p2I(3))})
	p2Errors(t, r, env, false, "object_concat: argument 2 should be a struct",
		p2Case{name: "object_concat", args: p2Args(p2Obj(), p2Ints(1))})
}

func TestObjectFiltering(t *testing.T) {
	r := p2Registry()
	env, _ := p2Env()
	o := p2Obj("a", p2I(1), "b", p2I(2), "c", p2I(3), "1", p2I(4))
	p2Run(t, r, env, []p2Case{
		{"erase", p2Args(o, p2S("a")), p2Obj("b", p2I(2), "c", p2I(3), "1", p2I(4))},
		{"erase", p2Args(o, p2Arr(p2S("a"), p2S("b"), p2Null, p2I(1))), p2Obj("c", p2I(3))},
		{"erase", p2Args(o, p2S("zz")), o},
		{"object_pick", p2Args(o, p2Arr(p2S("a"), p2S("c"))), p2Obj("a", p2I(1), "c", p2I(3))},
		{"object_pick", p2Args(o, p2S("b")), p2Obj("b", p2I(2))},
		{"object_pick", p2Args(o, p2Arr()), p2Obj()},
		{"erase", p2Args(p2Null, p2S("a")), p2Null},
	})
	if len(o.Obj()) != 4 {
		t.Errorf("erase modified its input")
	}
	p2Errors(t, r, env, false, "argument 2 should be a string or an array",
		p2Case{name: "erase", args: p2Args(o, p2I(1))}, p2Case{name: "object_pick", args: p2Args(o, p2Obj())})
	p2Errors(t, r, env, false, "argument 1 should be a struct",
		p2Case{name: "erase", args: p2Args(p2Ints(1), p2S("a"))})
}

func BenchmarkObjectKeys(b *testing.B) {
	r := p2Registry()
	f, _ := r.Lookup("keys")
	m := map[string]value.Value{}
	for _, k := range []string{"temperature", "humidity", "pressure", "deviceName", "origin", "id"} {
		m[k] = p2I(1)
	}
	in := []value.Value{value.FromObject(m)}
	for i := 0; i < b.N; i++ {
		if v, err := f.Eval(nil, in); err != nil || len(v.Arr()) != 6 {
			b.Fatal(v, err)
		}
	}
}
