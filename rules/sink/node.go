package sink

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// NodeSpec describes one rule action.
type NodeSpec struct {
	Type    string         // sink type as written in the rule
	Props   map[string]any // the action's properties
	Factory Factory
	Env     *Env
	// QueueLen is the queue capacity when the action sets no bufferLength
	// (0: 1024).
	QueueLen int
	// Block makes Send wait for room instead of dropping the emission
	// (rule option disableBufferFullDiscard).
	Block bool
}

// Node runs one action: a bounded queue drained in order by one goroutine
// through the common pipeline, the cache and the connector.
type Node struct {
	name     string
	env      *Env
	m        *obs.Node
	clk      clock.Clock
	conf     common
	pipe     *pipeline
	conn     Connector
	byteConn ByteConnector
	rowConn  RowConnector
	block    bool

	queue    chan []*row.Row
	retryCh  chan struct{}
	stopping chan struct{}
	done     chan struct{}
	runCtx   context.Context
	cancel   context.CancelFunc

	cache      *cache
	retryArmed bool // worker only
	resending  bool // worker only: inside flushCache
	resendDest *Dyn // resendDestination, when the connector can redirect
	zip        compressor
	// batch collects rows under batchSize/lingerInterval (worker only);
	// lingerGen tells a live linger timer from a stale one.
	batch       []*row.Row
	lingerCh    chan int
	lingerGen   int
	lingerArmed bool
	degraded    bool // worker only: last send failed (log the first failure loudly)

	mu      sync.Mutex
	started bool
	closed  bool
}

// NewNode parses the action's properties and builds its connector. Errors are
// setup errors: the rule must not start.
func NewNode(spec NodeSpec) (*Node, error) {
	env := prepareEnv(spec)
	name := env.Node.Name
	if spec.Factory == nil {
		return nil, Unsupported(spec.Type)
	}
	if env.Clock == nil {
		return nil, fmt.Errorf("sink %s: no clock injected (Env.Clock)", name)
	}
	props, err := mergeResource(Props(spec.Props), env)
	if err != nil {
		return nil, fmt.Errorf("sink %s: %w", name, err)
	}
	conf, err := parseCommon(props, spec.QueueLen)
	if err != nil {
		return nil, fmt.Errorf("sink %s: %w", name, err)
	}
	conn, err := spec.Factory(props, env)
	if err != nil {
		return nil, fmt.Errorf("sink %s: %w", name, err)
	}
	n := &Node{name: name, env: env, m: env.Node, clk: env.Clock, conf: conf, conn: conn, block: spec.Block}
	if err := n.bindConnector(); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("sink %s: %w", name, err)
	}
	if n.pipe, err = newPipeline(conf, env.Options, n.rowConn != nil); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("sink %s: %w", name, err)
	}
	n.queue = make(chan []*row.Row, conf.bufferLength)
	n.retryCh = make(chan struct{}, 1)
	n.lingerCh = make(chan int)
	n.stopping = make(chan struct{})
	n.done = make(chan struct{})
	n.runCtx, n.cancel = context.WithCancel(context.Background())
	if conf.cache.enabled {
		n.cache = newCache(conf.cache, env.CacheDir, n.cacheDropped)
	}
	return n, nil
}

func prepareEnv(spec NodeSpec) *Env {
	env := &Env{}
	if spec.Env != nil {
		c := *spec.Env
		env = &c
	}
	if env.Type == "" {
		env.Type = spec.Type
	}
	if env.Logger == nil {
		env.Logger = obs.NopLogger{}
	}
	if env.Node == nil {
		env.Node = &obs.Node{Name: fmt.Sprintf("sink_%s_%d", env.Type, env.ActionIndex), Kind: "sink"}
	}
	return env
}

func (n *Node) bindConnector() error {
	switch c := n.conn.(type) {
	case RowConnector:
		n.rowConn = c
	case ByteConnector:
		n.byteConn = c
		if n.conf.format != "json" {
			return fmt.Errorf("format %s is not supported", n.conf.format)
		}
		z, err := newCompressor(n.conf.compression)
		if err != nil {
			return err
		}
		n.zip = z
		n.byteConn = n.compress(c)
	default:
		return fmt.Errorf("connector %T implements neither SendBytes nor SendRows", n.conn)
	}
	return n.bindResendDest()
}

// compress wraps c with the action's compression, if any.
func (n *Node) compress(c ByteConnector) ByteConnector {
	if n.zip == nil {
		return c
	}
	return &compressing{ByteConnector: c, z: n.zip}
}

