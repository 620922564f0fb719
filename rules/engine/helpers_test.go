package engine_test

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/value"
)

const t0 = 1700000000000

// memStore is an in-memory engine.Store. Close only invalidates the handle:
// reopen returns a new handle on the same data, as reopening a file store
// in the same directory would.
type memStore struct {
	mu     *sync.Mutex
	data   map[string]map[string][]byte
	closed bool
}

func newMemStore() *memStore {
	return &memStore{mu: &sync.Mutex{}, data: map[string]map[string][]byte{}}
}

var errClosed = errors.New("memstore: closed")

func (s *memStore) Get(bucket, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, false, errClosed
	}
	v, ok := s.data[bucket][key]
	return append([]byte(nil), v...), ok, nil
}

func (s *memStore) Put(bucket, key string, val []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	if s.data[bucket] == nil {
		s.data[bucket] = map[string][]byte{}
	}
	s.data[bucket][key] = append([]byte(nil), val...)
	return nil
}

func (s *memStore) Delete(bucket, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	delete(s.data[bucket], key)
	return nil
}

func (s *memStore) List(bucket string) (map[string][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	out := map[string][]byte{}
	for k, v := range s.data[bucket] {
		out[k] = append([]byte(nil), v...)
	}
	return out, nil
}

func (s *memStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// reopen returns a fresh handle on the same data.
func (s *memStore) reopen() *memStore { return &memStore{mu: s.mu, data: s.data} }

// keys lists a bucket's keys, sorted.
func (s *memStore) keys(bucket string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.data[bucket] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fixture is one engine with its collaborators.
type fixture struct {
	e     *engine.Engine
	clk   *clock.Fake
	store engine.Store
	bus   *membus.Bus
	log   *obs.Recorder
	cfg   engine.Config
}

// config returns a synchronous configuration on a fake clock.
func config(store engine.Store) engine.Config {
	bus := &membus.Bus{}
	sinks := sink.NewRegistry()
	sink.RegisterBuiltins(sinks, bus)
	return engine.Config{Store: store, Sinks: sinks, Bus: bus, Clock: clock.NewFake(time.UnixMilli(t0).UTC()),
		Logger: &obs.Recorder{}, TZ: time.UTC, Synchronous: true}
}

func newFixtureCfg(t testing.TB, cfg engine.Config) *fixture {
	t.Helper()
	e, err := engine.New(cfg)
	if err != nil {
		t.Fatalf("engine.New: %v", err)
	}
	f := &fixture{e: e, clk: cfg.Clock.(*clock.Fake), store: cfg.Store, bus: cfg.Bus, log: cfg.Logger.(*obs.Recorder), cfg: cfg}
	t.Cleanup(func() { _ = e.Close() })
	return f
}

func newFixture(t testing.TB, mods ...func(*engine.Config)) *fixture {
	t.Helper()
	cfg := config(newMemStore())
	for _, m := range mods {
		m(&cfg)
	}
	return newFixtureCfg(t, cfg)
}

func (f *fixture) mem() *memStore { return f.store.(*memStore) }

func (f *fixture) exec(t testing.TB, stmt string) string {
	t.Helper()
	out, err := f.e.ExecStreamSQL(engine.KindStream, stmt)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	return out
}

// rule creates a rule from its parts; extra top-level keys are merged in.
func (f *fixture) rule(t testing.TB, id, sqlText string, extra map[string]any) {
	t.Helper()
	if _, err := f.e.CreateRule(ruleDoc(id, sqlText, extra)); err != nil {
		t.Fatalf("create rule %s: %v", id, err)
	}
}

func ruleDoc(id, sqlText string, extra map[string]any) []byte {
	doc := map[string]any{"id": id, "sql": sqlText, "actions": []any{map[string]any{"log": map[string]any{}}}}
	for k, v := range extra {
		doc[k] = v
	}
	b, _ := json.Marshal(doc)
	return b
}

// capture collects the emissions of a rule attached with AttachEmit.
type capture struct {
	mu    sync.Mutex
	emits [][]*row.Row
	ch    chan struct{}
}

func (c *capture) emit(rows []*row.Row) {
	c.mu.Lock()
	c.emits = append(c.emits, rows)
	c.mu.Unlock()
	select {
	case c.ch <- struct{}{}:
	default:
	}
}

func (c *capture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return renderEmits(c.emits)
}

func (c *capture) reset() {
	c.mu.Lock()
	c.emits = nil
	c.mu.Unlock()
}

// attached creates a stopped rule and attaches a capture to it.
func (f *fixture) attached(t testing.TB, id, sqlText string, options map[string]any) *capture {
	t.Helper()
	extra := map[string]any{"triggered": false}
	if options != nil {
		extra["options"] = options
	}
	f.rule(t, id, sqlText, extra)
	c := &capture{ch: make(chan struct{}, 1)}
	if err := f.e.AttachEmit(id, c.emit); err != nil {
		t.Fatalf("attach %s: %v", id, err)
	}
	return c
}

func renderRow(r *row.Row) string {
	parts := make([]string, len(r.Cols))
	for i, c := range r.Cols {
		parts[i] = c.Name + ":" + value.ToJSON(c.Val)
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func renderEmits(emits [][]*row.Row) string {
	var b strings.Builder
	for _, e := range emits {
		b.WriteByte('[')
		for i, r := range e {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(renderRow(r))
		}
		b.WriteByte(']')
	}
	return b.String()
}

// in builds an input row from name/value pairs (int → bigint, float64 →
// float, string, bool, nil).
func in(kv ...any) *row.Row {
	r := &row.Row{}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Cols = append(r.Cols, row.Col{Name: kv[i].(string), Val: value.FromGo(normInt(kv[i+1]))})
	}
	return r
}

func normInt(x any) any {
	if i, ok := x.(int); ok {
		return int64(i)
	}
	return x
}

// wantErr asserts err's message and its direct code.
func wantErr(t testing.TB, err error, code int, msg string) {
	t.Helper()
	if err == nil {
		t.Errorf("want error %d %q, got nil", code, msg)
		return
	}
	if err.Error() != msg {
		t.Errorf("error message\n got %q\nwant %q", err.Error(), msg)
	}
	if got := errs.Direct(err); got != code {
		t.Errorf("error %q: direct code %d, want %d", err.Error(), got, code)
	}
}

// statusMap returns RuleStatus as key order and a map.
func statusOf(t testing.TB, e *engine.Engine, id string) ([]string, map[string]any) {
	t.Helper()
	kvs, err := e.RuleStatus(id)
	if err != nil {
		t.Fatalf("status %s: %v", id, err)
	}
	return kvKeys(kvs), kvMap(kvs)
}

func kvKeys(kvs []obs.KV) []string {
	out := make([]string, len(kvs))
	for i, kv := range kvs {
		out[i] = kv.Key
	}
	return out
}

func kvMap(kvs []obs.KV) map[string]any {
	out := map[string]any{}
	for _, kv := range kvs {
		out[kv.Key] = kv.Val
	}
	return out
}

func ruleStatus(t testing.TB, e *engine.Engine, id string) string {
	t.Helper()
	_, m := statusOf(t, e, id)
	s, _ := m["status"].(string)
	return s
}

// waitFor polls cond for up to 5 s (async engine tests only).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// busCapture subscribes to a memory-bus topic.
type busCapture struct {
	mu   sync.Mutex
	rows []string
}

func subscribe(t testing.TB, bus *membus.Bus, topic string) *busCapture {
	c := &busCapture{}
	unsub := bus.Subscribe(topic, func(_ string, rows []*row.Row) {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, r := range rows {
			c.rows = append(c.rows, renderRow(r))
		}
	})
	t.Cleanup(unsub)
	return c
}

func (c *busCapture) get() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.rows...)
}
