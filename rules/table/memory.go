package table

import (
	"context"
	"errors"
	"sync"

	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// memoryTables shares one store per table between the rules that use it, as
// eKuiper does: the store lives while at least one rule holds it open.
type memoryTables struct {
	bus    *membus.Bus
	mu     sync.Mutex
	stores map[string]*memStore
}

// memStore is a memory lookup table's content: the latest row per key, fed by
// the membus topic DATASOURCE.
type memStore struct {
	id     string
	keyCol string
	refs   int // guarded by memoryTables.mu
	unsub  func()

	mu   sync.RWMutex
	rows map[string]*row.Row
}

// NewMemoryFactory builds the memory lookup type over bus.
func NewMemoryFactory(bus *membus.Bus) Factory {
	mt := &memoryTables{bus: bus, stores: map[string]*memStore{}}
	return mt.open
}

func (mt *memoryTables) open(_ context.Context, d Def) (Lookup, error) {
	if d.Key == "" {
		return nil, errors.New(`Option "key" is required for memory lookup table.`)
	}
	if d.DataSource == "" {
		return nil, errors.New("memory lookup table needs a DATASOURCE topic")
	}
	if mt.bus == nil {
		return nil, errors.New("memory lookup table: no bus available")
	}
	id := d.Name + "\x00" + d.DataSource + "\x00" + d.Key
	mt.mu.Lock()
	defer mt.mu.Unlock()
	s, ok := mt.stores[id]
	if !ok {
		s = &memStore{id: id, keyCol: d.Key, rows: map[string]*row.Row{}}
		s.unsub = mt.bus.Subscribe(d.DataSource, s.apply)
		mt.stores[id] = s
	}
	s.refs++
	return &memHandle{mt: mt, s: s}, nil
}

func (mt *memoryTables) release(s *memStore) {
	mt.mu.Lock()
	defer mt.mu.Unlock()
	s.refs--
	if s.refs > 0 {
		return
	}
	s.unsub()
	delete(mt.stores, s.id)
}

// apply runs on the publisher's goroutine: it only updates the map.
// Insert, update and upsert all store the row under its key (eKuiper makes
// no difference between them either); rows without a key are dropped because
// no lookup could ever find them.
func (s *memStore) apply(_ string, rows []*row.Row) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rows {
		if r.Err != nil {
			continue
		}
		kind := rowKind(r)
		k, ok := rowKey(r, s.keyCol)
		if kind != kindDelete {
			// Lookups match the KEY column, so that is what a stored row is
			// filed under; the sink's key metadata is only a fallback.
			if kv, found := r.Get(s.keyCol); found && !kv.IsNull() {
				k, ok = kv, true
			}
		}
		h, hok := hashKey(k)
		if !ok || !hok {
			continue
		}
		if kind == kindDelete {
			delete(s.rows, h)
		} else {
			s.rows[h] = r
		}
	}
}

func (s *memStore) lookup(v value.Value) []*row.Row {
	h, ok := hashKey(v)
	if !ok {
		return nil
	}
	s.mu.RLock()
	r := s.rows[h]
	s.mu.RUnlock()
	if r == nil {
		return nil
	}
	return []*row.Row{r}
}

// memHandle is one rule's reference to a shared store.
type memHandle struct {
	mt   *memoryTables
	s    *memStore
	once sync.Once
}

func (h *memHandle) Lookup(_ context.Context, v value.Value) ([]*row.Row, error) {
	return h.s.lookup(v), nil
}

func (h *memHandle) Close() error {
	h.once.Do(func() { h.mt.release(h.s) })
	return nil
}
