package plan_test

import (
	"strings"
	"testing"
	"time"
)

// TestArithmeticByType follows the operator table of sql.md §3.3.
func TestArithmeticByType(t *testing.T) {
	r := mk("i", 7, "j", -7, "f", 7.5, "z", 0, "fz", 0.0)
	cases := []struct {
		expr string
		want any
	}{
		{"i + 1", 8},
		{"i - 10", -3},
		{"i * 3", 21},
		{"i / 2", 3},  // integer division
		{"j / 2", -3}, // truncates toward zero
		{"3 / 6", 0},  // kept for compatibility
		{"j % 3", -1}, // sign of the left side
		{"i % -3", 1}, // sign of the left side
		{"i + 0.5", 7.5},
		{"i / 2.0", 3.5},
		{"3.0 / 6", 0.5},
		{"f % 2", 1.5}, // floating remainder
		{"f * 2", 15.0},
		{"6 & 3", 2},
		{"6 | 3", 7},
		{"6 ^ 3", 5},
		{"true & false", false},
		{"true | false", true},
		{"true ^ true", false},
		{"false ^ true", true},
		{"-i", -7},
		{"+i", 7},
		{"-f", -7.5},
		{"- -i", 7},
		{`"ab" || "cd"`, "abcd"},
		{"2 + 3 * 4", 14},
		{"(2 + 3) * 4", 20},
		{"6 & 3 + 1", 3}, // & binds like *, (6&3)+1
	}
	for _, c := range cases {
		wantValue(t, c.expr, r, c.want)
	}
}

// TestArithmeticErrors checks the runtime errors of §3.3: incompatible
// operands, division by zero.
func TestArithmeticErrors(t *testing.T) {
	r := mk("i", 7, "z", 0, "fz", 0.0, "s", "a", "b", true)
	wantEvalError(t, "i / z", r, "divided by zero")
	wantEvalError(t, "i % z", r, "divided by zero")
	wantEvalError(t, "i / fz", r, "divided by zero")
	wantEvalError(t, "1.5 % fz", r, "divided by zero")
	wantEvalError(t, "i + s", r, "invalid operation bigint(7) + string(a)")
	wantEvalError(t, "s * 2", r, "invalid operation string(a) * bigint(2)")
	wantEvalError(t, "b + 1", r, "invalid operation boolean(true) + bigint(1)")
	wantEvalError(t, "s || 1", r, "invalid operation")
	wantEvalError(t, "-s", r, "invalid operation")
	wantEvalError(t, "NOT i", r, "invalid operation")
	wantEvalError(t, "i AND true", r, "invalid operation")
	wantEvalError(t, "false OR s", r, "invalid operation")
}

// TestRuntimeErrorPosition: runtime errors carry the line:col of the failing
// expression (sql.md §7.4).
func TestRuntimeErrorPosition(t *testing.T) {
	res := run(t, "SELECT a,\n  a / b AS q FROM demo", mk("a", 1, "b", 0))
	if res.err == nil {
		t.Fatal("want divided by zero")
	}
	if got := res.err.Error(); got != "2:3: divided by zero" {
		t.Errorf("error = %q, want %q", got, "2:3: divided by zero")
	}
}

// TestIntegerRange: arithmetic on integers is exact; results above MaxInt64
// become unsigned, anything else out of range is "integer overflow" (§3.3).
func TestIntegerRange(t *testing.T) {
	max := int64(9223372036854775807)
	r := mk("max", max, "min", int64(-9223372036854775808), "umax", uint64(18446744073709551615), "one", 1)
	cases := []struct {
		expr string
		want any
	}{
		{"max + 1", uint64(9223372036854775808)},
		{"max + one", uint64(9223372036854775808)},
		{"max * 2", uint64(18446744073709551614)},
		{"umax - 1", uint64(18446744073709551614)},
		{"umax - max", uint64(9223372036854775808)},
		{"umax - max - 1", max},
		{"-min", uint64(9223372036854775808)}, // non-negative, fits uint64
		{"min / -1", uint64(9223372036854775808)},
		{"min * -1", uint64(9223372036854775808)},
		{"min + 1", int64(-9223372036854775807)},
		{"-9223372036854775808", int64(-9223372036854775808)},
		{"umax / 5", uint64(3689348814741910323)},
		{"umax > -1", true},
		{"umax > max", true},
		{"max < umax", true},
		{"umax = 18446744073709551615", true},
		{"umax = 1.8446744073709552e19", false}, // 2^64-1 vs 2^64: mathematical values
		{"umax < 1.8446744073709552e19", true},
		{"max - min", uint64(18446744073709551615)},
	}
	for _, c := range cases {
		wantValue(t, c.expr, r, c.want)
	}
	for _, e := range []string{"min - 1", "min - one", "umax + 1", "max * 3", "0 - umax", "-umax", "umax * 2", "umax + umax", "max - min - min"} {
		wantEvalError(t, e, r, "integer overflow")
	}
	// Folded constants keep the overflow as a runtime error too.
	wantEvalError(t, "9223372036854775807 * 3", r, "integer overflow")
}

