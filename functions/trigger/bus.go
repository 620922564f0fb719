// Package trigger holds Oort's ordered ingest triggers: the EdgeX 4 message
// bus trigger that hands raw messages to one goroutine in bus order
// (edgex.md §3), and the legacy Redis/ZeroMQ inputs (§7.3).
package trigger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-bootstrap/v4/bootstrap"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/edgexfoundry/go-mod-messaging/v4/messaging"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
)

// Handler receives one raw bus message (normally a JSON or CBOR
// MessageEnvelope). A trigger calls it sequentially, in bus order, from one
// goroutine; it may keep data (nothing reuses it).
type Handler func(topic string, data []byte)

// EventHandler receives an event payload whose envelope was already removed
// (NATS headers, legacy Redis/ZeroMQ envelopes), with the envelope's content
// type and correlation id. Called like Handler: sequentially, in bus order.
type EventHandler func(topic string, payload []byte, contentType, correlationID string)

// DefaultBuffer is the capacity of the channel between the bus client and
// the handler goroutine: it absorbs bursts so the client's network reader is
// not stalled by a briefly slow handler, without reordering anything.
const DefaultBuffer = 1024

// BusTrigger is an SDK trigger (interfaces.Trigger) over an existing EdgeX 4
// message client. All subscribed topics share one channel read by one
// goroutine, so the handler sees messages exactly in the order the client
// received them — across topics too — and never concurrently. The stock
// trigger instead starts a goroutine per message, which reorders bursts.
type BusTrigger struct {
	client messaging.MessageClient
	topics []string
	h      Handler
	eh     EventHandler
	lc     logger.LoggingClient
	buffer int
}

// NewBusTrigger returns a trigger that subscribes client to topics (full
// topics, base prefix included) and feeds h.
func NewBusTrigger(client messaging.MessageClient, topics []string, h Handler, lc logger.LoggingClient) *BusTrigger {
	return &BusTrigger{client: client, topics: topics, h: h, lc: lc, buffer: DefaultBuffer}
}

// WithEventHandler routes envelopes the client already unwrapped (NATS
// "nats" format: payload bytes plus headers) to eh instead of re-encoding
// them for h. Must be called before Initialize.
func (t *BusTrigger) WithEventHandler(eh EventHandler) *BusTrigger {
	t.eh = eh
	return t
}

// WithBuffer sets the channel capacity (≥ 0). Must be called before Initialize.
func (t *BusTrigger) WithBuffer(n int) *BusTrigger {
	t.buffer = max(n, 0)
	return t
}

var _ interfaces.Trigger = (*BusTrigger)(nil)

// Initialize subscribes and starts the handler goroutine. It prefers
// SubscribeBinaryData (MQTT: the raw payload, undecoded); clients that do
// not support it (NATS) are subscribed with Subscribe and their envelopes
// forwarded. The returned Deferred unsubscribes; the client itself belongs
// to the SDK and is not disconnected.
func (t *BusTrigger) Initialize(wg *sync.WaitGroup, ctx context.Context, background <-chan interfaces.BackgroundMessage) (bootstrap.Deferred, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	msgs := make(chan types.MessageEnvelope, t.buffer)
	errs := make(chan error, 16)
	subs := make([]types.TopicChannel, len(t.topics))
	for i, topic := range t.topics {
		subs[i] = types.TopicChannel{Topic: topic, Messages: msgs}
	}
	binary := true
	if err := t.client.SubscribeBinaryData(subs, errs); err != nil {
		if !strings.Contains(err.Error(), "not supported") {
			return nil, fmt.Errorf("bus trigger: subscribing to %v: %w", t.topics, err)
		}
		t.lc.Infof("bus trigger: client has no binary subscriptions (%v); using envelope subscriptions", err)
		binary = false
		if err := t.client.Subscribe(subs, errs); err != nil {
			return nil, fmt.Errorf("bus trigger: subscribing to %v: %w", t.topics, err)
		}
	}
	t.lc.Infof("bus trigger: subscribed to %s (ordered, one handler goroutine)", strings.Join(t.topics, ", "))
	stop := make(chan struct{})
	wg.Add(2)
	go func() {
		defer wg.Done()
		t.run(ctx, stop, msgs, binary)
	}()
	go func() {
		defer wg.Done()
		t.side(ctx, stop, errs, background)
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			if err := t.client.Unsubscribe(t.topics...); err != nil {
				t.lc.Errorf("bus trigger: unsubscribing from %v: %v", t.topics, err)
			}
			close(stop)
		})
	}, nil
}

func (t *BusTrigger) check() error {
	switch {
	case t.client == nil:
		return errors.New("bus trigger: no message client")
	case len(t.topics) == 0:
		return errors.New("bus trigger: no topics to subscribe to")
	case t.h == nil:
		return errors.New("bus trigger: no handler")
	case t.lc == nil:
		return errors.New("bus trigger: no logger")
	}
	return nil
}

// run is the only goroutine that calls the handlers.
func (t *BusTrigger) run(ctx context.Context, stop <-chan struct{}, msgs <-chan types.MessageEnvelope, binary bool) {
	var last []byte
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case env := <-msgs:
			if binary {
				last = t.binary(env, last)
			} else {
				t.forward(env)
			}
		}
	}
}

// binary hands a raw MQTT payload to the handler. When subscriptions
// overlap, paho calls every matching subscription's callback with the same
// message object, so the same payload slice arrives twice in a row: it is
// delivered once.
func (t *BusTrigger) binary(env types.MessageEnvelope, last []byte) []byte {
	data, ok := env.Payload.([]byte)
	if !ok {
		t.lc.Errorf("bus trigger: topic %s: binary subscription delivered %T, want []byte", env.ReceivedTopic, env.Payload)
		return last
	}
	if len(data) > 0 && len(last) > 0 && &data[0] == &last[0] && len(data) == len(last) {
		return last
	}
	t.h(env.ReceivedTopic, data)
	return data
}

// forward passes an envelope the client decoded (NATS). With the "nats"
// format the payload is the raw event and the metadata came in headers;
// with the "json" format the client already decoded the payload into Go
// values, which are re-encoded (a nanosecond origin has then lost precision
// to float64 inside the client: prefer the "nats" format).
func (t *BusTrigger) forward(env types.MessageEnvelope) {
	if p, ok := env.Payload.([]byte); ok && t.eh != nil {
		t.eh(env.ReceivedTopic, p, env.ContentType, env.CorrelationID)
		return
	}
	data, err := json.Marshal(env)
	if err != nil {
		t.lc.Errorf("bus trigger: topic %s: re-encoding envelope: %v", env.ReceivedTopic, err)
		return
	}
	t.h(env.ReceivedTopic, data)
}

// side logs receive errors and publishes background messages (in order, on
// this goroutine, never one goroutine per message).
func (t *BusTrigger) side(ctx context.Context, stop <-chan struct{}, errs <-chan error, background <-chan interfaces.BackgroundMessage) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case err := <-errs:
			t.lc.Errorf("bus trigger: receive error: %v", err)
		case bg := <-background:
			if err := t.client.Publish(bg.Message(), bg.Topic()); err != nil {
				t.lc.Errorf("bus trigger: publishing background message to %s: %v", bg.Topic(), err)
			}
		}
	}
}
