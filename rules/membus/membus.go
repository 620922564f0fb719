// Package membus is the in-process topic bus behind the `memory` sink and the
// `memory` streams and tables (rule chaining, rules-api.md §2.4.7). The app
// creates one Bus and passes it to the sink registry and the source layer.
package membus

import (
	"sync"
	"sync/atomic"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/topic"
)

// Bus delivers published rows synchronously to every matching subscriber.
// The zero Bus is ready to use.
type Bus struct {
	mu   sync.Mutex // serialises Subscribe/unsubscribe (copy-on-write of subs)
	subs atomic.Pointer[[]*sub]
}

type sub struct {
	filter   string
	wildcard bool
	fn       func(topic string, rows []*row.Row)
	gone     atomic.Bool
}

// Subscribe registers fn for topics matching filter (MQTT wildcards `+` and
// `#`). fn runs on the publisher's goroutine and must not block for long: a
// memory source normally just enqueues the rows. The returned function
// removes the subscription; a delivery already under way may still complete,
// but no delivery starts after it returns.
func (b *Bus) Subscribe(filter string, fn func(topic string, rows []*row.Row)) (unsubscribe func()) {
	s := &sub{filter: filter, wildcard: topic.HasWildcard(filter), fn: fn}
	b.mu.Lock()
	b.store(append(b.load(), s))
	b.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { b.remove(s) }) }
}

func (b *Bus) remove(s *sub) {
	s.gone.Store(true)
	b.mu.Lock()
	defer b.mu.Unlock()
	old := b.load()
	next := make([]*sub, 0, len(old))
	for _, o := range old {
		if o != s {
			next = append(next, o)
		}
	}
	b.store(next)
}

// load returns the current subscriber list; it is never modified in place.
func (b *Bus) load() []*sub {
	if p := b.subs.Load(); p != nil {
		return *p
	}
	return nil
}

func (b *Bus) store(s []*sub) { b.subs.Store(&s) }

// Publish delivers rows to every subscriber whose filter matches topic, in
// subscription order, before returning. Each subscriber gets its own copies
// of the Row structs (Topic set to topic) so it may change row fields; the
// column slices and values are shared and must be treated as read-only.
// Publish may be called concurrently and from inside a subscriber.
func (b *Bus) Publish(topicName string, rows []*row.Row) {
	for _, s := range b.load() {
		if s.gone.Load() {
			continue
		}
		if s.wildcard {
			if !topic.Match(s.filter, topicName) {
				continue
			}
		} else if s.filter != topicName {
			continue
		}
		s.fn(topicName, copyRows(topicName, rows))
	}
}

// HasSubscribers reports whether any subscriber matches topic; publishers can
// skip building rows nobody reads.
func (b *Bus) HasSubscribers(topicName string) bool {
	for _, s := range b.load() {
		if !s.gone.Load() && topic.Match(s.filter, topicName) {
			return true
		}
	}
	return false
}

func copyRows(topicName string, rows []*row.Row) []*row.Row {
	vals := make([]row.Row, len(rows))
	out := make([]*row.Row, len(rows))
	for i, r := range rows {
		vals[i] = *r
		vals[i].Topic = topicName
		out[i] = &vals[i]
	}
	return out
}
