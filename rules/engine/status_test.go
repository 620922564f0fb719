package engine_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/row"
)

var (
	stdMetrics = []string{"records_in_total", "records_out_total", "messages_processed_total", "process_latency_us",
		"buffer_length", "last_invocation", "exceptions_total", "last_exception", "last_exception_time"}
	connMetrics = []string{"connection_status", "connection_last_connected_time", "connection_last_disconnected_time",
		"connection_last_disconnected_message", "connection_last_try_time"}
)

func nodeKeys(node string, groups ...[]string) []string {
	var out []string
	for _, g := range groups {
		for _, m := range g {
			out = append(out, node+"_0_"+m)
		}
	}
	return out
}

// TestRuleStatusOrderAndValues follows rules-api.md §3.7: state fields, then
// every node in topology order with its metrics in the documented order,
// Oort's extra metrics last.
func TestRuleStatusOrderAndValues(t *testing.T) {
	f := demoFixture(t)
	f.clk.Advance(time.UnixMilli(t0 + 5))
	f.rule(t, "r1", "SELECT a FROM demo WHERE a > 1", map[string]any{"actions": []any{map[string]any{"nop": map[string]any{}}}})
	f.clk.Advance(time.UnixMilli(t0 + 10))
	f.e.IngestStream("demo", in("a", 1))
	f.e.IngestStream("demo", in("a", 2))
	keys, m := statusOf(t, f.e, "r1")
	want := []string{"status", "message", "lastStartTimestamp", "lastStopTimestamp", "nextStartTimestamp"}
	want = append(want, nodeKeys("source_demo", stdMetrics, connMetrics, []string{"records_dropped_total", "decode_errors_total"})...)
	want = append(want, nodeKeys("op_2_filter", stdMetrics, []string{"records_dropped_total"})...)
	want = append(want, nodeKeys("op_3_project", stdMetrics, []string{"records_dropped_total"})...)
	want = append(want, nodeKeys("sink_nop_0", stdMetrics, connMetrics)...)
	if strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Errorf("status keys\n got %v\nwant %v", keys, want)
	}
	wantVals := map[string]any{
		"status": "running", "message": "", "lastStartTimestamp": int64(t0 + 5), "lastStopTimestamp": int64(0), "nextStartTimestamp": int64(0),
		"source_demo_0_records_in_total": int64(2), "source_demo_0_records_out_total": int64(2),
		"source_demo_0_last_invocation": int64(t0 + 10), "source_demo_0_connection_status": int64(1),
		"op_2_filter_0_records_in_total": int64(2), "op_2_filter_0_records_out_total": int64(1),
		"op_3_project_0_records_in_total": int64(1), "op_3_project_0_records_out_total": int64(1),
		"sink_nop_0_0_records_in_total": int64(1), "source_demo_0_exceptions_total": int64(0),
		"source_demo_0_last_exception": "",
	}
	for k, w := range wantVals {
		if m[k] != w {
			t.Errorf("%s = %#v, want %#v", k, m[k], w)
		}
	}

	// Stopped: metrics frozen, stop time recorded.
	f.clk.Advance(time.UnixMilli(t0 + 20))
	if err := f.e.StopRule("r1"); err != nil {
		t.Fatal(err)
	}
	if n := f.e.IngestStream("demo", in("a", 5)); n != 0 {
		t.Errorf("a stopped rule still receives rows (%d)", n)
	}
	keys2, m2 := statusOf(t, f.e, "r1")
	if strings.Join(keys2, ",") != strings.Join(keys, ",") {
		t.Errorf("stopped status keys differ:\n%v", keys2)
	}
	if m2["status"] != "stopped" || m2["lastStopTimestamp"] != int64(t0+20) || m2["source_demo_0_records_in_total"] != int64(2) ||
		m2["op_3_project_0_records_out_total"] != int64(1) {
		t.Errorf("stopped status: %v", m2)
	}
	// Restart resets the metrics.
	f.clk.Advance(time.UnixMilli(t0 + 30))
	if err := f.e.StartRule("r1"); err != nil {
		t.Fatal(err)
	}
	_, m3 := statusOf(t, f.e, "r1")
	if m3["status"] != "running" || m3["lastStartTimestamp"] != int64(t0+30) || m3["source_demo_0_records_in_total"] != int64(0) {
		t.Errorf("restarted status: %v %v %v", m3["status"], m3["lastStartTimestamp"], m3["source_demo_0_records_in_total"])
	}
}

// TestRuleStatusNeverStarted: a rule created with triggered=false has the
// state fields only, with zero timestamps.
func TestRuleStatusNeverStarted(t *testing.T) {
	f := demoFixture(t)
	f.rule(t, "r1", "SELECT * FROM demo", map[string]any{"triggered": false})
	keys, m := statusOf(t, f.e, "r1")
	if strings.Join(keys, ",") != "status,message,lastStartTimestamp,lastStopTimestamp,nextStartTimestamp" {
		t.Errorf("keys %v", keys)
	}
	if m["status"] != "stopped" || m["lastStartTimestamp"] != int64(0) || m["lastStopTimestamp"] != int64(0) {
		t.Errorf("values %v", m)
	}
}

