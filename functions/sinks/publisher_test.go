package sinks

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/google/uuid"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// TestBusPublisherWireShape checks the envelope field by field against what
// svc.PublishWithTopic produces (edgex.md §4): topic "<base>/<topic>",
// apiVersion v3, fresh correlation id, empty requestID, embedded payload.
func TestBusPublisherWireShape(t *testing.T) {
	prefix := testPrefix()
	ch := rawSubscriber(t, prefix+"/#")
	pub := NewBusPublisher(busClient(t), prefix)
	for i := 0; i < 2; i++ {
		if err := pub.PublishWithTopic("a/b", map[string]any{"k": 1}, common.ContentTypeJSON); err != nil {
			t.Fatal(err)
		}
	}
	m1, m2 := receive(t, ch, "first"), receive(t, ch, "second")
	if m1.topic != prefix+"/a/b" {
		t.Fatalf("topic %q, want %q", m1.topic, prefix+"/a/b")
	}
	var env, env2 map[string]any
	if err := json.Unmarshal(m1.data, &env); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(m2.data, &env2)
	want := map[string]any{"apiVersion": "v3", "receivedTopic": "", "requestID": "", "errorCode": 0.0, "contentType": "application/json"}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("envelope %s = %#v, want %#v", k, env[k], v)
		}
	}
	if p, ok := env["payload"].(map[string]any); !ok || p["k"] != 1.0 {
		t.Errorf("payload must be embedded JSON, got %#v", env["payload"])
	}
	if _, err := uuid.Parse(env["correlationID"].(string)); err != nil || env["correlationID"] == env2["correlationID"] {
		t.Errorf("correlation ids must be fresh UUIDs: %v %v", env["correlationID"], env2["correlationID"])
	}
	if _, has := env["queryParams"]; has || len(env) != 7 {
		t.Errorf("unexpected envelope keys: %v", env)
	}
}

// TestEdgeXTopicOnTheWire proves the base prefix is applied exactly once
// (edgex.md §15 pitfall 16) for topic and topicPrefix forms.
func TestEdgeXTopicOnTheWire(t *testing.T) {
	prefix := testPrefix()
	ch := rawSubscriber(t, prefix+"/#")
	pub := NewBusPublisher(busClient(t), prefix)
	r := &row.Row{Cols: []row.Col{{Name: "v", Val: value.FromInt(1)}}}
	for _, props := range []map[string]any{
		{"topic": prefix + "/rules/out"},
		{"topicPrefix": prefix + "/events/device", "serviceName": "oort", "deviceName": "D", "profileName": "P", "sourceName": "S"},
	} {
		env, _ := newEnv("rule1")
		c, err := NewEdgeXFactory(pub, prefix)(props, env)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.(interface {
			SendRows(context.Context, []*row.Row) error
		}).SendRows(context.Background(), []*row.Row{r}); err != nil {
			t.Fatal(err)
		}
	}
	if m := receive(t, ch, "topic form"); m.topic != prefix+"/rules/out" {
		t.Errorf("topic form published on %q", m.topic)
	}
	if m := receive(t, ch, "topicPrefix form"); m.topic != prefix+"/events/device/oort/P/D/S" {
		t.Errorf("topicPrefix form published on %q", m.topic)
	}
}
