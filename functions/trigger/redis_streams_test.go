package trigger

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/go-redis/redis/v8"
)

// The tests use the real local Redis (127.0.0.1:6379), one fresh stream
// each.

func uniqueStream(t *testing.T, rdb *redis.Client) string {
	s := fmt.Sprintf("oort-test-streams-%d-%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() { rdb.Del(context.Background(), s) })
	return s
}

func testRedis(t *testing.T) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis 127.0.0.1:6379: %v", err)
	}
	return rdb
}

// xaddV1 appends EdgeX 1.x entries first..first+n-1 as go-mod-messaging 1.x
// did (raw payload bytes, not base64); every third one is CBOR.
func xaddV1(t *testing.T, rdb *redis.Client, stream string, first, n int) {
	t.Helper()
	pipe := rdb.Pipeline()
	for i := first; i < first+n; i++ {
		payload, ct := v1SeqEvent(t, i, i%3 == 2)
		pipe.XAdd(context.Background(), &redis.XAddArgs{Stream: stream, Values: map[string]any{
			"CorrelationID": fmt.Sprintf("corr-%d", i), "Payload": payload, "ContentType": ct, "Checksum": "x",
		}})
	}
	if _, err := pipe.Exec(context.Background()); err != nil {
		t.Fatalf("XADD: %v", err)
	}
}

func corrN(i int) string { return fmt.Sprintf("corr-%d", i) }

func startStreams(t *testing.T, cfg RedisStreamsConfig, h EventHandler) *capLog {
	t.Helper()
	var wg sync.WaitGroup
	lc := newCapLog()
	deferred, err := NewRedisStreamsTrigger(cfg, h, lc).Initialize(&wg, context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deferred(); wg.Wait() })
	return lc
}

// TestRedisStreamsOrder: an entry older than the trigger is not delivered
// ("$"), then 1,000 entries (JSON and CBOR) arrive all, in order, converted;
// a broken entry in between is skipped without stopping the stream.
func TestRedisStreamsOrder(t *testing.T) {
	const n = 1000
	rdb := testRedis(t)
	stream := uniqueStream(t, rdb)
	xaddV1(t, rdb, stream, -1, 1) // before the trigger: must not be read
	rec := newV1Recorder(t)
	lc := startStreams(t, RedisStreamsConfig{Host: "127.0.0.1", Port: 6379, Streams: []string{" " + stream + " "}}, rec.handle)

	xaddV1(t, rdb, stream, 0, n/2)
	rdb.XAdd(context.Background(), &redis.XAddArgs{Stream: stream, Values: map[string]any{"Payload": "garbage", "ContentType": "application/json"}})
	rdb.XAdd(context.Background(), &redis.XAddArgs{Stream: stream, Values: map[string]any{"CorrelationID": "no-payload"}})
	xaddV1(t, rdb, stream, n/2, n/2)

	got := rec.waitCount(n, 30*time.Second)
	time.Sleep(100 * time.Millisecond)
	if c := rec.count(); c != n {
		t.Fatalf("received %d events, want %d", c, n)
	}
	checkV1Seq(t, got, 0, always(stream), corrN)
	if !lc.has("ERROR", stream, "not a valid JSON event") || !lc.has("ERROR", stream, "no Payload field") {
		t.Errorf("the bad entries were not logged:\n%s", lc)
	}
}

// TestRedisStreamsStartID reads entries that existed before the trigger.
func TestRedisStreamsStartID(t *testing.T) {
	rdb := testRedis(t)
	stream := uniqueStream(t, rdb)
	xaddV1(t, rdb, stream, 0, 5)
	rec := newV1Recorder(t)
	startStreams(t, RedisStreamsConfig{Host: "127.0.0.1", Streams: []string{stream}, StartID: "0"}, rec.handle)
	xaddV1(t, rdb, stream, 5, 5)
	got := rec.waitCount(10, 10*time.Second)
	if len(got) != 10 {
		t.Fatalf("received %d events, want 10", len(got))
	}
	checkV1Seq(t, got, 0, always(stream), corrN)
}

// TestRedisStreamsTwoStreams keeps each stream's order and topic.
func TestRedisStreamsTwoStreams(t *testing.T) {
	rdb := testRedis(t)
	a, b := uniqueStream(t, rdb), uniqueStream(t, rdb)+"-b"
	t.Cleanup(func() { rdb.Del(context.Background(), b) })
	rec := newV1Recorder(t)
	startStreams(t, RedisStreamsConfig{Host: "127.0.0.1", Streams: []string{a, b}}, rec.handle)
	xaddV1(t, rdb, a, 0, 100)
	xaddV1(t, rdb, b, 100, 100)
	got := rec.waitCount(200, 10*time.Second)
	if len(got) != 200 {
		t.Fatalf("received %d events, want 200", len(got))
	}
	var ga, gb []v1Got
	for _, g := range got {
		if g.topic == a {
			ga = append(ga, g)
		} else {
			gb = append(gb, g)
		}
	}
	if len(ga) != 100 || len(gb) != 100 {
		t.Fatalf("per stream: %d and %d, want 100 each", len(ga), len(gb))
	}
	checkV1Seq(t, ga, 0, always(a), corrN)
	checkV1Seq(t, gb, 100, always(b), corrN)
}

