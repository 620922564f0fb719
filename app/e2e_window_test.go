package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/google/uuid"
)

// TestEventTimeWindowOnOrigin runs an event-time tumbling window whose event
// time is the EdgeX event origin (no TIMESTAMP column) in the running
// service, and checks the per-device counts of each closed window.
func TestEventTimeWindowOnOrigin(t *testing.T) {
	s := startService(t, t.TempDir(), freePort(t))
	defer s.stop()
	dev := "win-" + uuid.NewString()[:8]
	s.expect("POST", "/streams", fmt.Sprintf(`{"sql":"CREATE STREAM winIn () WITH (TYPE=\"edgex\", DATASOURCE=\"edgex/events/device/+/+/%s/#\")"}`, dev), 201, "")
	rule := fmt.Sprintf(`{"id":"win","sql":"SELECT meta(deviceName) AS d, count(*) AS c, sum(v) AS total, window_start() AS ws, window_end() AS we FROM winIn GROUP BY meta(deviceName), TUMBLINGWINDOW(ss, 10)",
		"options":{"isEventTime":true,"lateTolerance":0},
		"actions":[{"mqtt":{"server":"tcp://127.0.0.1:1883","topic":"e2e/win/%s","sendSingle":true}}]}`, dev)
	s.expect("POST", "/rules", rule, 201, "")
	assertRuleStatus(t, s, "win", "running")

	c := mqttClient(t)
	got := make(chan map[string]any, 16)
	tok := c.Subscribe("e2e/win/"+dev, 0, func(_ paho.Client, m paho.Message) {
		var r map[string]any
		if json.Unmarshal(m.Payload(), &r) == nil {
			got <- r
		}
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// three events in [0s,10s), two in [10s,20s), then one at 25s closes both windows
	for i, off := range []time.Duration{1 * time.Second, 4 * time.Second, 9 * time.Second, 12 * time.Second, 15 * time.Second, 25 * time.Second} {
		ev := dtos.NewEvent("e2e-profile", dev, "win")
		ev.Origin = base.Add(off).UnixNano()
		_ = ev.AddSimpleReading("v", common.ValueTypeInt32, int32(i+1))
		publishEvent(t, c, "edgex/events/device/e2e-svc/e2e-profile/"+dev+"/win", ev)
	}
	want := []struct{ c, total, ws float64 }{{3, 6, float64(base.Add(1 * time.Second).UnixMilli())}, {2, 9, float64(base.Add(10 * time.Second).UnixMilli())}}
	for i, w := range want {
		select {
		case r := <-got:
			if r["d"] != dev || r["c"] != w.c || r["total"] != w.total || r["ws"] != w.ws {
				t.Fatalf("window %d: got %v, want count %v total %v ws %v", i, r, w.c, w.total, w.ws)
			}
		case <-time.After(10 * time.Second):
			_, _, st := s.call("GET", "/rules/win/status", "")
			t.Fatalf("window %d not emitted; status:\n%s", i, st)
		}
	}
}
