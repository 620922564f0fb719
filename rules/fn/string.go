package fn

// String functions of sql.md §12.3. Like eKuiper, non-string arguments are
// read through their canonical text (value.Text), so upper(12) is "12".

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/oort-rules/oort/rules/value"
)

// litKind is what a literal argument may be, checked at rule creation.
type litKind uint8

const (
	litAny litKind = iota
	litNumber
	litInteger
	litString
)

var litKindNames = [...]string{"any", "number", "bigint", "string"}

// literalKinds validates literal arguments: argument i must be of kinds[i];
// the last kind applies to any further (variadic) arguments. Column
// arguments and NULL literals are checked at run time.
func literalKinds(kinds ...litKind) func([]Arg) error {
	return func(args []Arg) error {
		for i, a := range args {
			k := kinds[min(i, len(kinds)-1)]
			if !a.Literal || a.Val.IsNull() || k == litAny {
				continue
			}
			ok := false
			switch k {
			case litNumber:
				ok = a.Val.IsNumber()
			case litInteger:
				ok = a.Val.Kind() == value.Int || a.Val.Kind() == value.Uint
			case litString:
				ok = a.Val.Kind() == value.String || a.Val.Kind() == value.Bytes
			}
			if !ok {
				return fmt.Errorf("expect %s type for parameter %d, found %s", litKindNames[k], i+1, value.TypeName(a.Val))
			}
		}
		return nil
	}
}

// allOf chains validators.
func allOf(vs ...func([]Arg) error) func([]Arg) error {
	return func(args []Arg) error {
		for _, v := range vs {
			if err := v(args); err != nil {
				return err
			}
		}
		return nil
	}
}

// maxPad bounds lpad/rpad so a bad column value cannot exhaust memory.
const maxPad = 1 << 20

func strFunc(name, args, ret, doc string, min, max int, eval Impl, ex ...Example) *Func {
	return &Func{
		Name: name, Kind: Scalar, MinArgs: min, MaxArgs: max, Args: args, Returns: ret, Doc: doc,
		Examples: ex, Validate: literalKinds(litString), Eval: eval,
	}
}

// textFunc builds a string → string function.
func textFunc(name, doc string, f func(string) string, ex ...Example) *Func {
	return strFunc(name, "(s)", "string", doc, 1, 1, func(_ *Env, args []value.Value) (value.Value, error) {
		return value.FromString(f(value.Text(args[0]))), nil
	}, ex...)
}

func stringFuncs() []*Func {
	return []*Func{
		{
			Name: "concat", Kind: Scalar, MinArgs: 1, MaxArgs: -1, Args: "(s1, ...)", Returns: "string",
			Doc:      "concatenation of the text of the arguments; NULL counts as an empty string",
			Validate: literalKinds(litString), NullSafe: true, Eval: concatImpl,
			Examples: []Example{{`concat("a", "b", "c")`, `"abc"`}, {`concat("a", null, "c")`, `"ac"`}},
		},
		markNullSafe(strFunc("endswith", "(s, suffix)", "boolean", "whether s ends with suffix; false if any argument is NULL", 2, 2,
			affix(strings.HasSuffix), Example{`endswith("NYCNicks", "Nicks")`, "true"}, Example{`endswith(null, "a")`, "false"})),
		markNullSafe(strFunc("startswith", "(s, prefix)", "boolean", "whether s starts with prefix; false if any argument is NULL", 2, 2,
			affix(strings.HasPrefix), Example{`startswith("NYCNicks", "NYC")`, "true"})),
		formatFunc(),
		markNullSafe(strFunc("indexof", "(s, sub)", "bigint", "0-based byte index of sub in s; -1 if absent or NULL", 2, 2,
			indexofImpl, Example{`indexof("mya", "a")`, "2"}, Example{`indexof("abc", "z")`, "-1"})),
		{
			Name: "length", Kind: Scalar, MinArgs: 1, MaxArgs: 1, Args: "(x)", Returns: "bigint", NullSafe: true,
			Doc:  "characters of a string, elements of an array or struct, bytes of a bytea; 0 for NULL",
			Eval: lengthImpl, Examples: []Example{{`length("中国")`, "2"}, {`length(null)`, "0"}},
		},
		textFunc("lower", "lower-case text", strings.ToLower, Example{`lower("NYCNicks")`, `"nycnicks"`}),
		textFunc("upper", "upper-case text", strings.ToUpper, Example{`upper("NYCNicks")`, `"NYCNICKS"`}),
		padFunc("lpad", "s preceded by n spaces", Example{`lpad("ab", 2)`, `"  ab"`}),
		padFunc("rpad", "s followed by n spaces", Example{`rpad("ab", 2)`, `"ab  "`}),
		textFunc("ltrim", "s without leading whitespace", func(s string) string { return strings.TrimLeftFunc(s, unicode.IsSpace) },
			Example{`ltrim("  ab ")`, `"ab "`}),
		textFunc("rtrim", "s without trailing whitespace", func(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) },
			Example{`rtrim("  ab ")`, `"  ab"`}),
		textFunc("trim", "s without leading and trailing whitespace", strings.TrimSpace, Example{`trim(" \tab\n ")`, `"ab"`}),
		markNullSafe(strFunc("numbytes", "(s)", "bigint", "UTF-8 byte length of the text; 0 for NULL", 1, 1, numbytesImpl,
			Example{`numbytes("中国")`, "6"}, Example{`numbytes(null)`, "0"})),
		regexpMatchesFunc(),
		regexpReplaceFunc(),
		regexpSubstrFunc(),
		textFunc("reverse", "characters in reverse order", reverseRunes, Example{`reverse("abc")`, `"cba"`}),
		splitValueFunc(),
		substringFunc(),
	}
}

