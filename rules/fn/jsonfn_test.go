package fn

import (
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

const p1Doc = `{
  "name": {"first": "Tom", "last": "Anderson"}, "age": 37, "children": ["Sara", "Alex", "Jack"],
  "fav.movie": "Deer Hunter",
  "friends": [
    {"first": "Dale", "last": "Murphy", "age": 44},
    {"first": "Roger", "last": "Craig", "age": 68},
    {"first": "Jane", "last": "Murphy", "age": 47}],
  "followers": {
    "Group1": [{"first": "John", "last": "Shavor", "age": 22}, {"first": "Ken", "last": "Miller", "age": 33}],
    "Group2": [{"first": "Alice", "last": "Murphy", "age": 33}, {"first": "Brian", "last": "Craig", "age": 44}]},
  "flags": {"on": true, "off": false, "none": null}
}`

func TestJSONPathQuery(t *testing.T) {
	doc, err := value.ParseJSON([]byte(p1Doc), true)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ path, want string }{
		{"$.age", "[37]"},
		{"$.name.first", `["Tom"]`},
		{"$['fav.movie']", `["Deer Hunter"]`},
		{`$["fav.movie"]`, `["Deer Hunter"]`},
		{"$.friends[0][last]", `["Murphy"]`},
		{"$.children[-1]", `["Jack"]`},
		{"$.children[0,2]", `["Sara","Jack"]`},
		{"$.children[1:]", `["Alex","Jack"]`},
		{"$.children[:-1]", `["Sara","Alex"]`},
		{"$.children[*]", `["Sara","Alex","Jack"]`},
		{"$.name.*", `["Tom","Anderson"]`},
		{"$.followers.Group1[*].last", `["Shavor","Miller"]`},
		{"$.friends[?(@.age > 45)].first", `["Roger","Jane"]`},
		{"$.friends[? @.age>60].first", `["Roger"]`},
		{`$.friends[?(@.last == "Murphy" && @.age < 45)].first`, `["Dale"]`},
		{`$.friends[?(@.age == 68 || @.first == 'Jane')].first`, `["Roger","Jane"]`},
		{`$.friends[?(!(@.age > 45))].first`, `["Dale"]`},
		{`$.friends[?(@.age > $.age + 0)].first`, `[]`},
		{`$.friends[?(@.age > $.followers.Group1[1].age)].first`, `["Dale","Roger","Jane"]`},
		{`$.followers..age`, `[22,33,33,44]`},
		{`$..Group2[0].first`, `["Alice"]`},
		{`$.flags[?(@)]`, `[true]`},
		{`$.flags[?(@ == null)]`, `[null]`},
		{`$.friends[?(@.nick)]`, `[]`},
		{`$.missing`, `[]`},
		{`$.age.x`, `[]`},
		{`$`, `[` + value.ToJSON(doc) + `]`},
	}
	for _, c := range cases {
		if strings.Contains(c.path, "+ 0") {
			// arithmetic is not part of the filter subset
			if _, err := compileJSONPath(c.path); err == nil {
				t.Errorf("%s: arithmetic must be rejected", c.path)
			}
			continue
		}
		got, err := p1Lit("json_path_query", doc, p1S(c.path))
		p1Check(t, c.path, got, err, c.want)
	}
}

func TestJSONPathFunctions(t *testing.T) {
	p1RunCols(t, []p1Case{
		{"json_path_exists(s, '$.a.b')", []value.Value{p1S(`{"a":{"b":1}}`), p1S("$.a.b")}, "true"},
		{"json_path_exists(s, '$.c')", []value.Value{p1S(`{"a":1}`), p1S("$.c")}, "false"},
		{"json_path_exists(42, '$')", []value.Value{p1I(42), p1S("$")}, "false"},
		{"json_path_exists('not json', '$')", []value.Value{p1S("not json"), p1S("$")}, "false"},
		{"json_path_query(bytes, '$.a')", []value.Value{value.FromBytes([]byte(`{"a":2}`)), p1S("$.a")}, "[2.0]"},
		{"json_path_query(42, '$')", []value.Value{p1I(42), p1S("$")}, "error"},
		{"json_path_query_first(s, '$.a[-1]')", []value.Value{p1S(`{"a":[5,6]}`), p1S("$.a[-1]")}, "6.0"},
		{"json_path_query_first(s, '$.z')", []value.Value{p1S(`{"a":[5,6]}`), p1S("$.z")}, "null"},
		{"json_path_query(s, bad)", []value.Value{p1S(`{}`), p1S("a.b")}, "error"},
	})
	for _, bad := range []string{"a.b", "$.", "$[", "$[?(@.a >)]", "$['x", "$[1,'a']", "$.a b"} {
		if _, err := p1Lit("json_path_query", p1S("{}"), p1S(bad)); err == nil || !strings.Contains(err.Error(), "invalid JSONPath") {
			t.Errorf("path %q: error %v", bad, err)
		}
	}
}

func TestToAndParseJSON(t *testing.T) {
	obj := value.FromObject(map[string]value.Value{"b": value.FromArray([]value.Value{p1I(1), p1F(2.5)}), "a": p1S("x")})
	p1RunCols(t, []p1Case{
		{"to_json(obj)", []value.Value{obj}, `"{\"a\":\"x\",\"b\":[1,2.5]}"`},
		{"to_json(1.0)", []value.Value{p1F(1)}, `"1"`},
		{"to_json(bytes)", []value.Value{value.FromBytes([]byte("hi"))}, `"\"aGk=\""`},
		{"to_json(null)", []value.Value{value.NullValue}, "null"},
		{"parse_json(s)", []value.Value{p1S(`{"size":3,"l":[1,"a",null]}`)}, `{"size":3.0,"l":[1.0,"a",null]}`},
		{"parse_json('null')", []value.Value{p1S("null")}, "null"},
		{"parse_json(bytes)", []value.Value{value.FromBytes([]byte("[true]"))}, "[true]"},
		{"parse_json('{')", []value.Value{p1S("{")}, "error"},
		{"parse_json(1)", []value.Value{p1I(1)}, "error"},
	})
}

func BenchmarkJSONPathQuery(b *testing.B) {
	doc, _ := value.ParseJSON([]byte(p1Doc), false)
	f, _ := p1Registry().Lookup("json_path_query")
	path := p1S("$.friends[?(@.age > 45)].first")
	bound, err := f.Bind([]Arg{{}, {Literal: true, Val: path}})
	if err != nil {
		b.Fatal(err)
	}
	args := []value.Value{doc, path}
	for i := 0; i < b.N; i++ {
		if _, err := bound(p1Env, args); err != nil {
			b.Fatal(err)
		}
	}
}