// TestAllStatus: exception fields come from the node with the most recent
// exception (rules-api.md §3.6).
func TestAllStatus(t *testing.T) {
	f := demoFixture(t)
	f.rule(t, "r1", "SELECT a / b AS q FROM demo WHERE a / c > 0", nil)
	f.rule(t, "r2", "SELECT * FROM demo", map[string]any{"triggered": false})
	f.clk.Advance(time.UnixMilli(t0 + 1))
	f.e.IngestStream("demo", in("a", 1, "b", 1, "c", 0)) // filter error
	f.clk.Advance(time.UnixMilli(t0 + 2))
	f.e.IngestStream("demo", in("a", 1, "b", 0, "c", 1)) // project error
	all := f.e.AllStatus()
	want := map[string]engine.BriefStatus{
		"r1": {Status: "running", LastException: "1:8: divided by zero", Exceptions: 2},
		"r2": {Status: "stopped"},
	}
	if fmt.Sprint(all) != fmt.Sprint(want) {
		t.Errorf("AllStatus\n got %+v\nwant %+v", all, want)
	}
}

// TestStartFailureStoppedByError: a rule whose source cannot be set up is
// "stopped by error" with the reason in message; restartStrategy retries it
// with back-off; an explicit stop clears the error (rules-api.md §1.3, §1.4).
func TestStartFailureStoppedByError(t *testing.T) {
	fail := true
	f := demoFixture(t, func(c *engine.Config) {
		c.Sources = map[string]engine.SourceFactory{"mqtt": func(*engine.StreamDef, map[string]any, func(*row.Row)) (func(), error) {
			if fail {
				return nil, errors.New("connection refused")
			}
			return func() {}, nil
		}}
	})
	f.exec(t, `CREATE STREAM m () WITH (TYPE="mqtt", DATASOURCE="in")`)
	f.clk.Advance(time.UnixMilli(t0 + 7))
	f.rule(t, "r1", "SELECT * FROM m", map[string]any{"options": map[string]any{
		"restartStrategy": map[string]any{"attempts": 3, "delay": 1000, "multiplier": 2}}})
	_, m := statusOf(t, f.e, "r1")
	if m["status"] != "stopped by error" || m["lastStopTimestamp"] != int64(t0+7) ||
		m["message"] != "start mqtt source of m: connection refused" {
		t.Errorf("status %v, lastStop %v, message %q", m["status"], m["lastStopTimestamp"], m["message"])
	}
	f.clk.Advance(time.UnixMilli(t0 + 7 + 1000)) // first retry after delay, still failing
	if s := ruleStatus(t, f.e, "r1"); s != "stopped by error" {
		t.Errorf("after first retry: %q", s)
	}
	fail = false
	f.clk.Advance(time.UnixMilli(t0 + 7 + 2999)) // second retry is due 2 s after the first
	if s := ruleStatus(t, f.e, "r1"); s != "stopped by error" {
		t.Errorf("retried before the back-off delay: %q", s)
	}
	f.clk.Advance(time.UnixMilli(t0 + 7 + 3000))
	if s := ruleStatus(t, f.e, "r1"); s != "running" {
		t.Errorf("after second retry: %q", s)
	}

	fail = true
	f.rule(t, "r2", "SELECT * FROM m", nil)
	if s := ruleStatus(t, f.e, "r2"); s != "stopped by error" {
		t.Fatalf("r2 status %q", s)
	}
	if err := f.e.StopRule("r2"); err != nil {
		t.Fatal(err)
	}
	if _, m := statusOf(t, f.e, "r2"); m["status"] != "stopped" || m["message"] != "" {
		t.Errorf("after stop: %v %q", m["status"], m["message"])
	}
}

// TestMissingConfKeyFailsStart: a CONF_KEY naming a section that does not
// exist is an error when a rule starts (sql.md §2.5), for every source type.
func TestMissingConfKeyFailsStart(t *testing.T) {
	f := demoFixture(t, func(c *engine.Config) {
		c.SourceConf = func(typ, key string) (map[string]any, bool) {
			if key == "default" {
				return map[string]any{}, true
			}
			return nil, false
		}
		c.Sources = map[string]engine.SourceFactory{"mqtt": func(*engine.StreamDef, map[string]any, func(*row.Row)) (func(), error) {
			return func() {}, nil
		}}
	})
	for _, typ := range []string{"mqtt", "edgex", "memory"} {
		name := "s_" + typ
		f.exec(t, `CREATE STREAM `+name+` () WITH (TYPE="`+typ+`", DATASOURCE="x/y", CONF_KEY="nosuch")`)
		f.rule(t, "r_"+typ, "SELECT * FROM "+name, nil)
		_, m := statusOf(t, f.e, "r_"+typ)
		want := "conf key nosuch for source type " + typ + " does not exist"
		if m["status"] != "stopped by error" || !strings.Contains(fmt.Sprint(m["message"]), want) {
			t.Errorf("%s stream with a missing CONF_KEY: status %v, message %q, want stopped by error with %q", typ, m["status"], m["message"], want)
		}
	}
}
