package trigger

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-bootstrap/v4/bootstrap"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/go-redis/redis/v8"
)

// RedisStreamsConfig are the settings of the oort-redis-streams trigger
// (RulesEngine.Triggers.RedisStreams, edgex.md §7.3). Credentials come from
// the secret named in the configuration; the caller resolves it.
type RedisStreamsConfig struct {
	Host     string
	Port     int // default 6379
	DB       int
	Username string
	Password string
	Streams  []string // stream keys = EdgeX 1.x topics, e.g. "events"
	StartID  string   // "$" (default): only entries added after Initialize; or an entry id such as "0"
}

// RedisStreamsTrigger reads an EdgeX 1.x redisstreams bus. One goroutine
// reads and handles the entries, so each stream's entries reach the handler
// in stream order.
type RedisStreamsTrigger struct {
	cfg   RedisStreamsConfig
	h     EventHandler
	lc    logger.LoggingClient
	block time.Duration // XREAD BLOCK per call: bounds how long a dead link can go unnoticed
	count int64         // XREAD COUNT per stream
}

// NewRedisStreamsTrigger returns the trigger; h receives each entry's event
// converted to v4 Event JSON ("application/json").
func NewRedisStreamsTrigger(cfg RedisStreamsConfig, h EventHandler, lc logger.LoggingClient) *RedisStreamsTrigger {
	return &RedisStreamsTrigger{cfg: cfg, h: h, lc: lc, block: 5 * time.Second, count: 512}
}

var _ interfaces.Trigger = (*RedisStreamsTrigger)(nil)

// Initialize connects, resolves the start id of every stream and starts the
// reader goroutine. "$" is resolved here to each stream's current last
// entry, so an entry added after Initialize returns is never missed — not
// even between two XREAD calls, where a literal "$" would skip it (the
// EdgeX 1.x client had that gap). The Deferred stops the reader and closes
// the connection.
func (t *RedisStreamsTrigger) Initialize(wg *sync.WaitGroup, ctx context.Context, _ <-chan interfaces.BackgroundMessage) (bootstrap.Deferred, error) {
	streams := trimList(t.cfg.Streams)
	if t.h == nil || t.lc == nil || len(streams) == 0 {
		return nil, errors.New("oort-redis-streams: handler, logger and at least one stream are required")
	}
	opts := t.options()
	client := redis.NewClient(opts)
	ids, err := t.startIDs(ctx, client, streams)
	if err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("oort-redis-streams: Redis at %s: %w", opts.Addr, err)
	}
	t.lc.Infof("oort-redis-streams: reading streams %s on %s from %s", strings.Join(streams, ", "), opts.Addr, strings.Join(ids, ", "))
	rctx, cancel := context.WithCancel(ctx)
	receive := func(c context.Context) { t.run(c, client, streams, ids) }
	return startReceiver(wg, rctx, cancel, receive, func() {
		_ = client.Close() // unblocks a pending XREAD
	}), nil
}

// options reuses the Redis Pub/Sub trigger's defaults (host, port 6379).
// go-redis' silent command retries are off: run retries itself, so a lost
// connection is logged and backed off.
func (t *RedisStreamsTrigger) options() *redis.Options {
	ps := RedisPubSubTrigger{cfg: RedisPubSubConfig{
		Host: t.cfg.Host, Port: t.cfg.Port, DB: t.cfg.DB, Username: t.cfg.Username, Password: t.cfg.Password,
	}}
	o := ps.options()
	o.MaxRetries = -1
	return o
}

// startIDs checks the connection and returns the id to read after, per
// stream. For "$" that is the stream's last entry, or "0-0" when the stream
// is empty or does not exist yet (every entry it gets is then new).
func (t *RedisStreamsTrigger) startIDs(ctx context.Context, client *redis.Client, streams []string) ([]string, error) {
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	start := strings.TrimSpace(t.cfg.StartID)
	ids := make([]string, len(streams))
	for i, s := range streams {
		if start != "" && start != "$" {
			ids[i] = start
			continue
		}
		last, err := client.XRevRangeN(pctx, s, "+", "-", 1).Result()
		if err != nil {
			return nil, fmt.Errorf("reading the last entry of stream %q: %w", s, err)
		}
		ids[i] = "0-0"
		if len(last) > 0 {
			ids[i] = last[0].ID
		}
	}
	return ids, nil
}

// run is the only goroutine that calls the handler. ids[i] is the last id
// read from streams[i]; after a connection loss reading resumes there, so
// nothing still in the stream is lost or repeated.
func (t *RedisStreamsTrigger) run(ctx context.Context, client *redis.Client, streams, ids []string) {
	index := make(map[string]int, len(streams))
	for i, s := range streams {
		index[s] = i
	}
	args := &redis.XReadArgs{Streams: make([]string, 2*len(streams)), Count: t.count, Block: t.block}
	copy(args.Streams, streams)
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		copy(args.Streams[len(streams):], ids)
		res, err := client.XRead(ctx, args).Result()
		switch {
		case errors.Is(err, redis.Nil): // BLOCK timed out: nothing new
			continue
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			backoff = min(max(2*backoff, 100*time.Millisecond), 5*time.Second)
			t.lc.Errorf("oort-redis-streams: XREAD on %s failed (retrying in %v): %v", strings.Join(streams, ", "), backoff, err)
			sleepCtx(ctx, backoff)
			continue
		}
		if backoff > 0 {
			t.lc.Infof("oort-redis-streams: reading %s again", strings.Join(streams, ", "))
			backoff = 0
		}
		for _, s := range res {
			for _, m := range s.Messages {
				t.entry(s.Stream, m)
				ids[index[s.Stream]] = m.ID
			}
		}
	}
}

// entry converts one stream entry and hands it to the handler. Bad entries
// are logged and skipped. The Checksum field is not verified: EdgeX 1.x
// core-data only used it to acknowledge its own publications.
func (t *RedisStreamsTrigger) entry(stream string, m redis.XMessage) {
	payload, ok := streamField(m.Values, "Payload")
	if !ok || len(payload) == 0 {
		t.lc.Errorf("oort-redis-streams: stream %s entry %s: no Payload field", stream, m.ID)
		return
	}
	ct, _ := streamField(m.Values, "ContentType")
	corr, _ := streamField(m.Values, "CorrelationID")
	v4, err := ConvertV1Event([]byte(payload), ct)
	if err != nil {
		t.lc.Errorf("oort-redis-streams: stream %s entry %s: %v", stream, m.ID, err)
		return
	}
	t.h(stream, v4, "application/json", corr)
}

// streamField reads an entry field by name, ignoring case (producers other
// than go-mod-messaging spelled the field names differently).
func streamField(values map[string]any, name string) (string, bool) {
	v, ok := values[name]
	if !ok {
		for k, kv := range values {
			if strings.EqualFold(k, name) {
				v, ok = kv, true
				break
			}
		}
	}
	switch s := v.(type) {
	case string:
		return s, ok
	case []byte:
		return string(s), ok
	}
	return "", false
}

func trimList(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
