package trigger

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"
	"time"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-bootstrap/v4/bootstrap"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/go-zeromq/zmq4"
)

// ZeroMQConfig are the settings of the oort-zeromq trigger
// (RulesEngine.Triggers.ZeroMQ, edgex.md §7.3).
type ZeroMQConfig struct {
	Endpoint string   // the publisher, e.g. "tcp://edgex-core-data:5563" ("tcp://" is added when missing)
	Topics   []string // subscription prefixes, e.g. "events"; none = everything
}

// ZeroMQTrigger reads the EdgeX 1.x core-data ZeroMQ publisher with a SUB
// socket (pure Go, no libzmq). One goroutine receives and handles the
// messages, so the handler sees them in publication order.
type ZeroMQTrigger struct {
	cfg ZeroMQConfig
	h   EventHandler
	lc  logger.LoggingClient

	mu   sync.Mutex
	sock zmq4.Socket // the live socket; replaced on reconnection
}

// NewZeroMQTrigger returns the trigger; h receives each message's event
// converted to v4 Event JSON ("application/json").
func NewZeroMQTrigger(cfg ZeroMQConfig, h EventHandler, lc logger.LoggingClient) *ZeroMQTrigger {
	return &ZeroMQTrigger{cfg: cfg, h: h, lc: lc}
}

var _ interfaces.Trigger = (*ZeroMQTrigger)(nil)

// Initialize connects and subscribes, then starts the receive goroutine.
// An unreachable publisher is an error here; later connection losses are
// logged and retried with back-off. The Deferred stops the goroutine and
// closes the socket. PUB/SUB delivers nothing published before the
// subscription reached the publisher (ZeroMQ's "slow joiner").
func (t *ZeroMQTrigger) Initialize(wg *sync.WaitGroup, ctx context.Context, _ <-chan interfaces.BackgroundMessage) (bootstrap.Deferred, error) {
	if t.h == nil || t.lc == nil || strings.TrimSpace(t.cfg.Endpoint) == "" {
		return nil, errors.New("oort-zeromq: handler, logger and Endpoint are required")
	}
	ep := zmqEndpoint(t.cfg.Endpoint)
	rctx, cancel := context.WithCancel(ctx)
	sock, err := t.connect(rctx, ep, 3)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("oort-zeromq: connecting to %s: %w", ep, err)
	}
	t.setSock(sock)
	t.lc.Infof("oort-zeromq: subscribed to %s on %s", describeTopics(t.cfg.Topics), ep)
	receive := func(c context.Context) { t.run(c, ep) }
	return startReceiver(wg, rctx, cancel, receive, func() {
		t.setSock(nil) // closes the socket and its connection now
	}), nil
}

// zmqEndpoint accepts "host:port" as well as a full "tcp://host:port".
func zmqEndpoint(ep string) string {
	ep = strings.TrimSpace(ep)
	if !strings.Contains(ep, "://") {
		ep = "tcp://" + ep
	}
	return ep
}

func describeTopics(topics []string) string {
	if len(topics) == 0 {
		return "all topics"
	}
	return fmt.Sprintf("topics %q", topics)
}

// connect opens a SUB socket with its subscriptions set before dialling, so
// zmq4 sends them as soon as the connection is up (and again after its own
// redials). tries bounds the dial attempts, 250 ms apart.
func (t *ZeroMQTrigger) connect(ctx context.Context, ep string, tries int) (zmq4.Socket, error) {
	sock := zmq4.NewSub(ctx,
		zmq4.WithDialerRetry(250*time.Millisecond),
		zmq4.WithDialerMaxRetries(tries-1),
		zmq4.WithDialerTimeout(5*time.Second),
		zmq4.WithLogger(log.New(zmqLog{t.lc}, "", 0)))
	topics := t.cfg.Topics
	if len(topics) == 0 {
		topics = []string{""}
	}
	for _, topic := range topics {
		if err := sock.SetOption(zmq4.OptionSubscribe, topic); err != nil {
			_ = sock.Close()
			return nil, fmt.Errorf("subscribing to %q: %w", topic, err)
		}
	}
	if err := sock.Dial(ep); err != nil {
		_ = sock.Close()
		return nil, err
	}
	return sock, nil
}

// setSock installs s as the live socket and closes the previous one.
func (t *ZeroMQTrigger) setSock(s zmq4.Socket) {
	t.mu.Lock()
	old := t.sock
	t.sock = s
	t.mu.Unlock()
	if old != nil {
		_ = old.Close()
	}
}

// replace installs a reconnected socket unless the trigger was stopped
// meanwhile (the Deferred cancels ctx before it takes the lock to close the
// live socket, so no socket can be left open).
func (t *ZeroMQTrigger) replace(ctx context.Context, s zmq4.Socket) bool {
	t.mu.Lock()
	if ctx.Err() != nil {
		t.mu.Unlock()
		_ = s.Close()
		return false
	}
	old := t.sock
	t.sock = s
	t.mu.Unlock()
	if old != nil {
		_ = old.Close()
	}
	return true
}

func (t *ZeroMQTrigger) current() zmq4.Socket {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sock
}

// run is the only goroutine that calls the handler.
func (t *ZeroMQTrigger) run(ctx context.Context, ep string) {
	for ctx.Err() == nil {
		sock := t.current()
		if sock == nil {
			return
		}
		msg, err := sock.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			t.lc.Errorf("oort-zeromq: connection to %s lost: %v; reconnecting", ep, err)
			t.reconnect(ctx, ep)
			continue
		}
		if msg.Type == zmq4.UsrMsg {
			t.message(msg.Frames)
		}
	}
}

// reconnect replaces the socket, retrying with back-off until it connects
// or ctx ends. Messages published meanwhile are lost (PUB/SUB keeps none).
func (t *ZeroMQTrigger) reconnect(ctx context.Context, ep string) {
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		sock, err := t.connect(ctx, ep, 1)
		if err == nil {
			if t.replace(ctx, sock) {
				t.lc.Infof("oort-zeromq: reconnected to %s", ep)
			}
			return
		}
		backoff = min(max(2*backoff, 100*time.Millisecond), 5*time.Second)
		t.lc.Errorf("oort-zeromq: reconnecting to %s failed (retrying in %v): %v", ep, backoff, err)
		sleepCtx(ctx, backoff)
	}
}

// message handles [topic, payload] or [payload]; a one-frame message has
// no topic (the handler gets "").
func (t *ZeroMQTrigger) message(frames [][]byte) {
	var topic string
	var data []byte
	switch len(frames) {
	case 1:
		data = frames[0]
	case 2:
		topic, data = string(frames[0]), frames[1]
	default:
		t.lc.Errorf("oort-zeromq: message with %d frames, want [topic, payload] or [payload]", len(frames))
		return
	}
	payload, ct, corr, err := UnwrapLegacyEnvelope(data)
	if err != nil {
		t.lc.Errorf("oort-zeromq: topic %q: %v", topic, err)
		return
	}
	v4, err := ConvertV1Event(payload, ct)
	if err != nil {
		t.lc.Errorf("oort-zeromq: topic %q correlation id %q: %v", topic, corr, err)
		return
	}
	t.h(topic, v4, "application/json", corr)
}

// zmqLog routes zmq4's internal log lines to the service log.
type zmqLog struct{ lc logger.LoggingClient }

func (w zmqLog) Write(p []byte) (int, error) {
	w.lc.Warnf("oort-zeromq: %s", strings.TrimSpace(string(p)))
	return len(p), nil
}
