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

// TestRuleChainingThroughMemory: rule A's memory sink feeds rule B's memory
// stream (sql.md §11, rules-api.md §2.4.7), end to end through real sink
// nodes and the in-process bus.
func TestRuleChainingThroughMemory(t *testing.T) {
	bus := &membus.Bus{}
	sinks := sink.NewRegistry()
	sink.RegisterBuiltins(sinks, bus)
	eng, err := engine.New(engine.Config{Sinks: sinks, Bus: bus, Clock: clock.NewFake(time.UnixMilli(1_700_000_000_000))})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, st := range []string{
		`CREATE STREAM raw () WITH (TYPE="memory", DATASOURCE="in/raw")`,
		`CREATE STREAM doubled () WITH (TYPE="memory", DATASOURCE="chain/doubled")`,
	} {
		if _, err := eng.ExecStreamSQL(engine.KindStream, st); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := eng.CreateRule([]byte(`{"id":"a","sql":"SELECT v * 2 AS w FROM raw","actions":[{"memory":{"topic":"chain/doubled","sendSingle":true}}]}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.CreateRule([]byte(`{"id":"b","triggered":false,"sql":"SELECT w + 1 AS x FROM doubled","actions":[{"nop":{}}]}`)); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []int64
	if err := eng.AttachEmit("b", func(rows []*row.Row) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range rows {
			v, _ := r.Get("x")
			got = append(got, v.Int())
		}
	}); err != nil {
		t.Fatal(err)
	}
	for i := int64(1); i <= 3; i++ {
		bus.Publish("in/raw", []*row.Row{{Cols: []row.Col{{Name: "v", Val: value.FromInt(i)}}}})
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 3 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 || got[0] != 3 || got[1] != 5 || got[2] != 7 {
		t.Fatalf("chained output %v, want [3 5 7]", got)
	}
}
