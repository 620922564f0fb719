package sinks

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	commonDTO "github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/responses"
	"github.com/edgexfoundry/go-mod-messaging/v4/clients"
	"github.com/edgexfoundry/go-mod-messaging/v4/messaging"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/value"
)

// cmdRequest is one request the fake core-command received.
type cmdRequest struct {
	device, command, method string
	settings                map[string]any
	query                   map[string]string
}

// fakeCoreCommand answers core-command requests on the real broker the way
// edgex-go's core-command does over the bus: a BaseResponse for SET, an
// EventResponse for GET, errorCode 1 with a text message on failure. Devices
// named "missing" fail, "gone" answer GET with statusCode 404, "slow" never
// answer.
type fakeCoreCommand struct {
	mu   sync.Mutex
	reqs []cmdRequest
}

func startFakeCoreCommand(t *testing.T, prefix string) *fakeCoreCommand {
	t.Helper()
	bus := busClient(t)
	f := &fakeCoreCommand{}
	msgs := make(chan types.MessageEnvelope, 16)
	errs := make(chan error, 16)
	reqTopic := prefix + "/" + common.CoreCommandRequestPublishTopic
	if err := bus.Subscribe([]types.TopicChannel{{Topic: reqTopic + "/#", Messages: msgs}}, errs); err != nil {
		t.Fatalf("fake core-command subscribe: %v", err)
	}
	// Stop and wait before the bus disconnects (cleanups run last-in first-out):
	// an answer's publish can still await its PUBACK when the test ends.
	stop, done := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(stop); <-done })
	go func() {
		defer close(done)
		for {
			select {
			case m := <-msgs:
				f.answer(t, bus, prefix, strings.TrimPrefix(m.ReceivedTopic, reqTopic+"/"), m)
			case <-stop:
				return
			}
		}
	}()
	return f
}

func (f *fakeCoreCommand) answer(t *testing.T, bus messaging.MessageClient, prefix, path string, m types.MessageEnvelope) {
	parts := strings.Split(path, "/")
	if len(parts) != 3 {
		t.Errorf("unexpected request topic %q", path)
		return
	}
	req := cmdRequest{device: parts[0], command: parts[1], method: parts[2], query: m.QueryParams}
	if req.method == "set" {
		s, err := types.GetMsgPayload[map[string]any](m)
		if err != nil {
			t.Errorf("SET payload: %v", err)
		}
		req.settings = s
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	var resp types.MessageEnvelope
	var err error
	switch {
	case req.device == "slow":
		return
	case req.device == "missing":
		resp = types.NewMessageEnvelopeWithError(m.RequestID, "fail to query device "+req.device+": device not found (status 404)")
	case req.method == "get" && req.device == "gone":
		resp, err = types.NewMessageEnvelopeForResponse(responses.NewEventResponse(m.RequestID, "device gone is locked", 404, dtos.Event{}), m.RequestID, m.CorrelationID, common.ContentTypeJSON)
	case req.method == "get":
		ev := dtos.NewEvent("P", req.device, req.command)
		_ = ev.AddSimpleReading(req.command, common.ValueTypeInt32, int32(7))
		resp, err = types.NewMessageEnvelopeForResponse(responses.NewEventResponse(m.RequestID, "", 200, ev), m.RequestID, m.CorrelationID, common.ContentTypeJSON)
	default:
		resp, err = types.NewMessageEnvelopeForResponse(commonDTO.NewBaseResponse(m.RequestID, "", 200), m.RequestID, m.CorrelationID, common.ContentTypeJSON)
	}
	if err != nil {
		t.Errorf("building response: %v", err)
		return
	}
	if err := bus.Publish(resp, prefix+"/response/core-command/"+m.RequestID); err != nil {
		t.Errorf("publishing response: %v", err)
	}
}

func (f *fakeCoreCommand) requests() []cmdRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]cmdRequest(nil), f.reqs...)
}

