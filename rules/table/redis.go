package table

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-redis/redis/v8"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

const (
	defaultRedisAddr = "127.0.0.1:6379"
	redisPingTimeout = 5 * time.Second
)

// redisLookup is eKuiper's redis lookup table: DATASOURCE is the database
// number and the looked-up value, as text, is the Redis key. The key may hold
// a JSON object or array of objects (string), a hash (one row of string
// columns) or a list of JSON objects.
type redisLookup struct {
	name       string
	client     *redis.Client
	wholeAsInt bool
}

// NewRedisFactory builds the redis lookup type; clk drives the optional cache.
func NewRedisFactory(clk clock.Clock) Factory {
	return func(ctx context.Context, d Def) (Lookup, error) {
		p := props(d.Props)
		opts, err := redisOptions(d, p)
		if err != nil {
			return nil, err
		}
		co, err := readCacheOptions(p)
		if err != nil {
			return nil, err
		}
		wholeAsInt, err := p.boolean("useInt64ForWholeNumber", false)
		if err != nil {
			return nil, err
		}
		c := redis.NewClient(opts)
		pctx, cancel := context.WithTimeout(ctx, redisPingTimeout)
		defer cancel()
		if err := c.Ping(pctx).Err(); err != nil {
			c.Close()
			return nil, fmt.Errorf("cannot connect to redis %s: %w", opts.Addr, err)
		}
		return withCache(&redisLookup{name: d.Name, client: c, wholeAsInt: wholeAsInt}, co, clk), nil
	}
}

func redisOptions(d Def, p props) (*redis.Options, error) {
	addr, err := p.str("addr", "")
	if err != nil {
		return nil, err
	}
	if addr == "" {
		if addr, err = p.str("server", defaultRedisAddr); err != nil {
			return nil, err
		}
	}
	addr = strings.TrimPrefix(addr, "redis://")
	pw, err := p.str("password", "")
	if err != nil {
		return nil, err
	}
	db := 0
	if ds := strings.TrimSpace(d.DataSource); ds != "" {
		if db, err = strconv.Atoi(ds); err != nil || db < 0 {
			return nil, fmt.Errorf("DATASOURCE %q must be a redis database number", d.DataSource)
		}
	}
	return &redis.Options{Addr: addr, Password: pw, DB: db}, nil
}

func (l *redisLookup) Lookup(ctx context.Context, v value.Value) ([]*row.Row, error) {
	if v.IsNull() {
		return nil, nil
	}
	key := value.Text(v)
	data, err := l.client.Get(ctx, key).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, nil
	case err != nil && strings.HasPrefix(err.Error(), "WRONGTYPE"):
		return l.lookupTyped(ctx, key)
	case err != nil:
		return nil, fmt.Errorf("lookup table %s: redis GET %q: %w", l.name, key, err)
	}
	rows, err := jsonRows(data, l.wholeAsInt)
	if err != nil {
		return nil, fmt.Errorf("lookup table %s: redis key %q: %w", l.name, key, err)
	}
	return rows, nil
}

// lookupTyped handles keys that do not hold a string.
func (l *redisLookup) lookupTyped(ctx context.Context, key string) ([]*row.Row, error) {
	typ, err := l.client.Type(ctx, key).Result()
	if err != nil {
		return nil, fmt.Errorf("lookup table %s: redis TYPE %q: %w", l.name, key, err)
	}
	switch typ {
	case "hash":
		m, err := l.client.HGetAll(ctx, key).Result()
		if err != nil {
			return nil, fmt.Errorf("lookup table %s: redis HGETALL %q: %w", l.name, key, err)
		}
		return hashRows(m), nil
	case "list":
		return l.listRows(ctx, key)
	case "none":
		return nil, nil
	}
	return nil, fmt.Errorf("lookup table %s: redis key %q holds a %s (expected string, hash or list)", l.name, key, typ)
}

func hashRows(m map[string]string) []*row.Row {
	if len(m) == 0 {
		return nil
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	r := &row.Row{Cols: make([]row.Col, len(names))}
	for i, k := range names {
		r.Cols[i] = row.Col{Name: k, Val: value.FromString(m[k])}
	}
	return []*row.Row{r}
}

func (l *redisLookup) listRows(ctx context.Context, key string) ([]*row.Row, error) {
	items, err := l.client.LRange(ctx, key, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("lookup table %s: redis LRANGE %q: %w", l.name, key, err)
	}
	out := make([]*row.Row, 0, len(items))
	for i, it := range items {
		rows, err := jsonRows([]byte(it), l.wholeAsInt)
		if err != nil {
			return nil, fmt.Errorf("lookup table %s: redis list %q item %d: %w", l.name, key, i, err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

func (l *redisLookup) Close() error { return l.client.Close() }
