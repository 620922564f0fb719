package main

import (
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	gometrics "github.com/rcrowley/go-metrics"

	"github.com/oort-rules/oort/rules/engine"
)

type recRegistry struct {
	items map[string]interface{}
	tags  map[string]map[string]string
}

func (r *recRegistry) Register(name string, item interface{}, tags map[string]string) error {
	r.items[name], r.tags[name] = item, tags
	return nil
}
func (r *recRegistry) Unregister(name string) { delete(r.items, name) }

func (r *recRegistry) count(t *testing.T, name string) int64 {
	t.Helper()
	c, ok := r.items[name].(gometrics.Counter)
	if !ok {
		t.Fatalf("%s is not registered", name)
	}
	return c.Count()
}

// TestRuleMetrics: per-rule counters are registered as <Name>-<rule> with a
// rule tag, grow by deltas (a restart resetting a rule's counters never
// makes them go back), and are unregistered when the rule disappears.
func TestRuleMetrics(t *testing.T) {
	reg := &recRegistry{items: map[string]interface{}{}, tags: map[string]map[string]string{}}
	m := &ruleMetrics{mm: reg, lc: logger.NewMockClient(), items: map[string]*ruleItems{}}
	m.sync(map[string]engine.Totals{"r1": {RowsOut: 5, Errors: 1, SinkErrors: map[string]int64{"sink_mqtt_0": 1}}})
	m.sync(map[string]engine.Totals{"r1": {RowsOut: 8, Errors: 1, Late: 2, LatencySumMs: 30, LatencyCount: 3, SinkErrors: map[string]int64{"sink_mqtt_0": 3}}})
	lat, ok := reg.items["OortRuleLatency-r1"].(gometrics.Timer)
	if !ok || lat.Count() != 1 || time.Duration(lat.Mean()) != 10*time.Millisecond {
		t.Fatalf("OortRuleLatency = %v, want one sample of 10ms", reg.items["OortRuleLatency-r1"])
	}
	if got := reg.count(t, "OortRowsOut-r1"); got != 8 {
		t.Fatalf("OortRowsOut = %d, want 8", got)
	}
	if got := reg.count(t, "OortLateRows-r1"); got != 2 {
		t.Fatalf("OortLateRows = %d, want 2", got)
	}
	if got := reg.count(t, "OortSinkErrors-r1-sink_mqtt_0"); got != 3 {
		t.Fatalf("OortSinkErrors = %d, want 3", got)
	}
	if reg.tags["OortRowsOut-r1"]["rule"] != "r1" || reg.tags["OortSinkErrors-r1-sink_mqtt_0"]["sink"] != "sink_mqtt_0" {
		t.Fatalf("tags: %v", reg.tags)
	}
	m.sync(map[string]engine.Totals{"r1": {RowsOut: 2}}) // restarted: counters reset
	if got := reg.count(t, "OortRowsOut-r1"); got != 8 {
		t.Fatalf("OortRowsOut after a reset = %d, want 8", got)
	}
	m.sync(map[string]engine.Totals{})
	if len(reg.items) != 0 {
		t.Fatalf("metrics of a deleted rule still registered: %v", reg.items)
	}
}
