// Package engine owns the catalog of streams, tables and rules, their
// persistence and lifecycle, and routes ingested rows to running rules.
package engine

import (
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/table"
)

// Config wires the engine. Everything is a value built by the caller.
type Config struct {
	Store      Store
	Functions  *fn.Registry
	Sinks      *sink.Registry
	Tables     *table.Registry // lookup table kinds
	Bus        *membus.Bus
	Clock      clock.Clock
	Logger     obs.Logger
	TZ         *time.Location
	IgnoreCase bool
	DataDir    string
	// MaxBlock bounds how long ingest waits on a full rule queue before the
	// row is dropped and counted (RulesEngine.Ingest.MaxBlock).
	MaxBlock time.Duration
	// Props resolves props(name).
	Props func(name string) (string, bool)
	// Resource returns RulesEngine.Sinks.<type>.<name>.
	Resource func(sinkType, name string) (map[string]any, bool)
	// Secrets reads a named secret (mqtt sinks' secretName).
	Secrets func(name string) (map[string]string, error)
	// SourceConf returns RulesEngine.Sources.<type>.<confKey>.
	SourceConf func(typ, confKey string) (map[string]any, bool)
	// Sources builds connectors for stream types that read outside the
	// service's own ingest (mqtt); nil types are refused at rule start.
	Sources map[string]SourceFactory
	// Synchronous processes rows on the caller's goroutine (deterministic
	// tests); production uses one goroutine per rule.
	Synchronous bool
	// DisableIncremental buffers window rows even where aggregates could fold
	// incrementally (tests prove both paths give the same results).
	DisableIncremental bool
}

// Engine is the rules engine. It is safe for concurrent use.
type Engine struct {
	cfg    Config
	mu     sync.Mutex
	defs   map[string]*StreamDef
	rules  map[string]*ruleEntry
	routes atomic.Pointer[routeTable]
	trials trialSet
}

// New builds an engine and loads the persisted catalog; rules whose intent is
// "triggered" are started.
func New(cfg Config) (*Engine, error) {
	if cfg.Clock == nil {
		return nil, errors.New("engine: Config.Clock is required (inject the wall clock or a fake)")
	}
	if cfg.Logger == nil {
		cfg.Logger = obs.NopLogger{}
	}
	if cfg.TZ == nil {
		cfg.TZ = time.UTC
	}
	if cfg.Functions == nil {
		cfg.Functions = fn.NewCatalog()
	}
	if cfg.Bus == nil {
		cfg.Bus = &membus.Bus{}
	}
	if cfg.Sinks == nil { // the generic sinks; EdgeX ones are added by the app
		cfg.Sinks = sink.NewRegistry()
		sink.RegisterBuiltins(cfg.Sinks, cfg.Bus)
	}
	if cfg.Tables == nil {
		cfg.Tables = table.NewRegistry()
		table.RegisterBuiltins(cfg.Tables, cfg.Bus, cfg.Clock)
	}
	if cfg.MaxBlock == 0 {
		cfg.MaxBlock = time.Second
	}
	e := &Engine{cfg: cfg, defs: map[string]*StreamDef{}, rules: map[string]*ruleEntry{}}
	e.routes.Store(&routeTable{})
	if err := e.load(); err != nil {
		return nil, err
	}
	return e, nil
}

// Close stops every rule (keeping their persisted intent) and closes the store.
func (e *Engine) Close() error {
	e.mu.Lock()
	ids := make([]string, 0, len(e.rules))
	for id := range e.rules {
		ids = append(ids, id)
	}
	e.mu.Unlock()
	sort.Strings(ids)
	for _, id := range ids {
		e.stopRun(id, false)
	}
	e.trials.stopAll(e)
	if e.cfg.Store != nil {
		return e.cfg.Store.Close()
	}
	return nil
}

// Bus returns the in-process bus used by memory sources and sinks.
func (e *Engine) Bus() *membus.Bus { return e.cfg.Bus }

// Functions returns the function registry.
func (e *Engine) Functions() *fn.Registry { return e.cfg.Functions }