func markNullSafe(f *Func) *Func {
	f.NullSafe = true
	return f
}

func anyNull(args []value.Value) bool {
	for _, a := range args {
		if a.IsNull() {
			return true
		}
	}
	return false
}

func concatImpl(_ *Env, args []value.Value) (value.Value, error) {
	var b []byte
	for _, a := range args {
		b = value.AppendText(b, a)
	}
	return value.FromString(string(b)), nil
}

func affix(test func(s, x string) bool) Impl {
	return func(_ *Env, args []value.Value) (value.Value, error) {
		if args[0].IsNull() || args[1].IsNull() {
			return value.False, nil
		}
		return value.FromBool(test(value.Text(args[0]), value.Text(args[1]))), nil
	}
}

func indexofImpl(_ *Env, args []value.Value) (value.Value, error) {
	if args[0].IsNull() || args[1].IsNull() {
		return value.FromInt(-1), nil
	}
	return value.FromInt(int64(strings.Index(value.Text(args[0]), value.Text(args[1])))), nil
}

func lengthImpl(_ *Env, args []value.Value) (value.Value, error) {
	v := args[0]
	n := 0
	switch v.Kind() {
	case value.Null:
	case value.Array:
		n = len(v.Arr())
	case value.Object:
		n = len(v.Obj())
	case value.Bytes:
		n = len(v.Bytes())
	default:
		n = utf8.RuneCountInString(value.Text(v))
	}
	return value.FromInt(int64(n)), nil
}

func numbytesImpl(_ *Env, args []value.Value) (value.Value, error) {
	switch v := args[0]; v.Kind() {
	case value.Null:
		return value.FromInt(0), nil
	case value.Bytes:
		return value.FromInt(int64(len(v.Bytes()))), nil
	default:
		return value.FromInt(int64(len(value.Text(v)))), nil
	}
}