// TestComparisonsByType covers comparisons of §3.3.
func TestComparisonsByType(t *testing.T) {
	dt := time.UnixMilli(5000).UTC()
	r := mk("i", 3, "f", 3.0, "s", "b", "dt", dt, "t", true, "dts", "1970-01-01T00:00:05Z")
	cases := []struct {
		expr string
		want bool
	}{
		{"i = f", true},
		{"i != f", false},
		{"i <> 4", true},
		{"i < 3.5", true},
		{"i >= 3", true},
		{`s > "a"`, true},
		{`"B" < "a"`, true}, // byte order
		{`s = "b"`, true},
		{"dt > 1000", true},
		{"1000 < dt", true}, // number on the left: Oort improvement
		{"dt = 5000", true},
		{"5000.0 = dt", true},
		{"dt = dts", true}, // string parsed as datetime
		{"t = true", true},
		{"t != false", true},
	}
	for _, c := range cases {
		wantValue(t, c.expr, r, c.want)
	}
	wantEvalError(t, `i > "a"`, r, "")
	wantEvalError(t, "t > i", r, "")
}

// TestIncomparableMessage: an incompatible pair is reported as
// "invalid operation <left type>(<value>) <op> <right type>(<value>)" (§3.3),
// comparisons included.
func TestIncomparableMessage(t *testing.T) {
	r := mk("i", 3, "s", "a")
	wantEvalError(t, "s > i", r, "invalid operation string(a) > bigint(3)")
}

// TestBooleanOrderingRejected: booleans support `AND OR = != & | ^` only
// (§3.3); ordering comparisons between booleans are an error.
func TestBooleanOrderingRejected(t *testing.T) {
	r := mk("t", true, "f", false)
	wantEvalError(t, "t > f", r, "invalid operation")
}

// TestConcatOperator: || needs two strings and is NULL when either is NULL
// (§6.8), unlike concat().
func TestConcatOperator(t *testing.T) {
	r := mk("a", "x", "n", nil, "i", 1)
	wantValue(t, `a || "y" || a`, r, "xyx")
	wantValue(t, "a || n", r, nil)
	wantValue(t, "concat(a, n)", r, "x")
	wantEvalError(t, "a || i", r, "invalid operation string(x) || bigint(1)")
}

// TestInOperator covers lists, array operands, = semantics and NULL
// elements (§6.5).
func TestInOperator(t *testing.T) {
	r := mk("x", 2, "f", 2.0, "s", "b", "arr", []any{1, 2.0, nil}, "strs", []any{"a", "b"},
		"objs", []any{map[string]any{"k": 1}}, "o", map[string]any{"k": 1}, "y", 3)
	cases := []struct {
		expr string
		want bool
	}{
		{"x IN (1, 2)", true},
		{"x IN (1.0, 2.0)", true}, // = semantics: 2 matches 2.0
		{"f IN (2)", true},
		{"x NOT IN (1, 2)", false},
		{"x IN (y - 1)", true},
		{"x IN (y, 4)", false},
		{`s IN ("a", 1, "b")`, true}, // mixed kinds: no error
		{"x IN arr", true},
		{"y IN arr", false},
		{"y NOT IN arr", true},       // NULL element never matches
		{"x NOT IN arr", false},      //
		{`s IN strs`, true},          //
		{`"c" NOT IN strs`, true},    //
		{"o IN objs", true},          // structs compare by content
		{"x IN (1, NULL)", false},    //
		{"x NOT IN (1, NULL)", true}, // kept for compatibility
		{"(x > 1) IN (true)", true},  //
	}
	for _, c := range cases {
		wantValue(t, c.expr, r, c.want)
		if got := passes(t, c.expr, r); got != c.want {
			t.Errorf("WHERE %s accepted=%v, want %v", c.expr, got, c.want)
		}
	}
}

