package trigger

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-messaging/v4/messaging"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/oort-rules/oort/functions/eventrow"
)

// The tests use the real local Mosquitto (edgex-compose's broker image).
func mqttClient(t testing.TB, role string, qos int) messaging.MessageClient {
	t.Helper()
	cfg := types.MessageBusConfig{
		Broker: types.HostInfo{Host: "127.0.0.1", Port: 1883, Protocol: "tcp"},
		Type:   "mqtt",
		Optional: map[string]string{
			"ClientId":       fmt.Sprintf("oort-test-%s-%d-%d", role, os.Getpid(), time.Now().UnixNano()),
			"Qos":            strconv.Itoa(qos),
			"KeepAlive":      "10",
			"ConnectTimeout": "10",
			"AutoReconnect":  "true",
			"CleanSession":   "true",
		},
	}
	c, err := messaging.NewMessageClient(cfg)
	if err != nil {
		t.Fatalf("creating MQTT client: %v", err)
	}
	if err := c.Connect(); err != nil {
		t.Fatalf("connecting to Mosquitto 127.0.0.1:1883: %v", err)
	}
	t.Cleanup(func() { _ = c.Disconnect() })
	return c
}

func uniqueTopic(name string) string {
	return fmt.Sprintf("oort-test/%s/%d/%d", name, os.Getpid(), time.Now().UnixNano())
}

// seqEnvelope is what a device service publishes: a JSON envelope with the
// AddEventRequest embedded (svc.PublishWithTopic / device-sdk SendEvent).
func seqEnvelope(t testing.TB, seq int) types.MessageEnvelope {
	ev := dtos.NewEvent("Seq-Profile", "Seq-Device", "Seq")
	if err := ev.AddSimpleReading("seq", "Int64", int64(seq)); err != nil {
		t.Fatal(err)
	}
	env := types.NewMessageEnvelope(requests.NewAddEventRequest(ev), context.Background())
	env.ContentType = "application/json"
	return env
}

// recorder collects sequence numbers in handler-call order.
type recorder struct {
	mu   sync.Mutex
	seqs []int64
	errs int
	want int
	done chan struct{}
}

func newRecorder(want int) *recorder { return &recorder{want: want, done: make(chan struct{})} }

func (r *recorder) add(seq int64, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errs++
	} else {
		r.seqs = append(r.seqs, seq)
	}
	if len(r.seqs)+r.errs == r.want {
		close(r.done)
	}
}

func (r *recorder) snapshot() ([]int64, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int64(nil), r.seqs...), r.errs
}

func decodeSeq(dec *eventrow.Decoder, topic string, data []byte) (int64, error) {
	row, _, err := dec.DecodeMessage(topic, data)
	if err != nil {
		return 0, err
	}
	v, ok := row.Get("seq")
	if !ok {
		return 0, fmt.Errorf("no seq column")
	}
	return v.Int(), nil
}

// startTrigger runs a BusTrigger on topic with handler h and returns a stop
// function.
func startTrigger(t *testing.T, client messaging.MessageClient, topics []string, h Handler) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	deferred, err := NewBusTrigger(client, topics, h, logger.NewMockClient()).Initialize(&wg, ctx, nil)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	return func() {
		deferred()
		cancel()
		wg.Wait()
	}
}

func publishSeq(t testing.TB, pub messaging.MessageClient, topic string, n int) time.Duration {
	envs := make([]types.MessageEnvelope, n)
	for i := range envs {
		envs[i] = seqEnvelope(t, i)
	}
	start := time.Now()
	for i := range envs {
		if err := pub.Publish(envs[i], topic); err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	return time.Since(start)
}

// inversions counts received values smaller than one received before them.
func inversions(seqs []int64) int {
	n := 0
	hi := int64(-1)
	for _, s := range seqs {
		if s < hi {
			n++
		}
		hi = max(hi, s)
	}
	return n
}

// ordered ingest over the real broker: the acceptance criterion for the
// ingest path (edgex.md §3).
func runOrdered(t *testing.T, qos, n int) ([]int64, int, time.Duration) {
	sub, pub := mqttClient(t, "sub", qos), mqttClient(t, "pub", qos)
	topic := uniqueTopic("order")
	rec := newRecorder(n)
	dec := eventrow.NewDecoder(eventrow.Options{})
	stop := startTrigger(t, sub, []string{topic}, func(tp string, data []byte) {
		rec.add(decodeSeq(dec, tp, data))
	})
	defer stop()
	took := publishSeq(t, pub, topic, n)
	select {
	case <-rec.done:
	case <-time.After(60 * time.Second):
	}
	seqs, errs := rec.snapshot()
	return seqs, errs, took
}

// TestBusTriggerOrder publishes 10,000 sequenced AddEventRequest envelopes as
// fast as possible and checks that the handler sees every one, strictly in
// publish order. QoS 1: with QoS 0 the broker may drop messages for a slow
// subscriber under a burst (mosquitto queues QoS 0 only up to its limits),
// and a loss would make "all arrive" a property of the broker, not of Oort.
func TestBusTriggerOrder(t *testing.T) {
	const n = 10000
	seqs, errs, took := runOrdered(t, 1, n)
	t.Logf("QoS 1: published %d in %v; received %d (decode errors %d)", n, took, len(seqs), errs)
	if errs != 0 || len(seqs) != n {
		t.Fatalf("received %d of %d events (%d decode errors)", len(seqs), n, errs)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("out of order at %d: %d after %d", i, seqs[i], seqs[i-1])
		}
	}
}

