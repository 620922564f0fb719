//go:build include_nats_messaging

package trigger

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/edgexfoundry/go-mod-messaging/v4/messaging"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/oort-rules/oort/functions/eventrow"
)

// Run with: go test -tags include_nats_messaging ./functions/trigger/
// (the real NATS server at 127.0.0.1:4222).
func natsClient(t *testing.T, role, format string) messaging.MessageClient {
	t.Helper()
	c, err := messaging.NewMessageClient(types.MessageBusConfig{
		Broker: types.HostInfo{Host: "127.0.0.1", Port: 4222, Protocol: "tcp"},
		Type:   "nats-core",
		Optional: map[string]string{
			"ClientId": fmt.Sprintf("oort-test-%s-%d-%d", role, os.Getpid(), time.Now().UnixNano()),
			"Format":   format,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(); err != nil {
		t.Fatalf("connecting to NATS 127.0.0.1:4222: %v", err)
	}
	t.Cleanup(func() { _ = c.Disconnect() })
	return c
}

// TestBusTriggerNATS: NATS clients do not support SubscribeBinaryData; the
// trigger falls back to envelope subscriptions and still delivers every
// event in order, for both NATS formats and with or without an EventHandler.
func TestBusTriggerNATS(t *testing.T) {
	for _, format := range []string{"nats", "json"} {
		for _, withEH := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/eventHandler=%v", format, withEH), func(t *testing.T) {
				natsOrder(t, format, withEH)
			})
		}
	}
}

func natsOrder(t *testing.T, format string, withEH bool) {
	const n = 2000
	sub, pub := natsClient(t, "sub", format), natsClient(t, "pub", format)
	topic := uniqueTopic("nats")
	rec := newRecorder(n)
	dec := eventrow.NewDecoder(eventrow.Options{})
	var viaEH int
	// probes (seq -1) only tell that the subscription is live: NATS
	// subscribes asynchronously, so events published right after Initialize
	// could reach the server before the subscription does
	live := make(chan struct{}, 1)
	add := func(seq int64, err error) {
		if err == nil && seq < 0 {
			select {
			case live <- struct{}{}:
			default:
			}
			return
		}
		rec.add(seq, err)
	}
	tr := NewBusTrigger(sub, []string{topic}, func(tp string, data []byte) {
		add(decodeSeq(dec, tp, data))
	}, logger.NewMockClient())
	if withEH {
		tr.WithEventHandler(func(tp string, payload []byte, ct, corr string) {
			viaEH++
			r, _, err := dec.DecodeEvent(payload, ct, tp, corr)
			if err != nil {
				add(0, err)
				return
			}
			v, _ := r.Get("seq")
			add(v.Int(), nil)
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	deferred, err := tr.Initialize(&wg, ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { deferred(); cancel(); wg.Wait() }()
	waitLive(t, pub, topic, live)
	publishSeq(t, pub, topic, n)
	select {
	case <-rec.done:
	case <-time.After(30 * time.Second):
	}
	seqs, errs := rec.snapshot()
	if errs != 0 || len(seqs) != n || inversions(seqs) != 0 {
		t.Fatalf("received %d of %d, %d decode errors, %d out of order", len(seqs), n, errs, inversions(seqs))
	}
	if wantEH := withEH && format == "nats"; (viaEH > 0) != wantEH {
		t.Errorf("EventHandler used %d times (format %s, set %v)", viaEH, format, withEH)
	}
}

// waitLive publishes probe events until the trigger has received one.
func waitLive(t *testing.T, pub messaging.MessageClient, topic string, live <-chan struct{}) {
	probe := seqEnvelope(t, -1)
	deadline := time.After(10 * time.Second)
	for {
		if err := pub.Publish(probe, topic); err != nil {
			t.Fatalf("publish probe: %v", err)
		}
		select {
		case <-live:
			return
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatal("the NATS subscription never became live")
		}
	}
}
