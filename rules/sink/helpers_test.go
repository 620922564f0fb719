package sink

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// byteRec is a ByteConnector recording payloads; failN makes the first
// sends fail (recoverable unless permanent is set).
type byteRec struct {
	mu        sync.Mutex
	payloads  []string
	firsts    []*row.Row
	failN     int
	permanent bool
	opened    bool
	closed    bool
	gate      chan struct{} // when set, each send waits for a token
}

func (c *byteRec) Open(context.Context) error { c.opened = true; return nil }
func (c *byteRec) Close() error               { c.closed = true; return nil }
func (c *byteRec) SendBytes(ctx context.Context, payload []byte, first *row.Row) error {
	if c.gate != nil {
		select {
		case <-c.gate:
		case <-ctx.Done():
			return &Recoverable{Err: ctx.Err()}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failN > 0 {
		c.failN--
		if c.permanent {
			return fmt.Errorf("permanent failure")
		}
		return &Recoverable{Err: fmt.Errorf("target down")}
	}
	c.payloads = append(c.payloads, string(payload))
	c.firsts = append(c.firsts, first)
	return nil
}

func (c *byteRec) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.payloads...)
}

func (c *byteRec) setFail(n int) {
	c.mu.Lock()
	c.failN = n
	c.mu.Unlock()
}

// rowRec is a RowConnector recording row messages as JSON.
type rowRec struct {
	mu   sync.Mutex
	msgs []string
}

func (c *rowRec) Open(context.Context) error { return nil }
func (c *rowRec) Close() error               { return nil }
func (c *rowRec) SendRows(_ context.Context, rows []*row.Row) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, string(AppendRows(nil, rows)))
	return nil
}

func (c *rowRec) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

func factoryOf(c Connector) Factory {
	return func(map[string]any, *Env) (Connector, error) { return c, nil }
}

func testEnv(log obs.Logger) *Env {
	if log == nil {
		log = obs.NopLogger{}
	}
	return &Env{RuleID: "r1", Type: "test", Logger: log,
		Clock: clock.NewFake(time.UnixMilli(1_700_000_000_000)),
		Node:  &obs.Node{Name: "sink_test_0", Kind: "sink"}}
}

// R builds a row from alternating names and values (Go values via FromGo).
func R(kv ...any) *row.Row {
	r := &row.Row{}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Cols = append(r.Cols, row.Col{Name: kv[i].(string), Val: value.FromGo(kv[i+1])})
	}
	return r
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// openNode builds and opens a node; it is closed when the test ends.
func openNode(t *testing.T, spec NodeSpec) *Node {
	t.Helper()
	if spec.Env == nil {
		spec.Env = testEnv(nil)
	}
	n, err := NewNode(spec)
	if err != nil {
		t.Fatalf("NewNode: %v", err)
	}
	if err := n.Open(context.Background()); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = n.Close(context.Background()) })
	return n
}

func closeNode(t *testing.T, n *Node) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// failingRows is a RowConnector failing recoverably failN times.
type failingRows struct {
	mu    sync.Mutex
	failN int
	rows  []*row.Row
}

func (c *failingRows) Open(context.Context) error { return nil }
func (c *failingRows) Close() error               { return nil }
func (c *failingRows) SendRows(_ context.Context, rows []*row.Row) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failN > 0 {
		c.failN--
		return &Recoverable{Err: fmt.Errorf("bus down")}
	}
	c.rows = append(c.rows, rows...)
	return nil
}

func (c *failingRows) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.rows)
}

func (c *failingRows) row(i int) *row.Row {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rows[i]
}
