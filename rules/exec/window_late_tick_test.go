package exec

import (
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// TestRowBeforeItsTimer: on a busy rule a row can arrive after a window's end
// before the timer wake-up ran; Process then closes the window first. The
// emission must not disturb the row that is folded next (every incremental
// kind whose fire can happen inside Process).
func TestRowBeforeItsTimer(t *testing.T) {
	cases := []struct{ q, want string }{
		{"SELECT sum(v) AS s FROM s GROUP BY TUMBLINGWINDOW(ss, 1)", "[3] [7]"},
		{"SELECT sum(v) AS s FROM s GROUP BY HOPPINGWINDOW(ss, 1, 1)", "[3] [7]"},
		{"SELECT sum(v) AS s FROM s GROUP BY SESSIONWINDOW(ss, 10, 1)", "[3] [7]"},
	}
	for _, c := range cases {
		for _, buffered := range []bool{false, true} {
			if got := runBeforeTimer(t, c.q, buffered); got != c.want {
				t.Errorf("%s (buffered %v): emitted %s, want %s", c.q, buffered, got, c.want)
			}
		}
	}
}

func runBeforeTimer(t *testing.T, q string, buffered bool) string {
	clk := clock.NewFake(time.UnixMilli(10_000))
	var got []string
	p := testWindowPipeline(t, q, buffered, clk, func(rows []*row.Row) {
		for _, r := range rows {
			v, _ := r.Get("s")
			got = append(got, "["+value.Text(v)+"]")
		}
	})
	p.Start(10_000)
	for _, in := range []struct {
		at int64
		v  int64
	}{{10_100, 1}, {10_200, 2}, {12_500, 7}} {
		clk.Advance(time.UnixMilli(in.at)) // no Tick: the wake-up has not run yet
		p.Process(0, &row.Row{PT: in.at, Cols: []row.Col{{Name: "v", Val: value.FromInt(in.v)}}})
	}
	clk.Advance(time.UnixMilli(20_000))
	p.Tick(20_000)
	return join(got)
}

func join(xs []string) string { return strings.Join(xs, " ") }

// testWindowPipeline compiles q over srcs (one schemaless stream s when
// none) into a window pipeline; buffered turns incremental aggregation off.
func testWindowPipeline(tb testing.TB, q string, buffered bool, clk *clock.Fake, emit Emit, srcs ...*plan.Source) *WindowPipeline {
	tb.Helper()
	prog, env := testProgram(tb, q, clk, srcs)
	spec, err := WindowSpec(prog.Window(), false)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := NewWindowPipeline(prog, env, WindowOptions{Options: Options{RuleID: "t"}, Spec: spec, NoIncremental: buffered}, clk, obs.NopLogger{}, emit)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func testProgram(tb testing.TB, q string, clk *clock.Fake, srcs []*plan.Source) (*plan.Program, *fn.Env) {
	tb.Helper()
	sel, err := sql.ParseSelect(q)
	if err != nil {
		tb.Fatal(err)
	}
	if len(srcs) == 0 {
		srcs = []*plan.Source{{Name: "s"}}
	}
	env := &fn.Env{Clock: clk, TZ: time.UTC}
	prog, err := plan.Compile(sel, srcs, fn.NewCatalog(), plan.Options{Env: env})
	if err != nil {
		tb.Fatal(err)
	}
	return prog, env
}
