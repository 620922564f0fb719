package fn

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/value"
)

// testNow is the fake clock's reading in every part-2 test.
var p2Now = time.Date(2024, 3, 5, 10, 20, 30, 123456789, time.UTC)

type p2State map[string]value.Value

func (m p2State) Get(k string) (value.Value, bool) { v, ok := m[k]; return v, ok }

func p2Env() (*Env, *clock.Fake) {
	c := clock.NewFake(p2Now)
	return &Env{
		Clock: c, RuleID: "rule1", RuleStart: 1700000000000, TZ: time.UTC,
		Props: func(name string) (string, bool) {
			if name == "vin" {
				return "L6T78", true
			}
			return "", false
		},
		State: p2State{"count": value.FromString("12"), "temp": value.FromFloat(21.5), "name": value.FromString("abc")},
	}, c
}

func p2Registry() *Registry {
	r := NewRegistry()
	registerPart2(r)
	return r
}

// invoke plays the planner's part for one call: arity, Validate, Bind and the
// NULL short-cut, with args given as literals (lit) or columns.
func p2Invoke(r *Registry, env *Env, lit bool, name string, args ...value.Value) (value.Value, error) {
	lits := make([]bool, len(args))
	for i := range lits {
		lits[i] = lit
	}
	return invoke(r, env, name, args, lits)
}

func p2Want(t *testing.T, want string) value.Value {
	t.Helper()
	v, err := value.ParseJSON([]byte(want), true)
	if err != nil {
		t.Fatalf("bad Want %q: %v", want, err)
	}
	return v
}

// ---- a tiny evaluator for the documentation examples ----------------------

type p2Parser struct {
	src string
	pos int
	r   *Registry
	env *Env
	row map[string]value.Value
	err error
}

func (p *p2Parser) skip() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *p2Parser) peekOp() string {
	p.skip()
	for _, op := range []string{">=", "<=", "!=", ">", "<", "=", "+", "-", "*"} {
		if strings.HasPrefix(p.src[p.pos:], op) {
			return op
		}
	}
	return ""
}

var p2OpPrec = map[string]int{">=": 1, "<=": 1, "!=": 1, ">": 1, "<": 1, "=": 1, "+": 2, "-": 2, "*": 3}

// expr parses a binary expression by precedence climbing.
func (p *p2Parser) expr(minPrec int) (value.Value, bool) {
	lhs, lit := p.primary()
	for p.err == nil {
		op := p.peekOp()
		if op == "" || p2OpPrec[op] < minPrec {
			break
		}
		p.pos += len(op)
		rhs, rlit := p.expr(p2OpPrec[op] + 1)
		lhs, lit = p.binary(op, lhs, rhs), lit && rlit
	}
	return lhs, lit
}

func (p *p2Parser) binary(op string, a, b value.Value) value.Value {
	if p.err != nil || a.IsNull() || b.IsNull() {
		return value.NullValue
	}
	var r value.Value
	var err error
	switch op {
	case "+":
		r, err = value.Arith(value.OpAdd, a, b)
	case "-":
		r, err = value.Arith(value.OpSub, a, b)
	case "*":
		r, err = value.Arith(value.OpMul, a, b)
	default:
		var c int
		c, err = value.Compare(a, b)
		r = value.FromBool(map[string]bool{">": c > 0, ">=": c >= 0, "<": c < 0, "<=": c <= 0, "=": c == 0, "!=": c != 0}[op])
	}
	if err != nil {
		p.err = err
	}
	return r
}

func (p *p2Parser) primary() (value.Value, bool) {
	p.skip()
	if p.pos >= len(p.src) {
		p.err = fmt.Errorf("unexpected end")
		return value.NullValue, false
	}
	c := p.src[p.pos]
	switch {
	case c == '"':
		return p.str(), true
	case c == '-' || unicode.IsDigit(rune(c)):
		return p.num(), true
	case c == '(':
		p.pos++
		v, lit := p.expr(1)
		p.expect(')')
		return v, lit
	}
	start := p.pos
	for p.pos < len(p.src) && (p.src[p.pos] == '_' || unicode.IsLetter(rune(p.src[p.pos])) || unicode.IsDigit(rune(p.src[p.pos]))) {
		p.pos++
	}
	name := p.src[start:p.pos]
	switch strings.ToLower(name) {
	case "null":
		return value.NullValue, true
	case "true":
		return value.True, true
	case "false":
		return value.False, true
	case "":
		p.err = fmt.Errorf("unexpected %q at %d", c, p.pos)
		return value.NullValue, false
	}
	p.skip()
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return p.row[name], false // a column reference
	}
	return p.call(name)
}

