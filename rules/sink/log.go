package sink

import (
	"context"

	"github.com/oort-rules/oort/rules/row"
)

// logConn writes each message to the service log (rules-api.md §2.4.5); the
// nop sink uses it when its log property is set.
type logConn struct {
	env     *Env
	enabled bool
}

// NewLog builds the log sink; it has no properties of its own.
func NewLog(_ map[string]any, env *Env) (Connector, error) {
	return &logConn{env: env, enabled: true}, nil
}

// NewNop builds the nop sink: it discards messages, logging them when its
// log property is true.
func NewNop(props map[string]any, env *Env) (Connector, error) {
	on, err := Props(props).Bool("log", false)
	if err != nil {
		return nil, err
	}
	return &logConn{env: env, enabled: on}, nil
}

func (c *logConn) Open(context.Context) error { return nil }
func (c *logConn) Close() error               { return nil }

func (c *logConn) SendBytes(_ context.Context, payload []byte, _ *row.Row) error {
	if c.enabled {
		c.env.Logger.Infof("sink result for rule %s: %s", c.env.RuleID, payload)
	}
	return nil
}
