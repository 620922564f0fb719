package sink

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

func builtinNode(t *testing.T, typ string, props map[string]any, env *Env, bus *membus.Bus) *Node {
	t.Helper()
	reg := NewRegistry()
	RegisterBuiltins(reg, bus)
	f, ok := reg.Lookup(typ)
	if !ok {
		t.Fatalf("%s not registered", typ)
	}
	env.Type = typ
	return openNode(t, NodeSpec{Type: typ, Props: props, Factory: f, Env: env})
}

func TestRegistry(t *testing.T) {
	reg := NewRegistry()
	RegisterBuiltins(reg, &membus.Bus{})
	if got := reg.Names(); !reflect.DeepEqual(got, []string{"log", "memory", "mqtt", "nop", "rest"}) {
		t.Fatalf("names %v", got)
	}
	for _, n := range []string{"http", "rest", "MQTT", "Log"} {
		if _, ok := reg.Lookup(n); !ok {
			t.Errorf("%s not found", n)
		}
	}
	for _, n := range []string{"redis", "kafka", "file", "influx2"} {
		if _, ok := reg.Lookup(n); ok {
			t.Errorf("%s must not be registered", n)
		}
	}
	if Unsupported("redis").Error() != "sink type redis is not supported" {
		t.Fatal(Unsupported("redis"))
	}
}

func TestLogSink(t *testing.T) {
	log := &obs.Recorder{}
	env := testEnv(log)
	n := builtinNode(t, "log", map[string]any{"sendSingle": true}, env, nil)
	n.Send([]*row.Row{R("a", 1, "b", "x")})
	closeNode(t, n)
	want := []string{`INFO sink result for rule r1: {"a":1,"b":"x"}`}
	if got := log.Lines(); !reflect.DeepEqual(got, want) {
		t.Fatalf("log %q", got)
	}
	if env.Node.Name != "sink_test_0" || env.Node.RecordsOut.Load() != 1 {
		t.Fatalf("metrics %s out %d", env.Node.Name, env.Node.RecordsOut.Load())
	}
}

func TestNopSink(t *testing.T) {
	for _, logOn := range []bool{false, true} {
		log := &obs.Recorder{}
		n := builtinNode(t, "nop", map[string]any{"log": logOn}, testEnv(log), nil)
		n.Send([]*row.Row{R("a", 1)})
		closeNode(t, n)
		if got := len(log.Lines()); (got == 1) != logOn {
			t.Errorf("log=%v: %d lines", logOn, got)
		}
	}
}

type busRec struct {
	mu     sync.Mutex
	topics []string
	rows   []*row.Row
}

func (b *busRec) fn(topic string, rows []*row.Row) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for range rows {
		b.topics = append(b.topics, topic)
	}
	b.rows = append(b.rows, rows...)
}

func (b *busRec) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.rows)
}

func TestMemorySinkDynamicTopicAndKinds(t *testing.T) {
	bus := &membus.Bus{}
	rec := &busRec{}
	bus.Subscribe("dev/#", rec.fn)
	props := map[string]any{"topic": "dev/{{.device}}", "sendSingle": true, "rowkindField": "op", "keyField": "id", "fields": []any{"id", "op", "v", "device"}}
	n := builtinNode(t, "memory", props, testEnv(nil), bus)
	in := []*row.Row{
		R("device", "d1", "id", 1, "op", "UPSERT", "v", 1.5, "extra", true),
		R("device", "d2", "id", 2, "v", 2),
	}
	in[0].PT = 77
	n.Send(in)
	closeNode(t, n)
	if rec.count() != 2 || !reflect.DeepEqual(rec.topics, []string{"dev/d1", "dev/d2"}) {
		t.Fatalf("topics %v", rec.topics)
	}
	r0 := rec.rows[0]
	if got := string(AppendRow(nil, r0)); got != `{"id":1,"op":"UPSERT","v":1.5,"device":"d1"}` {
		t.Fatalf("row %s", got)
	}
	if r0.PT != 77 || r0.Topic != "dev/d1" {
		t.Fatalf("PT %d topic %q", r0.PT, r0.Topic)
	}
	kind, _ := r0.Meta.Get("rowkind")
	key, _ := r0.Meta.Get("key")
	if kind.Str() != "upsert" || key.Int() != 1 {
		t.Fatalf("meta kind %v key %v", kind, key)
	}
	if k, _ := rec.rows[1].Meta.Get("rowkind"); k.Str() != "insert" {
		t.Fatalf("default kind %v", k)
	}
	if in[0].Meta != nil {
		t.Fatal("input row was modified")
	}
}

func TestMemorySinkErrors(t *testing.T) {
	reg := NewRegistry()
	RegisterBuiltins(reg, &membus.Bus{})
	f, _ := reg.Lookup("memory")
	for _, props := range []map[string]any{{}, {"topic": "a/#"}, {"topic": "{{.a"}} {
		if _, err := f(props, testEnv(nil)); err == nil {
			t.Errorf("props %v accepted", props)
		}
	}
	bus := &membus.Bus{}
	env := testEnv(nil)
	n := builtinNode(t, "memory", map[string]any{"topic": "t", "rowkindField": "op"}, env, bus)
	n.Send([]*row.Row{R("op", "merge")})
	closeNode(t, n)
	if !strings.Contains(env.Node.LastException(), `invalid row kind "merge"`) {
		t.Fatalf("last exception %q", env.Node.LastException())
	}
}

func TestMemorySinkTemplateRow(t *testing.T) {
	bus := &membus.Bus{}
	rec := &busRec{}
	bus.Subscribe("out", rec.fn)
	n := builtinNode(t, "memory", map[string]any{"topic": "out", "dataTemplate": `{"n":{{len .}},"first":{{(index . 0).a}}}`}, testEnv(nil), bus)
	n.Send([]*row.Row{R("a", 5), R("a", 6)})
	closeNode(t, n)
	if rec.count() != 1 {
		t.Fatalf("rows %d", rec.count())
	}
	if got := string(AppendRow(nil, rec.rows[0])); got != `{"n":2,"first":5}` {
		t.Fatalf("row %s", got)
	}
	if v, _ := rec.rows[0].Get("n"); v.Kind() != value.Int {
		t.Fatalf("kind %s", v.Kind())
	}
}

func TestDyn(t *testing.T) {
	d, err := ParseDyn("plain/topic")
	if err != nil || !d.IsStatic() {
		t.Fatal(err)
	}
	if s, _ := d.Render(nil); s != "plain/topic" {
		t.Fatal(s)
	}
	d, err = ParseDyn(`{{.dev}}/{{printf "%03d" .n}}/{{lower .x}}`)
	if err != nil || d.IsStatic() {
		t.Fatal(err)
	}
	s, err := d.Render(R("dev", "d1", "n", 7, "x", "AB"))
	if err != nil || s != "d1/007/ab" {
		t.Fatalf("%q %v", s, err)
	}
	if _, err := ParseDyn("{{.a"); err == nil {
		t.Fatal("bad template accepted")
	}
	d, _ = ParseDyn(`{{index .a 3}}`)
	if _, err := d.Render(R("a", []any{1})); err == nil || !strings.Contains(err.Error(), `dynamic property "{{index .a 3}}"`) {
		t.Fatalf("render error %v", err)
	}
	if s, _ := (*Dyn)(nil).Render(nil); s != "" {
		t.Fatal(s)
	}
}
