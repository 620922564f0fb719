// Package config is Oort's custom configuration section, RulesEngine
// (edgex.md §6). Values users edit in core-keeper are strings, so maps hold
// strings and are converted where used.
package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ServiceConfig has exactly one field named like the section, as the SDK needs.
type ServiceConfig struct {
	RulesEngine RulesEngine
}

// UpdateFromRaw implements the SDK's UpdatableConfig.
func (c *ServiceConfig) UpdateFromRaw(raw interface{}) bool {
	cfg, ok := raw.(*ServiceConfig)
	if ok {
		*c = *cfg
	}
	return ok
}

// RulesEngine is the whole custom section.
type RulesEngine struct {
	DataDir    string
	IgnoreCase bool
	TimeZone   string
	Ingest     Ingest
	Store      Store
	Sources    map[string]map[string]map[string]string
	Sinks      map[string]map[string]map[string]string
	Triggers   Triggers
	Seed       Seed
	// SeedDir holds streams.sql and rules.json applied at start when present.
	SeedDir string
	// TrialPort serves trial-run event streams (GET /test/{id}); the SDK's
	// router cannot stream, so they have their own listener, as in eKuiper.
	TrialPort int
}

// Ingest bounds the intake between the bus and the rules (edgex.md §3).
type Ingest struct {
	MaxPending int
	MaxBlock   string
}

// Store selects the catalog store: "file" (default, under DataDir) or "redis".
type Store struct {
	Type      string
	Host      string
	Port      string
	DB        string
	Password  string
	KeyPrefix string
}

// Triggers configures the legacy custom triggers (edgex.md §7.3).
type Triggers struct {
	RedisPubSub  RedisTrigger
	RedisStreams RedisStreamsTrigger
	ZeroMQ       ZeroMQTrigger
}

// RedisStreamsTrigger is the oort-redis-streams trigger (EdgeX 1.x redisstreams bus).
type RedisStreamsTrigger struct {
	Host       string
	Port       string
	DB         string
	SecretName string
	Streams    string // comma list
	StartID    string // "$": new entries only
}

// ZeroMQTrigger is the oort-zeromq trigger (EdgeX 1.x core-data publisher).
type ZeroMQTrigger struct {
	Endpoint string
	Topics   string // comma list of topic prefixes; empty for all
}

// RedisTrigger is the oort-redis-pubsub trigger's connection.
type RedisTrigger struct {
	Host       string
	Port       string
	DB         string
	SecretName string
	Topics     string
}

// Seed holds definitions applied at start and on every change.
type Seed struct {
	Streams map[string]string
	Tables  map[string]string
	Rules   map[string]string
}

// Defaults fills unset values.
func (r *RulesEngine) Defaults() {
	if r.DataDir == "" {
		r.DataDir = "./data"
	}
	if r.TimeZone == "" {
		r.TimeZone = "Local"
	}
	if r.Ingest.MaxPending == 0 {
		r.Ingest.MaxPending = 10000
	}
	if r.Ingest.MaxBlock == "" {
		r.Ingest.MaxBlock = "1s"
	}
	if r.Store.Type == "" {
		r.Store.Type = "file"
	}
	if r.TrialPort == 0 {
		r.TrialPort = 10081
	}
	if r.Triggers.RedisStreams.Streams == "" {
		r.Triggers.RedisStreams.Streams = "events"
	}
	if r.Triggers.RedisStreams.StartID == "" {
		r.Triggers.RedisStreams.StartID = "$"
	}
	if r.Triggers.ZeroMQ.Endpoint == "" {
		r.Triggers.ZeroMQ.Endpoint = "tcp://localhost:5563"
	}
	if r.Triggers.RedisPubSub.Topics == "" {
		r.Triggers.RedisPubSub.Topics = "edgex/events/#"
	}
}

// Validate checks every value and names the key at fault.
func (r *RulesEngine) Validate() error {
	if _, err := r.Location(); err != nil {
		return fmt.Errorf("RulesEngine.TimeZone: %w", err)
	}
	if r.TrialPort < 0 || r.TrialPort > 65535 {
		return fmt.Errorf("RulesEngine.TrialPort must be a TCP port, found %d", r.TrialPort)
	}
	if r.Ingest.MaxPending < 1 {
		return fmt.Errorf("RulesEngine.Ingest.MaxPending must be at least 1, found %d", r.Ingest.MaxPending)
	}
	if _, err := r.MaxBlock(); err != nil {
		return fmt.Errorf("RulesEngine.Ingest.MaxBlock: %w", err)
	}
	switch strings.ToLower(r.Store.Type) {
	case "file", "redis":
	default:
		return fmt.Errorf("RulesEngine.Store.Type must be file or redis, found %q", r.Store.Type)
	}
	if r.Store.Type == "redis" {
		if _, err := strconv.Atoi(orDefault(r.Store.DB, "0")); err != nil {
			return fmt.Errorf("RulesEngine.Store.DB must be an integer, found %q", r.Store.DB)
		}
	}
	for typ := range r.Sources {
		switch typ {
		case "edgex", "mqtt", "memory":
		default:
			return fmt.Errorf("RulesEngine.Sources.%s: source type %s is not supported", typ, typ)
		}
	}
	return nil
}

// Location resolves TimeZone.
func (r *RulesEngine) Location() (*time.Location, error) {
	if r.TimeZone == "" || r.TimeZone == "Local" {
		return time.Local, nil
	}
	return time.LoadLocation(r.TimeZone)
}

// MaxBlock parses Ingest.MaxBlock.
func (r *RulesEngine) MaxBlock() (time.Duration, error) {
	return time.ParseDuration(orDefault(r.Ingest.MaxBlock, "1s"))
}

// Section returns Sources/Sinks.<typ>.<name> as a property map.
func Section(m map[string]map[string]map[string]string, typ, name string) (map[string]any, bool) {
	sec, ok := m[typ][name]
	if !ok {
		for k, v := range m[typ] { // keeper may change key case
			if strings.EqualFold(k, name) {
				sec, ok = v, true
			}
		}
	}
	if !ok {
		return nil, false
	}
	out := make(map[string]any, len(sec))
	for k, v := range sec {
		out[k] = v
	}
	return out, true
}

// Describe renders the effective section for the start-up log: the SDK's
// decoder silently drops misspelled keys, so showing what was understood
// makes such mistakes visible.
func (r *RulesEngine) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "DataDir=%s IgnoreCase=%v TimeZone=%s Ingest.MaxPending=%d Ingest.MaxBlock=%s Store.Type=%s",
		r.DataDir, r.IgnoreCase, r.TimeZone, r.Ingest.MaxPending, r.Ingest.MaxBlock, r.Store.Type)
	for _, part := range []struct {
		name string
		m    map[string]map[string]map[string]string
	}{{"Sources", r.Sources}, {"Sinks", r.Sinks}} {
		for _, typ := range sortedKeys(part.m) {
			fmt.Fprintf(&b, " %s.%s=[%s]", part.name, typ, strings.Join(sortedKeys(part.m[typ]), ","))
		}
	}
	fmt.Fprintf(&b, " Seed.Streams=%d Seed.Tables=%d Seed.Rules=%d", len(r.Seed.Streams), len(r.Seed.Tables), len(r.Seed.Rules))
	return b.String()
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
