package sinks

import (
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/edgexfoundry/go-mod-messaging/v4/messaging"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/google/uuid"
)

// The tests in this package that talk to a broker use the local Mosquitto.
const brokerHost, brokerPort = "127.0.0.1", 1883

// testPrefix gives each test its own base topic prefix, so parallel runs
// by other engineers on the same broker never cross.
func testPrefix() string { return "oort-e2-" + uuid.NewString()[:8] }

// busClient connects a go-mod-messaging MQTT client, as the SDK would.
func busClient(t *testing.T) messaging.MessageClient {
	t.Helper()
	cfg := types.MessageBusConfig{
		Broker: types.HostInfo{Host: brokerHost, Port: brokerPort, Protocol: "tcp"},
		Type:   "mqtt",
		Optional: map[string]string{
			"ClientId": "oort-e2-" + uuid.NewString(), "Qos": "1", "KeepAlive": "10",
			"AutoReconnect": "true", "ConnectTimeout": "5", "CleanSession": "true",
		},
	}
	c, err := messaging.NewMessageClient(cfg)
	if err != nil {
		t.Fatalf("creating message client: %v", err)
	}
	if err := c.Connect(); err != nil {
		t.Fatalf("connecting to Mosquitto on %s:%d: %v", brokerHost, brokerPort, err)
	}
	t.Cleanup(func() { _ = c.Disconnect() })
	return c
}

type rawMsg struct {
	topic string
	data  []byte
}

// rawSubscriber receives the exact bytes published on filter.
func rawSubscriber(t *testing.T, filter string) <-chan rawMsg {
	t.Helper()
	opts := paho.NewClientOptions().AddBroker("tcp://127.0.0.1:1883").
		SetClientID("oort-e2-raw-" + uuid.NewString()).SetCleanSession(true)
	c := paho.NewClient(opts)
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("raw subscriber connect: %v", tok.Error())
	}
	ch := make(chan rawMsg, 64)
	tok := c.Subscribe(filter, 1, func(_ paho.Client, m paho.Message) {
		ch <- rawMsg{m.Topic(), append([]byte(nil), m.Payload()...)}
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("raw subscribe %s: %v", filter, tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return ch
}

func receive(t *testing.T, ch <-chan rawMsg, what string) rawMsg {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(5 * time.Second):
		t.Fatalf("no message for %s within 5s", what)
	}
	return rawMsg{}
}
