package exec_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/exec"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

var catalog = fn.NewCatalog()

const t0 = 1700000000000

// harness is one pipeline with captured emissions.
type harness struct {
	pipe  *exec.Pipeline
	clk   *clock.Fake
	log   *obs.Recorder
	emits [][]*row.Row
}

func newHarness(t *testing.T, q string, opts exec.Options) *harness {
	t.Helper()
	sel, err := sql.ParseSelect(q)
	if err != nil {
		t.Fatalf("parse %q: %v", q, err)
	}
	clk := clock.NewFake(time.UnixMilli(t0).UTC())
	env := &fn.Env{Clock: clk, RuleID: opts.RuleID, TZ: time.UTC}
	prog, err := plan.Compile(sel, []*plan.Source{{Name: sel.From.Name}}, catalog, plan.Options{Env: env, EventTime: opts.EventTime})
	if err != nil {
		t.Fatalf("compile %q: %v", q, err)
	}
	h := &harness{clk: clk, log: &obs.Recorder{}}
	h.pipe = exec.NewPipeline(prog, env, opts, clk, h.log, func(rows []*row.Row) { h.emits = append(h.emits, rows) })
	return h
}

func mk(kv ...any) *row.Row {
	r := &row.Row{PT: t0}
	for i := 0; i+1 < len(kv); i += 2 {
		var x value.Value
		switch t := kv[i+1].(type) {
		case int:
			x = value.FromInt(int64(t))
		case string:
			x = value.FromString(t)
		case []any:
			arr := make([]value.Value, len(t))
			for j, e := range t {
				arr[j] = value.FromInt(int64(e.(int)))
			}
			x = value.FromArray(arr)
		case nil:
		default:
			panic(fmt.Sprintf("mk: %T", t))
		}
		r.Cols = append(r.Cols, row.Col{Name: kv[i].(string), Val: x})
	}
	return r
}

func render(emits [][]*row.Row) string {
	var parts []string
	for _, e := range emits {
		var rows []string
		for _, r := range e {
			var cols []string
			for _, c := range r.Cols {
				cols = append(cols, c.Name+":"+value.ToJSON(c.Val))
			}
			rows = append(rows, "{"+strings.Join(cols, " ")+"}")
		}
		parts = append(parts, "["+strings.Join(rows, ",")+"]")
	}
	return strings.Join(parts, "")
}

// metric returns one metric value of a node.
func metric(n *obs.Node, name string) any {
	for _, kv := range n.Metrics() {
		if kv.Key == n.Name+"_0_"+name {
			return kv.Val
		}
	}
	return "missing"
}

func wantMetrics(t *testing.T, n *obs.Node, want map[string]any) {
	t.Helper()
	for k, w := range want {
		if got := metric(n, k); fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("%s %s = %v, want %v", n.Name, k, got, w)
		}
	}
}

// TestNodeNames follows rules-api.md §3.7: source_<name>, then op_<n>_<kind>
// numbered from 2 for a single source.
func TestNodeNames(t *testing.T) {
	h := newHarness(t, "SELECT * FROM demo", exec.Options{RuleID: "r1"})
	if h.pipe.Source[0].Name != "source_demo" || h.pipe.Filter != nil || h.pipe.Project.Name != "op_2_project" {
		t.Errorf("names: %s %v %s", h.pipe.Source[0].Name, h.pipe.Filter, h.pipe.Project.Name)
	}
	if n := h.pipe.Nodes(); len(n) != 1 || n[0] != h.pipe.Project {
		t.Errorf("Nodes() = %v", n)
	}
	h = newHarness(t, "SELECT * FROM demo WHERE a > 1", exec.Options{RuleID: "r1"})
	if h.pipe.Filter == nil || h.pipe.Filter.Name != "op_2_filter" || h.pipe.Project.Name != "op_3_project" {
		t.Fatalf("names with WHERE: %v %s", h.pipe.Filter, h.pipe.Project.Name)
	}
	if n := h.pipe.Nodes(); len(n) != 2 || n[0].Name != "op_2_filter" || n[1].Name != "op_3_project" {
		t.Errorf("Nodes() order = %v", n)
	}
	for _, n := range append(h.pipe.Source, h.pipe.Nodes()...) {
		want := "op"
		if strings.HasPrefix(n.Name, "source_") {
			want = "source"
		}
		if n.Kind != want {
			t.Errorf("%s kind %q, want %q", n.Name, n.Kind, want)
		}
	}
}

