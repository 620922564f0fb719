// Package table holds the content of SQL tables (sql.md §11.3): per-rule scan
// tables (the last RETAIN_SIZE rows received) and shared lookup tables queried
// by key for each stream row (memory, redis, sql, file).
package table

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// Lookup is a keyed table queried per row (lookup join).
type Lookup interface {
	// Lookup returns the rows whose key column equals v (value.Equal semantics).
	// A key with no rows gives an empty result, not an error.
	Lookup(ctx context.Context, v value.Value) ([]*row.Row, error)
	Close() error
}

// Def is what a lookup needs from its CREATE TABLE.
type Def struct {
	Name, Type, DataSource, Key string         // Type: memory, redis, sql, file (lower-case)
	Props                       map[string]any // connection section + EXTRA (server/addr, url, db, ...)
}

// Factory opens one lookup table for one rule.
type Factory func(ctx context.Context, d Def) (Lookup, error)

// Registry of lookup kinds; the app builds it (no globals).
type Registry struct {
	mu        sync.RWMutex
	factories map[string]Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{factories: map[string]Factory{}} }

// Register adds or replaces the factory for typ (case-insensitive).
func (r *Registry) Register(typ string, f Factory) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.factories[strings.ToLower(typ)] = f
}

// Types lists the registered lookup types (for error messages and docs).
func (r *Registry) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.factories))
	for t := range r.factories {
		out = append(out, t)
	}
	return out
}

// Open creates the lookup for d with the factory registered for d.Type.
func (r *Registry) Open(ctx context.Context, d Def) (Lookup, error) {
	typ := strings.ToLower(d.Type)
	r.mu.RLock()
	f, ok := r.factories[typ]
	r.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("lookup table type %s is not supported", d.Type)
	}
	d.Type = typ
	l, err := f(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("lookup table %s (type %s): %w", d.Name, typ, err)
	}
	return l, nil
}

// RegisterBuiltins registers memory, redis, sql and file; the clock drives
// file reloads and lookup caches (tests pass a clock.Fake).
func RegisterBuiltins(r *Registry, bus *membus.Bus, clk clock.Clock) {
	r.Register("memory", NewMemoryFactory(bus))
	r.Register("redis", NewRedisFactory(clk))
	r.Register("sql", NewSQLFactory(clk))
	r.Register("file", NewFileFactory(clk))
}
