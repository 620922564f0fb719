// Package simulator is a built-in device that publishes real EdgeX v4 events
// (AddEventRequest envelopes, as device services send them) so Oort can be
// tried without any EdgeX deployment.
package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/google/uuid"

	"github.com/oort-rules/oort/rules/obs"
)

// Options configure the simulator.
type Options struct {
	Broker   string        // MQTT URL of the EdgeX bus
	Prefix   string        // base topic prefix, default "edgex"
	Interval time.Duration // time between events per device, default 1s
	Logger   obs.Logger
}

// Simulator publishes events from two simulated devices.
type Simulator struct {
	opts Options
	seq  uint64
	rnd  *rand.Rand
}

// New returns a simulator.
func New(o Options) *Simulator {
	if o.Prefix == "" {
		o.Prefix = "edgex"
	}
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.Logger == nil {
		o.Logger = obs.NopLogger{}
	}
	return &Simulator{opts: o, rnd: rand.New(rand.NewSource(1))}
}

// Run publishes until ctx ends.
func (s *Simulator) Run(ctx context.Context) error {
	opts := paho.NewClientOptions().AddBroker(s.opts.Broker).SetClientID("oort-simulator-" + uuid.NewString()[:8]).
		SetAutoReconnect(true).SetConnectRetry(true).SetConnectRetryInterval(time.Second)
	c := paho.NewClient(opts)
	if tok := c.Connect(); tok.WaitTimeout(10*time.Second) && tok.Error() != nil {
		return fmt.Errorf("connecting to %s: %w", s.opts.Broker, tok.Error())
	}
	defer c.Disconnect(250)
	s.opts.Logger.Infof("simulator: publishing EdgeX events to %s every %s", s.opts.Broker, s.opts.Interval)
	t := time.NewTicker(s.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			for _, ev := range s.Events() {
				s.publish(c, ev)
			}
		}
	}
}

func (s *Simulator) publish(c paho.Client, ev dtos.Event) {
	req := requests.NewAddEventRequest(ev)
	// The v4 device-service form: the request embedded as a JSON object.
	env := types.MessageEnvelope{CorrelationID: uuid.NewString(), Payload: req, ContentType: common.ContentTypeJSON}
	env.ApiVersion = common.ApiVersion
	b, err := json.Marshal(env)
	if err != nil {
		s.opts.Logger.Errorf("simulator: encoding event: %v", err)
		return
	}
	topic := fmt.Sprintf("%s/events/device/device-simulator/%s/%s/%s", s.opts.Prefix, ev.ProfileName, ev.DeviceName, ev.SourceName)
	c.Publish(topic, 0, false, b)
}

// Events builds the next event of every simulated device.
func (s *Simulator) Events() []dtos.Event {
	s.seq++
	phase := float64(s.seq) / 10
	th := dtos.NewEvent("Simulated-Thermometer-Profile", "Simulated-Thermometer", "Environment")
	_ = th.AddSimpleReading("temperature", common.ValueTypeFloat64, 21+5*math.Sin(phase)+s.rnd.Float64())
	_ = th.AddSimpleReading("humidity", common.ValueTypeInt32, int32(40+s.rnd.Intn(30)))
	_ = th.AddSimpleReading("status", common.ValueTypeString, []string{"ok", "ok", "ok", "warn"}[s.seq%4])
	th.Readings[0].Units = "degC"
	mt := dtos.NewEvent("Simulated-Meter-Profile", "Simulated-Meter", "Power")
	_ = mt.AddSimpleReading("power", common.ValueTypeUint16, uint16(100+s.rnd.Intn(900)))
	_ = mt.AddSimpleReading("phases", common.ValueTypeFloat32Array, []float32{230.1, 229.8, 231.2})
	_ = mt.AddSimpleReading("seq", common.ValueTypeUint64, s.seq)
	return []dtos.Event{th, mt}
}
