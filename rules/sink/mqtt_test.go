package sink

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/google/uuid"

	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// Tests use the real local broker (house rule 4).
const broker = "tcp://127.0.0.1:1883"

type mqttMsg struct {
	topic, payload string
	qos            byte
	retained       bool
}

type mqttSub struct {
	client mqtt.Client
	mu     sync.Mutex
	msgs   []mqttMsg
}

func subscribe(t *testing.T, filter string) *mqttSub {
	t.Helper()
	s := &mqttSub{}
	opts := mqtt.NewClientOptions().AddBroker(broker).SetClientID("oort-test-" + uuid.NewString())
	s.client = mqtt.NewClient(opts)
	if tok := s.client.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("test subscriber cannot connect to %s: %v", broker, tok.Error())
	}
	tok := s.client.Subscribe(filter, 2, func(_ mqtt.Client, m mqtt.Message) {
		s.mu.Lock()
		s.msgs = append(s.msgs, mqttMsg{m.Topic(), string(m.Payload()), m.Qos(), m.Retained()})
		s.mu.Unlock()
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	t.Cleanup(func() { s.client.Disconnect(100) })
	return s
}

func (s *mqttSub) got() []mqttMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]mqttMsg(nil), s.msgs...)
}

func TestMQTTPublishDynamicTopicQoS(t *testing.T) {
	base := "oort-test/" + uuid.NewString()
	for _, pv := range []string{"3.1", "3.1.1"} {
		for qos := 0; qos <= 2; qos++ {
			sub := subscribe(t, base+"/#")
			env := testEnv(nil)
			props := map[string]any{"server": broker, "topic": base + "/{{.dev}}", "qos": qos, "sendSingle": true,
				"protocolVersion": pv, "excludeFields": []any{"dev"}}
			n := builtinNode(t, "mqtt", props, env, nil)
			if env.Node.ConnStatus.Load() != obs.Connected {
				t.Fatalf("connection_status %d", env.Node.ConnStatus.Load())
			}
			n.Send([]*row.Row{R("dev", "d1", "v", 1), R("dev", "d2", "v", 2)})
			closeNode(t, n)
			eventually(t, "mqtt messages", func() bool { return len(sub.got()) == 2 })
			got := sub.got()
			sort.Slice(got, func(i, j int) bool { return got[i].topic < got[j].topic })
			want := []mqttMsg{{base + "/d1", `{"v":1}`, byte(qos), false}, {base + "/d2", `{"v":2}`, byte(qos), false}}
			if got[0] != want[0] || got[1] != want[1] {
				t.Fatalf("pv %s qos %d: got %+v", pv, qos, got)
			}
			sub.client.Disconnect(50)
		}
	}
}

func TestMQTTRetained(t *testing.T) {
	tp := "oort-test/" + uuid.NewString() + "/retained"
	n := builtinNode(t, "mqtt", map[string]any{"server": broker, "topic": tp, "retained": "true", "qos": "1"}, testEnv(nil), nil)
	n.Send([]*row.Row{R("a", 1)})
	closeNode(t, n)
	sub := subscribe(t, tp) // subscribes after the publish: only a retained message arrives
	eventually(t, "retained message", func() bool { return len(sub.got()) == 1 })
	if m := sub.got()[0]; m.payload != `[{"a":1}]` || !m.retained {
		t.Fatalf("got %+v", m)
	}
	sub.client.Publish(tp, 1, true, []byte{}).WaitTimeout(time.Second) // clear the retained message
}

func TestMQTTConnectionLossIsRecoverable(t *testing.T) {
	id := "oort-test-" + uuid.NewString()
	env := testEnv(nil)
	c, err := NewMQTT(map[string]any{"server": broker, "topic": "oort-test/x", "clientId": id}, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A second client with the same id makes the broker drop the sink's
	// connection: a real connection loss. The sink reconnects at once (and
	// evicts the intruder in turn).
	intruder := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(broker).SetClientID(id).SetAutoReconnect(false))
	if tok := intruder.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("intruder: %v", tok.Error())
	}
	defer intruder.Disconnect(0)
	eventually(t, "connection lost", func() bool { return env.Node.ConnLastDisconnected.Load() != 0 })
	if env.Node.LastDisconnectMessage() == "" {
		t.Fatal("no disconnect message")
	}
	eventually(t, "auto-reconnect", func() bool { return env.Node.ConnStatus.Load() == obs.Connected })
	eventually(t, "send after reconnect", func() bool {
		return c.(ByteConnector).SendBytes(context.Background(), []byte("{}"), nil) == nil
	})
	_ = c.Close()
	err = c.(ByteConnector).SendBytes(context.Background(), []byte("{}"), nil)
	var rec *Recoverable
	if !errors.As(err, &rec) || !strings.Contains(err.Error(), "not connected") {
		t.Fatalf("send while disconnected: %v", err)
	}
}

