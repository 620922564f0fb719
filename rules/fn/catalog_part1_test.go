package fn

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/value"
)

// This file holds the part-1 test harness: a registry with only the part-1
// functions, a planner stand-in (arity, Validate, Bind, NULL short-cut) and a
// tiny evaluator for the documentation examples (calls over literals).

func p1Registry() *Registry {
	r := NewRegistry()
	registerPart1(r)
	return r
}

var p1Env = &Env{TZ: time.UTC, RuleID: "r1"}

// p1Invoke calls name like the planner would; lits marks literal arguments.
func p1Invoke(r *Registry, name string, args []value.Value, lits []bool) (value.Value, error) {
	return invoke(r, p1Env, name, args, lits)
}

// p1Col calls name with column (non-literal) arguments.
func p1Col(name string, args ...value.Value) (value.Value, error) {
	return p1Invoke(p1Registry(), name, args, make([]bool, len(args)))
}

// p1Lit calls name with literal arguments (Validate and Bind see them).
func p1Lit(name string, args ...value.Value) (value.Value, error) {
	lits := make([]bool, len(args))
	for i := range lits {
		lits[i] = true
	}
	return p1Invoke(p1Registry(), name, args, lits)
}

func p1Want(t *testing.T, want string) value.Value {
	t.Helper()
	v, err := value.ParseJSON([]byte(want), true)
	if err != nil {
		t.Fatalf("bad expectation %q: %v", want, err)
	}
	return v
}

// p1Check asserts a call result against a JSON expectation ("error" expects
// a runtime error).
func p1Check(t *testing.T, what string, got value.Value, err error, want string) {
	t.Helper()
	if want == "error" {
		if err == nil {
			t.Errorf("%s = %s, want an error", what, value.ToJSON(got))
		}
		return
	}
	if err != nil {
		t.Errorf("%s: unexpected error %v", what, err)
		return
	}
	if w := p1Want(t, want); !value.Identical(got, w) {
		t.Errorf("%s = %s (%s), want %s", what, value.ToJSON(got), value.TypeName(got), want)
	}
}

// ---- example evaluator: name(arg, ...) with literal and call arguments ----

type p1Parser struct {
	src string
	pos int
	r   *Registry
}

func p1Eval(r *Registry, src string) (value.Value, error) {
	p := &p1Parser{src: src, r: r}
	v, _, err := p.expr()
	if err == nil && p.skip() < len(p.src) {
		err = fmt.Errorf("trailing input %q", p.src[p.pos:])
	}
	return v, err
}

func (p *p1Parser) skip() int {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	return p.pos
}

// expr returns the value and whether it is a literal.
func (p *p1Parser) expr() (value.Value, bool, error) {
	p.skip()
	if p.pos >= len(p.src) {
		return value.NullValue, false, fmt.Errorf("unexpected end of %q", p.src)
	}
	switch c := p.src[p.pos]; {
	case c == '"' || c == '\'':
		s, err := p.str(c)
		return value.FromString(s), true, err
	case c == '-' || c >= '0' && c <= '9':
		v, err := p.num()
		return v, true, err
	}
	start := p.pos
	for p.pos < len(p.src) && (p.src[p.pos] == '_' || p.src[p.pos] >= 'a' && p.src[p.pos] <= 'z' || p.src[p.pos] >= '0' && p.src[p.pos] <= '9') {
		p.pos++
	}
	word := p.src[start:p.pos]
	switch strings.ToLower(word) {
	case "true", "false":
		return value.FromBool(word == "true"), true, nil
	case "null":
		return value.NullValue, true, nil
	}
	if p.skip(); p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return value.NullValue, false, fmt.Errorf("expect ( after %q in %q", word, p.src)
	}
	p.pos++
	var args []value.Value
	var lits []bool
	for p.skip(); p.pos < len(p.src) && p.src[p.pos] != ')'; p.skip() {
		v, lit, err := p.expr()
		if err != nil {
			return value.NullValue, false, err
		}
		args, lits = append(args, v), append(lits, lit)
		if p.skip(); p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
		}
	}
	p.pos++
	v, err := p1Invoke(p.r, word, args, lits)
	// like the planner, a call over constants is itself a constant
	konst := !Volatile(word)
	for _, l := range lits {
		konst = konst && l
	}
	return v, konst, err
}

func (p *p1Parser) str(q byte) (string, error) {
	end := p.pos + 1
	for end < len(p.src) && p.src[end] != q {
		if p.src[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(p.src) {
		return "", fmt.Errorf("unterminated string in %q", p.src)
	}
	raw := p.src[p.pos+1 : end]
	p.pos = end + 1
	if q == '\'' {
		raw = strings.ReplaceAll(raw, `\'`, `'`)
		raw = strings.ReplaceAll(raw, `"`, `\"`)
	}
	return strconv.Unquote(`"` + raw + `"`)
}

func (p *p1Parser) num() (value.Value, error) {
	start := p.pos
	p.pos++
	for p.pos < len(p.src) && (p.src[p.pos] == '.' || p.src[p.pos] >= '0' && p.src[p.pos] <= '9') {
		p.pos++
	}
	s := p.src[start:p.pos]
	if strings.Contains(s, ".") {
		f, err := strconv.ParseFloat(s, 64)
		return value.FromFloat(f), err
	}
	i, err := strconv.ParseInt(s, 10, 64)
	return value.FromInt(i), err
}

// ---- catalogue-level tests ----------------------------------------------

func TestPart1Examples(t *testing.T) {
	r := p1Registry()
	for _, f := range r.All() {
		if f.Doc == "" || f.Args == "" || f.Returns == "" || len(f.Examples) == 0 || f.Kind != Scalar {
			t.Errorf("%s: Doc, Args, Returns, Examples and Kind=Scalar are required", f.Name)
		}
		for _, ex := range f.Examples {
			got, err := p1Eval(r, ex.Call)
			p1Check(t, ex.Call, got, err, ex.Want)
		}
	}
}

func TestPart1Names(t *testing.T) {
	r := p1Registry()
	want := strings.Fields(`abs acos asin atan atan2 bitand bitor bitxor bitnot ceiling ceil cos cosh cot
		degrees exp floor ln log mod pi power pow radians rand round sign sin sinh sqrt tan tanh conv
		concat endswith startswith format indexof length lower upper lpad rpad ltrim rtrim trim numbytes
		regexp_matches regexp_replace regexp_substr regexp_substring reverse split_value substring
		md5 sha1 sha256 sha384 sha512 crc32
		cast convert_tz to_seconds encode decode compress decompress trunc chr hex2dec dec2hex
		to_json parse_json json_path_exists json_path_query json_path_query_first`)
	if got := r.Names(); len(got) != len(want) {
		t.Errorf("registered %d names, want %d: %v", len(got), len(want), got)
	}
	for _, n := range want {
		if _, ok := r.Lookup(strings.ToUpper(n)); !ok {
			t.Errorf("%s is not registered", n)
		}
	}
	// 33 + 21 + 6 + 11 + 5 names, of which ceil, pow and regexp_substring are aliases
	if n := len(r.All()); n != 76-3 {
		t.Errorf("distinct functions = %d, want %d", n, 73)
	}
}
