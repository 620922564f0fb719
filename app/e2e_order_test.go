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

// TestOrderingEndToEnd publishes 10,000 sequenced events from one device
// source as fast as possible over the real broker and checks that the rule
// sees them in publish order (its output, one message per row, carries the
// sequence numbers in the order the rule produced them).
func TestOrderingEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000-event ordering test skipped with -short")
	}
	const n = 10000
	s := startService(t, t.TempDir(), freePort(t))
	defer s.stop()
	dev := "ord-" + uuid.NewString()[:8]
	s.expect("POST", "/streams", fmt.Sprintf(`{"sql":"CREATE STREAM ordIn () WITH (TYPE=\"edgex\", DATASOURCE=\"edgex/events/device/+/+/%s/#\")"}`, dev), 201, "")
	rule := fmt.Sprintf(`{"id":"ord","sql":"SELECT seq FROM ordIn","options":{"bufferLength":%d},"actions":[{"mqtt":{"server":"tcp://127.0.0.1:1883","topic":"e2e/ord/%s","sendSingle":true,"bufferLength":%d}}]}`, n*2, dev, n*2)
	s.expect("POST", "/rules", rule, 201, "")
	assertRuleStatus(t, s, "ord", "running")

	c := mqttClient(t)
	seen := make(chan int64, n)
	tok := c.Subscribe("e2e/ord/"+dev, 0, func(_ paho.Client, m paho.Message) {
		var r struct{ Seq int64 }
		if json.Unmarshal(m.Payload(), &r) == nil {
			seen <- r.Seq
		}
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	pub := mqttClient(t)
	topic := "edgex/events/device/e2e-svc/e2e-profile/" + dev + "/seq"
	start := time.Now()
	for i := 1; i <= n; i++ {
		ev := dtos.NewEvent("e2e-profile", dev, "seq")
		_ = ev.AddSimpleReading("seq", common.ValueTypeInt64, int64(i))
		publishEventAsync(t, pub, topic, ev)
	}
	t.Logf("published %d events in %s", n, time.Since(start))
	checkOrder(t, s, seen, n)
}

func publishEventAsync(t *testing.T, c paho.Client, topic string, ev dtos.Event) {
	b, err := json.Marshal(map[string]any{"apiVersion": "v3", "correlationID": uuid.NewString(), "contentType": "application/json",
		"payload": map[string]any{"apiVersion": "v3", "requestId": uuid.NewString(), "event": ev}})
	must(t, err)
	c.Publish(topic, 0, false, b)
}

func checkOrder(t *testing.T, s *service, seen chan int64, n int) {
	t.Helper()
	var last int64
	got, outOfOrder := 0, 0
	deadline := time.After(60 * time.Second)
	for got < n {
		select {
		case v := <-seen:
			got++
			if v <= last {
				outOfOrder++
			}
			last = v
		case <-deadline:
			_, _, st := s.call("GET", "/rules/ord/status", "")
			t.Fatalf("received %d of %d events (out of order: %d); status:\n%s", got, n, outOfOrder, st)
		}
	}
	if outOfOrder > 0 {
		t.Fatalf("%d of %d events reached the rule out of order", outOfOrder, n)
	}
	t.Logf("all %d events reached the rule in publish order", n)
}
