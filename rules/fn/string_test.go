package fn

import (
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/value"
)

// TestStringConformanceRows replays fn_string_case_pad_trim and
// fn_string_search_split with column arguments.
func TestStringConformanceRows(t *testing.T) {
	a, s, r := p1S("NYCNicks"), p1S(" \ttrimme\n "), p1S("abc")
	cn, b, c, m := p1S("中国"), p1S("ya"), p1S("myc"), p1S("mya")
	sea, re := p1S("seafood"), p1S("-ab-axxb-")
	p, q := p1S("/test/device001/message"), p1S("test/device001/message")
	p1RunCols(t, []p1Case{
		{"lower(a)", []value.Value{a}, `"nycnicks"`},
		{"upper(a)", []value.Value{a}, `"NYCNICKS"`},
		{"lpad(a, 2)", []value.Value{a, p1I(2)}, `"  NYCNicks"`},
		{"rpad(a, 3)", []value.Value{a, p1I(3)}, `"NYCNicks   "`},
		{"trim(s)", []value.Value{s}, `"trimme"`},
		{"ltrim(s)", []value.Value{s}, `"trimme\n "`},
		{"rtrim(s)", []value.Value{s}, `" \ttrimme"`},
		{"reverse(r)", []value.Value{r}, `"cba"`},
		{"indexof(m, 'a')", []value.Value{m, p1S("a")}, "2"},
		{"length(cn)", []value.Value{cn}, "2"},
		{"numbytes(cn)", []value.Value{cn}, "6"},
		{"numbytes(b)", []value.Value{b}, "2"},
		{"substring(a, 3)", []value.Value{a, p1I(3)}, `"Nicks"`},
		{"substring(a, 3, 5)", []value.Value{a, p1I(3), p1I(5)}, `"Ni"`},
		{"substring(a, 88, 100)", []value.Value{a, p1I(88), p1I(100)}, `""`},
		{"endswith(m, b)", []value.Value{m, b}, "true"},
		{"regexp_matches(sea, 'foo.*')", []value.Value{sea, p1S("foo.*")}, "true"},
		{"regexp_replace(re, 'a(x*)b', 'REP')", []value.Value{re, p1S("a(x*)b"), p1S("REP")}, `"-REP-REP-"`},
		{"regexp_substr(sea, 'foo.*')", []value.Value{sea, p1S("foo.*")}, `"food"`},
		{"split_value(q, '/', 1)", []value.Value{q, p1S("/"), p1I(1)}, `"device001"`},
		{"split_value(p, '/', 0)", []value.Value{p, p1S("/"), p1I(0)}, `""`},
		{"split_value(p, '/', 3)", []value.Value{p, p1S("/"), p1I(3)}, `"message"`},
		{"concat(m, b, c)", []value.Value{m, b, c}, `"myayamyc"`},
	})
}

// TestStringMissingArgument replays the part-1 columns of
// fn_missing_arguments: d is absent (NULL).
func TestStringMissingArgument(t *testing.T) {
	d := value.NullValue
	p1RunCols(t, []p1Case{
		{"concat(a, d, b, c)", []value.Value{p1S("mya"), d, p1S("myb"), p1S("myc")}, `"myamybmyc"`},
		{"length(d)", []value.Value{d}, "0"},
		{"indexof(d, 'a')", []value.Value{d, p1S("a")}, "-1"},
		{"lower(d)", []value.Value{d}, "null"},
		{"endswith(d, c)", []value.Value{d, p1S("myc")}, "false"},
		{"startswith(c, d)", []value.Value{p1S("myc"), d}, "false"},
		{"regexp_matches(d, 'foo.*')", []value.Value{d, p1S("foo.*")}, "false"},
		{"substring(d, 3, 100)", []value.Value{d, p1I(3), p1I(100)}, "null"},
		{"split_value(d, '/', 2)", []value.Value{d, p1S("/"), p1I(2)}, "null"},
		{"md5(d)", []value.Value{d}, "null"},
		{"numbytes(d)", []value.Value{d}, "0"},
		{"regexp_replace(d, 'a', 'b')", []value.Value{d, p1S("a"), p1S("b")}, "null"},
	})
}

func TestFormat(t *testing.T) {
	p1RunCols(t, []p1Case{
		{"format(n, 4)", []value.Value{p1F(12332.123456), p1I(4)}, `"12332.1235"`},
		{"format(n2, 0)", []value.Value{p1F(12332.2), p1I(0)}, `"12332"`},
		{"format(n2, 2, 'en_US')", []value.Value{p1F(12332.2), p1I(2), p1S("en_US")}, `"12,332.20"`},
		{"format(n2, 2, 'de_DE')", []value.Value{p1F(12332.2), p1I(2), p1S("de_DE")}, `"12.332,20"`},
		{"format(12332.1234567, 4, 'en_US')", []value.Value{p1F(12332.1234567), p1I(4), p1S("en_US")}, `"12,332.1235"`},
		{"format(-1234567, 1, 'en_US')", []value.Value{p1I(-1234567), p1I(1), p1S("en_US")}, `"-1,234,567.0"`},
		{"format('12.5', 0)", []value.Value{p1S("12.5"), p1I(0)}, `"12"`},
		{"format(1.5, -2)", []value.Value{p1F(1.5), p1I(-2)}, `"2"`},
		{"format('x', 2)", []value.Value{p1S("x"), p1I(2)}, "error"},
		{"format(1, 2, 'zz_ZZ_bad!')", []value.Value{p1I(1), p1I(2), p1S("zz_ZZ_bad!")}, "error"},
	})
	if _, err := p1Lit("format", p1F(1), p1I(2), p1S("not a locale!")); err == nil || !strings.Contains(err.Error(), "unsupported locale") {
		t.Errorf("literal bad locale: %v", err)
	}
}