func (p *p2Parser) call(name string) (value.Value, bool) {
	p.expect('(')
	var args []value.Value
	var lits []bool
	p.skip()
	for p.err == nil && p.pos < len(p.src) && p.src[p.pos] != ')' {
		v, l := p.expr(1)
		args, lits = append(args, v), append(lits, l)
		p.skip()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
		}
	}
	p.expect(')')
	if p.err != nil {
		return value.NullValue, false
	}
	if _, ok := p.r.Lookup(name); !ok {
		p.err = p2Unknown{name}
		return value.NullValue, false
	}
	// Arguments that are themselves calls are passed as columns, as the
	// planner would (only constants are literals).
	v, err := invoke(p.r, p.env, name, args, lits)
	if err != nil {
		p.err = err
	}
	return v, false
}

type p2Unknown struct{ name string }

func (e p2Unknown) Error() string { return "unknown function " + e.name }

func (p *p2Parser) expect(c byte) {
	p.skip()
	if p.err == nil && (p.pos >= len(p.src) || p.src[p.pos] != c) {
		p.err = fmt.Errorf("expected %q at %d in %q", c, p.pos, p.src)
	}
	p.pos++
}

func (p *p2Parser) str() value.Value {
	end := p.pos + 1
	for end < len(p.src) && p.src[end] != '"' {
		if p.src[end] == '\\' {
			end++
		}
		end++
	}
	p2S, err := strconv.Unquote(p.src[p.pos : end+1])
	if err != nil {
		p.err = err
	}
	p.pos = end + 1
	return value.FromString(p2S)
}

func (p *p2Parser) num() value.Value {
	start := p.pos
	p.pos++
	for p.pos < len(p.src) && (unicode.IsDigit(rune(p.src[p.pos])) || p.src[p.pos] == '.') {
		p.pos++
	}
	p2S := p.src[start:p.pos]
	if strings.Contains(p2S, ".") {
		f, err := strconv.ParseFloat(p2S, 64)
		if err != nil {
			p.err = err
		}
		return value.FromFloat(f)
	}
	n, err := strconv.ParseInt(p2S, 10, 64)
	if err != nil {
		p.err = err
	}
	return value.FromInt(n)
}

func p2EvalExample(r *Registry, env *Env, src string) (value.Value, error) {
	return p2EvalRow(r, env, src, nil)
}

func p2EvalRow(r *Registry, env *Env, src string, row map[string]value.Value) (value.Value, error) {
	p := &p2Parser{src: src, r: r, env: env, row: row}
	v, _ := p.expr(1)
	if p.err == nil && p.pos < len(src) {
		p.err = fmt.Errorf("trailing input at %d in %q", p.pos, src)
	}
	return v, p.err
}

