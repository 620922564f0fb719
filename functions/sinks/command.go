package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	edgexErr "github.com/edgexfoundry/go-mod-core-contracts/v4/errors"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/value"
)

// Command methods.
const (
	MethodSet = "set"
	MethodGet = "get"
	// defaultCommandTimeout applies when neither the property nor the
	// service gives one (EdgeX's own default RequestTimeout).
	defaultCommandTimeout = 5 * time.Second
)

// NewCommandFactory returns the factory of the command sink (alias
// core-command). client is asked for the service's core-command client when
// a rule starts; timeout is the service RequestTimeout.
func NewCommandFactory(client func() interfaces.CommandClient, timeout time.Duration) sink.Factory {
	return func(props map[string]any, env *sink.Env) (sink.Connector, error) {
		var cc interfaces.CommandClient
		if client != nil {
			cc = client()
		}
		if cc == nil {
			return nil, errors.New("core-command client is not configured (Clients.core-command)")
		}
		if timeout <= 0 {
			timeout = defaultCommandTimeout
		}
		p, err := parseCommandProps(props, timeout)
		if err != nil {
			return nil, fmt.Errorf("command sink of rule %s: %w", env.RuleID, err)
		}
		return &commandConn{client: cc, p: p, env: env, last: map[string]lastSet{}}, nil
	}
}

type commandProps struct {
	device, command Text
	method          string
	settings        map[string]setting // nil: the row's columns are the settings
	pushEvent       bool
	returnEvent     bool
	queryParams     map[string]string
	timeout         time.Duration
	onlyOnChange    bool
	minInterval     time.Duration
}

// setting is one configured settings entry: a (possibly templated) string,
// or a fixed value already in wire form.
type setting struct {
	text  Text
	fixed any
}

func parseCommandProps(props map[string]any, timeout time.Duration) (*commandProps, error) {
	p := &commandProps{}
	var err error
	if p.device, err = requiredText(props, "deviceName"); err != nil {
		return nil, err
	}
	if p.command, err = requiredText(props, "commandName"); err != nil {
		return nil, err
	}
	method, err := propString(props, "method", MethodSet)
	if err != nil {
		return nil, err
	}
	if p.method = strings.ToLower(method); p.method != MethodSet && p.method != MethodGet {
		return nil, fmt.Errorf("property \"method\" must be %q or %q, got %q", MethodSet, MethodGet, method)
	}
	if p.settings, err = parseSettings(props); err != nil {
		return nil, err
	}
	if err := parseCommandFlags(props, p, timeout); err != nil {
		return nil, err
	}
	return p, nil
}

func requiredText(props map[string]any, key string) (Text, error) {
	t, err := propText(props, key)
	if err != nil {
		return Text{}, err
	}
	if t.IsZero() {
		return Text{}, fmt.Errorf("property %q is required", key)
	}
	return t, nil
}

func parseCommandFlags(props map[string]any, p *commandProps, timeout time.Duration) error {
	var err error
	if p.pushEvent, err = propBool(props, "pushEvent", false); err != nil {
		return err
	}
	if p.returnEvent, err = propBool(props, "returnEvent", true); err != nil {
		return err
	}
	if p.onlyOnChange, err = propBool(props, "onlyOnChange", false); err != nil {
		return err
	}
	if p.timeout, err = propDuration(props, "timeout", timeout); err != nil {
		return err
	}
	if p.timeout == 0 {
		p.timeout = timeout
	}
	if p.minInterval, err = propDuration(props, "minInterval", 0); err != nil {
		return err
	}
	qp, err := propMap(props, "queryParams")
	if err != nil {
		return err
	}
	p.queryParams = make(map[string]string, len(qp))
	for _, k := range sortedKeys(qp) {
		s, err := scalarText(qp[k])
		if err != nil {
			return fmt.Errorf("property \"queryParams\": %q: %w", k, err)
		}
		p.queryParams[k] = s
	}
	return nil
}

