package plan_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// The function catalogue is immutable once built, so one instance serves
// every test of the package.
var catalog = fn.NewCatalog()

func testEnv() *fn.Env {
	return &fn.Env{Clock: clock.NewFake(time.UnixMilli(1700000000000).UTC()), RuleID: "r1", TZ: time.UTC}
}

// compileQ parses q and compiles it. Without explicit sources every FROM and
// JOIN source is schemaless.
func compileQ(q string, opts plan.Options, srcs ...*plan.Source) (*plan.Program, error) {
	sel, err := sql.ParseSelect(q)
	if err != nil {
		return nil, fmt.Errorf("parse %q: %w", q, err)
	}
	if srcs == nil {
		srcs = append(srcs, &plan.Source{Name: sel.From.Name, Alias: sel.From.Alias})
		for _, j := range sel.Joins {
			srcs = append(srcs, &plan.Source{Name: j.Src.Name, Alias: j.Src.Alias})
		}
	}
	if opts.Env == nil {
		opts.Env = testEnv()
	}
	return plan.Compile(sel, srcs, catalog, opts)
}

func mustCompile(t testing.TB, q string, srcs ...*plan.Source) *plan.Program {
	t.Helper()
	p, err := compileQ(q, plan.Options{}, srcs...)
	if err != nil {
		t.Fatalf("compile %q: %v", q, err)
	}
	return p
}

// v converts a Go literal to a Value: int → bigint, float64 → float, nil →
// NULL, []any → array, map[string]any → struct; Values pass through.
func v(x any) value.Value {
	switch t := x.(type) {
	case nil:
		return value.NullValue
	case value.Value:
		return t
	case int:
		return value.FromInt(int64(t))
	case int64:
		return value.FromInt(t)
	case uint64:
		return value.FromUint(t)
	case float64:
		return value.FromFloat(t)
	case string:
		return value.FromString(t)
	case bool:
		return value.FromBool(t)
	case []byte:
		return value.FromBytes(t)
	case time.Time:
		return value.FromTime(t)
	case []any:
		out := make([]value.Value, len(t))
		for i, e := range t {
			out[i] = v(e)
		}
		return value.FromArray(out)
	case map[string]any:
		out := make(map[string]value.Value, len(t))
		for k, e := range t {
			out[k] = v(e)
		}
		return value.FromObject(out)
	}
	panic(fmt.Sprintf("v: unsupported %T", x))
}

// mk builds a row from name/value pairs.
func mk(kv ...any) *row.Row {
	r := &row.Row{PT: 1700000000000}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Cols = append(r.Cols, row.Col{Name: kv[i].(string), Val: v(kv[i+1])})
	}
	return r
}

// runResult is the outcome of one row through a program.
type runResult struct {
	pass bool // WHERE accepted the row
	rows []*row.Row
	err  error
}

func runRow(p *plan.Program, ctx *plan.Ctx, r *row.Row) runResult {
	ctx.Reset(r)
	ok, err := p.Filter(ctx)
	if err != nil || !ok {
		return runResult{pass: ok, err: err}
	}
	rows, err := p.Project(ctx)
	return runResult{pass: true, rows: rows, err: err}
}

func run(t testing.TB, q string, r *row.Row) runResult {
	t.Helper()
	p := mustCompile(t, q)
	return runRow(p, p.NewCtx(testEnv(), false), r)
}

// render prints a row as "name:json" pairs in column order.
func render(r *row.Row) string {
	parts := make([]string, len(r.Cols))
	for i, c := range r.Cols {
		parts[i] = c.Name + ":" + value.ToJSON(c.Val)
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func renderAll(rows []*row.Row) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = render(r)
	}
	return strings.Join(parts, ",")
}

// evalValue evaluates expr as a select item named v on r.
func evalValue(t testing.TB, expr string, r *row.Row) (value.Value, error) {
	t.Helper()
	res := run(t, "SELECT "+expr+" AS v FROM demo", r)
	if res.err != nil {
		return value.NullValue, res.err
	}
	if len(res.rows) != 1 {
		t.Fatalf("%s: want one row, got %d", expr, len(res.rows))
	}
	got, ok := res.rows[0].Get("v")
	if !ok {
		t.Fatalf("%s: column v missing in %s", expr, render(res.rows[0]))
	}
	return got, nil
}

// wantValue asserts expr evaluates to want (compared by JSON text and kind).
func wantValue(t *testing.T, expr string, r *row.Row, want any) {
	t.Helper()
	got, err := evalValue(t, expr, r)
	if err != nil {
		t.Errorf("%s: unexpected error %v", expr, err)
		return
	}
	w := v(want)
	if got.Kind() != w.Kind() && !(isInt(got) && isInt(w)) || value.ToJSON(got) != value.ToJSON(w) {
		t.Errorf("%s = %s (%s), want %s (%s)", expr, value.ToJSON(got), value.TypeName(got), value.ToJSON(w), value.TypeName(w))
	}
}

func isInt(x value.Value) bool { return x.Kind() == value.Int || x.Kind() == value.Uint }

// wantEvalError asserts expr fails at run time with a message containing frag.
func wantEvalError(t *testing.T, expr string, r *row.Row, frag string) {
	t.Helper()
	got, err := evalValue(t, expr, r)
	if err == nil {
		t.Errorf("%s = %s, want runtime error containing %q", expr, value.ToJSON(got), frag)
		return
	}
	if !strings.Contains(err.Error(), frag) {
		t.Errorf("%s: error %q does not contain %q", expr, err, frag)
	}
}

// passes reports whether WHERE cond accepts r; a runtime error fails the test.
func passes(t *testing.T, cond string, r *row.Row) bool {
	t.Helper()
	res := run(t, "SELECT * FROM demo WHERE "+cond, r)
	if res.err != nil {
		t.Errorf("WHERE %s: unexpected error %v", cond, res.err)
	}
	return res.pass
}

// compileErr compiles q and returns the error text ("" when it compiles).
func compileErr(q string, srcs ...*plan.Source) string {
	_, err := compileQ(q, plan.Options{}, srcs...)
	if err == nil {
		return ""
	}
	return err.Error()
}
