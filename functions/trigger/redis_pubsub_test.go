package trigger

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/fxamacker/cbor/v2"
	"github.com/go-redis/redis/v8"
	"github.com/oort-rules/oort/functions/eventrow"
)

func TestTopicConversion(t *testing.T) {
	cases := map[string]string{
		"edgex/events/#":                  "edgex.events.*",
		"edgex/events/device/+/+/dev1/#":  "edgex.events.device.*.*.dev1.*",
		"edgex/events/device/svc/p/d/src": "edgex.events.device.svc.p.d.src",
	}
	for topic, want := range cases {
		if got := TopicToPattern(topic); got != want {
			t.Errorf("TopicToPattern(%q) = %q, want %q", topic, got, want)
		}
	}
	if got := ChannelToTopic("edgex.events.device.svc.p.d.src"); got != "edgex/events/device/svc/p/d/src" {
		t.Errorf("ChannelToTopic = %q", got)
	}
}

func seqEvent(t testing.TB, seq int) requests.AddEventRequest {
	ev := dtos.NewEvent("Seq-Profile", "Seq-Device", "Seq")
	if err := ev.AddSimpleReading("seq", "Int64", int64(seq)); err != nil {
		t.Fatal(err)
	}
	return requests.NewAddEventRequest(ev)
}

// v3Envelope is an EdgeX 3.x Redis message: camelCase keys, base64 payload.
func v3Envelope(t testing.TB, payload []byte, ct, corr string) []byte {
	b, err := json.Marshal(map[string]any{
		"apiVersion": "v3", "receivedTopic": "", "correlationID": corr, "requestID": "",
		"errorCode": 0, "payload": base64.StdEncoding.EncodeToString(payload), "contentType": ct,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// v2Envelope is an EdgeX 2.x Redis message: PascalCase keys.
func v2Envelope(t testing.TB, payload []byte, ct, corr string) []byte {
	b, err := json.Marshal(map[string]any{
		"ApiVersion": "v2", "ReceivedTopic": "", "CorrelationID": corr, "RequestID": "",
		"ErrorCode": 0, "Payload": base64.StdEncoding.EncodeToString(payload), "ContentType": ct, "QueryParams": map[string]string{},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type seen struct {
	topic, ct, corr string
	seq             int64
}

// TestRedisPubSubOrder publishes 1,000 EdgeX 3.x envelopes on the real Redis
// (127.0.0.1:6379) and checks that the handler sees all of them, in order,
// with topic, content type and correlation id; then a 2.x envelope and a
// CBOR payload.
func TestRedisPubSubOrder(t *testing.T) {
	const n = 1000
	unique := fmt.Sprintf("oorttest%d", time.Now().UnixNano())
	var mu sync.Mutex
	var got []seen
	dec := eventrow.NewDecoder(eventrow.Options{})
	h := func(topic string, payload []byte, ct, corr string) {
		r, _, err := dec.DecodeEvent(payload, ct, topic, corr)
		s := seen{topic: topic, ct: ct, corr: corr, seq: -1}
		if err == nil {
			v, _ := r.Get("seq")
			s.seq = v.Int()
		} else {
			t.Errorf("decode: %v", err)
		}
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
	}
	cfg := RedisPubSubConfig{Host: "127.0.0.1", Port: 6379, Topics: []string{"edgex/events/device/" + unique + "/#"}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	deferred, err := NewRedisPubSubTrigger(cfg, h, logger.NewMockClient()).Initialize(&wg, ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { deferred(); wg.Wait() }()

	pub := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer pub.Close()
	channel := "edgex.events.device." + unique + ".Seq-Profile.Seq-Device.Seq"
	for i := 0; i < n; i++ {
		payload, _ := json.Marshal(seqEvent(t, i))
		if err := pub.Publish(ctx, channel, v3Envelope(t, payload, "application/json", fmt.Sprintf("corr-%d", i))).Err(); err != nil {
			t.Fatal(err)
		}
	}
	v2payload, _ := json.Marshal(seqEvent(t, n))
	pub.Publish(ctx, channel, v2Envelope(t, v2payload, "application/json", "corr-v2"))
	cborPayload, _ := cbor.Marshal(seqEvent(t, n+1))
	pub.Publish(ctx, channel, v3Envelope(t, cborPayload, "application/cbor", "corr-cbor"))

	waitFor(t, &mu, func() bool { return len(got) >= n+2 }, 30*time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != n+2 {
		t.Fatalf("received %d of %d", len(got), n+2)
	}
	wantTopic := "edgex/events/device/" + unique + "/Seq-Profile/Seq-Device/Seq"
	for i, s := range got {
		if s.seq != int64(i) || s.topic != wantTopic {
			t.Fatalf("message %d: seq %d topic %q", i, s.seq, s.topic)
		}
	}
	if got[5].corr != "corr-5" || got[5].ct != "application/json" || got[n].corr != "corr-v2" ||
		got[n+1].corr != "corr-cbor" || got[n+1].ct != "application/cbor" {
		t.Errorf("envelope fields: %+v %+v %+v", got[5], got[n], got[n+1])
	}
}

func waitFor(t *testing.T, mu *sync.Mutex, cond func() bool, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		mu.Lock()
		ok := cond()
		mu.Unlock()
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRedisPubSubUnreachable(t *testing.T) {
	cfg := RedisPubSubConfig{Host: "127.0.0.1", Port: 1, Topics: []string{"edgex/events/#"}}
	var wg sync.WaitGroup
	_, err := NewRedisPubSubTrigger(cfg, func(string, []byte, string, string) {}, logger.NewMockClient()).
		Initialize(&wg, context.Background(), nil)
	if err == nil {
		t.Fatal("want an error for an unreachable Redis")
	}
}

func TestUnwrapLegacyEnvelope(t *testing.T) {
	payload := []byte(`{"event":{}}`)
	for _, env := range [][]byte{
		v3Envelope(t, payload, "application/json", "c"),
		v2Envelope(t, payload, "application/json", "c"),
		[]byte(`{"Checksum":"x","CorrelationID":"c","Payload":"eyJldmVudCI6e319","ContentType":"application/json"}`),
		[]byte(`{"correlationID":"c","payload":{"event":{}}}`),
	} {
		p, ct, corr, err := UnwrapLegacyEnvelope(env)
		if err != nil || string(p) != string(payload) || ct != "application/json" || corr != "c" {
			t.Errorf("%s: payload %q ct %q corr %q err %v", env, p, ct, corr, err)
		}
	}
	for _, bad := range []string{`not json`, `{"payload":null}`, `{"errorCode":1,"payload":"eA=="}`, `{"payload":"!!"}`, `{"payload":5}`} {
		if _, _, _, err := UnwrapLegacyEnvelope([]byte(bad)); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}
