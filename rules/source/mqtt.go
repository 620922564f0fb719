// Package source holds stream connectors that read from outside the EdgeX
// bus. The mqtt connector reads JSON (or binary) payloads from any broker
// (sql.md §2.4, TYPE="mqtt").
package source

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/google/uuid"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// MQTTOptions are the connection properties of an mqtt source.
type mqttProps struct {
	server, topic, clientID, user, pass string
	qos                                 byte
	v311, wholeInt, binary              bool
}

func parseMQTTProps(def *engine.StreamDef, p map[string]any) (mqttProps, error) {
	s := func(k string) string { v, _ := p[k]; return strings.TrimSpace(fmt.Sprint(orEmpty(v))) }
	m := mqttProps{server: s("server"), topic: s("datasource"), clientID: s("clientid"), user: s("username"), pass: s("password")}
	if m.server == "" {
		m.server = "tcp://127.0.0.1:1883"
	}
	if m.topic == "" {
		return m, fmt.Errorf("mqtt source %s: DATASOURCE (the topic) is empty", def.Name)
	}
	if m.clientID == "" {
		m.clientID = "oort-src-" + uuid.NewString()[:8]
	}
	if q := s("qos"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 0 || n > 2 {
			return m, fmt.Errorf("mqtt source %s: qos must be 0, 1 or 2, found %q", def.Name, q)
		}
		m.qos = byte(n)
	}
	m.v311 = s("protocolVersion") == "3.1.1"
	m.wholeInt, _ = strconv.ParseBool(s("useInt64ForWholeNumber"))
	m.binary = def.Format() == "binary"
	return m, nil
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// NewMQTT returns the factory of mqtt stream sources.
func NewMQTT(log obs.Logger) engine.SourceFactory {
	return func(def *engine.StreamDef, props map[string]any, deliver func(*row.Row)) (func(), error) {
		p, err := parseMQTTProps(def, props)
		if err != nil {
			return nil, err
		}
		o := paho.NewClientOptions().AddBroker(p.server).SetClientID(p.clientID).SetUsername(p.user).SetPassword(p.pass).
			SetAutoReconnect(true).SetOrderMatters(true).SetConnectTimeout(5 * time.Second)
		if p.v311 {
			o.SetProtocolVersion(4)
		} else {
			o.SetProtocolVersion(3)
		}
		dec := decoder{def: def, wholeInt: p.wholeInt, binary: p.binary}
		o.SetOnConnectHandler(func(c paho.Client) {
			// paho calls handlers one at a time in arrival order (OrderMatters).
			c.Subscribe(p.topic, p.qos, func(_ paho.Client, m paho.Message) { deliver(dec.row(m)) })
		})
		c := paho.NewClient(o)
		if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			return nil, fmt.Errorf("mqtt source %s: connecting to %s: %v", def.Name, p.server, tok.Error())
		}
		log.Infof("mqtt source %s: subscribed to %s on %s", def.Name, p.topic, p.server)
		return func() { c.Disconnect(250) }, nil
	}
}

type decoder struct {
	def      *engine.StreamDef
	wholeInt bool
	binary   bool
}

// row decodes one message; a bad payload becomes an error row, counted by the rule.
func (d decoder) row(m paho.Message) *row.Row {
	r := &row.Row{Topic: m.Topic(), Meta: row.MapMeta{"topic": value.FromString(m.Topic()),
		"messageid": value.FromInt(int64(m.MessageID())), "qos": value.FromInt(int64(m.Qos()))}}
	if d.binary {
		name := "self"
		if len(d.def.Stmt.Columns) == 1 {
			name = d.def.Stmt.Columns[0].Name
		}
		r.Cols = []row.Col{{Name: name, Val: value.FromBytes(append([]byte(nil), m.Payload()...))}}
		return r
	}
	v, err := value.ParseJSON(m.Payload(), d.wholeInt || !d.def.Stmt.Schemaless)
	if err != nil || v.Kind() != value.Object {
		if err == nil {
			err = fmt.Errorf("payload is not a JSON object")
		}
		r.Err = fmt.Errorf("decode message on %s: %w", m.Topic(), err)
		return r
	}
	keys := make([]string, 0, len(v.Obj()))
	for k := range v.Obj() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r.Cols = append(r.Cols, row.Col{Name: k, Val: d.typed(k, v.Obj()[k])})
	}
	return r
}

// typed applies a declared bigint/float type to a JSON number (sql.md §3.2).
func (d decoder) typed(name string, v value.Value) value.Value {
	for _, c := range d.def.Stmt.Columns {
		if c.Name != name {
			continue
		}
		switch {
		case c.Type.Name == "float" && v.Kind() == value.Int:
			return value.FromFloat(float64(v.Int()))
		case c.Type.Name == "bigint" && v.Kind() == value.Float && v.Float() == float64(int64(v.Float())):
			return value.FromInt(int64(v.Float()))
		}
	}
	return v
}
