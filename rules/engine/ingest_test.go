package engine_test

import (
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// TestSchemaShaping: declared streams keep only declared columns in
// declaration order; schemaless streams pass rows through (sql.md §4).
func TestSchemaShaping(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM typed (b STRING, a BIGINT) WITH (TYPE="edgex")`)
	f.exec(t, `CREATE STREAM free () WITH (TYPE="edgex")`)
	c1 := f.attached(t, "r1", "SELECT * FROM typed", nil)
	c2 := f.attached(t, "r2", "SELECT * FROM free", nil)
	f.e.IngestStream("typed", in("a", 1, "x", 9, "b", "s"))
	f.e.IngestStream("free", in("a", 1, "x", 9, "b", "s"))
	if got := c1.String(); got != `[{b:"s" a:1}]` {
		t.Errorf("declared stream emitted %s", got)
	}
	if got := c2.String(); got != `[{a:1 x:9 b:"s"}]` {
		t.Errorf("schemaless stream emitted %s", got)
	}
}

// TestStrictValidation: values are converted to their declared types,
// DEFAULTs fill missing fields, and unconvertible values make an error row
// (sql.md §3.5, §7.4).
func TestStrictValidation(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM s (a BIGINT, f FLOAT, name STRING DEFAULT "n/a", ok BOOLEAN DEFAULT true) WITH (TYPE="edgex", STRICT_VALIDATION="true")`)
	f.exec(t, `CREATE STREAM loose (a BIGINT, name STRING DEFAULT "n/a") WITH (TYPE="edgex")`)
	c := f.attached(t, "r1", "SELECT *, f / 2 AS half FROM s", map[string]any{"sendError": true})
	c2 := f.attached(t, "r2", "SELECT * FROM loose", nil)
	f.e.IngestStream("s", in("a", "12", "f", 3))
	f.e.IngestStream("s", in("a", "twelve"))
	f.e.IngestStream("loose", in("a", "12"))
	got := c.String()
	if !strings.HasPrefix(got, `[{a:12 f:3 name:"n/a" ok:true half:1.5}][{error:"rule r1: `) || !strings.Contains(got, "field a of s") {
		t.Errorf("strict stream emitted %s", got)
	}
	if got := c2.String(); got != `[{a:"12"}]` {
		t.Errorf("non-strict stream emitted %s (values pass through, no DEFAULT)", got)
	}
	_, m := statusOf(t, f.e, "r1")
	if m["source_s_0_exceptions_total"] != int64(1) {
		t.Errorf("error row not counted on the source: %v", m["source_s_0_exceptions_total"])
	}
}

// TestSendErrorOption: runtime errors reach the output only with sendError
// (rules-api.md §1.3, sql.md §7.4).
func TestSendErrorOption(t *testing.T) {
	f := demoFixture(t)
	on := f.attached(t, "on", "SELECT a / b AS q FROM demo", map[string]any{"sendError": true})
	off := f.attached(t, "off", "SELECT a / b AS q FROM demo", nil)
	f.e.IngestStream("demo", in("a", 1, "b", 0))
	f.e.IngestStream("demo", in("a", 4, "b", 2))
	if got := on.String(); got != `[{error:"rule on: 1:8: divided by zero"}][{q:2}]` {
		t.Errorf("sendError=true: %s", got)
	}
	if got := off.String(); got != "[{q:2}]" {
		t.Errorf("sendError=false: %s", got)
	}
	for _, id := range []string{"on", "off"} {
		if _, m := statusOf(t, f.e, id); m["op_2_project_0_exceptions_total"] != int64(1) {
			t.Errorf("%s: exceptions %v", id, m["op_2_project_0_exceptions_total"])
		}
	}
}

