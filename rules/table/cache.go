package table

import (
	"context"
	"sync"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// defaultCacheTTL applies when "cache" is on without "cacheTtl" (eKuiper's
// default of 600 s).
const defaultCacheTTL = 600 * time.Second

// cacheOptions are the lookup cache properties shared by the external
// lookups (sql, redis): "cache", "cacheTtl" (ms) and "cacheMissingKey".
type cacheOptions struct {
	enabled bool
	ttl     time.Duration
	missing bool
}

func readCacheOptions(p props) (cacheOptions, error) {
	var o cacheOptions
	var err error
	if o.enabled, err = p.boolean("cache", false); err != nil {
		return o, err
	}
	if o.ttl, err = p.millis("cacheTtl", defaultCacheTTL); err != nil {
		return o, err
	}
	if o.ttl == 0 {
		o.ttl = defaultCacheTTL
	}
	o.missing, err = p.boolean("cacheMissingKey", false)
	return o, err
}

// withCache wraps l in a TTL cache when the options enable one.
func withCache(l Lookup, o cacheOptions, clk clock.Clock) Lookup {
	if !o.enabled {
		return l
	}
	return &cachedLookup{inner: l, opt: o, clk: clk, entries: map[string]cacheEntry{}, sweepAt: 64}
}

type cacheEntry struct {
	rows    []*row.Row
	expires time.Time
}

// cachedLookup remembers results per key until they expire. Expired entries
// are swept when the map has doubled since the last sweep, which bounds it
// by the number of keys seen within one TTL.
type cachedLookup struct {
	inner   Lookup
	opt     cacheOptions
	clk     clock.Clock
	mu      sync.Mutex
	entries map[string]cacheEntry
	sweepAt int
}

func (c *cachedLookup) Lookup(ctx context.Context, v value.Value) ([]*row.Row, error) {
	h, ok := hashKey(v)
	if !ok {
		return nil, nil
	}
	now := c.clk.Now()
	c.mu.Lock()
	e, hit := c.entries[h]
	c.mu.Unlock()
	if hit && now.Before(e.expires) {
		return e.rows, nil
	}
	rows, err := c.inner.Lookup(ctx, v)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 && !c.opt.missing {
		return rows, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[h] = cacheEntry{rows: rows, expires: now.Add(c.opt.ttl)}
	if len(c.entries) >= c.sweepAt {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		c.sweepAt = max(64, 2*len(c.entries))
	}
	return rows, nil
}

func (c *cachedLookup) Close() error { return c.inner.Close() }