// TestProcessFilterProject checks emissions and per-node counters.
func TestProcessFilterProject(t *testing.T) {
	h := newHarness(t, "SELECT a, a * 2 AS b FROM demo WHERE a > 1", exec.Options{RuleID: "r1"})
	for i, a := range []int{1, 2, 3} {
		h.clk.Advance(time.UnixMilli(t0 + int64(i+1)*10))
		h.pipe.Process(0, mk("a", a))
	}
	if got := render(h.emits); got != "[{a:2 b:4}][{a:3 b:6}]" {
		t.Errorf("emissions = %s", got)
	}
	wantMetrics(t, h.pipe.Source[0], map[string]any{"records_in_total": 3, "records_out_total": 3,
		"messages_processed_total": 3, "last_invocation": t0 + 30, "exceptions_total": 0})
	wantMetrics(t, h.pipe.Filter, map[string]any{"records_in_total": 3, "records_out_total": 2,
		"messages_processed_total": 3, "last_invocation": t0 + 30})
	wantMetrics(t, h.pipe.Project, map[string]any{"records_in_total": 2, "records_out_total": 2,
		"messages_processed_total": 2, "last_invocation": t0 + 30, "exceptions_total": 0})
}

// TestRuntimeErrorSendError: a runtime error drops the row, counts an
// exception and, with sendError, emits {"error": "rule <id>: <pos>: <msg>"}
// (sql.md §7.4).
func TestRuntimeErrorSendError(t *testing.T) {
	for _, send := range []bool{true, false} {
		h := newHarness(t, "SELECT a / b AS q FROM demo", exec.Options{RuleID: "r1", SendError: send})
		h.pipe.Process(0, mk("a", 1, "b", 0))
		h.pipe.Process(0, mk("a", 4, "b", 2))
		want := "[{q:2}]"
		if send {
			want = `[{error:"rule r1: 1:8: divided by zero"}]` + want
		}
		if got := render(h.emits); got != want {
			t.Errorf("sendError=%v: emissions %s, want %s", send, got, want)
		}
		wantMetrics(t, h.pipe.Project, map[string]any{"exceptions_total": 1, "last_exception": "1:8: divided by zero",
			"last_exception_time": t0, "records_in_total": 2, "records_out_total": 1, "messages_processed_total": 1})
		if !strings.Contains(strings.Join(h.log.Lines(), "\n"), "rule=r1") {
			t.Errorf("runtime error not logged with rule=r1: %v", h.log.Lines())
		}
	}
}

// TestFilterErrorAndErrorRows: WHERE errors count on the filter node; error
// rows from the source are forwarded as errors and never evaluated.
func TestFilterErrorAndErrorRows(t *testing.T) {
	h := newHarness(t, "SELECT a FROM demo WHERE a / b > 1", exec.Options{RuleID: "r2", SendError: true})
	h.pipe.Process(0, mk("a", 1, "b", 0))
	bad := mk("a", 1)
	bad.Err = errors.New("field a of demo: cannot convert")
	h.pipe.Process(0, bad)
	want := `[{error:"rule r2: 1:26: divided by zero"}][{error:"rule r2: field a of demo: cannot convert"}]`
	if got := render(h.emits); got != want {
		t.Errorf("emissions %s\nwant %s", got, want)
	}
	wantMetrics(t, h.pipe.Filter, map[string]any{"exceptions_total": 1, "records_in_total": 1, "records_out_total": 0})
	wantMetrics(t, h.pipe.Source[0], map[string]any{"exceptions_total": 1, "records_in_total": 2, "records_out_total": 1,
		"last_exception": "field a of demo: cannot convert"})
	wantMetrics(t, h.pipe.Project, map[string]any{"records_in_total": 0})
}

// TestSendMeta: sendMetaToSink adds the row's metadata under __meta.
func TestSendMeta(t *testing.T) {
	h := newHarness(t, "SELECT a FROM demo", exec.Options{RuleID: "r1", SendMeta: true})
	r := mk("a", 1)
	r.Meta = row.MapMeta{"deviceName": value.FromString("d1")}
	h.pipe.Process(0, r)
	h.pipe.Process(0, mk("a", 2))
	if got := render(h.emits); got != `[{a:1 __meta:{"deviceName":"d1"}}][{a:2}]` {
		t.Errorf("emissions = %s", got)
	}
	h = newHarness(t, "SELECT a FROM demo", exec.Options{RuleID: "r1"})
	h.pipe.Process(0, r)
	if got := render(h.emits); got != "[{a:1}]" {
		t.Errorf("without SendMeta: %s", got)
	}
}

// TestUnnestEmissions: without a window each unnest row is its own emission.
func TestUnnestEmissions(t *testing.T) {
	h := newHarness(t, "SELECT unnest(arr) AS e, x FROM demo", exec.Options{RuleID: "r1"})
	h.pipe.Process(0, mk("x", 1, "arr", []any{7, 8, 9}))
	if got := render(h.emits); got != "[{x:1 e:7}][{x:1 e:8}][{x:1 e:9}]" {
		t.Errorf("emissions = %s", got)
	}
	wantMetrics(t, h.pipe.Project, map[string]any{"records_in_total": 1, "records_out_total": 3})
}