func newPipeline(c common, opts RuleOptions, structured bool) (*pipeline, error) {
	p := &pipeline{sendNil: opts.SendNilField, omitIfEmpty: c.omitIfEmpty, single: c.sendSingle,
		dataField: c.dataField, fields: c.fields, structured: structured}
	if len(c.exclude) > 0 {
		p.exclude = make(map[string]bool, len(c.exclude))
		for _, f := range c.exclude {
			p.exclude[f] = true
		}
	}
	if c.dataTemplate != "" {
		t, err := parseTemplate("dataTemplate", c.dataTemplate)
		if err != nil {
			return nil, err
		}
		p.tmpl = t
	}
	return p, nil
}

// Metrics returns the node's metric set.
func (n *Node) Metrics() *obs.Node { return n.m }

// Open connects the connector, reloads a persisted cache and starts the
// worker. An error means the rule stops by error.
func (n *Node) Open(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed || n.started {
		return fmt.Errorf("sink %s: already opened or closed", n.name)
	}
	now := clock.NowMs(n.clk)
	n.m.ConnStatus.Store(obs.Connecting)
	n.m.ConnLastTry.Store(now)
	if err := n.conn.Open(ctx); err != nil {
		err = fmt.Errorf("sink %s: %w", n.name, err)
		n.m.SetConnected(false, err.Error(), clock.NowMs(n.clk))
		n.m.Exception(err, clock.NowMs(n.clk))
		return err
	}
	n.m.SetConnected(true, "", clock.NowMs(n.clk))
	if n.cache != nil {
		if err := n.cache.load(); err != nil {
			n.exception(err)
		}
		if n.cache.len() > 0 {
			n.retryCh <- struct{}{}
			n.retryArmed = true
		}
	}
	n.started = true
	go n.loop()
	return nil
}

// Send enqueues one emission. The rows are shared: neither the caller nor the
// node may modify them afterwards. When the queue is full the emission is
// dropped and counted, unless the node blocks.
func (n *Node) Send(rows []*row.Row) {
	n.m.RecordsIn.Add(int64(len(rows)))
	select {
	case <-n.stopping:
		n.drop(rows, "sink stopped, dropped")
		return
	default:
	}
	if n.block {
		select {
		case n.queue <- rows:
		case <-n.stopping:
			n.drop(rows, "sink stopped, dropped")
		}
	} else {
		select {
		case n.queue <- rows:
		case <-n.stopping:
			n.drop(rows, "sink stopped, dropped")
		default:
			n.drop(rows, "buffer full, dropped")
		}
	}
	n.m.BufferLength.Store(int64(len(n.queue)))
}

func (n *Node) drop(rows []*row.Row, why string) {
	n.m.Dropped.Add(int64(len(rows)))
	n.m.Exception(errors.New(why), clock.NowMs(n.clk))
}

// Close stops accepting emissions, drains the queue until ctx is done (then
// abandons in-flight sends), persists the cache and closes the connector.
func (n *Node) Close(ctx context.Context) error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	started := n.started
	close(n.stopping)
	n.mu.Unlock()
	if started {
		select {
		case <-n.done:
		case <-ctx.Done():
			n.cancel()
			<-n.done
		}
	}
	n.cancel()
	n.dropLeftovers()
	var errs []error
	if n.cache != nil && started {
		if err := n.cache.persist(); err != nil {
			n.exception(err)
			errs = append(errs, err)
		}
	}
	if err := n.conn.Close(); err != nil {
		errs = append(errs, fmt.Errorf("sink %s: close: %w", n.name, err))
	}
	n.m.BufferLength.Store(0)
	return errors.Join(errs...)
}

// dropLeftovers counts emissions a concurrent blocking Send slipped into the
// queue after the worker's final drain, so none vanish uncounted.
func (n *Node) dropLeftovers() {
	for {
		select {
		case rows := <-n.queue:
			n.drop(rows, "sink stopped, dropped")
		default:
			return
		}
	}
}

// exception counts a failure and logs it.
func (n *Node) exception(err error) {
	n.m.Exception(err, clock.NowMs(n.clk))
	n.env.Logger.Errorf("rule %s sink %s: %v", n.env.RuleID, n.name, err)
}

func (n *Node) cacheDropped(count int, why string) {
	n.m.Dropped.Add(int64(count))
	n.exception(fmt.Errorf("%d cached messages dropped: %s", count, why))
}