// TestSendMetaToSink: rows carry __meta with the source metadata; the option
// is refused with windows and joins (sql.md §5.6).
func TestSendMetaToSink(t *testing.T) {
	f := demoFixture(t)
	c := f.attached(t, "r1", "SELECT a FROM demo", map[string]any{"sendMetaToSink": true})
	r := in("a", 1)
	r.Meta = row.MapMeta{"deviceName": value.FromString("d1")}
	f.e.IngestStream("demo", r)
	if got := c.String(); got != `[{a:1 __meta:{"deviceName":"d1"}}]` {
		t.Errorf("emitted %s", got)
	}
	f.exec(t, `CREATE STREAM other () WITH (TYPE="edgex")`)
	for _, q := range []string{"SELECT * FROM demo INNER JOIN other ON demo.a = other.a",
		"SELECT count(*) FROM demo GROUP BY TUMBLINGWINDOW(ss, 10)"} {
		_, err := f.e.CreateRule(ruleDoc("w", q, map[string]any{"options": map[string]any{"sendMetaToSink": true}}))
		if err == nil || err.Error() != "invalid option sendMetaToSink, it can not be applied to window" {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestIgnoreCase: RulesEngine.IgnoreCase makes column lookup
// case-insensitive (sql.md §1.2), at compile time and for incoming keys.
func TestIgnoreCase(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM demo (Temperature FLOAT) WITH (TYPE="edgex")`)
	_, err := f.e.CreateRule(ruleDoc("r0", "SELECT temperature FROM demo", nil))
	if err == nil || err.Error() != "1:8: unknown field temperature" {
		t.Errorf("case-sensitive lookup: %v", err)
	}
	g := newFixture(t, func(c *engine.Config) { c.IgnoreCase = true })
	g.exec(t, `CREATE STREAM demo (Temperature FLOAT) WITH (TYPE="edgex")`)
	g.exec(t, `CREATE STREAM free () WITH (TYPE="edgex")`)
	c := g.attached(t, "r1", "SELECT temperature FROM demo WHERE TEMPERATURE > 1", nil)
	c2 := g.attached(t, "r2", "SELECT Hum FROM free WHERE hum > 1", nil)
	g.e.IngestStream("demo", in("Temperature", 2.5))
	g.e.IngestStream("free", in("HUM", 5))
	if got := c.String(); got != "[{temperature:2.5}]" {
		t.Errorf("declared, same-case key: %s", got)
	}
	if got := c2.String(); got != "[{Hum:5}]" {
		t.Errorf("schemaless: %s", got)
	}
	c.reset()
	g.e.IngestStream("demo", in("temperature", 3.5))
	if got := c.String(); got != "[{temperature:3.5}]" {
		t.Errorf("declared Temperature, incoming key temperature: %s (schema shaping dropped the column)", got)
	}
}

// TestMemoryChain: a memory sink publishes on the bus and a memory stream
// reads it (rule pipelines, rules-api.md §2.4.7).
func TestMemoryChain(t *testing.T) {
	f := demoFixture(t)
	f.exec(t, `CREATE STREAM mid () WITH (TYPE="memory", DATASOURCE="mid/+")`)
	out := subscribe(t, f.bus, "final")
	f.rule(t, "first", "SELECT a * 2 AS b FROM demo", map[string]any{"actions": []any{map[string]any{"memory": map[string]any{"topic": "mid/x", "sendSingle": true}}}})
	f.rule(t, "second", "SELECT b + 1 AS c FROM mid", map[string]any{"actions": []any{map[string]any{"memory": map[string]any{"topic": "final", "sendSingle": true}}}})
	f.e.IngestStream("demo", in("a", 20))
	waitFor(t, "chained output", func() bool { return len(out.get()) == 1 })
	if got := out.get()[0]; got != "{c:41}" {
		t.Errorf("chained output %s", got)
	}
	if err := f.e.StopRule("second"); err != nil {
		t.Fatal(err)
	}
	f.bus.Publish("mid/x", []*row.Row{in("b", 1)})
	if len(out.get()) != 1 {
		t.Error("a stopped memory-stream rule still consumes its topic")
	}
}

// TestIngestEdgeXTopicFilter: edgex rows reach only the rules whose stream
// topic filter matches (sql.md §2.4).
func TestIngestEdgeXTopicFilter(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM all () WITH (TYPE="edgex", DATASOURCE="demo")`)
	f.exec(t, `CREATE STREAM dev1 () WITH (TYPE="edgex", DATASOURCE="edgex/events/device/+/+/dev1/#")`)
	f.exec(t, `CREATE STREAM ex () WITH (TYPE="edgex", EXTRA="{\"topic\":\"edgex/events/device/p/s/dev2/r\"}")`)
	a := f.attached(t, "ra", "SELECT v, mqtt(topic) AS t FROM all", nil)
	b := f.attached(t, "rb", "SELECT v FROM dev1", nil)
	c := f.attached(t, "rc", "SELECT v FROM ex", nil)
	if !f.e.HasEdgeXReaders() {
		t.Fatal("HasEdgeXReaders false with running edgex rules")
	}
	r1 := in("v", 1)
	r1.Topic = "edgex/events/device/p/s/dev1/r"
	r2 := in("v", 2)
	r2.Topic = "edgex/events/device/p/s/dev2/r"
	if n := f.e.IngestEdgeX(r1, 0); n != 2 {
		t.Errorf("row 1 routed to %d rules, want 2", n)
	}
	if n := f.e.IngestEdgeX(r2, 1); n != 2 {
		t.Errorf("row 2 routed to %d rules, want 2", n)
	}
	if got := a.String(); got != `[{v:1 t:"edgex/events/device/p/s/dev1/r"}][{v:2 t:"edgex/events/device/p/s/dev2/r"}]` {
		t.Errorf("all: %s", got)
	}
	if b.String() != "[{v:1}]" || c.String() != "[{v:2}]" {
		t.Errorf("filtered: dev1 %s ex %s", b, c)
	}
	_, m := statusOf(t, f.e, "rc")
	if m["source_ex_0_decode_errors_total"] != int64(1) {
		t.Errorf("decode errors %v", m["source_ex_0_decode_errors_total"])
	}
	for _, id := range []string{"ra", "rb", "rc"} {
		_ = f.e.StopRule(id)
	}
	if f.e.HasEdgeXReaders() {
		t.Error("HasEdgeXReaders true with every rule stopped")
	}
}

// TestTempRuleReadsTempStream: only temporary rules may read TEMP streams,
// and neither is persisted (sql.md §2.3).
func TestTempRuleReadsTempStream(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM tmp () WITH (TYPE="edgex", TEMP="true")`)
	f.rule(t, "rt", "SELECT * FROM tmp", map[string]any{"temp": true})
	if len(f.mem().keys(engine.BucketStreams)) != 0 || len(f.mem().keys(engine.BucketRules)) != 0 {
		t.Errorf("temporary items persisted: %v %v", f.mem().keys(engine.BucketStreams), f.mem().keys(engine.BucketRules))
	}
	if err := f.e.StopRule("rt"); err != nil || len(f.mem().keys(engine.BucketRules)) != 0 {
		t.Errorf("stopping a temporary rule persisted it: %v", err)
	}
}
