package fn

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/oort-rules/oort/rules/value"
)

// JSONPath subset of json_path_exists/query/query_first (sql.md §12.6): $, .key,
// ['key'], [n], [*], .. and [?(...)] filters, compiled once per literal path.

// ---- JSONPath --------------------------------------------------------------

type jpOp uint8

const (
	jpKeys    jpOp = iota // one or more member names
	jpIndexes             // one or more array positions
	jpWild                // every member / element
	jpDescend             // the node and all its descendants
	jpSlice               // [lo:hi]
	jpFilter              // [?(...)]
)

type jpStep struct {
	op     jpOp
	keys   []string
	idx    []int // indexes; for a slice [lo, hi] with math.MaxInt for an open end
	filter jpExpr
}

type jsonPath []jpStep

// jpExpr evaluates a filter term against the current element; ok is false
// when a path operand selects nothing.
type jpExpr func(cur, root value.Value) (v value.Value, ok bool)

func (p jsonPath) eval(root value.Value) []value.Value { return p.evalFrom(root, root) }

func (p jsonPath) evalFrom(start, root value.Value) []value.Value {
	nodes := []value.Value{start}
	for _, st := range p {
		next := []value.Value{}
		for _, n := range nodes {
			next = st.apply(next, n, root)
		}
		nodes = next
	}
	return nodes
}

