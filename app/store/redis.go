package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis/v8"

	"github.com/oort-rules/oort/rules/engine"
)

// RedisOptions configure OpenRedis.
type RedisOptions struct {
	Addr      string        // host:port; required
	Password  string        // optional
	DB        int           // database number
	KeyPrefix string        // prefix of every key; "" means DefaultKeyPrefix
	Timeout   time.Duration // per operation, and for the ping at open; 0 means DefaultRedisTimeout
}

const (
	DefaultKeyPrefix    = "oort:"
	DefaultRedisTimeout = 3 * time.Second
)

// RedisStore keeps each bucket in one Redis hash named <prefix><bucket>.
// It is safe for concurrent use (the client pools connections).
type RedisStore struct {
	client  *redis.Client
	prefix  string
	timeout time.Duration
	addr    string
	closed  atomic.Bool
}

var _ engine.Store = (*RedisStore)(nil)

// OpenRedis connects and pings the server, so a wrong address or password
// fails at start-up with a clear message rather than at the first write.
func OpenRedis(opts RedisOptions) (*RedisStore, error) {
	if opts.Addr == "" {
		return nil, errors.New("store: open redis store: empty address")
	}
	if opts.KeyPrefix == "" {
		opts.KeyPrefix = DefaultKeyPrefix
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultRedisTimeout
	}
	client := redis.NewClient(&redis.Options{
		Addr:         opts.Addr,
		Password:     opts.Password,
		DB:           opts.DB,
		DialTimeout:  opts.Timeout,
		ReadTimeout:  opts.Timeout,
		WriteTimeout: opts.Timeout,
		MaxRetries:   1,
	})
	s := &RedisStore{client: client, prefix: opts.KeyPrefix, timeout: opts.Timeout, addr: opts.Addr}
	ctx, cancel := s.ctx()
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("store: redis at %s (db %d) is not reachable: %w", opts.Addr, opts.DB, err)
	}
	return s, nil
}

func (s *RedisStore) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.timeout)
}

func (s *RedisStore) key(bucket string) string { return s.prefix + bucket }

// fail names the server and the operation; a closed client reports ErrClosed
// like the file store does.
func (s *RedisStore) fail(op string, err error) error {
	if errors.Is(err, redis.ErrClosed) {
		err = ErrClosed
	}
	return fmt.Errorf("store: redis %s: %s: %w", s.addr, op, err)
}

// Get reads one field of the bucket's hash.
func (s *RedisStore) Get(bucket, key string) ([]byte, bool, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	v, err := s.client.HGet(ctx, s.key(bucket), key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.fail("get "+bucket+"/"+key, err)
	}
	return v, true, nil
}

// Put sets one field of the bucket's hash.
func (s *RedisStore) Put(bucket, key string, val []byte) error {
	if err := checkBucket(bucket); err != nil {
		return err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	if val == nil {
		val = []byte{}
	}
	if err := s.client.HSet(ctx, s.key(bucket), key, val).Err(); err != nil {
		return s.fail("put "+bucket+"/"+key, err)
	}
	return nil
}

// Delete removes one field; a missing field is not an error.
func (s *RedisStore) Delete(bucket, key string) error {
	ctx, cancel := s.ctx()
	defer cancel()
	if err := s.client.HDel(ctx, s.key(bucket), key).Err(); err != nil {
		return s.fail("delete "+bucket+"/"+key, err)
	}
	return nil
}

// List returns the whole hash (empty if the bucket does not exist).
func (s *RedisStore) List(bucket string) (map[string][]byte, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	all, err := s.client.HGetAll(ctx, s.key(bucket)).Result()
	if err != nil {
		return nil, s.fail("list "+bucket, err)
	}
	out := make(map[string][]byte, len(all))
	for k, v := range all {
		out[k] = []byte(v)
	}
	return out, nil
}

// Close releases the connection pool; later calls fail with ErrClosed.
// Closing twice is harmless.
func (s *RedisStore) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := s.client.Close(); err != nil {
		return s.fail("close", err)
	}
	return nil
}
