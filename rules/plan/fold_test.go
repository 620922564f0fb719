package plan_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/value"
)

// TestFoldingSkipsVolatileFunctions: constant folding must not freeze
// rand(), newuuid() or clock readers into plan-time constants.
func TestFoldingSkipsVolatileFunctions(t *testing.T) {
	p := mustCompile(t, "SELECT rand() AS r, rand() * 0 + rand() AS r2, newuuid() AS u, abs(rand()) AS r3 FROM demo")
	ctx := p.NewCtx(testEnv(), false)
	seen := map[string]map[string]bool{"r": {}, "r2": {}, "u": {}, "r3": {}}
	for i := 0; i < 4; i++ {
		res := runRow(p, ctx, mk())
		if res.err != nil {
			t.Fatal(res.err)
		}
		for col := range seen {
			x, _ := res.rows[0].Get(col)
			seen[col][value.ToJSON(x)] = true
		}
	}
	for col, vals := range seen {
		if len(vals) < 2 {
			t.Errorf("%s has the same value on every row: folded at plan time", col)
		}
	}
}

// TestFoldingClockFunctions: tstamp() reads the rule's clock at run time.
func TestFoldingClockFunctions(t *testing.T) {
	clk := clock.NewFake(time.UnixMilli(1000).UTC())
	env := &fn.Env{Clock: clk, RuleID: "r1", TZ: time.UTC}
	p, err := compileQ("SELECT tstamp() AS t, tstamp() + 1 AS t1, rule_id() AS id FROM demo", plan.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	ctx := p.NewCtx(env, false)
	clk.Advance(time.UnixMilli(5000))
	res := runRow(p, ctx, mk())
	if got := renderAll(res.rows); got != `{t:5000 t1:5001 id:"r1"}` {
		t.Errorf("got %s, want the clock at run time (5000)", got)
	}
}

// TestFoldingKeepsRuntimeErrors: a constant expression that fails is not a
// compile error; it fails each row at run time (sql.md §7.4).
func TestFoldingKeepsRuntimeErrors(t *testing.T) {
	p := mustCompile(t, "SELECT 1 / 0 AS x FROM demo")
	ctx := p.NewCtx(testEnv(), false)
	for i := 0; i < 2; i++ {
		res := runRow(p, ctx, mk())
		if res.err == nil || !strings.Contains(res.err.Error(), "1:8: divided by zero") {
			t.Errorf("row %d: err = %v, want 1:8: divided by zero", i, res.err)
		}
	}
}

// TestFoldedConstantsEvaluate: folded constants give the same values as
// evaluating them per row.
func TestFoldedConstantsEvaluate(t *testing.T) {
	r := mk("a", 2)
	wantValue(t, "a * (3 + 4)", r, 14)
	wantValue(t, `upper("x") || lower("Y")`, r, "Xy")
	wantValue(t, "abs(-3) + a", r, 5)
	wantValue(t, "NOT (1 > 2)", r, true)
	wantValue(t, "1 IN (1, 2)", r, true)
	wantValue(t, "CASE WHEN 1 > 0 THEN a END", r, 2)
}
