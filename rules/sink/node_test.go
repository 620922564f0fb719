package sink

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

func TestQueueFullDropsAndCounts(t *testing.T) {
	c := &byteRec{gate: make(chan struct{})}
	env := testEnv(nil)
	n := openNode(t, NodeSpec{Type: "test", Props: map[string]any{"bufferLength": "2"}, Factory: factoryOf(c), Env: env})
	n.Send([]*row.Row{R("i", 1)})
	eventually(t, "worker takes the first emission", func() bool { return len(n.queue) == 0 })
	n.Send([]*row.Row{R("i", 2)})
	n.Send([]*row.Row{R("i", 3)})
	n.Send([]*row.Row{R("i", 4), R("i", 5)}) // queue full
	if env.Node.Exceptions.Load() != 1 || env.Node.LastException() != "buffer full, dropped" {
		t.Fatalf("exceptions %d %q", env.Node.Exceptions.Load(), env.Node.LastException())
	}
	if env.Node.BufferLength.Load() != 2 || env.Node.RecordsIn.Load() != 5 {
		t.Fatalf("buffer_length %d records_in %d", env.Node.BufferLength.Load(), env.Node.RecordsIn.Load())
	}
	close(c.gate)
	closeNode(t, n)
	got := strings.Join(c.got(), " ")
	if got != `[{"i":1}] [{"i":2}] [{"i":3}]` {
		t.Fatalf("sent %s", got)
	}
	if env.Node.RecordsOut.Load() != 3 || env.Node.Processed.Load() != 3 {
		t.Fatalf("records_out %d processed %d", env.Node.RecordsOut.Load(), env.Node.Processed.Load())
	}
}

func TestBlockingQueueWaits(t *testing.T) {
	c := &byteRec{gate: make(chan struct{})}
	n := openNode(t, NodeSpec{Type: "test", Props: map[string]any{"bufferLength": 1}, Factory: factoryOf(c), Block: true})
	n.Send([]*row.Row{R("i", 1)})
	eventually(t, "worker takes the first emission", func() bool { return len(n.queue) == 0 })
	n.Send([]*row.Row{R("i", 2)})
	returned := make(chan struct{})
	go func() { n.Send([]*row.Row{R("i", 3)}); close(returned) }()
	select {
	case <-returned:
		t.Fatal("Send returned although the queue was full")
	case <-time.After(50 * time.Millisecond):
	}
	close(c.gate)
	<-returned
	closeNode(t, n)
	if got := strings.Join(c.got(), " "); got != `[{"i":1}] [{"i":2}] [{"i":3}]` {
		t.Fatalf("sent %s", got)
	}
	if n.Metrics().Exceptions.Load() != 0 {
		t.Fatalf("unexpected exception %q", n.Metrics().LastException())
	}
}

