package sink

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/oort-rules/oort/rules/membus"
)

// Registry maps sink type names (and aliases) to factories. The app builds
// one at start-up; lookups may run concurrently with late registrations.
type Registry struct {
	mu        sync.RWMutex
	factories map[string]Factory
	primary   map[string]bool
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{factories: map[string]Factory{}, primary: map[string]bool{}}
}

// Register adds factory f under name and aliases; a later registration of the
// same name replaces the earlier one (functions/ overrides nothing built in,
// but tests may).
func (r *Registry) Register(name string, f Factory, aliases ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.factories == nil {
		r.factories, r.primary = map[string]Factory{}, map[string]bool{}
	}
	r.factories[name] = f
	r.primary[name] = true
	for _, a := range aliases {
		r.factories[a] = f
	}
}

// Lookup finds the factory of a sink type. Names are matched exactly first,
// then case-insensitively (rule JSON written by hand uses "MQTT" or "Log").
func (r *Registry) Lookup(name string) (Factory, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if f, ok := r.factories[name]; ok {
		return f, true
	}
	for k, f := range r.factories {
		if strings.EqualFold(k, name) {
			return f, true
		}
	}
	return nil, false
}

// Names returns the registered type names (not aliases), sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.primary))
	for n := range r.primary {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Unsupported is the error for a sink type that is not registered.
func Unsupported(name string) error {
	return fmt.Errorf("sink type %s is not supported", name)
}

// RegisterBuiltins registers the sinks implemented in this package. The
// memory sink publishes on bus.
func RegisterBuiltins(r *Registry, bus *membus.Bus) {
	r.Register("log", NewLog)
	r.Register("nop", NewNop)
	r.Register("memory", func(props map[string]any, env *Env) (Connector, error) {
		return NewMemory(props, env, bus)
	})
	r.Register("mqtt", NewMQTT)
	r.Register("rest", NewREST, "http")
}
