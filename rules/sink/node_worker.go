package sink

import (
	"fmt"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
)

// loop is the node's only worker: it keeps emissions (and cached messages)
// in order.
func (n *Node) loop() {
	defer close(n.done)
	for {
		select {
		case rows := <-n.queue:
			n.accept(rows)
		case gen := <-n.lingerCh:
			n.lingerFired(gen)
		case <-n.retryCh:
			n.retryArmed = false
			n.flushCache()
		case <-n.stopping:
			// Once Close's deadline has cancelled runCtx, sends fail at once
			// as recoverable, so what is still queued lands in the cache (when
			// enabled) instead of being lost silently.
			n.absorbQueue()
			n.flushBatch()
			return
		}
	}
}

func (n *Node) process(rows []*row.Row) {
	start := n.clk.Now()
	n.m.LastInvocation.Store(start.UnixMilli())
	n.m.BufferLength.Store(int64(len(n.queue)))
	n.pipe.run(rows, n.deliver, n.exception)
	n.m.Processed.Add(1)
	n.m.LatencyUs.Store(n.clk.Now().Sub(start).Microseconds())
}

// deliver sends one message. While older messages wait in the cache, new
// ones queue behind them so the target sees everything in order, unless
// resendAlterQueue lets live messages go first (beforeLive).
func (n *Node) deliver(m message) {
	if n.cache != nil && n.cache.len() > 0 {
		c := n.conf.cache
		if !c.alterQueue || (n.resending && c.priority > 0) || !n.beforeLive() {
			n.toCache(m) // behind the cached messages: they go first
			return
		}
	}
	err := n.send(m)
	if err == nil {
		return
	}
	n.failed(err)
	if n.cache != nil && IsRecoverable(err) {
		n.toCache(n.resendForm(m)) // marked once: it failed and will be resent
	}
}

func (n *Node) toCache(m message) {
	if err := n.cache.push(m); err != nil {
		n.exception(err)
	}
	n.armRetry()
}

// flushCache resends cached messages oldest first until one fails again
// (recoverable: retried later) or the cache is empty. resendInterval paces
// the resends; emissions arriving meanwhile join the cache's end (or, under
// resendAlterQueue, go out live; with resendPriority -1 before each resend).
func (n *Node) flushCache() {
	n.resending = true
	defer func() { n.resending = false }()
	alter := n.conf.cache.alterQueue
	for n.cache != nil && n.cache.len() > 0 && n.runCtx.Err() == nil {
		if alter && n.conf.cache.priority < 0 {
			n.absorbQueue()
		}
		if !n.resendOne() {
			return
		}
		n.absorbQueue()
		if d := n.conf.cache.resendInterval; d > 0 && n.cache.len() > 0 && !n.pause(d) {
			return
		}
	}
}

// absorbQueue processes what is queued now: during a long resend (moving
// emissions into the cache so the queue does not overflow) and at stop.
func (n *Node) absorbQueue() {
	for {
		select {
		case rows := <-n.queue:
			n.accept(rows)
		default:
			return
		}
	}
}

func (n *Node) armRetry() {
	if n.retryArmed {
		return
	}
	n.retryArmed = true
	d := retryDelay
	if n.conf.cache.resendInterval > d {
		d = n.conf.cache.resendInterval
	}
	n.clk.AfterFunc(d, func() {
		select {
		case n.retryCh <- struct{}{}:
		default:
		}
	})
}

// pause waits d on the node's clock; false when the node is stopping.
func (n *Node) pause(d time.Duration) bool {
	wake, t := clock.After(n.clk, d)
	select {
	case <-wake:
		return true
	case <-n.stopping:
		t.Stop()
		return false
	}
}

func (n *Node) send(m message) error { return n.sendVia(m, n.byteConn, n.rowConn) }

func (n *Node) sendVia(m message, bc ByteConnector, rc RowConnector) error {
	if err := n.runCtx.Err(); err != nil {
		return &Recoverable{Err: fmt.Errorf("sink stopped before the message was sent: %w", err)}
	}
	var err error
	if rc != nil {
		err = rc.SendRows(n.runCtx, m.rows)
	} else {
		var first *row.Row
		if len(m.rows) > 0 {
			first = m.rows[0]
		}
		err = bc.SendBytes(n.runCtx, m.payload, first)
	}
	if err == nil {
		n.m.RecordsOut.Add(int64(m.n))
		n.degraded = false
	}
	return err
}

// failed counts a failed send. Recoverable failures (a broker down) repeat
// for every message, so only the first of a series is logged above DEBUG.
func (n *Node) failed(err error) {
	err = fmt.Errorf("sink %s: %w", n.name, err)
	n.m.Exception(err, clock.NowMs(n.clk))
	switch {
	case !IsRecoverable(err):
		n.env.Logger.Errorf("rule %s: %v", n.env.RuleID, err)
	case !n.degraded:
		n.env.Logger.Warnf("rule %s: %v", n.env.RuleID, err)
	default:
		n.env.Logger.Debugf("rule %s: %v", n.env.RuleID, err)
	}
	if IsRecoverable(err) {
		n.degraded = true
	}
}
