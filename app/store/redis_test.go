package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-redis/redis/v8"

	"github.com/oort-rules/oort/rules/engine"
)

// The real local Redis (house rule 4); each store gets a unique key prefix
// and its keys are removed afterwards.
const redisAddr = "127.0.0.1:6379"

var redisSeq atomic.Int64

func uniquePrefix() string {
	return fmt.Sprintf("oort-test:%d:%d:", time.Now().UnixNano(), redisSeq.Add(1))
}

// cleanupPrefix deletes every key under prefix.
func cleanupPrefix(t *testing.T, prefix string) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: redisAddr})
	defer c.Close()
	ctx := context.Background()
	keys, err := c.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Errorf("cleanup %s: %v", prefix, err)
		return
	}
	if len(keys) > 0 {
		if err := c.Del(ctx, keys...).Err(); err != nil {
			t.Errorf("cleanup %s: %v", prefix, err)
		}
	}
}

func openTestRedis(t *testing.T) engine.Store {
	t.Helper()
	prefix := uniquePrefix()
	s, err := OpenRedis(RedisOptions{Addr: redisAddr, KeyPrefix: prefix})
	if err != nil {
		t.Fatalf("OpenRedis: %v (the tests need Redis on %s)", err, redisAddr)
	}
	t.Cleanup(func() {
		_ = s.Close()
		cleanupPrefix(t, prefix)
	})
	return s
}

func TestRedisConformance(t *testing.T) {
	runConformance(t, openTestRedis)
}

func TestRedisPersistence(t *testing.T) {
	prefix := uniquePrefix()
	t.Cleanup(func() { cleanupPrefix(t, prefix) })
	s, err := OpenRedis(RedisOptions{Addr: redisAddr, KeyPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, engine.BucketRules, "r1", []byte(`{"id":"r1"}`))
	mustPut(t, s, engine.BucketState, "r1", []byte{0, 0xff})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	re, err := OpenRedis(RedisOptions{Addr: redisAddr, KeyPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	if got := mustGet(t, re, engine.BucketRules, "r1"); string(got) != `{"id":"r1"}` {
		t.Errorf("rules/r1 after reopen = %q", got)
	}
	if got := mustGet(t, re, engine.BucketState, "r1"); string(got) != "\x00\xff" {
		t.Errorf("state/r1 after reopen = %q", got)
	}
	// One hash per bucket, named <prefix><bucket>.
	c := redis.NewClient(&redis.Options{Addr: redisAddr})
	defer c.Close()
	v, err := c.HGet(context.Background(), prefix+"rules", "r1").Result()
	if err != nil || v != `{"id":"r1"}` {
		t.Errorf("HGET %srules r1 = %q, %v", prefix, v, err)
	}
}

func TestRedisDefaultsAndErrors(t *testing.T) {
	if _, err := OpenRedis(RedisOptions{}); err == nil {
		t.Error("empty address accepted")
	}
	// Nothing listens on port 1 of loopback.
	start := time.Now()
	_, err := OpenRedis(RedisOptions{Addr: "127.0.0.1:1", Timeout: 500 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") || !strings.Contains(err.Error(), "not reachable") {
		t.Errorf("unreachable server: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("ping did not honour the timeout: %v", time.Since(start))
	}
	_, err = OpenRedis(RedisOptions{Addr: redisAddr, DB: 999})
	if err == nil || !strings.Contains(err.Error(), "db 999") {
		t.Errorf("invalid DB: %v", err)
	}
	s, err := OpenRedis(RedisOptions{Addr: redisAddr})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.prefix != DefaultKeyPrefix || s.timeout != DefaultRedisTimeout {
		t.Errorf("defaults: prefix %q timeout %v", s.prefix, s.timeout)
	}
	if !errors.Is(s.fail("x", redis.ErrClosed), ErrClosed) {
		t.Error("redis.ErrClosed not mapped to ErrClosed")
	}
}
