package fn_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/testscript"
	"github.com/oort-rules/oort/rules/value"
)

// TestExamples runs every documented example of the catalogue through the
// real parser and planner: the docs cannot drift from the behaviour.
func TestExamples(t *testing.T) {
	reg := fn.NewCatalog()
	env := &fn.Env{Clock: clock.NewFake(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), RuleID: "r1", TZ: time.UTC,
		Props: func(string) (string, bool) { return "", false }}
	n := 0
	for _, f := range reg.All() {
		if f.Kind == fn.Scalar && f.Doc == "" {
			t.Errorf("%s: missing doc line", f.Name)
		}
		for _, ex := range f.Examples {
			n++
			got, err := evalExample(reg, env, ex.Call)
			checkExample(t, f.Name, ex, got, err)
		}
	}
	if n < 100 {
		t.Fatalf("only %d examples in the catalogue", n)
	}
}

func evalExample(reg *fn.Registry, env *fn.Env, call string) (value.Value, error) {
	sel, err := sql.ParseSelect("SELECT " + call + " AS v FROM s")
	if err != nil {
		return value.NullValue, err
	}
	prog, err := plan.Compile(sel, []*plan.Source{{Name: "s"}}, reg, plan.Options{})
	if err != nil {
		return value.NullValue, err
	}
	c := prog.NewCtx(env, false)
	c.Reset(&row.Row{})
	rows, err := prog.Project(c)
	if err != nil || len(rows) == 0 {
		return value.NullValue, err
	}
	v, _ := rows[0].Get("v")
	return v, nil
}

func checkExample(t *testing.T, name string, ex fn.Example, got value.Value, err error) {
	t.Helper()
	if ex.Want == "error" {
		if err == nil {
			t.Errorf("%s: %s = %s, want an error", name, ex.Call, value.ToJSON(got))
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %s: %v", name, ex.Call, err)
		return
	}
	want, perr := value.ParseJSON([]byte(ex.Want), true)
	if perr != nil {
		t.Errorf("%s: example %s has unreadable Want %q: %v", name, ex.Call, ex.Want, perr)
		return
	}
	if !testscript.Same(got, want) && !(strings.EqualFold(ex.Want, "null") && got.IsNull()) {
		t.Errorf("%s: %s = %s, want %s", name, ex.Call, value.ToJSON(got), ex.Want)
	}
}