// TestBetweenOperator: inclusive bounds, NOT, and the incomparable error (§6.6).
func TestBetweenOperator(t *testing.T) {
	r := mk("x", 5, "f", 5.5, "s", "m", "lo", 1)
	cases := []struct {
		expr string
		want bool
	}{
		{"x BETWEEN 1 AND 5", true},
		{"x BETWEEN 5 AND 9", true},
		{"x BETWEEN 6 AND 9", false},
		{"x NOT BETWEEN 6 AND 9", true},
		{"x NOT BETWEEN 1 AND 5", false},
		{"f BETWEEN 5 AND 6", true},
		{"x BETWEEN lo AND (lo + 4)", true},
		{`s BETWEEN "a" AND "z"`, true},
		{"x BETWEEN 9 AND 1", false},
	}
	for _, c := range cases {
		wantValue(t, c.expr, r, c.want)
	}
	wantEvalError(t, `x BETWEEN "a" AND "z"`, r, "between operator cannot compare")
}

// TestLikeOperator covers wildcards, the Oort escaping rules, regexp
// metacharacters, case sensitivity and dynamic patterns (§6.7).
func TestLikeOperator(t *testing.T) {
	r := mk("pat", `100\%`, "dot", "%.com")
	cases := []struct {
		s, pattern string // pattern as a SQL literal body (Go escapes apply)
		want       bool
	}{
		{"abc", "a%", true},
		{"abc", "%c", true},
		{"abc", "%b%", true},
		{"abc", "a_c", true},
		{"abc", "a_", false}, // the whole string must match
		{"abc", "%", true},
		{"", "%", true},
		{"", "_", false},
		{"ABC", "abc", false}, // case-sensitive
		{"xcom", "%.com", false},
		{"x.com", "%.com", true},
		{"a+b", "a+b", true},
		{"aab", "a+b", false},
		{"(x)", "(x)", true},
		{"[ab]", "[ab]", true},
		{"a", "[ab]", false},
		{"a?", "a?", true},
		{"ab", "a?", false},
		{"^$", "^$", true},
		{"100%", `100\\%`, true}, // \% is a literal percent
		{"1000", `100\\%`, false},
		{"a_b", `a\\_b`, true}, // \_ is a literal underscore
		{"axb", `a\\_b`, false},
		{`a\b`, `a\\\\b`, true}, // \\ is a literal backslash
		{"é", "_", true},        // _ is one character, not one byte
		{"日本", "__", true},
		{"a\nb", "a%b", true}, // % spans line breaks
		{"a\nb", "a_b", true},
	}
	for _, c := range cases {
		r.Cols = append(r.Cols[:2], mk("s", c.s).Cols...)
		expr := `s LIKE "` + c.pattern + `"`
		wantValue(t, expr, r, c.want)
		wantValue(t, `s NOT LIKE "`+c.pattern+`"`, r, !c.want)
	}
	r = mk("s", "100%", "pat", `100\%`, "dot", "%.com", "n", nil, "i", 1)
	wantValue(t, "s LIKE pat", r, true)
	wantValue(t, `"xcom" LIKE dot`, r, false)
	wantValue(t, "s LIKE n", r, false) // UNKNOWN as a value
	if passes(t, "s LIKE n", r) || passes(t, "s NOT LIKE n", r) {
		t.Error("LIKE with a NULL pattern must be UNKNOWN in a condition")
	}
	wantValue(t, "n LIKE pat", r, false)
	wantEvalError(t, "i LIKE pat", r, "LIKE operator left operand expects string, but found 1")
	wantEvalError(t, "s LIKE i", r, "LIKE operator right operand expects string")
}

