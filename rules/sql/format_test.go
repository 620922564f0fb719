package sql

import "testing"

// TestFormatBuiltTrees prints trees built in code (no source text), the way
// a binder or rewriter would produce them.
func TestFormatBuiltTrees(t *testing.T) {
	a, b, c := &Ident{Name: "a"}, &Ident{Name: "b"}, &Ident{Name: "c"}
	cases := []struct {
		n    Node
		want string
	}{
		{nil, ""},
		{&IntLit{Val: -7}, "-7"},
		{&IntLit{Uval: 1 << 63, Unsigned: true}, "9223372036854775808"},
		{&FloatLit{Val: 2}, "2.0"},
		{&FloatLit{Val: 1e21}, "1e+21"},
		{&StringLit{Val: "a\"b\n", Single: true}, `"a\"b\n"`},
		{&Binary{Op: "*", L: &Binary{Op: "+", L: a, R: b}, R: c}, "(a + b) * c"},
		{&Binary{Op: "-", L: a, R: &Binary{Op: "-", L: b, R: c}}, "a - (b - c)"},
		{&Binary{Op: "-", L: &Binary{Op: "-", L: a, R: b}, R: c}, "a - b - c"},
		{&Binary{Op: "AND", L: &Binary{Op: "OR", L: a, R: b}, R: c}, "(a OR b) AND c"},
		{&Binary{Op: "=", L: a, R: &IsNull{X: b}}, "a = (b IS NULL)"},
		{&Unary{Op: "-", X: &IntLit{Val: 5, Text: "5"}}, "-(5)"},
		{&Unary{Op: "-", X: &Unary{Op: "-", X: a}}, "-(-a)"},
		{&Unary{Op: "-", X: &Binary{Op: "+", L: a, R: b}}, "-(a + b)"},
		{&Unary{Op: "NOT", X: &Binary{Op: "AND", L: a, R: b}}, "NOT (a AND b)"},
		{&Unary{Op: "NOT", X: &Binary{Op: "=", L: a, R: b}}, "NOT a = b"},
		{&Access{X: &IntLit{Val: 3}, Key: "x"}, "3 .x"},
		{&Access{X: &Binary{Op: "+", L: a, R: b}, Key: "from", Arrow: true}, "(a + b)->`from`"},
		{&Index{X: a, Index: &IntLit{Val: 0}}, "a[0]"},
		{&Slice{X: a}, "a[:]"},
		{&Between{X: a, Lo: &Binary{Op: "AND", L: b, R: c}, Hi: c}, "a BETWEEN (b AND c) AND c"},
		{&In{X: a, List: []Expr{}}, "a IN ()"},
		{&In{X: a, Set: b, Not: true}, "a NOT IN b"},
		{&Ident{Name: "null"}, "`null`"},
		{&Ident{Name: "Select"}, "`Select`"},
		{&Ident{Name: "is"}, "is"},
		{&Call{Name: "left", Args: []Expr{&Star{}}}, "`left`(*)"},
		{&Select{Fields: []Field{{Star: &StarField{}}}, From: Source{Name: "a b"}}, "SELECT * FROM `a b`"},
		{&Type{Name: "array", Elem: &Type{Name: "struct", Fields: []ColumnDef{{Name: "x", Type: &Type{Name: "float"}}}}}, "ARRAY(STRUCT(x FLOAT))"},
		{Option{Key: "SHARED", Value: "true", Bool: true}, "SHARED=TRUE"},
		{&Show{Tables: true}, "SHOW TABLES"},
	}
	for _, c := range cases {
		if got := Format(c.n); got != c.want {
			t.Errorf("Format(%#v) = %s, want %s", c.n, got, c.want)
		}
	}
}

func TestQuoteSourceName(t *testing.T) {
	for name, want := range map[string]string{
		"demo":                   "demo",
		"topic/sensor1":          "topic/sensor1",
		"a/+/#":                  "a/+/#",
		"1/2":                    "1/2",
		"my-stream":              "`my-stream`",
		"from":                   "`from`",
		"a/select":               "`a/select`",
		"events/Random-Device/#": "`events/Random-Device/#`",
	} {
		if got := QuoteSourceName(name); got != want {
			t.Errorf("QuoteSourceName(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestTypeString(t *testing.T) {
	st, err := ParseStatement("CREATE STREAM s (a ARRAY(STRING), b STRUCT(x FLOAT, y ARRAY(BIGINT)), c BYTEA) WITH ()")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"array(string)", "struct(x float, y array(bigint))", "bytea"}
	for i, col := range st.(*Create).Columns {
		if got := col.Type.String(); got != want[i] {
			t.Errorf("column %s type %q, want %q", col.Name, got, want[i])
		}
	}
}
