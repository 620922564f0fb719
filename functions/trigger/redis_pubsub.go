package trigger

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-bootstrap/v4/bootstrap"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/go-redis/redis/v8"
)

// RedisPubSubConfig are the settings of the oort-redis-pubsub trigger
// (RulesEngine.Triggers.RedisPubSub, edgex.md §7.3). Credentials come from
// the secret named in the configuration; the caller resolves it.
type RedisPubSubConfig struct {
	Host     string
	Port     int // default 6379
	DB       int
	Username string
	Password string
	Topics   []string // EdgeX topics, e.g. "edgex/events/#"
}

// RedisPubSubTrigger reads an EdgeX 2.x/3.x Redis Pub/Sub bus. One goroutine
// receives and handles messages, so the handler sees them in bus order.
type RedisPubSubTrigger struct {
	cfg RedisPubSubConfig
	h   EventHandler
	lc  logger.LoggingClient
}

// NewRedisPubSubTrigger returns the trigger; h receives each unwrapped event
// payload.
func NewRedisPubSubTrigger(cfg RedisPubSubConfig, h EventHandler, lc logger.LoggingClient) *RedisPubSubTrigger {
	return &RedisPubSubTrigger{cfg: cfg, h: h, lc: lc}
}

var _ interfaces.Trigger = (*RedisPubSubTrigger)(nil)

// TopicToPattern converts an EdgeX topic filter into a Redis PSUBSCRIBE
// pattern: "/" becomes "." and both wildcards become "*" (EdgeX 2.x/3.x
// go-mod-messaging did the same).
func TopicToPattern(topic string) string {
	return strings.NewReplacer("/", ".", "#", "*", "+", "*").Replace(topic)
}

// ChannelToTopic converts a Redis channel back into the EdgeX topic.
func ChannelToTopic(channel string) string { return strings.ReplaceAll(channel, ".", "/") }

// Initialize connects, subscribes (waiting for the server's confirmation, so
// nothing published after Initialize returns is missed) and starts the
// receive goroutine. The Deferred closes the subscription and connection.
func (t *RedisPubSubTrigger) Initialize(wg *sync.WaitGroup, ctx context.Context, _ <-chan interfaces.BackgroundMessage) (bootstrap.Deferred, error) {
	if t.h == nil || t.lc == nil || len(t.cfg.Topics) == 0 {
		return nil, errors.New("oort-redis-pubsub: handler, logger and at least one topic are required")
	}
	client := redis.NewClient(t.options())
	patterns := make([]string, len(t.cfg.Topics))
	for i, topic := range t.cfg.Topics {
		patterns[i] = TopicToPattern(strings.TrimSpace(topic))
	}
	ps := client.PSubscribe(ctx, patterns...)
	for range patterns {
		if _, err := ps.ReceiveTimeout(ctx, 10*time.Second); err != nil {
			_ = ps.Close()
			_ = client.Close()
			return nil, fmt.Errorf("oort-redis-pubsub: subscribing to %v on %s: %w", patterns, t.options().Addr, err)
		}
	}
	t.lc.Infof("oort-redis-pubsub: subscribed to %s on %s", strings.Join(patterns, ", "), t.options().Addr)
	rctx, cancel := context.WithCancel(ctx)
	receive := func(c context.Context) { t.run(c, ps) }
	return startReceiver(wg, rctx, cancel, receive, func() {
		_ = ps.Close() // unblocks ReceiveMessage
		_ = client.Close()
	}), nil
}

func (t *RedisPubSubTrigger) options() *redis.Options {
	port := t.cfg.Port
	if port == 0 {
		port = 6379
	}
	host := t.cfg.Host
	if host == "" {
		host = "localhost"
	}
	return &redis.Options{
		Addr:     net.JoinHostPort(host, strconv.Itoa(port)),
		Username: t.cfg.Username,
		Password: t.cfg.Password,
		DB:       t.cfg.DB,
	}
}

// run receives with ReceiveMessage on this goroutine rather than through
// go-redis' Channel(), whose internal goroutine drops messages when its
// buffer stays full.
func (t *RedisPubSubTrigger) run(ctx context.Context, ps *redis.PubSub) {
	backoff := time.Duration(0)
	for {
		msg, err := ps.ReceiveMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			backoff = min(max(2*backoff, 100*time.Millisecond), 5*time.Second)
			t.lc.Errorf("oort-redis-pubsub: receive failed (retrying in %v): %v", backoff, err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			continue
		}
		backoff = 0
		topic := ChannelToTopic(msg.Channel)
		payload, ct, corr, err := UnwrapLegacyEnvelope([]byte(msg.Payload))
		if err != nil {
			t.lc.Errorf("oort-redis-pubsub: channel %s: %v", msg.Channel, err)
			continue
		}
		t.h(topic, payload, ct, corr)
	}
}
