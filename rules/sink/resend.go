package sink

import (
	"fmt"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// beforeLive runs, under resendAlterQueue, when a live message meets a
// non-empty cache: resendPriority 1 resends the whole cache first, 0 one
// cached message, -1 none (the retry timer resends when the queue is idle).
// false means the target is still down for the cache: the live message
// waits behind it instead of overtaking.
func (n *Node) beforeLive() bool {
	if n.resending {
		return true // a live message absorbed during a resend goes out as it is
	}
	switch n.conf.cache.priority {
	case 1:
		n.flushCache()
		return n.cache.len() == 0
	case 0:
		return n.resendOne()
	}
	return true
}

// resendOne resends the oldest cached message; false when it failed
// recoverably (it stays cached and a retry is armed).
func (n *Node) resendOne() bool {
	m, ok := n.cache.peek()
	if !ok {
		return false
	}
	if err := n.resend(m); err != nil {
		n.failed(err)
		if IsRecoverable(err) {
			n.armRetry()
			return false
		}
	}
	n.cache.pop()
	return true
}

// resend sends a cached message, to resendDestination when one is set.
func (n *Node) resend(m message) error {
	if n.resendDest == nil {
		return n.send(m)
	}
	conn, err := n.conn.(Redirector).Redirect(n.resendDest)
	if err != nil {
		return err
	}
	switch c := conn.(type) {
	case RowConnector:
		return n.sendVia(m, nil, c)
	case ByteConnector:
		return n.sendVia(m, n.compress(c), nil)
	}
	return fmt.Errorf("connector %T redirected to an unusable %T", n.conn, conn)
}

// bindResendDest checks resendDestination at setup: the connector must be
// able to redirect, and the destination must be valid for it.
func (n *Node) bindResendDest() error {
	c := n.conf.cache
	if !c.alterQueue || c.dest == "" {
		return nil
	}
	r, ok := n.conn.(Redirector)
	if !ok {
		return fmt.Errorf("property resendDestination is not supported by the %s sink", n.env.Type)
	}
	d, err := ParseDyn(c.dest)
	if err != nil {
		return fmt.Errorf("property resendDestination: %w", err)
	}
	if _, err := r.Redirect(d); err != nil {
		return fmt.Errorf("property resendDestination: %w", err)
	}
	n.resendDest = d
	return nil
}

// resendForm marks the rows of a message that failed and goes to the cache
// with resendIndicatorField = true (messages cached without being tried,
// behind others, are not marked):
// row connectors get marked copies of the rows; byte connectors get the JSON
// object, or each object of a JSON array, with the field set (other payloads,
// such as plain-text templates, are resent unchanged).
func (n *Node) resendForm(m message) message {
	field := n.conf.cache.indicator
	if field == "" {
		return m
	}
	if n.rowConn != nil {
		rows := make([]*row.Row, len(m.rows))
		for i, r := range m.rows {
			c := *r
			c.Cols = append([]row.Col(nil), r.Cols...)
			c.Set(field, value.True, nil)
			rows[i] = &c
		}
		m.rows = rows
		return m
	}
	m.payload = markPayload(m.payload, field)
	return m
}

func markPayload(payload []byte, field string) []byte {
	v, err := fastjson.ParseBytes(payload)
	if err != nil {
		return payload
	}
	var a fastjson.Arena
	mark := func(v *fastjson.Value) {
		if o, err := v.Object(); err == nil {
			o.Set(field, a.NewTrue())
		}
	}
	switch v.Type() {
	case fastjson.TypeObject:
		mark(v)
	case fastjson.TypeArray:
		items, _ := v.Array()
		for _, it := range items {
			mark(it)
		}
	default:
		return payload
	}
	return v.MarshalTo(nil)
}