func TestMQTTOpenFailure(t *testing.T) {
	env := testEnv(nil)
	n, err := NewNode(NodeSpec{Type: "mqtt", Props: map[string]any{"server": "tcp://127.0.0.1:1", "topic": "x"}, Factory: NewMQTT, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.Open(ctx); err == nil || !strings.Contains(err.Error(), "connecting to tcp://127.0.0.1:1") {
		t.Fatalf("open: %v", err)
	}
	if env.Node.ConnStatus.Load() != obs.Disconnected {
		t.Fatalf("status %d", env.Node.ConnStatus.Load())
	}
	_ = n.Close(ctx)
}

func TestMQTTSetupErrors(t *testing.T) {
	cases := []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"topic": "x"}, "property server is required"},
		{map[string]any{"server": broker}, "property topic is required"},
		{map[string]any{"server": broker, "topic": "a/+"}, "must not contain wildcards"},
		{map[string]any{"server": broker, "topic": "x", "qos": 3}, "property qos"},
		{map[string]any{"server": broker, "topic": "x", "protocolVersion": "5"}, "protocolVersion"},
		{map[string]any{"server": broker, "topic": "x", "secretName": "s"}, "no secret provider"},
		{map[string]any{"server": "ssl://h:8883", "topic": "x", "certificationPath": "/nonexistent.pem", "privateKeyPath": "/nonexistent.key"}, "certificationPath"},
		{map[string]any{"server": "ssl://h:8883", "topic": "x", "certficationRaw": "bm90IHBlbQ==", "privateKeyRaw": "bm90IHBlbQ=="}, "TLS client certificate"},
	}
	for _, c := range cases {
		if _, err := NewMQTT(c.props, testEnv(nil)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.props, err, c.want)
		}
	}
}

func TestMQTTSecretName(t *testing.T) {
	env := testEnv(nil)
	asked := ""
	env.Secrets = func(name string) (map[string]string, error) {
		asked = name
		return map[string]string{"username": "u", "password": "p"}, nil
	}
	c, err := NewMQTT(map[string]any{"server": broker, "topic": "x", "secretName": "cloud-mqtt"}, env)
	if err != nil {
		t.Fatal(err)
	}
	o := c.(*mqttConn).opts
	if asked != "cloud-mqtt" || o.Username != "u" || o.Password != "p" {
		t.Fatalf("asked %q user %q", asked, o.Username)
	}
}

// TestMQTTRedirect: the connector returned for resendDestination publishes
// on the new topic through the same broker connection.
func TestMQTTRedirect(t *testing.T) {
	base := "oort-test/" + uuid.NewString()
	sub := subscribe(t, base+"/#")
	env := testEnv(nil)
	n := builtinNode(t, "mqtt", map[string]any{"server": broker, "topic": base + "/live"}, env, nil)
	d, _ := ParseDyn(base + "/resend/{{.dev}}")
	rc, err := n.conn.(Redirector).Redirect(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.(ByteConnector).SendBytes(context.Background(), []byte(`{"v":1}`), R("dev", "d1")); err != nil {
		t.Fatal(err)
	}
	n.Send([]*row.Row{R("dev", "d2")})
	eventually(t, "both messages", func() bool { return len(sub.got()) == 2 })
	got := sub.got()
	sort.Slice(got, func(i, j int) bool { return got[i].topic < got[j].topic })
	if got[0].topic != base+"/live" || got[1].topic != base+"/resend/d1" || got[1].payload != `{"v":1}` {
		t.Fatalf("got %+v", got)
	}
}