// parseSettings reads the settings map: strings may be templates; other
// literals are put in wire form once (numbers and bools as strings, arrays
// as JSON text, objects as objects for Object resources).
func parseSettings(props map[string]any) (map[string]setting, error) {
	raw, err := propMap(props, "settings")
	if err != nil || raw == nil {
		return nil, err
	}
	out := make(map[string]setting, len(raw))
	for _, k := range sortedKeys(raw) {
		switch v := raw[k].(type) {
		case string:
			t, err := NewText(v)
			if err != nil {
				return nil, fmt.Errorf("property \"settings\": %q: %w", k, err)
			}
			out[k] = setting{text: t}
		case map[string]any:
			out[k] = setting{fixed: v}
		default:
			s, err := scalarText(v)
			if err != nil {
				return nil, fmt.Errorf("property \"settings\": %q: %w", k, err)
			}
			out[k] = setting{fixed: s}
		}
	}
	return out, nil
}

// lastSet remembers the last successful SET to one device command.
type lastSet struct {
	fingerprint string
	at          time.Time
}

type commandConn struct {
	client interfaces.CommandClient
	p      *commandProps
	env    *sink.Env

	mu   sync.Mutex
	last map[string]lastSet // device + "/" + command
}

func (c *commandConn) Open(context.Context) error {
	if c.env.Node != nil {
		c.env.Node.SetConnected(true, "", clock.NowMs(c.clock()))
	}
	return nil
}

func (c *commandConn) Close() error { return nil }

func (c *commandConn) clock() clock.Clock { return nowClock(c.env.Clock) }

// SendRows issues one command per row, in order. Permanent failures are
// returned joined after all rows; a recoverable one stops at that row.
func (c *commandConn) SendRows(ctx context.Context, rows []*row.Row) error {
	var perm []error
	for i, r := range rows {
		if r == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("command sink of rule %s: row %d: %w", c.env.RuleID, i, err)
		}
		err := c.sendRow(ctx, r)
		if err == nil {
			continue
		}
		err = fmt.Errorf("command sink of rule %s: row %d: %w", c.env.RuleID, i, err)
		if sink.IsRecoverable(err) {
			return err
		}
		perm = append(perm, err)
	}
	return errors.Join(perm...)
}

func (c *commandConn) sendRow(ctx context.Context, r *row.Row) error {
	device, err := c.p.device.Render(r)
	if err != nil {
		return fmt.Errorf("rendering deviceName: %w", err)
	}
	command, err := c.p.command.Render(r)
	if err != nil {
		return fmt.Errorf("rendering commandName: %w", err)
	}
	if device == "" || command == "" {
		return fmt.Errorf("deviceName %q or commandName %q rendered empty", device, command)
	}
	if c.p.method == MethodGet {
		return c.get(ctx, device, command)
	}
	settings, err := c.settingsFor(r)
	if err != nil {
		return fmt.Errorf("SET %s/%s: %w", device, command, err)
	}
	return c.set(ctx, device, command, settings)
}

// settingsFor renders the configured settings, or takes the row's columns.
func (c *commandConn) settingsFor(r *row.Row) (map[string]any, error) {
	out := map[string]any{}
	if c.p.settings == nil {
		for _, col := range r.Cols {
			if v, ok := settingValue(col.Val); ok {
				out[col.Name] = v
			}
		}
	}
	for k, s := range c.p.settings {
		if s.fixed != nil {
			out[k] = s.fixed
			continue
		}
		txt, err := s.text.Render(r)
		if err != nil {
			return nil, fmt.Errorf("rendering setting %q: %w", k, err)
		}
		out[k] = txt
	}
	if len(out) == 0 {
		return nil, errors.New("no settings to send")
	}
	return out, nil
}

// settingValue puts a column value in the form device services expect:
// strings for simple values, JSON text for arrays (typed array resources
// parse it), objects as objects (Object resources). NULL is not sent.
func settingValue(v value.Value) (any, bool) {
	switch v.Kind() {
	case value.Null:
		return nil, false
	case value.Object:
		return toGo(v), true
	}
	return canonicalText(v), true
}

