package sink

import "github.com/oort-rules/oort/rules/row"

// maxLingerBatch bounds a batch that only lingerInterval closes, so a burst
// cannot grow it without limit: it is sent early when it reaches this size.
const maxLingerBatch = 65536

func (n *Node) batching() bool { return n.conf.batchSize > 0 || n.conf.linger > 0 }

// accept takes one emission from the queue. Without batchSize and
// lingerInterval it is processed as it came; otherwise its rows join the
// current batch, which is sent as one emission when it holds batchSize rows
// or when its first row has waited lingerInterval.
func (n *Node) accept(rows []*row.Row) {
	if !n.batching() {
		n.process(rows)
		return
	}
	n.batch = append(n.batch, rows...)
	limit := n.conf.batchSize
	if limit == 0 {
		limit = maxLingerBatch
	}
	sent := false
	for len(n.batch) >= limit {
		out := n.batch[:limit:limit]
		n.batch = append([]*row.Row(nil), n.batch[limit:]...)
		n.process(out)
		sent = true
	}
	if sent {
		n.lingerGen++ // the pending linger timer belonged to a batch already sent
		n.lingerArmed = false
	}
	if len(n.batch) > 0 && n.conf.linger > 0 && !n.lingerArmed {
		n.armLinger()
	}
}

func (n *Node) armLinger() {
	n.lingerArmed = true
	gen := n.lingerGen
	n.clk.AfterFunc(n.conf.linger, func() {
		select {
		case n.lingerCh <- gen:
		case <-n.done:
		}
	})
}

// lingerFired sends the partial batch whose timer fired; stale timers (their
// batch was already sent by size) are ignored.
func (n *Node) lingerFired(gen int) {
	if gen != n.lingerGen || !n.lingerArmed {
		return
	}
	n.lingerArmed = false
	n.lingerGen++
	n.flushBatch()
}

// flushBatch sends whatever the batch holds (at linger time and at stop, so
// stopping a rule never loses batched rows).
func (n *Node) flushBatch() {
	if len(n.batch) == 0 {
		return
	}
	out := n.batch
	n.batch = nil
	n.process(out)
}