// TestRedisStreamsReconnect cuts the connection (through a loopback TCP
// relay to the real Redis) while entries keep arriving: the trigger
// reconnects and resumes after the last entry it read, losing nothing.
func TestRedisStreamsReconnect(t *testing.T) {
	rdb := testRedis(t)
	stream := uniqueStream(t, rdb)
	relay := newTCPRelay(t, "127.0.0.1:6379")
	rec := newV1Recorder(t)
	host, port := relay.hostPort(t)
	lc := startStreams(t, RedisStreamsConfig{Host: host, Port: port, Streams: []string{stream}}, rec.handle)

	xaddV1(t, rdb, stream, 0, 50)
	if got := rec.waitCount(50, 10*time.Second); len(got) != 50 {
		t.Fatalf("before the cut: %d events", len(got))
	}
	relay.setDown(true) // connections are accepted, then dropped at once
	relay.cut()
	xaddV1(t, rdb, stream, 50, 50) // while the trigger has no connection
	deadline := time.Now().Add(10 * time.Second)
	for !lc.has("ERROR", "retrying in 200ms") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	relay.setDown(false)
	got := rec.waitCount(100, 20*time.Second)
	if len(got) != 100 {
		t.Fatalf("after the cut: %d events, want 100", len(got))
	}
	checkV1Seq(t, got, 0, always(stream), corrN)
	if relay.accepted() < 2 {
		t.Errorf("the trigger did not reconnect (%d connections)", relay.accepted())
	}
	if !lc.has("ERROR", "XREAD on "+stream+" failed (retrying in 100ms)") || !lc.has("ERROR", "retrying in 200ms") || !lc.has("INFO", "reading "+stream+" again") {
		t.Errorf("the connection loss was not logged:\n%s", lc)
	}
}

func TestRedisStreamsUnreachable(t *testing.T) {
	var wg sync.WaitGroup
	_, err := NewRedisStreamsTrigger(RedisStreamsConfig{Host: "127.0.0.1", Port: 1, Streams: []string{"events"}},
		func(string, []byte, string, string) {}, logger.NewMockClient()).Initialize(&wg, context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Fatalf("want an error naming 127.0.0.1:1, got %v", err)
	}
}

func TestRedisStreamsWrongType(t *testing.T) {
	rdb := testRedis(t)
	key := uniqueStream(t, rdb)
	rdb.Set(context.Background(), key, "not a stream", time.Minute)
	var wg sync.WaitGroup
	_, err := NewRedisStreamsTrigger(RedisStreamsConfig{Host: "127.0.0.1", Streams: []string{key}},
		func(string, []byte, string, string) {}, logger.NewMockClient()).Initialize(&wg, context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "WRONGTYPE") {
		t.Fatalf("want a WRONGTYPE error naming %s, got %v", key, err)
	}
}

func TestRedisStreamsConfigErrors(t *testing.T) {
	var wg sync.WaitGroup
	_, err := NewRedisStreamsTrigger(RedisStreamsConfig{Streams: []string{" ", ""}}, func(string, []byte, string, string) {},
		logger.NewMockClient()).Initialize(&wg, context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "at least one stream") {
		t.Fatalf("want a missing-stream error, got %v", err)
	}
}

// tcpRelay forwards loopback connections to a real service and can cut
// them all, to simulate a lost connection.
type tcpRelay struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	n      int
	down   bool
}

func newTCPRelay(t *testing.T, target string) *tcpRelay {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &tcpRelay{ln: ln, target: target}
	t.Cleanup(func() { _ = ln.Close(); r.cut() })
	go r.accept()
	return r
}

func (r *tcpRelay) hostPort(t *testing.T) (string, int) {
	a := r.ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

func (r *tcpRelay) accept() {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		down := r.down
		r.mu.Unlock()
		if down {
			_ = c.Close()
			continue
		}
		up, err := net.Dial("tcp", r.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		r.mu.Lock()
		r.conns, r.n = append(r.conns, c, up), r.n+1
		r.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
		go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
	}
}

func (r *tcpRelay) cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		_ = c.Close()
	}
	r.conns = nil
}

// setDown makes the relay drop new connections at once (down) or serve
// them again.
func (r *tcpRelay) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

func (r *tcpRelay) accepted() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}