func (c *commandConn) set(ctx context.Context, device, command string, settings map[string]any) error {
	fp, err := json.Marshal(settings) // map keys are sorted: a stable fingerprint
	if err != nil {
		return fmt.Errorf("SET %s/%s: encoding settings: %w", device, command, err)
	}
	key := device + "/" + command
	now := c.clock().Now()
	if c.suppressed(key, string(fp), now) {
		if c.env.Node != nil {
			c.env.Node.Suppressed.Add(1)
		}
		return nil
	}
	what := "core-command SET " + key
	err = c.call(ctx, what, func(ctx context.Context) error {
		res, eerr := c.client.IssueSetCommandByName(ctx, device, command, settings)
		if eerr != nil {
			return classify(what, eerr)
		}
		return statusError(what, res.StatusCode, res.Message)
	})
	if err == nil {
		c.mu.Lock()
		c.last[key] = lastSet{fingerprint: string(fp), at: now}
		c.mu.Unlock()
	}
	return err
}

// suppressed applies onlyOnChange and minInterval against the last
// successful SET of the same device command.
func (c *commandConn) suppressed(key, fp string, now time.Time) bool {
	if !c.p.onlyOnChange && c.p.minInterval <= 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	last, ok := c.last[key]
	if !ok {
		return false
	}
	if c.p.onlyOnChange && last.fingerprint == fp {
		return true
	}
	return c.p.minInterval > 0 && now.Sub(last.at) < c.p.minInterval
}

func (c *commandConn) get(ctx context.Context, device, command string) error {
	qp := make(map[string]string, len(c.p.queryParams)+2)
	for k, v := range c.p.queryParams {
		qp[k] = v
	}
	qp[common.PushEvent] = strconv.FormatBool(c.p.pushEvent)
	qp[common.ReturnEvent] = strconv.FormatBool(c.p.returnEvent)
	what := "core-command GET " + device + "/" + command
	return c.call(ctx, what, func(ctx context.Context) error {
		res, eerr := c.client.IssueGetCommandByNameWithQueryParams(ctx, device, command, qp)
		if eerr != nil {
			return classify(what, eerr)
		}
		if res == nil {
			return nil
		}
		return statusError(what, res.StatusCode, res.Message)
	})
}

// call runs f with the per-call timeout. The bus client ignores its context,
// so the wait itself is bounded here; a late answer is discarded.
func (c *commandConn) call(ctx context.Context, what string, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.p.timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return &sink.Recoverable{Err: fmt.Errorf("%s: no answer within %v: %w", what, c.p.timeout, ctx.Err())}
	}
}

// statusError turns a non-2xx answer into a permanent error; 0 means the
// client did not report a status (bus SET answers carry none).
func statusError(what string, code int, msg string) error {
	if code == 0 || (code >= 200 && code < 300) {
		return nil
	}
	if msg == "" {
		msg = "no message"
	}
	return fmt.Errorf("%s: status %d: %s", what, code, msg)
}

// transportPhrases identify failures where core-command never answered:
// the bus client wraps them all as Unknown, so the message is all there is
// (go-mod-messaging v4 internal/pkg/request.go, core-contracts http utils).
var transportPhrases = []string{
	"timed out waiting for response",
	"unable to create response subscription",
	"unable to create publish request",
	"encountered error waiting for response",
	"failed to send a http request",
	"failed to get the body from the response",
}

// classify splits client errors: transport and timeouts are recoverable,
// an answer from core-command (errorCode 1, non-2xx) is permanent.
func classify(what string, err edgexErr.EdgeX) error {
	wrapped := fmt.Errorf("%s: %w", what, err)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &sink.Recoverable{Err: wrapped}
	}
	msg := err.Error()
	for _, p := range transportPhrases {
		if strings.Contains(msg, p) {
			return &sink.Recoverable{Err: wrapped}
		}
	}
	if code := err.Code(); code != 0 && code != 500 {
		return fmt.Errorf("%s: status %d: %w", what, code, err)
	}
	return wrapped
}