// commandSetup starts a fake core-command and a command connector using the
// real go-mod-messaging command client.
func commandSetup(t *testing.T, props map[string]any) (sink.RowConnector, *fakeCoreCommand, *sink.Env, *clock.Fake) {
	t.Helper()
	prefix := testPrefix()
	fake := startFakeCoreCommand(t, prefix)
	cc := clients.NewCommandClient(busClient(t), prefix, 2*time.Second)
	clk := clock.NewFake(testNow)
	env := &sink.Env{RuleID: "cmd_rule", Type: "command", Logger: obs.NopLogger{}, Clock: clk,
		Node: &obs.Node{Name: "sink_command_0", Kind: "sink"}}
	c, err := NewCommandFactory(func() interfaces.CommandClient { return cc }, 2*time.Second)(props, env)
	if err != nil {
		t.Fatalf("command factory: %v", err)
	}
	rc := c.(sink.RowConnector)
	if err := rc.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rc, fake, env, clk
}

func cmdRow(kv ...any) *row.Row {
	r := &row.Row{}
	for i := 0; i < len(kv); i += 2 {
		r.Cols = append(r.Cols, row.Col{Name: kv[i].(string), Val: kv[i+1].(value.Value)})
	}
	return r
}

func TestCommandSetWithSettingsTemplate(t *testing.T) {
	c, fake, _, _ := commandSetup(t, map[string]any{
		"deviceName": "{{.dev}}", "commandName": "SwitchButton",
		"settings": map[string]any{"SwitchButton": "{{.on}}", "Level": 12.0, "Ratio": 2.5, "Obj": map[string]any{"a": 1.0}, "Arr": []any{1.0, 2.0}},
	})
	if err := c.SendRows(context.Background(), []*row.Row{cmdRow("dev", value.FromString("d1"), "on", value.True)}); err != nil {
		t.Fatal(err)
	}
	reqs := fake.requests()
	if len(reqs) != 1 || reqs[0].device != "d1" || reqs[0].command != "SwitchButton" || reqs[0].method != "set" {
		t.Fatalf("requests: %+v", reqs)
	}
	s := reqs[0].settings
	obj, _ := s["Obj"].(map[string]any)
	if s["SwitchButton"] != "true" || s["Level"] != "12" || s["Ratio"] != "2.5" || s["Arr"] != "[1,2]" || obj["a"] != 1.0 {
		t.Fatalf("settings on the wire: %#v", s)
	}
}

func TestCommandSetFromColumns(t *testing.T) {
	c, fake, _, _ := commandSetup(t, map[string]any{"deviceName": "d2", "commandName": "Config"})
	r := cmdRow("SwitchButton", value.True, "Speed", value.FromFloat(2.5), "Count", value.FromInt(12),
		"Arr", ints(1, 2), "Obj", value.FromObject(map[string]value.Value{"x": value.FromInt(1)}), "N", value.NullValue)
	if err := c.SendRows(context.Background(), []*row.Row{r}); err != nil {
		t.Fatal(err)
	}
	s := fake.requests()[0].settings
	obj, _ := s["Obj"].(map[string]any)
	if len(s) != 5 || s["SwitchButton"] != "true" || s["Speed"] != "2.5" || s["Count"] != "12" || s["Arr"] != "[1,2]" || obj["x"] != 1.0 {
		t.Fatalf("settings from columns: %#v", s)
	}
}

func TestCommandOnlyOnChange(t *testing.T) {
	c, fake, env, _ := commandSetup(t, map[string]any{"deviceName": "d3", "commandName": "Sw", "onlyOnChange": true,
		"settings": map[string]any{"Sw": "{{.on}}"}})
	for _, on := range []bool{true, true, false, false, true} {
		if err := c.SendRows(context.Background(), []*row.Row{cmdRow("on", value.FromBool(on))}); err != nil {
			t.Fatal(err)
		}
	}
	var got []any
	for _, r := range fake.requests() {
		got = append(got, r.settings["Sw"])
	}
	if len(got) != 3 || got[0] != "true" || got[1] != "false" || got[2] != "true" || env.Node.Suppressed.Load() != 2 {
		t.Fatalf("sent %v, suppressed %d; want [true false true] and 2", got, env.Node.Suppressed.Load())
	}
}

