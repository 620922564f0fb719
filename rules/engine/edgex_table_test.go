package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/value"
)

// TestScanTableFedFromEdgeX: a TYPE="edgex" scan table receives bus events
// through the same routing as streams (filtered by its topic), and a stream
// joined with it sees the latest setpoint per device.
func TestScanTableFedFromEdgeX(t *testing.T) {
	sinks := sink.NewRegistry()
	sink.RegisterBuiltins(sinks, &membus.Bus{})
	eng, err := engine.New(engine.Config{Sinks: sinks, Clock: clock.NewFake(time.UnixMilli(0)), Synchronous: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for kind, st := range map[engine.Kind]string{
		engine.KindStream: `CREATE STREAM temps () WITH (TYPE="edgex", DATASOURCE="edgex/events/device/+/+/+/temp")`,
		engine.KindTable:  `CREATE TABLE setpoints () WITH (TYPE="edgex", DATASOURCE="edgex/events/device/+/+/+/setpoint", RETAIN_SIZE="10")`,
	} {
		if _, err := eng.ExecStreamSQL(kind, st); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := eng.CreateRule([]byte(`{"id":"j","triggered":false,"actions":[{"nop":{}}],
		"sql":"SELECT meta(temps.deviceName) AS d, t FROM temps INNER JOIN setpoints ON meta(temps.deviceName) = meta(setpoints.deviceName) WHERE t > sp"}`)); err != nil {
		t.Fatal(err)
	}
	var got []*row.Row
	if err := eng.AttachEmit("j", func(rows []*row.Row) { got = append(got, rows...) }); err != nil {
		t.Fatal(err)
	}
	event := func(topic, device, col string, v float64) {
		eng.IngestEdgeX(&row.Row{Topic: topic, Meta: row.MapMeta{"deviceName": value.FromString(device)},
			Cols: []row.Col{{Name: col, Val: value.FromFloat(v)}}}, 0)
	}
	event("edgex/events/device/svc/p/d1/setpoint", "d1", "sp", 20)
	event("edgex/events/device/svc/p/d2/setpoint", "d2", "sp", 30)
	if len(got) != 0 {
		t.Fatal("table rows must not trigger output")
	}
	event("edgex/events/device/svc/p/d1/temp", "d1", "t", 25) // above d1's 20
	event("edgex/events/device/svc/p/d2/temp", "d2", "t", 25) // below d2's 30
	if len(got) != 1 {
		t.Fatalf("got %d rows, want 1", len(got))
	}
	if d, _ := got[0].Get("d"); d.Str() != "d1" {
		t.Fatalf("joined device %v, want d1", d)
	}
	// GET /rules/{id}/scantables shows what the rule's scan table holds
	if body, err := eng.ScanTables("j"); err != nil || string(body) != `{"setpoints":[{"sp":20},{"sp":30}]}` {
		t.Fatalf("scan tables: %s, %v", body, err)
	}
	if err := eng.StopRule("j"); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.ScanTables("j"); err == nil || !strings.Contains(err.Error(), "rule j is not running") {
		t.Fatalf("scan tables of a stopped rule: %v", err)
	}
}
