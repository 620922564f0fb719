package fn

// JSON functions of sql.md §12.6 and the JSONPath subset they accept:
// $, .key, ['key'] / ["key"] / [key], [n] (negative from the end), [a:b],
// [*], .*, .., unions of keys or indexes ([0,2]) and filters [?(...)] or
// [? ...] with == != < <= > >= && || ! and parentheses over @ / $ paths and
// literals. Struct members are visited in key order, so results are stable.

import (
	"fmt"

	"github.com/oort-rules/oort/rules/value"
)

func jsonFuncs() []*Func {
	return []*Func{
		{
			Name: "to_json", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(x)", Returns: "string",
			Doc: "JSON text of x (struct keys sorted)",
			Eval: func(_ *Env, args []value.Value) (value.Value, error) {
				return value.FromString(value.ToJSON(args[0])), nil
			},
			Examples: []Example{{`to_json(parse_json('{"b":[1,2],"a":"x"}'))`, `"{\"a\":\"x\",\"b\":[1,2]}"`}, {`to_json("a")`, `"\"a\""`}},
		},
		{
			Name: "parse_json", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(s)", Returns: "any",
			Doc: "value of a JSON text: object → struct, array → array, every number → float", Validate: literalKinds(litString),
			Eval:     parseJSONImpl,
			Examples: []Example{{`parse_json('{"a":1,"b":[true,null]}')`, `{"a":1.0,"b":[true,null]}`}, {`parse_json("{")`, "error"}},
		},
		jsonPathFunc("json_path_exists", "boolean", "whether the JSONPath selects anything in x (a struct, an array or a JSON string)",
			func(m []value.Value) value.Value { return value.FromBool(len(m) > 0) },
			Example{`json_path_exists('{"a":{"b":1}}', "$.a.b")`, "true"}, Example{`json_path_exists('{"a":1}', "$.c")`, "false"}),
		jsonPathFunc("json_path_query", "array", "every value the JSONPath selects in x, as an array",
			func(m []value.Value) value.Value { return value.FromArray(m) },
			Example{`json_path_query('{"a":[{"b":1},{"b":2}]}', "$.a[*].b")`, "[1.0,2.0]"},
			Example{`json_path_query('[{"age":20,"n":"x"},{"age":40,"n":"y"}]', "$[?(@.age > 30)].n")`, `["y"]`}),
		jsonPathFunc("json_path_query_first", "any", "the first value the JSONPath selects in x; NULL when none",
			func(m []value.Value) value.Value {
				if len(m) == 0 {
					return value.NullValue
				}
				return m[0]
			},
			Example{`json_path_query_first('{"a":[5,6]}', "$.a[-1]")`, "6.0"}),
	}
}

func parseJSONImpl(_ *Env, args []value.Value) (value.Value, error) {
	var data []byte
	switch v := args[0]; v.Kind() {
	case value.String:
		data = []byte(v.Str())
	case value.Bytes:
		data = v.Bytes()
	default:
		return value.NullValue, fmt.Errorf("parse_json: expect string type for parameter 1, found %s", value.TypeName(v))
	}
	v, err := value.ParseJSON(data, false)
	if err != nil {
		return value.NullValue, fmt.Errorf("parse_json: %w", err)
	}
	return v, nil
}

// jsonDoc reads the document argument: a struct or array as is, a JSON
// string or bytea parsed.
func jsonDoc(name string, v value.Value) (value.Value, error) {
	switch v.Kind() {
	case value.Object, value.Array:
		return v, nil
	case value.String:
		return value.ParseJSON([]byte(v.Str()), false)
	case value.Bytes:
		return value.ParseJSON(v.Bytes(), false)
	}
	return value.NullValue, fmt.Errorf("%s: expect struct, array or JSON string for parameter 1, found %s", name, value.TypeName(v))
}

func jsonPathFunc(name, ret, doc string, result func([]value.Value) value.Value, ex ...Example) *Func {
	run := func(p jsonPath, doc value.Value) (value.Value, error) {
		d, err := jsonDoc(name, doc)
		if err != nil {
			if name == "json_path_exists" {
				return value.False, nil // eKuiper: nothing to select in
			}
			return value.NullValue, err
		}
		return result(p.eval(d)), nil
	}
	return &Func{
		Name: name, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: "(x, path)", Returns: ret, Doc: doc, Examples: ex,
		Validate: allOf(literalKinds(litAny, litString), checkLiteral(1, func(s string) error {
			_, err := compileJSONPath(s)
			return err
		})),
		Bind: func(args []Arg) (Impl, error) {
			s, ok := literalString(args, 1)
			if !ok {
				return nil, nil
			}
			p, err := compileJSONPath(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return func(_ *Env, a []value.Value) (value.Value, error) { return run(p, a[0]) }, nil
		},
		Eval: func(_ *Env, args []value.Value) (value.Value, error) {
			p, err := compileJSONPath(value.Text(args[1]))
			if err != nil {
				return value.NullValue, fmt.Errorf("%s: %w", name, err)
			}
			return run(p, args[0])
		},
	}
}
