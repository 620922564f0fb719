// Package sinks holds Oort's EdgeX-specific sinks: the edgex connector,
// which turns result rows into EdgeX events on the message bus
// (edgex.md §11), and the command connector, which actuates devices through
// core-command (rules-api.md §2.4.2).
package sinks

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
)

// Message types of the edgex sink.
const (
	MessageTypeEvent   = "event"
	MessageTypeRequest = "request"
	defaultEdgeXTopic  = "application"
)

// EdgeXProps are the parsed properties of an edgex action.
type EdgeXProps struct {
	Topic           Text   // publish topic (with the base prefix stripped after rendering)
	TopicPrefix     string // set instead of Topic: <prefix>/[<service>/]<profile>/<device>/<source>
	ServiceName     string
	MessageType     string // MessageTypeEvent or MessageTypeRequest
	ContentType     string // application/json or application/cbor
	DeviceName      Text
	ProfileName     Text
	SourceName      Text
	Metadata        string            // column holding a meta(*) map
	ValueTypes      map[string]string // column → canonical EdgeX value type
	BaseTopicPrefix string
	Clock           clock.Clock // origin of events without a metadata origin; nil = wall clock
}

// ParseEdgeXProps validates the edgex action properties (rules-api.md
// §2.4.1). eKuiper's bus connection fields are ignored.
func ParseEdgeXProps(props map[string]any, baseTopicPrefix string) (*EdgeXProps, error) {
	p := &EdgeXProps{BaseTopicPrefix: baseTopicPrefix}
	topic, err := propString(props, "topic", "")
	if err != nil {
		return nil, err
	}
	if p.TopicPrefix, err = propString(props, "topicPrefix", ""); err != nil {
		return nil, err
	}
	if topic != "" && p.TopicPrefix != "" {
		return nil, errors.New("properties \"topic\" and \"topicPrefix\" cannot both be set")
	}
	if topic == "" && p.TopicPrefix == "" {
		topic = defaultEdgeXTopic
	}
	if p.Topic, err = NewText(topic); err != nil {
		return nil, fmt.Errorf("property \"topic\": %w", err)
	}
	p.TopicPrefix = stripBase(strings.TrimSuffix(p.TopicPrefix, "/"), baseTopicPrefix)
	if err := parseEdgeXEncoding(props, p); err != nil {
		return nil, err
	}
	if err := parseEdgeXIdentity(props, p); err != nil {
		return nil, err
	}
	return p, nil
}

func parseEdgeXEncoding(props map[string]any, p *EdgeXProps) error {
	var err error
	if p.ServiceName, err = propString(props, "serviceName", ""); err != nil {
		return err
	}
	if p.MessageType, err = propChoice(props, "messageType", MessageTypeEvent, MessageTypeRequest); err != nil {
		return err
	}
	if p.ContentType, err = propChoice(props, "contentType", common.ContentTypeJSON, common.ContentTypeCBOR); err != nil {
		return err
	}
	return nil
}

func parseEdgeXIdentity(props map[string]any, p *EdgeXProps) error {
	var err error
	if p.DeviceName, err = propText(props, "deviceName"); err != nil {
		return err
	}
	if p.ProfileName, err = propText(props, "profileName"); err != nil {
		return err
	}
	if p.SourceName, err = propText(props, "sourceName"); err != nil {
		return err
	}
	if p.Metadata, err = propString(props, "metadata", ""); err != nil {
		return err
	}
	vts, err := propMap(props, "valueTypes")
	if err != nil {
		return err
	}
	p.ValueTypes = make(map[string]string, len(vts))
	for _, col := range sortedKeys(vts) {
		v := vts[col]
		s, ok := v.(string)
		vt := normalValueType(s)
		if !ok || vt == "" {
			return fmt.Errorf("property \"valueTypes\": column %q: %v is not an EdgeX value type", col, v)
		}
		p.ValueTypes[col] = vt
	}
	return nil
}

// stripBase removes a leading "<base>/" because the SDK's PublishWithTopic
// always prepends the base prefix (edgex.md §15 pitfall 16).
func stripBase(topic, base string) string {
	if base != "" && strings.HasPrefix(topic, base+"/") {
		return topic[len(base)+1:]
	}
	return topic
}

