package sink

import (
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
)

// TestBatchSize: rows from several emissions are sent batchSize at a time;
// the remainder goes out at stop, so nothing is lost.
func TestBatchSize(t *testing.T) {
	c := &byteRec{}
	n := openNode(t, NodeSpec{Type: "test", Props: map[string]any{"batchSize": 3}, Factory: factoryOf(c)})
	n.Send([]*row.Row{R("i", 1), R("i", 2)})
	n.Send([]*row.Row{R("i", 3)})
	n.Send([]*row.Row{R("i", 4), R("i", 5), R("i", 6), R("i", 7)})
	eventually(t, "two full batches", func() bool { return len(c.got()) == 2 })
	closeNode(t, n)
	want := `[{"i":1},{"i":2},{"i":3}] [{"i":4},{"i":5},{"i":6}] [{"i":7}]`
	if got := strings.Join(c.got(), " "); got != want {
		t.Fatalf("sent %s\nwant %s", got, want)
	}
}

// TestLingerInterval: a partial batch is sent once its first row has waited
// lingerInterval on the node's clock; a batch filled by size first is not
// sent again by its stale timer.
func TestLingerInterval(t *testing.T) {
	c := &byteRec{}
	env := testEnv(nil)
	clk := env.Clock.(*clock.Fake)
	n := openNode(t, NodeSpec{Type: "test", Props: map[string]any{"batchSize": 2, "lingerInterval": 100}, Factory: factoryOf(c), Env: env})
	n.Send([]*row.Row{R("i", 1)})
	eventually(t, "the row is batched", func() bool { return clk.Pending() == 1 })
	clk.Advance(clk.Now().Add(99 * time.Millisecond))
	if got := c.got(); len(got) != 0 {
		t.Fatalf("sent before lingerInterval: %v", got)
	}
	clk.Advance(clk.Now().Add(time.Millisecond))
	eventually(t, "the partial batch", func() bool { return len(c.got()) == 1 })
	n.Send([]*row.Row{R("i", 2)})
	n.Send([]*row.Row{R("i", 3)}) // fills the batch: sent by size
	eventually(t, "the full batch", func() bool { return len(c.got()) == 2 })
	clk.Advance(clk.Now().Add(50 * time.Millisecond))
	n.Send([]*row.Row{R("i", 4)})
	eventually(t, "the row is batched", func() bool { return clk.Pending() == 2 }) // its timer and the stale one
	clk.Advance(clk.Now().Add(50 * time.Millisecond))                              // the stale timer fires
	time.Sleep(20 * time.Millisecond)
	if got := c.got(); len(got) != 2 {
		t.Fatalf("a stale linger timer sent the new batch early: %v", got)
	}
	clk.Advance(clk.Now().Add(50 * time.Millisecond))
	eventually(t, "the last partial batch", func() bool { return len(c.got()) == 3 })
	closeNode(t, n)
	want := `[{"i":1}] [{"i":2},{"i":3}] [{"i":4}]`
	if got := strings.Join(c.got(), " "); got != want {
		t.Fatalf("sent %s\nwant %s", got, want)
	}
}

func TestBatchPropsErrors(t *testing.T) {
	for props, want := range map[string]map[string]any{
		"property batchSize: must not be negative":      {"batchSize": -1},
		"property lingerInterval: must not be negative": {"lingerInterval": -5},
		`property lingerInterval: expected a duration`:  {"lingerInterval": "later"},
	} {
		_, err := NewNode(NodeSpec{Type: "test", Props: want, Factory: factoryOf(&byteRec{}), Env: testEnv(nil)})
		if err == nil || !strings.Contains(err.Error(), props) {
			t.Errorf("%v: error %v, want %q", want, err, props)
		}
	}
}
