package engine_test

import (
	"sync"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/value"
)

// TestLateRowsGoToLateActions: a row behind the watermark is counted in the
// watermark node and delivered to the rule's lateActions with __watermark.
func TestLateRowsGoToLateActions(t *testing.T) {
	bus := &membus.Bus{}
	sinks := sink.NewRegistry()
	sink.RegisterBuiltins(sinks, bus)
	clk := clock.NewFake(time.UnixMilli(10_000))
	eng, err := engine.New(engine.Config{Sinks: sinks, Bus: bus, Clock: clk, Synchronous: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if _, err := eng.ExecStreamSQL(engine.KindStream, `CREATE STREAM s () WITH (TYPE="memory", TIMESTAMP="ts")`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var late []*row.Row
	bus.Subscribe("late/s", func(_ string, rows []*row.Row) { mu.Lock(); late = append(late, rows...); mu.Unlock() })
	rule := `{"id":"w","sql":"SELECT count(*) AS c FROM s GROUP BY TUMBLINGWINDOW(ss, 1)",
		"options":{"isEventTime":true,"lateTolerance":1000},
		"actions":[{"nop":{}}],"lateActions":[{"memory":{"topic":"late/s","sendSingle":true}}]}`
	if _, err := eng.CreateRule([]byte(rule)); err != nil {
		t.Fatal(err)
	}
	send := func(ts int64) {
		eng.IngestStream("s", &row.Row{Cols: []row.Col{{Name: "ts", Val: value.FromInt(ts)}}})
	}
	send(20_000) // watermark 19000
	send(15_000) // late
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(late)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(late) != 1 {
		t.Fatalf("late rows delivered: %d, want 1", len(late))
	}
	if wm, _ := late[0].Get("__watermark"); wm.Int() != 19_000 {
		t.Fatalf("__watermark = %v, want 19000", wm)
	}
	st, _ := eng.RuleStatus("w")
	found := false
	for _, kv := range st {
		if kv.Key == "op_2_watermark_0_late_records_total" {
			found = true
			if kv.Val != int64(1) {
				t.Fatalf("late_records_total = %v", kv.Val)
			}
		}
	}
	if !found {
		t.Fatalf("status has no op_2_watermark_0_late_records_total: %v", st)
	}
}