func TestStringEdges(t *testing.T) {
	p1RunCols(t, []p1Case{
		{"concat(1, true, 1.5)", []value.Value{p1I(1), value.True, p1F(1.5)}, `"1true1.5"`},
		{"concat(arr)", []value.Value{value.FromArray([]value.Value{p1I(1)})}, `"[1]"`},
		{"upper(12)", []value.Value{p1I(12)}, `"12"`},
		{"length(arr)", []value.Value{value.FromArray([]value.Value{p1I(1), p1I(2)})}, "2"},
		{"length(obj)", []value.Value{value.FromObject(map[string]value.Value{"a": p1I(1)})}, "1"},
		{"length(123)", []value.Value{p1I(123)}, "3"},
		{"length(bytes)", []value.Value{value.FromBytes([]byte{1, 2, 3, 4})}, "4"},
		{"lpad(a, -1)", []value.Value{p1S("a"), p1I(-1)}, "error"},
		{"rpad(a, huge)", []value.Value{p1S("a"), p1I(1 << 40)}, "error"},
		{"lpad(a, 1.0)", []value.Value{p1S("a"), p1F(1)}, `" a"`},
		{"substring(s, -1)", []value.Value{p1S("abc"), p1I(-1)}, "error"},
		{"substring(s, 2, 1)", []value.Value{p1S("abc"), p1I(2), p1I(1)}, "error"},
		{"substring(s, 1, 100)", []value.Value{p1S("abc"), p1I(1), p1I(100)}, `"bc"`},
		{"substring(s, 3)", []value.Value{p1S("abc"), p1I(3)}, `""`},
		{"split_value(s, '/', -1)", []value.Value{p1S("a/b"), p1S("/"), p1I(-1)}, "error"},
		{"split_value(s, '/', 2)", []value.Value{p1S("a/b"), p1S("/"), p1I(2)}, "error"},
		{"reverse('héllo')", []value.Value{p1S("héllo")}, `"olléh"`},
		{"regexp_matches(s, '(')", []value.Value{p1S("a"), p1S("(")}, "error"},
		{"regexp_substr(s, 'x')", []value.Value{p1S("abc"), p1S("x")}, `""`},
		{"regexp_replace(s, '(b)', '[$1]')", []value.Value{p1S("abc"), p1S("(b)"), p1S("[$1]")}, `"a[b]c"`},
		{"indexof(s, '')", []value.Value{p1S("abc"), p1S("")}, "0"},
	})
}

func TestStringValidation(t *testing.T) {
	for _, c := range []struct {
		name string
		args []value.Value
		msg  string
	}{
		{"concat", []value.Value{p1S("a"), p1I(1)}, "expect string type for parameter 2, found bigint"},
		{"concat", []value.Value{value.True}, "expect string type for parameter 1, found boolean"},
		{"lower", []value.Value{p1F(1.5)}, "expect string type for parameter 1"},
		{"lpad", []value.Value{p1S("a"), p1S("2")}, "expect bigint type for parameter 2"},
		{"regexp_matches", []value.Value{p1S("a"), p1S("(")}, "invalid regular expression"},
		{"substring", []value.Value{p1S("a"), p1I(-1)}, "start index must not be negative"},
		{"substring", []value.Value{p1S("a"), p1I(3), p1I(2)}, "end index 2 must not be below the start index 3"},
		{"split_value", []value.Value{p1S("a"), p1S("/"), p1I(-2)}, "index must not be negative"},
		{"concat", nil, "expect at least 1 arguments but found 0"},
	} {
		_, err := p1Lit(c.name, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "validate function "+c.name+" error: ") {
			t.Errorf("%s: error %v, want %q", c.name, err, c.msg)
		}
	}
}

// TestRegexBind checks that a literal pattern is compiled once at bind time
// and a column pattern per row.
func TestRegexBind(t *testing.T) {
	f, _ := p1Registry().Lookup("regexp_matches")
	impl, err := f.Bind([]Arg{{Name: "s"}, {Literal: true, Val: p1S("^a+$")}})
	if err != nil || impl == nil {
		t.Fatalf("Bind with a literal pattern: %v, %v", impl, err)
	}
	for in, want := range map[string]bool{"aaa": true, "ab": false} {
		if v, err := impl(p1Env, []value.Value{p1S(in), p1S("^a+$")}); err != nil || v.Bool() != want {
			t.Errorf("bound regexp_matches(%q) = %v, %v", in, value.ToJSON(v), err)
		}
	}
	if v, _ := impl(p1Env, []value.Value{value.NullValue, p1S("^a+$")}); v != value.False {
		t.Errorf("bound regexp_matches(NULL) = %s, want false", value.ToJSON(v))
	}
	if impl, err := f.Bind([]Arg{{Name: "s"}, {Name: "pattern"}}); impl != nil || err != nil {
		t.Errorf("Bind with a column pattern must defer to Eval, got %v, %v", impl, err)
	}
}

func BenchmarkRegexpMatches(b *testing.B) {
	f, _ := p1Registry().Lookup("regexp_matches")
	args := []value.Value{p1S("sensor-0042-temperature"), p1S(`^sensor-\d+-temp`)}
	bound, _ := f.Bind([]Arg{{}, {Literal: true, Val: args[1]}})
	b.Run("bound", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = bound(p1Env, args)
		}
	})
	b.Run("per_row", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = f.Eval(p1Env, args)
		}
	})
}