// TestLastHit: last_hit_count/last_hit_time see rows that passed WHERE
// before the current one, and are evaluated before WHERE (sql.md §8, §12.13).
func TestLastHit(t *testing.T) {
	h := newHarness(t, "SELECT a, last_hit_count() AS c, last_hit_time() AS ht FROM demo WHERE a > 2", exec.Options{RuleID: "r1"})
	for i, a := range []int{3, 1, 5, 7} {
		r := mk("a", a)
		r.PT = t0 + int64(i)*100
		h.pipe.Process(0, r)
	}
	want := fmt.Sprintf("[{a:3 c:0 ht:0}][{a:5 c:1 ht:%d}][{a:7 c:2 ht:%d}]", t0, t0+200)
	if got := render(h.emits); got != want {
		t.Errorf("emissions %s\nwant %s", got, want)
	}
	if n, at := h.pipe.HitState(); n != 3 || at != t0+300 {
		t.Errorf("HitState = %d, %d", n, at)
	}
	h = newHarness(t, "SELECT a FROM demo WHERE last_hit_count() < 2", exec.Options{RuleID: "r1"})
	for _, a := range []int{1, 2, 3, 4} {
		h.pipe.Process(0, mk("a", a))
	}
	if got := render(h.emits); got != "[{a:1}][{a:2}]" {
		t.Errorf("last_hit_count in WHERE: %s", got)
	}
}

// TestEventTimeRowTime: with event time, last_hit_time reports the row's ET.
func TestEventTimeRowTime(t *testing.T) {
	h := newHarness(t, "SELECT a, event_time() AS et FROM demo", exec.Options{RuleID: "r1", EventTime: true})
	r := mk("a", 1)
	r.ET = 42
	h.pipe.Process(0, r)
	h.pipe.Process(0, mk("a", 2)) // no ET: falls back to processing time
	want := fmt.Sprintf("[{a:1 et:42}][{a:2 et:%d}]", t0)
	if got := render(h.emits); got != want {
		t.Errorf("emissions %s, want %s", got, want)
	}
}

// TestMetricsOrder: each node's metrics follow rules-api.md §3.7, extra
// Oort metrics last.
func TestMetricsOrder(t *testing.T) {
	h := newHarness(t, "SELECT a FROM demo WHERE a > 0", exec.Options{RuleID: "r1"})
	std := []string{"records_in_total", "records_out_total", "messages_processed_total", "process_latency_us",
		"buffer_length", "last_invocation", "exceptions_total", "last_exception", "last_exception_time"}
	conn := []string{"connection_status", "connection_last_connected_time", "connection_last_disconnected_time",
		"connection_last_disconnected_message", "connection_last_try_time"}
	check := func(n *obs.Node, want []string) {
		var got []string
		for _, kv := range n.Metrics() {
			got = append(got, kv.Key)
		}
		var full []string
		for _, w := range want {
			full = append(full, n.Name+"_0_"+w)
		}
		if strings.Join(got, ",") != strings.Join(full, ",") {
			t.Errorf("%s metrics\n got %v\nwant %v", n.Name, got, full)
		}
	}
	check(h.pipe.Source[0], append(append(append([]string{}, std...), conn...), "records_dropped_total", "decode_errors_total"))
	check(h.pipe.Filter, append(append([]string{}, std...), "records_dropped_total"))
	check(h.pipe.Project, append(append([]string{}, std...), "records_dropped_total"))
}

// TestPanicInFunctionIsContained: a panicking function fails its row only;
// the rule keeps processing and the failure is counted and, with
// sendError, reported.
func TestPanicInFunctionIsContained(t *testing.T) {
	reg := fn.NewRegistry()
	reg.MustRegister(&fn.Func{Name: "boom", Kind: fn.Scalar, MinArgs: 1, MaxArgs: 1,
		Eval: func(_ *fn.Env, args []value.Value) (value.Value, error) {
			if args[0].Int() == 0 {
				panic("boom")
			}
			return args[0], nil
		}})
	sel, err := sql.ParseSelect("SELECT boom(a) AS b FROM demo")
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.UnixMilli(t0).UTC())
	env := &fn.Env{Clock: clk, RuleID: "r1", TZ: time.UTC}
	prog, err := plan.Compile(sel, []*plan.Source{{Name: "demo"}}, reg, plan.Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	var emits [][]*row.Row
	log := &obs.Recorder{}
	p := exec.NewPipeline(prog, env, exec.Options{RuleID: "r1", SendError: true}, clk, log, func(rows []*row.Row) { emits = append(emits, rows) })
	p.Process(0, mk("a", 0))
	p.Process(0, mk("a", 5))
	if got := render(emits); got != `[{error:"rule r1: internal error evaluating the row: boom"}][{b:5}]` {
		t.Errorf("emissions %s", got)
	}
	wantMetrics(t, p.Project, map[string]any{"exceptions_total": 1, "records_out_total": 1})
	if !strings.Contains(strings.Join(log.Lines(), "\n"), "ERROR rule=r1 internal error evaluating the row: boom") {
		t.Errorf("panic not logged as an error: %v", log.Lines())
	}
}