// TopicFor returns the topic to hand to PublishWithTopic for an event built
// from r.
func (p *EdgeXProps) TopicFor(r *row.Row, ev *dtos.Event) (string, error) {
	if p.TopicPrefix != "" {
		parts := []string{p.TopicPrefix}
		if p.ServiceName != "" {
			parts = append(parts, p.ServiceName)
		}
		parts = append(parts, ev.ProfileName, ev.DeviceName, ev.SourceName)
		return common.BuildTopic(parts...), nil
	}
	t, err := p.Topic.Render(r)
	if err != nil {
		return "", fmt.Errorf("rendering topic: %w", err)
	}
	t = stripBase(t, p.BaseTopicPrefix)
	if t == "" {
		return "", errors.New("topic rendered empty")
	}
	return t, nil
}

// NewEdgeXFactory returns the factory of the edgex sink publishing through
// pub (the SDK's ApplicationService, or NewBusPublisher).
func NewEdgeXFactory(pub Publisher, baseTopicPrefix string) sink.Factory {
	return func(props map[string]any, env *sink.Env) (sink.Connector, error) {
		if pub == nil {
			return nil, errors.New("edgex sink: no message bus publisher (MessageBus disabled?)")
		}
		p, err := ParseEdgeXProps(props, baseTopicPrefix)
		if err != nil {
			return nil, fmt.Errorf("edgex sink of rule %s: %w", env.RuleID, err)
		}
		p.Clock = env.Clock
		return &edgexConn{pub: pub, props: p, env: env}, nil
	}
}

type edgexConn struct {
	pub   Publisher
	props *EdgeXProps
	env   *sink.Env
}

func (c *edgexConn) Open(context.Context) error {
	if c.env.Node != nil {
		c.env.Node.SetConnected(true, "", clock.NowMs(nowClock(c.env.Clock)))
	}
	return nil
}

func (c *edgexConn) Close() error { return nil }

// SendRows publishes one event per row, in order. Permanent failures of some
// rows do not stop the others; they are returned joined. A recoverable
// (publish) failure stops at that row: earlier rows are already published.
func (c *edgexConn) SendRows(ctx context.Context, rows []*row.Row) error {
	var perm []error
	for i, r := range rows {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("edgex sink of rule %s: row %d: %w", c.env.RuleID, i, err)
		}
		if r == nil {
			continue
		}
		err := c.sendRow(r)
		if err == nil {
			continue
		}
		err = fmt.Errorf("edgex sink of rule %s: row %d: %w", c.env.RuleID, i, err)
		if sink.IsRecoverable(err) {
			return err
		}
		perm = append(perm, err)
	}
	return errors.Join(perm...)
}

func (c *edgexConn) sendRow(r *row.Row) error {
	ev, errs := RowToEvent(r, c.props, c.env.RuleID, c.env.Options.SendNilField)
	for _, err := range errs {
		var re *ReadingError
		if !errors.As(err, &re) {
			return err
		}
		c.warnDropped(re)
	}
	if len(ev.Readings) == 0 {
		return nil
	}
	topic, err := c.props.TopicFor(r, &ev)
	if err != nil {
		return err
	}
	req := requests.NewAddEventRequest(ev)
	if err := req.Validate(); err != nil {
		return fmt.Errorf("invalid event %s (device %q, source %q): %w", ev.Id, ev.DeviceName, ev.SourceName, err)
	}
	var data any = ev
	if c.props.MessageType == MessageTypeRequest {
		data = req
	}
	if err := c.pub.PublishWithTopic(topic, data, c.props.ContentType); err != nil {
		return &sink.Recoverable{Err: fmt.Errorf("publishing event %s on %q: %w", ev.Id, topic, err)}
	}
	return nil
}

// warnDropped logs a dropped reading and records it as a sink exception
// without failing the event (edgex.md §11.2).
func (c *edgexConn) warnDropped(re *ReadingError) {
	msg := fmt.Errorf("edgex sink of rule %s: %w", c.env.RuleID, re)
	if c.env.Logger != nil {
		c.env.Logger.Warnf("%v", msg)
	}
	if c.env.Node != nil {
		c.env.Node.Exception(msg, clock.NowMs(nowClock(c.env.Clock)))
	}
}

// sortedKeys is used where map order would make output or errors unstable.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Redirect serves resendDestination: resent events go to dest (a topic
// template, base prefix stripped like topic) instead of topic/topicPrefix.
func (c *edgexConn) Redirect(dest *sink.Dyn) (sink.Connector, error) {
	props := *c.props
	props.Topic, props.TopicPrefix = Text{dyn: dest}, ""
	cp := *c
	cp.props = &props
	return &cp, nil
}