func reverseRunes(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func padFunc(name, doc string, ex ...Example) *Func {
	f := strFunc(name, "(s, n)", "string", doc, 2, 2, func(_ *Env, args []value.Value) (value.Value, error) {
		n, err := int64Of(name, 1, args[1])
		if err != nil {
			return value.NullValue, err
		}
		if n < 0 || n > maxPad {
			return value.NullValue, fmt.Errorf("%s: pad length %d out of range [0, %d]", name, n, maxPad)
		}
		s, pad := value.Text(args[0]), strings.Repeat(" ", int(n))
		if name == "lpad" {
			return value.FromString(pad + s), nil
		}
		return value.FromString(s + pad), nil
	}, ex...)
	f.Validate = literalKinds(litString, litInteger)
	return f
}

// regexArg compiles a literal pattern at bind time so rows only match.
func regexArg(name string, args []Arg) (*regexp.Regexp, error) {
	if len(args) < 2 || !args[1].Literal || args[1].Val.Kind() != value.String {
		return nil, nil
	}
	re, err := regexp.Compile(args[1].Val.Str())
	if err != nil {
		return nil, fmt.Errorf("%s: invalid regular expression: %w", name, err)
	}
	return re, nil
}

func validateRegex(name string) func([]Arg) error {
	return func(args []Arg) error {
		_, err := regexArg(name, args)
		return err
	}
}

// regexFunc builds a regexp function whose Impl gets the compiled pattern;
// a pattern from a column is compiled per row.
func regexFunc(f *Func, run func(re *regexp.Regexp, args []value.Value) (value.Value, error)) *Func {
	f.Validate = allOf(literalKinds(litString), validateRegex(f.Name))
	// Without NullSafe the planner never passes NULL; the guards keep direct
	// callers from reaching run with a nil pattern.
	f.Eval = func(_ *Env, args []value.Value) (value.Value, error) {
		if anyNull(args) {
			if f.NullSafe {
				return run(nil, args)
			}
			return value.NullValue, nil
		}
		re, err := regexp.Compile(value.Text(args[1]))
		if err != nil {
			return value.NullValue, fmt.Errorf("%s: invalid regular expression: %w", f.Name, err)
		}
		return run(re, args)
	}
	f.Bind = func(args []Arg) (Impl, error) {
		re, err := regexArg(f.Name, args)
		if re == nil || err != nil {
			return nil, err
		}
		return func(_ *Env, args []value.Value) (value.Value, error) {
			if !f.NullSafe && anyNull(args) {
				return value.NullValue, nil
			}
			return run(re, args)
		}, nil
	}
	return f
}

func regexpMatchesFunc() *Func {
	return regexFunc(&Func{
		Name: "regexp_matches", Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: "(s, re)", Returns: "boolean", NullSafe: true,
		Doc:      "whether the RE2 expression re matches anywhere in s; false if any argument is NULL",
		Examples: []Example{{`regexp_matches("seafood", "foo.*")`, "true"}, {`regexp_matches("sea", "^f")`, "false"}},
	}, func(re *regexp.Regexp, args []value.Value) (value.Value, error) {
		if re == nil || args[0].IsNull() {
			return value.False, nil
		}
		return value.FromBool(re.MatchString(value.Text(args[0]))), nil
	})
}

func regexpReplaceFunc() *Func {
	return regexFunc(&Func{
		Name: "regexp_replace", Kind: Scalar, MinArgs: 3, MaxArgs: 3, Args: "(s, re, repl)", Returns: "string",
		Doc:      "replace every match of re in s by repl ($1 style group references allowed)",
		Examples: []Example{{`regexp_replace("-ab-axxb-", "a(x*)b", "REP")`, `"-REP-REP-"`}, {`regexp_replace("abc", "(b)", "[$1]")`, `"a[b]c"`}},
	}, func(re *regexp.Regexp, args []value.Value) (value.Value, error) {
		return value.FromString(re.ReplaceAllString(value.Text(args[0]), value.Text(args[2]))), nil
	})
}

func regexpSubstrFunc() *Func {
	return regexFunc(&Func{
		Name: "regexp_substr", Aliases: []string{"regexp_substring"}, Kind: Scalar, MinArgs: 2, MaxArgs: 2, Args: "(s, re)", Returns: "string",
		Doc:      "first match of re in s, or an empty string when none",
		Examples: []Example{{`regexp_substr("seafood", "foo.*")`, `"food"`}, {`regexp_substring("sea", "x")`, `""`}},
	}, func(re *regexp.Regexp, args []value.Value) (value.Value, error) {
		return value.FromString(re.FindString(value.Text(args[0]))), nil
	})
}

func splitValueFunc() *Func {
	f := strFunc("split_value", "(s, sep, i)", "string", "element i (0-based) of s split by sep; out of range is a runtime error", 3, 3,
		func(_ *Env, args []value.Value) (value.Value, error) {
			i, err := int64Of("split_value", 2, args[2])
			if err != nil {
				return value.NullValue, err
			}
			parts := strings.Split(value.Text(args[0]), value.Text(args[1]))
			if i < 0 || i >= int64(len(parts)) {
				return value.NullValue, fmt.Errorf("split_value: index %d out of range, %d parts", i, len(parts))
			}
			return value.FromString(parts[i]), nil
		},
		Example{`split_value("/test/device001/message", "/", 3)`, `"message"`},
		Example{`split_value("/test/device001/message", "/", 0)`, `""`},
		Example{`split_value("a/b", "/", 5)`, "error"})
	f.Validate = allOf(literalKinds(litString, litString, litInteger), func(args []Arg) error {
		if a := args[2]; a.Literal && a.Val.Kind() == value.Int && a.Val.Int() < 0 {
			return fmt.Errorf("the index must not be negative, found %d", a.Val.Int())
		}
		return nil
	})
	return f
}

func substringFunc() *Func {
	f := strFunc("substring", "(s, start [, end])", "string",
		"bytes start (inclusive) to end (exclusive, not a length) of s; start beyond the end gives an empty string", 2, 3,
		substringImpl, Example{`substring("NYCNicks", 3)`, `"Nicks"`}, Example{`substring("NYCNicks", 3, 5)`, `"Ni"`},
		Example{`substring("abc", 88, 100)`, `""`})
	f.Validate = allOf(literalKinds(litString, litInteger), func(args []Arg) error {
		start := args[1]
		if !start.Literal || start.Val.Kind() != value.Int {
			return nil
		}
		if start.Val.Int() < 0 {
			return fmt.Errorf("the start index must not be negative, found %d", start.Val.Int())
		}
		if len(args) == 3 && args[2].Literal && args[2].Val.Kind() == value.Int && args[2].Val.Int() < start.Val.Int() {
			return fmt.Errorf("the end index %d must not be below the start index %d", args[2].Val.Int(), start.Val.Int())
		}
		return nil
	})
	return f
}

func substringImpl(_ *Env, args []value.Value) (value.Value, error) {
	s := value.Text(args[0])
	start, err := int64Of("substring", 1, args[1])
	if err != nil {
		return value.NullValue, err
	}
	end := int64(len(s))
	if len(args) == 3 {
		if end, err = int64Of("substring", 2, args[2]); err != nil {
			return value.NullValue, err
		}
	}
	switch {
	case start < 0 || end < 0:
		return value.NullValue, fmt.Errorf("substring: negative index (start %d, end %d)", start, end)
	case start > end:
		return value.NullValue, fmt.Errorf("substring: start index %d is after end index %d", start, end)
	case start >= int64(len(s)):
		return value.FromString(""), nil
	}
	return value.FromString(s[start:min(end, int64(len(s)))]), nil
}

func formatFunc() *Func {
	return &Func{
		Name: "format", Kind: Scalar, MinArgs: 2, MaxArgs: 3, Args: "(x, d [, locale])", Returns: "string",
		Doc: "x rounded to d decimals; with a locale (en_US, de_DE ...) also grouped with that locale's separators",
		Validate: allOf(literalKinds(litNumber, litInteger, litString), func(args []Arg) error {
			if len(args) == 3 && args[2].Literal && args[2].Val.Kind() == value.String {
				_, err := localeTag(args[2].Val.Str())
				return err
			}
			return nil
		}),
		Eval: formatImpl,
		Examples: []Example{{`format(12332.123456, 4)`, `"12332.1235"`}, {`format(12332.2, 2, "en_US")`, `"12,332.20"`},
			{`format(12332.2, 2, "de_DE")`, `"12.332,20"`}},
	}
}

func localeTag(name string) (language.Tag, error) {
	tag, err := language.Parse(name)
	if err != nil {
		return language.Und, fmt.Errorf("unsupported locale %q", name)
	}
	return tag, nil
}

func formatImpl(_ *Env, args []value.Value) (value.Value, error) {
	x, ok := args[0].AsFloat()
	if !ok && args[0].Kind() == value.String {
		f, err := strconv.ParseFloat(strings.TrimSpace(args[0].Str()), 64)
		x, ok = f, err == nil
	}
	if !ok {
		return value.NullValue, fmt.Errorf("format: expect number type for parameter 1, found %s", value.TypeName(args[0]))
	}
	d, err := int64Of("format", 1, args[1])
	if err != nil {
		return value.NullValue, err
	}
	d = max(0, min(d, 30))
	if len(args) < 3 {
		return value.FromString(strconv.FormatFloat(x, 'f', int(d), 64)), nil
	}
	tag, err := localeTag(value.Text(args[2]))
	if err != nil {
		return value.NullValue, fmt.Errorf("format: %w", err)
	}
	return value.FromString(message.NewPrinter(tag).Sprintf("%.*f", int(d), x)), nil
}