// TestCaseExpression covers simple and searched CASE (§6.4).
func TestCaseExpression(t *testing.T) {
	r := mk("a", 2, "f", 1.0, "n", nil, "s", "x")
	cases := []struct {
		expr string
		want any
	}{
		{`CASE a WHEN 1 THEN "one" WHEN 2 THEN "two" ELSE "many" END`, "two"},
		{`CASE a WHEN 5 THEN "five" ELSE "many" END`, "many"},
		{`CASE a WHEN 5 THEN "five" END`, nil},
		{`CASE f WHEN 1 THEN "one" END`, "one"}, // = semantics
		{`CASE n WHEN NULL THEN "null" ELSE "else" END`, "else"},
		{`CASE a WHEN n THEN "null" ELSE "else" END`, "else"},
		{`CASE WHEN a > 1 THEN "big" ELSE "small" END`, "big"},
		{`CASE WHEN a > 5 THEN "big" WHEN a > 1 THEN "mid" ELSE "small" END`, "mid"},
		{`CASE WHEN a > 1 THEN "first" WHEN a > 0 THEN "second" END`, "first"},
		{`CASE WHEN n THEN 1 ELSE 0 END`, 0},
		{`CASE WHEN s = "x" THEN a * 10 END`, 20},
	}
	for _, c := range cases {
		wantValue(t, c.expr, r, c.want)
	}
}

// TestCaseErrors: a constant non-boolean WHEN is rejected at compile time
// with its position; an error inside a WHEN is a runtime error
// "evaluate case expression error: ..." (§6.4).
func TestCaseErrors(t *testing.T) {
	got := compileErr(`SELECT CASE WHEN 1 THEN "a" END AS v FROM demo`)
	want := "1:18: invalid CASE expression, WHEN expression must be a bool condition"
	if got != want {
		t.Errorf("compile error = %q, want %q", got, want)
	}
	if got := compileErr(`SELECT CASE WHEN "s" THEN "a" WHEN true THEN "b" END AS v FROM demo`); !strings.Contains(got, "WHEN expression must be a bool condition") {
		t.Errorf("string WHEN: error = %q", got)
	}
	if got := compileErr(`SELECT CASE WHEN NULL THEN "a" END AS v FROM demo`); got != "" {
		t.Errorf("NULL WHEN must compile (branch never taken), got %q", got)
	}
	r := mk("a", 1, "z", 0)
	wantEvalError(t, `CASE WHEN a / z > 1 THEN 1 ELSE 2 END`, r, "evaluate case expression error: ")
	wantEvalError(t, `CASE WHEN a / z > 1 THEN 1 ELSE 2 END`, r, "divided by zero")
	// An error in the selected result is reported as is.
	wantEvalError(t, `CASE WHEN a = 1 THEN a / z END`, r, "divided by zero")
}

// TestNestedAccessIndexSlice covers §6.2 and §6.3.
func TestNestedAccessIndexSlice(t *testing.T) {
	r := mk("o", map[string]any{"a": map[string]any{"b": 5}, "arr": []any{1, 2}},
		"arr", []any{10, 20, 30, 40}, "i", 1, "s", "text", "n", nil, "objs", []any{map[string]any{"f": 1}})
	cases := []struct {
		expr string
		want any
	}{
		{"o->a->b", 5},
		{"o.a.b", 5},
		{"o->a.b", 5},
		{"o->missing", nil},
		{"o->missing->b", nil},
		{"n->a", nil},
		{"o->arr[1]", 2},
		{"arr[0]", 10},
		{"arr[-1]", 40},
		{"arr[i + 1]", 30},
		{"arr[n]", nil},
		{"n[0]", nil},
		{"objs[0]->f", 1},
		{"arr[1:3]", []any{20, 30}},
		{"arr[:2]", []any{10, 20}},
		{"arr[2:]", []any{30, 40}},
		{"arr[-2:]", []any{30, 40}},
		{"arr[:]", []any{10, 20, 30, 40}},
		{"arr[]", []any{10, 20, 30, 40}},
		{"arr[i:i + 1]", []any{20}},
		{"arr[1:1]", []any{}},
		{"n[1:2]", nil},
	}
	for _, c := range cases {
		wantValue(t, c.expr, r, c.want)
	}
	wantEvalError(t, "arr[4]", r, "index out of range")
	wantEvalError(t, "arr[-5]", r, "index out of range")
	wantEvalError(t, "s[0]", r, "index is only supported on arrays")
	wantEvalError(t, "s[0:1]", r, "slice is only supported on arrays")
	wantEvalError(t, "arr[1.5]", r, "array index must be an integer")
	wantEvalError(t, "s->a", r, "is not a type of map[string]interface{}")
	wantEvalError(t, "arr->f", r, "is not a type of map[string]interface{}")
}