func TestCommandMinInterval(t *testing.T) {
	c, fake, env, clk := commandSetup(t, map[string]any{"deviceName": "d4", "commandName": "Sw", "minInterval": "10s",
		"settings": map[string]any{"Sw": "{{.v}}"}})
	send := func(v int64) {
		if err := c.SendRows(context.Background(), []*row.Row{cmdRow("v", value.FromInt(v))}); err != nil {
			t.Fatal(err)
		}
	}
	send(1)
	clk.Advance(testNow.Add(time.Second))
	send(2) // within 10s of the last SET: suppressed even though it changed
	clk.Advance(testNow.Add(11 * time.Second))
	send(3)
	reqs := fake.requests()
	if len(reqs) != 2 || reqs[0].settings["Sw"] != "1" || reqs[1].settings["Sw"] != "3" || env.Node.Suppressed.Load() != 1 {
		t.Fatalf("requests %+v, suppressed %d", reqs, env.Node.Suppressed.Load())
	}
}

func TestCommandErrors(t *testing.T) {
	c, fake, _, _ := commandSetup(t, map[string]any{"deviceName": "{{.dev}}", "commandName": "Sw", "timeout": 300.0,
		"onlyOnChange": true, "settings": map[string]any{"Sw": "on"}})
	err := c.SendRows(context.Background(), []*row.Row{cmdRow("dev", value.FromString("missing"))})
	if err == nil || sink.IsRecoverable(err) || !strings.Contains(err.Error(), "device not found") {
		t.Fatalf("core-command failure: want a permanent error with its message, got %v", err)
	}
	start := time.Now()
	err = c.SendRows(context.Background(), []*row.Row{cmdRow("dev", value.FromString("slow"))})
	if !sink.IsRecoverable(err) || time.Since(start) > time.Second {
		t.Fatalf("timeout: want a recoverable error after ~300ms, got %v after %v", err, time.Since(start))
	}
	// failed SETs are not "last successful": the same settings are sent again
	_ = c.SendRows(context.Background(), []*row.Row{cmdRow("dev", value.FromString("missing"))})
	if n := len(fake.requests()); n != 3 {
		t.Fatalf("want 3 requests (failures never suppress), got %d", n)
	}
	err = c.SendRows(context.Background(), []*row.Row{cmdRow("dev", value.FromString(""))})
	if err == nil || sink.IsRecoverable(err) {
		t.Fatalf("empty device name: want a permanent error, got %v", err)
	}
}

func TestCommandGet(t *testing.T) {
	c, fake, _, _ := commandSetup(t, map[string]any{"deviceName": "{{.dev}}", "commandName": "Temp", "method": "GET",
		"pushEvent": true, "queryParams": map[string]any{"unit": "C", "n": 2.0}})
	if err := c.SendRows(context.Background(), []*row.Row{cmdRow("dev", value.FromString("d5"))}); err != nil {
		t.Fatal(err)
	}
	r := fake.requests()[0]
	if r.method != "get" || r.device != "d5" || r.query[common.PushEvent] != "true" || r.query[common.ReturnEvent] != "true" ||
		r.query["unit"] != "C" || r.query["n"] != "2" {
		t.Fatalf("GET request: %+v", r)
	}
	err := c.SendRows(context.Background(), []*row.Row{cmdRow("dev", value.FromString("gone"))})
	if err == nil || sink.IsRecoverable(err) || !strings.Contains(err.Error(), "status 404") || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("GET 404: want a permanent error with status and message, got %v", err)
	}
}

func TestCommandSetup(t *testing.T) {
	env := &sink.Env{RuleID: "r", Clock: clock.NewFake(testNow), Node: &obs.Node{}}
	_, err := NewCommandFactory(func() interfaces.CommandClient { return nil }, time.Second)(map[string]any{"deviceName": "d", "commandName": "c"}, env)
	if err == nil || err.Error() != "core-command client is not configured (Clients.core-command)" {
		t.Fatalf("nil client: got %v", err)
	}
	cc := clients.NewCommandClient(nil, "edgex", time.Second)
	factory := NewCommandFactory(func() interfaces.CommandClient { return cc }, time.Second)
	bad := []map[string]any{
		{"commandName": "c"},
		{"deviceName": "d"},
		{"deviceName": "d", "commandName": "c", "method": "post"},
		{"deviceName": "d", "commandName": "c", "minInterval": "soon"},
		{"deviceName": "d", "commandName": "c", "settings": "x"},
		{"deviceName": "d", "commandName": "c", "settings": map[string]any{"a": "{{.x"}},
	}
	for _, props := range bad {
		if _, err := factory(props, env); err == nil {
			t.Errorf("%v: want a setup error", props)
		}
	}
}
