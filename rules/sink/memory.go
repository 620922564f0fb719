package sink

import (
	"context"
	"fmt"
	"strings"

	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/topic"
	"github.com/oort-rules/oort/rules/value"
)

// Row kinds a memory sink can tag rows with for lookup tables.
var rowKinds = map[string]bool{"insert": true, "update": true, "upsert": true, "delete": true}

// memoryConn publishes rows on the in-process bus (rules-api.md §2.4.7).
type memoryConn struct {
	bus          *membus.Bus
	topic        *Dyn
	rowkindField string
	keyField     string
}

// NewMemory builds the memory sink publishing on bus.
func NewMemory(props map[string]any, env *Env, bus *membus.Bus) (Connector, error) {
	if bus == nil {
		return nil, fmt.Errorf("memory sink: no bus available")
	}
	p := Props(props)
	t, err := p.String("topic", "")
	if err != nil {
		return nil, err
	}
	if t == "" {
		return nil, fmt.Errorf("property topic is required")
	}
	c := &memoryConn{bus: bus}
	if c.topic, err = ParseDyn(t); err != nil {
		return nil, fmt.Errorf("property topic: %w", err)
	}
	if c.topic.IsStatic() && topic.HasWildcard(t) {
		return nil, fmt.Errorf("property topic: %q must not contain wildcards", t)
	}
	if c.rowkindField, err = p.String("rowkindField", ""); err != nil {
		return nil, err
	}
	if c.keyField, err = p.String("keyField", ""); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *memoryConn) Open(context.Context) error { return nil }
func (c *memoryConn) Close() error               { return nil }

// SendRows publishes the message's rows on the topic rendered with the first
// row. Rows get their own struct copies before metadata is attached: the
// pipeline shares them with the rule's other actions.
func (c *memoryConn) SendRows(_ context.Context, rows []*row.Row) error {
	if len(rows) == 0 {
		return nil
	}
	t, err := c.topic.Render(rows[0])
	if err != nil {
		return err
	}
	if t == "" || topic.HasWildcard(t) {
		return fmt.Errorf("memory sink: invalid topic %q", t)
	}
	if c.rowkindField != "" || c.keyField != "" {
		if rows, err = c.tag(rows); err != nil {
			return err
		}
	}
	c.bus.Publish(t, rows)
	return nil
}

// tag stores the row kind and key in each row's metadata for lookup tables.
func (c *memoryConn) tag(rows []*row.Row) ([]*row.Row, error) {
	out := make([]*row.Row, len(rows))
	for i, r := range rows {
		kind := "insert"
		if c.rowkindField != "" {
			if v, ok := r.Get(c.rowkindField); ok && !v.IsNull() {
				kind = strings.ToLower(value.Text(v))
				if !rowKinds[kind] {
					return nil, fmt.Errorf("memory sink: invalid row kind %q in column %s (insert, update, upsert or delete)", value.Text(v), c.rowkindField)
				}
			}
		}
		meta := row.MapMeta{"rowkind": value.FromString(kind)}
		if c.keyField != "" {
			v, _ := r.Get(c.keyField)
			meta["key"] = v
		}
		cp := *r
		cp.Meta = meta
		out[i] = &cp
	}
	return out, nil
}
