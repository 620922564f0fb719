package engine_test

import (
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/value"
)

// TestCheckpointSurvivesRestart: with qos 1 a rule's analytic state and its
// buffered window rows are saved on stop and restored when the service
// (here: a new engine on the same store) starts the rule again.
func TestCheckpointSurvivesRestart(t *testing.T) {
	store := newMemStore()
	open := func(store engine.Store) (*engine.Engine, *[][]*row.Row) {
		bus := &membus.Bus{}
		sinks := sink.NewRegistry()
		sink.RegisterBuiltins(sinks, bus)
		eng, err := engine.New(engine.Config{Store: store, Sinks: sinks, Bus: bus, Clock: clock.NewFake(time.UnixMilli(0)), Synchronous: true})
		if err != nil {
			t.Fatal(err)
		}
		out := &[][]*row.Row{}
		return eng, out
	}
	eng, _ := open(store)
	if _, err := eng.ExecStreamSQL(engine.KindStream, `CREATE STREAM s () WITH (TYPE="memory")`); err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{
		`{"id":"lagged","triggered":false,"sql":"SELECT v, lag(v) AS prev FROM s","options":{"qos":1},"actions":[{"nop":{}}]}`,
		`{"id":"counted","triggered":false,"sql":"SELECT collect(v) AS vs FROM s GROUP BY COUNTWINDOW(3)","options":{"qos":1},"actions":[{"nop":{}}]}`,
	} {
		if _, err := eng.CreateRule([]byte(doc)); err != nil {
			t.Fatal(err)
		}
	}
	capture := func(eng *engine.Engine, id string, out *[][]*row.Row) {
		if err := eng.AttachEmit(id, func(rows []*row.Row) { *out = append(*out, rows) }); err != nil {
			t.Fatal(err)
		}
	}
	var lagOut, cntOut [][]*row.Row
	capture(eng, "lagged", &lagOut)
	capture(eng, "counted", &cntOut)
	send := func(eng *engine.Engine, v int64) {
		eng.IngestStream("s", &row.Row{Cols: []row.Col{{Name: "v", Val: value.FromInt(v)}}})
	}
	send(eng, 1)
	send(eng, 2)
	if err := eng.Close(); err != nil { // stops the rules: final checkpoints
		t.Fatal(err)
	}

	eng2, _ := open(store.reopen())
	defer eng2.Close()
	lagOut, cntOut = nil, nil
	capture(eng2, "lagged", &lagOut)
	capture(eng2, "counted", &cntOut)
	send(eng2, 3)
	if len(lagOut) != 1 {
		t.Fatalf("lagged emitted %d times", len(lagOut))
	}
	if prev, _ := lagOut[0][0].Get("prev"); prev.Int() != 2 {
		t.Fatalf("lag after restart = %v, want 2 (restored from the checkpoint)", prev)
	}
	if len(cntOut) != 1 {
		t.Fatalf("count window emitted %d times, want 1 (2 restored rows + 1 new)", len(cntOut))
	}
	if vs, _ := cntOut[0][0].Get("vs"); value.ToJSON(vs) != "[1,2,3]" {
		t.Fatalf("count window content %s, want [1,2,3]", value.ToJSON(vs))
	}
}

// TestEventTimeCheckpoint: an event-time window's rows (released and still
// waiting for the watermark) and the watermark survive a restart.
func TestEventTimeCheckpoint(t *testing.T) {
	store := newMemStore()
	open := func(st engine.Store) *engine.Engine {
		eng, err := engine.New(engine.Config{Store: st, Clock: clock.NewFake(time.UnixMilli(0)), Synchronous: true})
		if err != nil {
			t.Fatal(err)
		}
		return eng
	}
	eng := open(store)
	if _, err := eng.ExecStreamSQL(engine.KindStream, `CREATE STREAM s () WITH (TYPE="memory", TIMESTAMP="ts")`); err != nil {
		t.Fatal(err)
	}
	doc := `{"id":"ev","triggered":false,"sql":"SELECT count(*) AS c, collect(v) AS vs FROM s GROUP BY TUMBLINGWINDOW(ss, 1)",
		"options":{"qos":1,"isEventTime":true,"lateTolerance":500},"actions":[{"nop":{}}]}`
	if _, err := eng.CreateRule([]byte(doc)); err != nil {
		t.Fatal(err)
	}
	var out [][]*row.Row
	attach := func(eng *engine.Engine) {
		if err := eng.AttachEmit("ev", func(rows []*row.Row) { out = append(out, rows) }); err != nil {
			t.Fatal(err)
		}
	}
	send := func(eng *engine.Engine, v, ts int64) {
		eng.IngestStream("s", &row.Row{Cols: []row.Col{{Name: "v", Val: value.FromInt(v)}, {Name: "ts", Val: value.FromInt(ts)}}})
	}
	attach(eng)
	send(eng, 1, 10_100)
	send(eng, 2, 10_700) // watermark 10200: 10100 released, 10700 still waiting
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}
	eng2 := open(store.reopen())
	defer eng2.Close()
	attach(eng2)
	send(eng2, 3, 10_900)
	send(eng2, 4, 11_600) // watermark 11100: [10000,11000) closes
	if len(out) != 1 {
		t.Fatalf("emissions %d, want 1", len(out))
	}
	if vs, _ := out[0][0].Get("vs"); value.ToJSON(vs) != "[1,2,3]" {
		t.Fatalf("window content %s, want [1,2,3] (rows from before the restart included)", value.ToJSON(vs))
	}
}
