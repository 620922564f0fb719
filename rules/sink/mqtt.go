package sink

import (
	"context"
	"fmt"
	"strings"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/google/uuid"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/topic"
)

// publishTimeout bounds the wait for a broker acknowledgement (qos 1 and 2)
// so a half-open connection cannot stall the sink.
const publishTimeout = 10 * time.Second

// mqttConn publishes messages to an MQTT broker (rules-api.md §2.4.3).
type mqttConn struct {
	env      *Env
	server   string
	topic    *Dyn
	qos      byte
	retained bool
	opts     *mqtt.ClientOptions
	client   mqtt.Client
}

// NewMQTT builds the mqtt sink. The broker connection is made in Open.
func NewMQTT(props map[string]any, env *Env) (Connector, error) {
	p := Props(props)
	c := &mqttConn{env: env}
	var err error
	if c.server, err = p.String("server", ""); err != nil {
		return nil, err
	}
	if c.server == "" {
		return nil, fmt.Errorf("property server is required")
	}
	if c.topic, err = mqttTopic(p); err != nil {
		return nil, err
	}
	qos, err := p.Int("qos", 0)
	if err != nil {
		return nil, err
	}
	if qos < 0 || qos > 2 {
		return nil, fmt.Errorf("property qos: must be 0, 1 or 2, got %d", qos)
	}
	c.qos = byte(qos)
	if c.retained, err = p.Bool("retained", false); err != nil {
		return nil, err
	}
	if c.opts, err = c.clientOptions(p); err != nil {
		return nil, err
	}
	return c, nil
}

func mqttTopic(p Props) (*Dyn, error) {
	t, err := p.String("topic", "")
	if err != nil {
		return nil, err
	}
	if t == "" {
		return nil, fmt.Errorf("property topic is required")
	}
	d, err := ParseDyn(t)
	if err != nil {
		return nil, fmt.Errorf("property topic: %w", err)
	}
	if d.IsStatic() && topic.HasWildcard(t) {
		return nil, fmt.Errorf("property topic: %q must not contain wildcards", t)
	}
	return d, nil
}

func (c *mqttConn) clientOptions(p Props) (*mqtt.ClientOptions, error) {
	o := mqtt.NewClientOptions().AddBroker(c.server)
	id, err := p.String("clientId", "")
	if err != nil {
		return nil, err
	}
	if id == "" {
		id = uuid.NewString()
	}
	o.SetClientID(id)
	pv, err := p.String("protocolVersion", "3.1")
	if err != nil {
		return nil, err
	}
	switch strings.TrimSpace(pv) {
	case "3.1", "", "3":
		o.SetProtocolVersion(3)
	case "3.1.1", "4":
		o.SetProtocolVersion(4)
	default:
		return nil, fmt.Errorf("property protocolVersion: %q is not supported (3.1 or 3.1.1)", pv)
	}
	if err := c.credentials(p, o); err != nil {
		return nil, err
	}
	if strings.HasPrefix(c.server, "ssl://") || strings.HasPrefix(c.server, "tls://") ||
		strings.HasPrefix(c.server, "wss://") || strings.HasPrefix(c.server, "mqtts://") {
		cfg, err := tlsConfig(p, false)
		if err != nil {
			return nil, err
		}
		o.SetTLSConfig(cfg)
	}
	o.SetAutoReconnect(true).SetConnectRetry(false).SetCleanSession(true).
		SetConnectTimeout(10 * time.Second).SetMaxReconnectInterval(30 * time.Second)
	o.SetOnConnectHandler(func(mqtt.Client) { c.env.Node.SetConnected(true, "", clock.NowMs(c.env.Clock)) })
	o.SetConnectionLostHandler(func(_ mqtt.Client, err error) {
		c.env.Node.SetConnected(false, err.Error(), clock.NowMs(c.env.Clock))
		c.env.Logger.Warnf("rule %s mqtt sink: connection to %s lost: %v", c.env.RuleID, c.server, err)
	})
	o.SetReconnectingHandler(func(mqtt.Client, *mqtt.ClientOptions) {
		c.env.Node.ConnStatus.Store(obs.Connecting)
		c.env.Node.ConnLastTry.Store(clock.NowMs(c.env.Clock))
	})
	return o, nil
}

// credentials takes username/password from the properties or, with
// secretName, from the EdgeX secret store.
func (c *mqttConn) credentials(p Props, o *mqtt.ClientOptions) error {
	user, err := p.String("username", "")
	if err != nil {
		return err
	}
	pass, err := p.String("password", "")
	if err != nil {
		return err
	}
	secret, err := p.String("secretName", "")
	if err != nil {
		return err
	}
	if secret != "" {
		if c.env.Secrets == nil {
			return fmt.Errorf("property secretName %s: no secret provider available", secret)
		}
		s, err := c.env.Secrets(secret)
		if err != nil {
			return fmt.Errorf("property secretName %s: %w", secret, err)
		}
		user, pass = s["username"], s["password"]
	}
	if user != "" {
		o.SetUsername(user)
	}
	if pass != "" {
		o.SetPassword(pass)
	}
	return nil
}

func (c *mqttConn) Open(ctx context.Context) error {
	c.client = mqtt.NewClient(c.opts)
	tok := c.client.Connect()
	select {
	case <-tok.Done():
	case <-ctx.Done():
		c.client.Disconnect(0)
		return fmt.Errorf("mqtt sink: connecting to %s: %w", c.server, ctx.Err())
	}
	if err := tok.Error(); err != nil {
		return fmt.Errorf("mqtt sink: connecting to %s: %w", c.server, err)
	}
	return nil
}

func (c *mqttConn) Close() error {
	if c.client != nil {
		c.client.Disconnect(250)
	}
	return nil
}

// SendBytes publishes payload on the topic rendered with the first row. While
// the client is disconnected (it reconnects by itself) sends fail as
// recoverable so the cache can keep them.
func (c *mqttConn) SendBytes(ctx context.Context, payload []byte, first *row.Row) error {
	t, err := c.topic.Render(first)
	if err != nil {
		return err
	}
	if t == "" || topic.HasWildcard(t) {
		return fmt.Errorf("mqtt sink: invalid publish topic %q", t)
	}
	if c.client == nil || !c.client.IsConnectionOpen() {
		return &Recoverable{Err: fmt.Errorf("mqtt sink: not connected to %s", c.server)}
	}
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	tok := c.client.Publish(t, c.qos, c.retained, payload)
	select {
	case <-tok.Done():
	case <-ctx.Done():
		return &Recoverable{Err: fmt.Errorf("mqtt sink: publishing to %s: %w", t, ctx.Err())}
	}
	if err := tok.Error(); err != nil {
		return &Recoverable{Err: fmt.Errorf("mqtt sink: publishing to %s on %s: %w", t, c.server, err)}
	}
	return nil
}