func TestCloseDeadlineAbandonsSends(t *testing.T) {
	c := &byteRec{gate: make(chan struct{})}
	env := testEnv(nil)
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(c), Env: env})
	n.Send([]*row.Row{R("i", 1)})
	n.Send([]*row.Row{R("i", 2)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := n.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if time.Since(start) > 2*time.Second || !c.closed {
		t.Fatalf("close took %v, connector closed %v", time.Since(start), c.closed)
	}
	if len(c.got()) != 0 || env.Node.Exceptions.Load() != 2 {
		t.Fatalf("sent %q, exceptions %d", c.got(), env.Node.Exceptions.Load())
	}
	n.Send([]*row.Row{R("i", 3)}) // after close: dropped, no panic
	if env.Node.LastException() != "sink stopped, dropped" {
		t.Fatalf("last exception %q", env.Node.LastException())
	}
}

func TestMetricsAfterOpenAndSend(t *testing.T) {
	c := &byteRec{}
	env := testEnv(nil)
	n := openNode(t, NodeSpec{Type: "test", Props: map[string]any{"sendSingle": true}, Factory: factoryOf(c), Env: env})
	n.Send([]*row.Row{R("a", 1), R("a", 2)})
	closeNode(t, n)
	m := env.Node
	const now = 1_700_000_000_000
	checks := map[string][2]int64{
		"records_in":      {m.RecordsIn.Load(), 2},
		"records_out":     {m.RecordsOut.Load(), 2},
		"processed":       {m.Processed.Load(), 1},
		"last_invocation": {m.LastInvocation.Load(), now},
		"conn_status":     {m.ConnStatus.Load(), obs.Connected},
		"conn_connected":  {m.ConnLastConnected.Load(), now},
		"conn_last_try":   {m.ConnLastTry.Load(), now},
		"exceptions":      {m.Exceptions.Load(), 0},
	}
	for k, v := range checks {
		if v[0] != v[1] {
			t.Errorf("%s = %d, want %d", k, v[0], v[1])
		}
	}
}

type failOpen struct{ byteRec }

func (f *failOpen) Open(context.Context) error { return errors.New("connection refused") }

func TestOpenFailureSetsConnectionMetrics(t *testing.T) {
	env := testEnv(nil)
	n, err := NewNode(NodeSpec{Type: "test", Factory: factoryOf(&failOpen{}), Env: env})
	if err != nil {
		t.Fatal(err)
	}
	err = n.Open(context.Background())
	if err == nil || !strings.Contains(err.Error(), "sink_test_0: connection refused") {
		t.Fatalf("Open error %v", err)
	}
	m := env.Node
	if m.ConnStatus.Load() != obs.Disconnected || m.ConnLastDisconnected.Load() == 0 ||
		!strings.Contains(m.LastDisconnectMessage(), "connection refused") || m.Exceptions.Load() != 1 {
		t.Fatalf("metrics: status %d msg %q exc %d", m.ConnStatus.Load(), m.LastDisconnectMessage(), m.Exceptions.Load())
	}
	if err := n.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestNewNodeSetupErrors(t *testing.T) {
	cases := []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"format": "protobuf"}, "sink sink_test_0: format protobuf is not supported"},
		{map[string]any{"sendSingle": "yes please"}, `property sendSingle: expected a boolean, got "yes please"`},
		{map[string]any{"bufferLength": -1}, "property bufferLength: must not be negative"},
		{map[string]any{"dataTemplate": "{{.a"}, "invalid dataTemplate template"},
		{map[string]any{"resourceId": "nosuch"}, "resourceId nosuch: no configuration section RulesEngine.Sinks.test.nosuch"},
		{map[string]any{"compression": "lz4"}, "compression lz4 is not supported"},
		{map[string]any{"encryption": "aes"}, "encryption aes is not supported"},
		{map[string]any{"resendInterval": "soon"}, `property resendInterval: expected a duration, got "soon"`},
	}
	for _, c := range cases {
		_, err := NewNode(NodeSpec{Type: "test", Props: c.props, Factory: factoryOf(&byteRec{}), Env: testEnv(nil)})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("props %v: error %v, want %q", c.props, err, c.want)
		}
	}
	if _, err := NewNode(NodeSpec{Type: "kafka"}); err == nil || err.Error() != "sink type kafka is not supported" {
		t.Errorf("nil factory: %v", err)
	}
}

func TestNullsAndStringsAreTolerated(t *testing.T) {
	props := map[string]any{"sendSingle": nil, "bufferLength": "", "omitIfEmpty": "false",
		"enableCache": "0", "memoryCacheThreshold": nil, "resendInterval": "10", "fields": nil,
		"runAsync": false, "retryCount": 3, "cacheLength": "1024"}
	n, err := NewNode(NodeSpec{Type: "test", Props: props, Factory: factoryOf(&byteRec{}), Env: testEnv(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if n.conf.sendSingle || n.conf.bufferLength != defaultBufferLength || n.conf.cache.enabled ||
		n.conf.cache.memThreshold != defaultMemCache || n.conf.cache.resendInterval != 10*time.Millisecond {
		t.Fatalf("conf %+v", n.conf)
	}
}

func TestResourceMerge(t *testing.T) {
	var gotProps map[string]any
	f := func(props map[string]any, _ *Env) (Connector, error) { gotProps = props; return &byteRec{}, nil }
	env := testEnv(nil)
	env.Resource = func(typ, name string) (map[string]any, bool) {
		if typ == "test" && name == "cloud" {
			return map[string]any{"server": "tcp://cfg:1883", "qos": "1", "sendSingle": "true"}, true
		}
		return nil, false
	}
	n, err := NewNode(NodeSpec{Type: "test", Factory: f, Env: env,
		Props: map[string]any{"resourceId": "cloud", "qos": 2, "server": nil, "connectionSelector": "edgex.redisMsgBus"}})
	if err != nil {
		t.Fatal(err)
	}
	if gotProps["server"] != "tcp://cfg:1883" || gotProps["qos"] != 2 || !n.conf.sendSingle {
		t.Fatalf("merged %v, sendSingle %v", gotProps, n.conf.sendSingle)
	}
}
