package trigger

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/go-zeromq/zmq4"
)

// The tests run a real zmq4 PUB socket on a free loopback port, standing in
// for EdgeX 1.x core-data.

const probeCorr = "probe"

// v1Envelope is the JSON envelope EdgeX 1.x published on ZeroMQ.
func v1Envelope(t testing.TB, i int, corr string) []byte {
	payload, ct := v1SeqEvent(t, i, i%3 == 2)
	return mustJSON(t, map[string]any{
		"Checksum": "0f3c", "CorrelationID": corr, "Payload": base64.StdEncoding.EncodeToString(payload), "ContentType": ct,
	})
}

func newPub(t *testing.T, endpoint string) (zmq4.Socket, string) {
	t.Helper()
	pub := zmq4.NewPub(context.Background())
	if err := pub.Listen(endpoint); err != nil {
		t.Fatalf("PUB on %s: %v", endpoint, err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	return pub, fmt.Sprintf("127.0.0.1:%d", pub.Addr().(*net.TCPAddr).Port)
}

func startZeroMQ(t *testing.T, cfg ZeroMQConfig, h EventHandler) *capLog {
	t.Helper()
	var wg sync.WaitGroup
	lc := newCapLog()
	deferred, err := NewZeroMQTrigger(cfg, h, lc).Initialize(&wg, context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deferred(); wg.Wait() })
	return lc
}

// waitJoined publishes probes until the subscriber receives one: PUB/SUB
// drops everything sent before the subscription reached the publisher.
func waitJoined(t *testing.T, pub zmq4.Socket, rec *v1Recorder, topic string) {
	t.Helper()
	base := rec.count()
	deadline := time.Now().Add(10 * time.Second)
	for rec.count() == base {
		if time.Now().After(deadline) {
			t.Fatal("the subscriber never received a probe")
		}
		if err := pub.Send(zmq4.NewMsgFrom([]byte(topic), v1Envelope(t, -1, probeCorr))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // let probes in flight arrive
}

// withoutProbes drops the probe events.
func withoutProbes(got []v1Got) []v1Got {
	var out []v1Got
	for _, g := range got {
		if g.corr != probeCorr {
			out = append(out, g)
		}
	}
	return out
}

func waitReal(rec *v1Recorder, n int, d time.Duration) []v1Got {
	deadline := time.Now().Add(d)
	for {
		got := withoutProbes(rec.waitCount(0, 0))
		if len(got) >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// zmqTopic is the topic of message i: even ones are [topic, payload], odd
// ones a single frame [payload] (no topic).
func zmqTopic(i int) string {
	if i%2 == 0 {
		return "events"
	}
	return ""
}

func publishV1(t *testing.T, pub zmq4.Socket, first, n int) {
	t.Helper()
	for i := first; i < first+n; i++ {
		env := v1Envelope(t, i, corrN(i))
		msg := zmq4.NewMsg(env)
		if topic := zmqTopic(i); topic != "" {
			msg = zmq4.NewMsgFrom([]byte(topic), env)
		}
		if err := pub.Send(msg); err != nil {
			t.Fatalf("publishing %d: %v", i, err)
		}
	}
}

// TestZeroMQOrder publishes 1,000 two-frame and one-frame messages (JSON
// and CBOR events) and checks order, topics and the conversion; malformed
// messages in between are skipped.
func TestZeroMQOrder(t *testing.T) {
	const n = 1000
	pub, addr := newPub(t, "tcp://127.0.0.1:0")
	rec := newV1Recorder(t)
	lc := startZeroMQ(t, ZeroMQConfig{Endpoint: "tcp://" + addr}, rec.handle)
	waitJoined(t, pub, rec, "events")

	publishV1(t, pub, 0, n/2)
	for _, bad := range [][][]byte{
		{[]byte("events"), []byte("not json")},
		{[]byte("events"), []byte(`{"CorrelationID":"c","Payload":"eyJ4IjoxfQ==","ContentType":"application/json"}`)}, // {"x":1}: no device
		{[]byte("a"), []byte("b"), []byte("c")},
	} {
		if err := pub.Send(zmq4.NewMsgFrom(bad...)); err != nil {
			t.Fatal(err)
		}
	}
	publishV1(t, pub, n/2, n/2)

	waitReal(rec, n, 30*time.Second)
	time.Sleep(100 * time.Millisecond)
	got := withoutProbes(rec.waitCount(0, 0))
	if len(got) != n {
		t.Fatalf("received %d events, want %d", len(got), n)
	}
	checkV1Seq(t, got, 0, zmqTopic, corrN)
	for _, want := range []string{"envelope is not valid JSON", "device: missing", "message with 3 frames"} {
		if !lc.has("ERROR", want) {
			t.Errorf("no error logged with %q:\n%s", want, lc)
		}
	}
}

// TestZeroMQTopicFilter subscribes to the prefix "events/device" only.
func TestZeroMQTopicFilter(t *testing.T) {
	pub, addr := newPub(t, "tcp://127.0.0.1:0")
	rec := newV1Recorder(t)
	startZeroMQ(t, ZeroMQConfig{Endpoint: addr, Topics: []string{"events/device"}}, rec.handle) // no scheme: tcp:// added
	waitJoined(t, pub, rec, "events/device/probe")
	for i := range 20 {
		topic := "events/device/Seq-Device"
		if i%2 == 1 {
			topic = "other/events/device"
		}
		if err := pub.Send(zmq4.NewMsgFrom([]byte(topic), v1Envelope(t, i, corrN(i)))); err != nil {
			t.Fatal(err)
		}
	}
	if err := pub.Send(zmq4.NewMsg(v1Envelope(t, 99, corrN(99)))); err != nil { // one frame: no topic, filtered out
		t.Fatal(err)
	}
	if err := pub.Send(zmq4.NewMsgFrom([]byte("events/device/end"), v1Envelope(t, 100, "end"))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := withoutProbes(rec.waitCount(0, 0))
		if len(got) > 0 && got[len(got)-1].corr == "end" {
			got = got[:len(got)-1]
			if len(got) != 10 {
				t.Fatalf("received %d filtered events, want 10", len(got))
			}
			for k, g := range got {
				if g.seq != int64(2*k) || g.topic != "events/device/Seq-Device" {
					t.Fatalf("event #%d: seq %d topic %q", k, g.seq, g.topic)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the end marker never arrived (%d events)", len(got))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestZeroMQReconnect restarts the publisher on the same port: the trigger
// reconnects and receives what the new publisher sends.
func TestZeroMQReconnect(t *testing.T) {
	pub, addr := newPub(t, "tcp://127.0.0.1:0")
	rec := newV1Recorder(t)
	lc := startZeroMQ(t, ZeroMQConfig{Endpoint: "tcp://" + addr}, rec.handle)
	waitJoined(t, pub, rec, "events")
	publishV1(t, pub, 0, 100)
	if got := waitReal(rec, 100, 10*time.Second); len(got) != 100 {
		t.Fatalf("before the restart: %d events", len(got))
	}
	_ = pub.Close()
	time.Sleep(300 * time.Millisecond) // the trigger sees the loss and starts redialling

	pub2, _ := newPub(t, "tcp://"+addr)
	waitJoined(t, pub2, rec, "events")
	publishV1(t, pub2, 100, 100)
	got := waitReal(rec, 200, 10*time.Second)
	if len(got) != 200 {
		t.Fatalf("after the restart: %d events, want 200", len(got))
	}
	checkV1Seq(t, got, 0, zmqTopic, corrN)
	if !lc.has("ERROR", "connection to tcp://"+addr+" lost") || !lc.has("INFO", "reconnected to tcp://"+addr) {
		t.Errorf("the connection loss was not logged:\n%s", lc)
	}
}

func TestZeroMQUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	var wg sync.WaitGroup
	_, err = NewZeroMQTrigger(ZeroMQConfig{Endpoint: "tcp://" + addr}, func(string, []byte, string, string) {},
		logger.NewMockClient()).Initialize(&wg, context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "tcp://"+addr) {
		t.Fatalf("want an error naming tcp://%s, got %v", addr, err)
	}
}

func TestZeroMQConfigErrors(t *testing.T) {
	var wg sync.WaitGroup
	_, err := NewZeroMQTrigger(ZeroMQConfig{}, func(string, []byte, string, string) {}, logger.NewMockClient()).
		Initialize(&wg, context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "Endpoint") {
		t.Fatalf("want a missing-endpoint error, got %v", err)
	}
}