// children lists the members (in key order) or elements of n.
func children(n value.Value) []value.Value {
	m := n.Obj()
	if m == nil {
		return n.Arr()
	}
	out := make([]value.Value, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

func (st *jpStep) apply(out []value.Value, n, root value.Value) []value.Value {
	a := n.Arr()
	switch st.op {
	case jpKeys:
		for _, k := range st.keys {
			if v, ok := n.Obj()[k]; ok {
				out = append(out, v)
			}
		}
	case jpIndexes:
		for _, i := range st.idx {
			if i < 0 {
				i += len(a)
			}
			if i >= 0 && i < len(a) {
				out = append(out, a[i])
			}
		}
	case jpWild:
		out = append(out, children(n)...)
	case jpDescend:
		out = append(out, n)
		for _, c := range children(n) {
			out = st.apply(out, c, root)
		}
	case jpSlice:
		lo, hi := st.idx[0], min(st.idx[1], len(a))
		if lo < 0 {
			lo = max(0, lo+len(a))
		}
		if hi < 0 {
			hi += len(a)
		}
		for i := lo; i < hi; i++ {
			out = append(out, a[i])
		}
	case jpFilter:
		for _, c := range children(n) {
			if v, ok := st.filter(c, root); ok && truthy(v) {
				out = append(out, c)
			}
		}
	}
	return out
}

func truthy(v value.Value) bool {
	return !v.IsNull() && !(v.Kind() == value.Bool && !v.Bool())
}

// jpParser is a recursive-descent parser over the path text.
type jpParser struct {
	s string
	i int
}

func compileJSONPath(s string) (jsonPath, error) {
	p := &jpParser{s: s}
	p.space()
	if !p.eat('$') {
		return nil, fmt.Errorf("invalid JSONPath %q: must start with $", s)
	}
	path, err := p.steps()
	if err == nil {
		if p.space(); p.i < len(p.s) {
			err = p.fail("unexpected %q", p.s[p.i:])
		}
	}
	return path, err
}

func (p *jpParser) fail(format string, args ...any) error {
	return fmt.Errorf("invalid JSONPath %q at %d: %s", p.s, p.i, fmt.Sprintf(format, args...))
}

func (p *jpParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *jpParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// steps parses segments until something that cannot continue a path.
func (p *jpParser) steps() (jsonPath, error) {
	var path jsonPath
	for p.i < len(p.s) {
		var st jpStep
		var err error
		switch {
		case p.eat('.'):
			if p.eat('.') {
				path = append(path, jpStep{op: jpDescend})
				if p.i < len(p.s) && p.s[p.i] == '[' {
					continue
				}
			}
			if st.op = jpWild; !p.eat('*') {
				st = jpStep{op: jpKeys, keys: []string{p.name()}}
				if st.keys[0] == "" {
					err = p.fail("expect a member name")
				}
			}
		case p.eat('['):
			st, err = p.bracket()
		default:
			return path, nil
		}
		if err != nil {
			return nil, err
		}
		path = append(path, st)
	}
	return path, nil
}

func (p *jpParser) name() string {
	start := p.i
	for ; p.i < len(p.s); p.i++ {
		c := p.s[p.i]
		if !(c == '_' || c == '-' || c == '$' || c >= 0x80 || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			break
		}
	}
	return p.s[start:p.i]
}

func (p *jpParser) bracket() (jpStep, error) {
	p.space()
	var st jpStep
	var err error
	switch {
	case p.eat('*'):
		st = jpStep{op: jpWild}
	case p.eat('?'):
		p.space()
		st.op = jpFilter
		st.filter, err = p.orExpr()
	default:
		st, err = p.selectors()
	}
	if err != nil {
		return st, err
	}
	if p.space(); !p.eat(']') {
		return st, p.fail("expect ]")
	}
	return st, nil
}

// selectors parses a key or index list, or a slice.
func (p *jpParser) selectors() (jpStep, error) {
	st := jpStep{op: jpKeys}
	for first := true; ; first = false {
		p.space()
		if p.i >= len(p.s) {
			return st, p.fail("unterminated [")
		}
		switch c := p.s[p.i]; {
		case c == '\'' || c == '"':
			k, err := p.quoted()
			if err != nil {
				return st, err
			}
			st.keys = append(st.keys, k)
		case c == '-' || c == ':' || c >= '0' && c <= '9':
			n, isNum := p.int(0)
			if p.space(); first && p.eat(':') {
				p.space()
				hi, _ := p.int(math.MaxInt)
				return jpStep{op: jpSlice, idx: []int{n, hi}}, nil
			}
			if !isNum {
				return st, p.fail("expect an index")
			}
			st.op = jpIndexes
			st.idx = append(st.idx, n)
		default:
			k := p.name()
			if k == "" {
				return st, p.fail("expect a key, an index, * or ?")
			}
			st.keys = append(st.keys, k)
		}
		if p.space(); !p.eat(',') {
			break
		}
	}
	if st.op == jpIndexes && len(st.keys) > 0 {
		return st, p.fail("cannot mix keys and indexes")
	}
	return st, nil
}

// int reads an optionally negative integer, or returns def when none.
func (p *jpParser) int(def int) (int, bool) {
	start := p.i
	if p.i < len(p.s) && p.s[p.i] == '-' {
		p.i++
	}
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	n, err := strconv.Atoi(p.s[start:p.i])
	if err != nil {
		p.i = start
		return def, false
	}
	return n, true
}

func (p *jpParser) quoted() (string, error) {
	q := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == q:
			return b.String(), nil
		case c == '\\' && p.i < len(p.s):
			b.WriteByte(p.s[p.i])
			p.i++
		default:
			b.WriteByte(c)
		}
	}
	return "", p.fail("unterminated string")
}

// ---- filter expressions ------------------------------------------------

func (p *jpParser) orExpr() (jpExpr, error) {
	return p.logical("||", p.andExpr, func(a, b bool) bool { return a || b })
}

func (p *jpParser) andExpr() (jpExpr, error) {
	return p.logical("&&", p.unary, func(a, b bool) bool { return a && b })
}

func (p *jpParser) logical(op string, sub func() (jpExpr, error), join func(a, b bool) bool) (jpExpr, error) {
	left, err := sub()
	for err == nil {
		if p.space(); !strings.HasPrefix(p.s[p.i:], op) {
			return left, nil
		}
		p.i += len(op)
		var right jpExpr
		if right, err = sub(); err != nil {
			break
		}
		l := left
		left = func(cur, root value.Value) (value.Value, bool) {
			a, okA := l(cur, root)
			b, okB := right(cur, root)
			return value.FromBool(join(okA && truthy(a), okB && truthy(b))), true
		}
	}
	return nil, err
}

func (p *jpParser) unary() (jpExpr, error) {
	if p.space(); strings.HasPrefix(p.s[p.i:], "!") && !strings.HasPrefix(p.s[p.i:], "!=") {
		p.i++
		inner, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(cur, root value.Value) (value.Value, bool) {
			v, ok := inner(cur, root)
			return value.FromBool(!(ok && truthy(v))), true
		}, nil
	}
	return p.comparison()
}

var jpCompareOps = [...]string{"==", "!=", "<=", ">=", "<", ">"}

func (p *jpParser) comparison() (jpExpr, error) {
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	p.space()
	for _, op := range jpCompareOps {
		if !strings.HasPrefix(p.s[p.i:], op) {
			continue
		}
		p.i += len(op)
		right, err := p.operand()
		if err != nil {
			return nil, err
		}
		return func(cur, root value.Value) (value.Value, bool) {
			a, okA := left(cur, root)
			b, okB := right(cur, root)
			return value.FromBool(okA && okB && jpCompare(op, a, b)), true
		}, nil
	}
	return left, nil
}

// jpCompare: a comparison with an incomparable pair is false; NULL only
// equals NULL.
func jpCompare(op string, a, b value.Value) bool {
	equality := op == "==" || op == "!="
	c := 1 // "not equal" unless shown otherwise
	switch {
	case a.IsNull() || b.IsNull():
		if !equality {
			return false
		}
		if a.IsNull() && b.IsNull() {
			c = 0
		}
	case equality:
		if value.Loose(a, b) {
			c = 0
		}
	default:
		var err error
		if c, err = value.Compare(a, b); err != nil {
			return false
		}
	}
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func (p *jpParser) operand() (jpExpr, error) {
	p.space()
	if p.i >= len(p.s) {
		return nil, p.fail("expect an operand")
	}
	switch c := p.s[p.i]; {
	case c == '(':
		p.i++
		e, err := p.orExpr()
		if err == nil {
			if p.space(); !p.eat(')') {
				err = p.fail("expect )")
			}
		}
		return e, err
	case c == '@' || c == '$':
		p.i++
		path, err := p.steps()
		if err != nil {
			return nil, err
		}
		fromRoot := c == '$'
		return func(cur, root value.Value) (value.Value, bool) {
			start := cur
			if fromRoot {
				start = root
			}
			m := path.evalFrom(start, root)
			if len(m) == 0 {
				return value.NullValue, false
			}
			return m[0], true
		}, nil
	case c == '\'' || c == '"':
		s, err := p.quoted()
		return constExpr(value.FromString(s)), err
	}
	return p.literal()
}

// literal reads a number, true, false or null.
func (p *jpParser) literal() (jpExpr, error) {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte(" \t)]=!<>&|,", p.s[p.i]) < 0 {
		p.i++
	}
	v, err := value.ParseJSON([]byte(p.s[start:p.i]), true)
	if err != nil || v.Kind() > value.Float {
		p.i = start
		return nil, p.fail("unexpected %q in filter", p.s[start:])
	}
	return constExpr(v), nil
}

func constExpr(v value.Value) jpExpr {
	return func(_, _ value.Value) (value.Value, bool) { return v, true }
}