// TestPart2Examples runs every documentation example of the part-2
// functions; examples that need a part-1 function (length, upper ...) are
// checked once that function is registered.
func TestPart2Examples(t *testing.T) {
	full := NewRegistry()
	registerPart1(full)
	registerPart2(full)
	own := p2Registry()
	env, _ := p2Env()
	env.State = nil
	for _, f := range own.All() {
		if len(f.Examples) == 0 || f.Doc == "" || f.Args == "" || f.Returns == "" {
			t.Errorf("%s: missing Doc, Args, Returns or Examples", f.Name)
		}
		for _, ex := range f.Examples {
			got, err := p2EvalExample(full, env, ex.Call)
			var unk p2Unknown
			if err != nil && (p2AsUnknown(err, &unk) || strings.Contains(err.Error(), "unknown function")) {
				t.Logf("%s: skipped, %v", ex.Call, err)
				continue
			}
			if ex.Want == "error" {
				if err == nil {
					t.Errorf("%s: want an error, got %s", ex.Call, value.ToJSON(got))
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", ex.Call, err)
				continue
			}
			if want := p2Want(t, ex.Want); !value.Identical(got, want) {
				t.Errorf("%s = %s (%s), want %s", ex.Call, value.ToJSON(got), value.TypeName(got), ex.Want)
			}
		}
	}
}

func p2AsUnknown(err error, target *p2Unknown) bool {
	e, ok := err.(p2Unknown)
	if ok {
		*target = e
	}
	return ok
}

// TestPart2Names checks that every name of sql.md §12.7, §12.11, §12.12 and
// the pure part of §12.13 is registered, with its aliases.
func TestPart2Names(t *testing.T) {
	r := p2Registry()
	want := strings.Fields(`now current_timestamp local_time local_timestamp cur_date current_date
		cur_time current_time format_time date_calc date_diff day_name day_of_month day day_of_week
		day_of_year from_days from_unix_time hour minute second microsecond last_day month month_name
		cardinality array_cardinality array_create array_position array_last_position element_at
		array_contains array_contains_any array_remove array_intersect array_union array_except
		array_max array_min array_distinct array_flatten array_join array_map array_shuffle array_sort
		array_concat repeat sequence kvpair_array_to_obj
		keys values items object zip object_construct object_concat erase object_pick object_size obj_to_kvpair_array
		isnull coalesce newuuid tstamp rule_id rule_start get_keyed_state delay props`)
	got := r.Names()
	if len(got) != len(want) {
		sort.Strings(want)
		t.Errorf("registered %d names, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	for _, n := range want {
		if f, ok := r.Lookup(strings.ToUpper(n)); !ok || f.Kind != Scalar {
			t.Errorf("%s: not registered as a scalar function", n)
		}
	}
	if len(r.All()) != 19+24+11+9 {
		t.Errorf("distinct functions = %d, want %d", len(r.All()), 19+24+11+9)
	}
}

// conformanceCase is the part of a conformance file these tests use.
type p2Conformance struct {
	Rule struct {
		SQL string `json:"sql"`
	} `json:"rule"`
	Inputs []struct {
		Row json.RawMessage `json:"row"`
	} `json:"inputs"`
	Expect [][]map[string]json.RawMessage `json:"expect"`
}

// checkConformance evaluates the select items of a single-row conformance
// case whose functions are all registered; items using a function that is
// not (part 1 pending) are skipped.
func p2CheckConformance(t *testing.T, file string) (checked int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "conformance", "cases", file))
	if err != nil {
		t.Skipf("conformance case not available: %v", err)
	}
	var c p2Conformance
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	rowV, err := value.ParseJSON(c.Inputs[0].Row, true)
	if err != nil {
		t.Fatalf("%s: row: %v", file, err)
	}
	r := NewRegistry()
	registerPart1(r)
	registerPart2(r)
	env, _ := p2Env()
	sel := strings.TrimPrefix(c.Rule.SQL, "SELECT ")
	sel = sel[:strings.Index(sel, " FROM ")]
	for _, item := range p2SplitTop(sel) {
		expr, alias, _ := strings.Cut(item, " AS ")
		got, err := p2EvalRow(r, env, expr, rowV.Obj())
		var unk p2Unknown
		if err != nil && p2AsUnknown(err, &unk) {
			continue
		}
		if err != nil {
			t.Errorf("%s: %s: %v", file, expr, err)
			continue
		}
		checked++
		raw, present := c.Expect[0][0][alias]
		switch {
		case !present && !got.IsNull():
			t.Errorf("%s: %s = %s, want it omitted (NULL)", file, expr, value.ToJSON(got))
		case present && !value.Identical(got, p2Want(t, string(raw))):
			t.Errorf("%s: %s = %s, want %s", file, expr, value.ToJSON(got), raw)
		}
	}
	return checked
}

// splitTop splits a select list at the commas outside parentheses and quotes.
func p2SplitTop(p2S string) []string {
	var out []string
	depth, start, inStr := 0, 0, false
	for i := 0; i < len(p2S); i++ {
		switch c := p2S[i]; {
		case c == '\\' && inStr:
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(p2S[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(p2S[start:]))
}

func TestConformanceArrayObjectMissing(t *testing.T) {
	// At least the items using only part-2 functions must have been checked.
	for f, min := range map[string]int{"fn_array_basic.json": 10, "fn_object_basic.json": 9, "fn_missing_arguments.json": 3} {
		if n := p2CheckConformance(t, f); n < min {
			t.Errorf("%s: checked %d items, want at least %d", f, n, min)
		}
	}
}