// TestBusTriggerOrderQoS0 runs the same burst at QoS 0 (EdgeX's default):
// whatever the broker delivers must still be in order; how many arrive is
// reported, not asserted.
func TestBusTriggerOrderQoS0(t *testing.T) {
	if testing.Short() {
		t.Skip("QoS 0 measurement; skipped with -short")
	}
	const n = 10000
	seqs, errs, took := runOrdered(t, 0, n)
	t.Logf("QoS 0: published %d in %v; received %d (decode errors %d)", n, took, len(seqs), errs)
	if errs != 0 || inversions(seqs) != 0 {
		t.Fatalf("%d decode errors, %d out of order", errs, inversions(seqs))
	}
}

// TestStockPatternReorders documents why Oort owns its trigger: the same
// ordered stream, handed to a new goroutine per message as the SDK's
// edgex-messagebus trigger does, reaches the pipeline out of order.
func TestStockPatternReorders(t *testing.T) {
	if testing.Short() {
		t.Skip("comparison test; skipped with -short")
	}
	const n = 10000
	sub, pub := mqttClient(t, "stock-sub", 1), mqttClient(t, "stock-pub", 1)
	topic := uniqueTopic("stock")
	rec := newRecorder(n)
	stop := startTrigger(t, sub, []string{topic}, func(tp string, data []byte) {
		go func() { // the SDK: go func(){ MessageReceived(...) }()
			dec := eventrow.NewDecoder(eventrow.Options{}) // the pipeline decodes per message
			rec.add(decodeSeq(dec, tp, data))
		}()
	})
	defer stop()
	publishSeq(t, pub, topic, n)
	select {
	case <-rec.done:
	case <-time.After(60 * time.Second):
	}
	seqs, _ := rec.snapshot()
	inv := inversions(seqs)
	t.Logf("goroutine per message: %d of %d events reached the pipeline out of order", inv, len(seqs))
	if inv == 0 {
		t.Errorf("expected the goroutine-per-message pattern to reorder a burst of %d events", n)
	}
}

// TestBusTriggerOverlappingTopics: a message matching two subscriptions is
// handed over once.
func TestBusTriggerOverlappingTopics(t *testing.T) {
	sub, pub := mqttClient(t, "ovl-sub", 1), mqttClient(t, "ovl-pub", 1)
	base := uniqueTopic("overlap")
	var mu sync.Mutex
	var got []int64
	dec := eventrow.NewDecoder(eventrow.Options{})
	stop := startTrigger(t, sub, []string{base + "/#", base + "/a/+"}, func(tp string, data []byte) {
		s, err := decodeSeq(dec, tp, data)
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
	})
	defer stop()
	publishSeq(t, pub, base+"/a/b", 50)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		k := len(got)
		mu.Unlock()
		if k >= 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // let any duplicate arrive
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 50 || inversions(got) != 0 {
		t.Fatalf("got %d messages (want 50, each once, in order): %v", len(got), got)
	}
}

// TestBusTriggerStops: after the Deferred runs, nothing more is delivered.
func TestBusTriggerStops(t *testing.T) {
	sub, pub := mqttClient(t, "stop-sub", 1), mqttClient(t, "stop-pub", 1)
	topic := uniqueTopic("stop")
	var mu sync.Mutex
	count := 0
	stop := startTrigger(t, sub, []string{topic}, func(string, []byte) {
		mu.Lock()
		count++
		mu.Unlock()
	})
	publishSeq(t, pub, topic, 5)
	time.Sleep(500 * time.Millisecond)
	stop()
	publishSeq(t, pub, topic, 5)
	time.Sleep(500 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if count != 5 {
		t.Fatalf("handler called %d times, want 5 (none after stop)", count)
	}
}

func TestBusTriggerRejectsBadSetup(t *testing.T) {
	var wg sync.WaitGroup
	lc := logger.NewMockClient()
	cases := []*BusTrigger{
		NewBusTrigger(nil, []string{"a"}, func(string, []byte) {}, lc),
		NewBusTrigger(mqttClient(t, "bad", 0), nil, func(string, []byte) {}, lc),
		NewBusTrigger(mqttClient(t, "bad2", 0), []string{"a"}, nil, lc),
	}
	for i, tr := range cases {
		if _, err := tr.Initialize(&wg, context.Background(), nil); err == nil {
			t.Errorf("case %d: want an error", i)
		}
	}
}
