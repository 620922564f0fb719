package sinks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/value"
)

// recorder is a Publisher that keeps what it is given; the wire format is
// covered by the Mosquitto tests.
type recorder struct {
	mu   sync.Mutex
	pubs []published
	fail error
}

type published struct {
	topic, contentType string
	data               any
}

func (r *recorder) PublishWithTopic(topic string, data any, contentType string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.pubs = append(r.pubs, published{topic, contentType, data})
	return nil
}

// logRecorder keeps warnings.
type logRecorder struct {
	obs.NopLogger
	mu    sync.Mutex
	warns []string
}

func (l *logRecorder) Warnf(msg string, args ...interface{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.warns = append(l.warns, fmt.Sprintf(msg, args...))
}

func newEnv(ruleID string) (*sink.Env, *logRecorder) {
	lg := &logRecorder{}
	return &sink.Env{
		RuleID: ruleID, Type: "edgex", Logger: lg, Clock: clock.NewFake(testNow),
		Node: &obs.Node{Name: "sink_edgex_0", Kind: "sink"},
	}, lg
}

func newEdgeX(t *testing.T, pub Publisher, props map[string]any) (sink.RowConnector, *sink.Env, *logRecorder) {
	t.Helper()
	env, lg := newEnv("rule1")
	c, err := NewEdgeXFactory(pub, "edgex")(props, env)
	if err != nil {
		t.Fatalf("factory(%v): %v", props, err)
	}
	rc, ok := c.(sink.RowConnector)
	if !ok {
		t.Fatalf("edgex connector is not a RowConnector: %T", c)
	}
	if err := rc.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rc, env, lg
}

func simpleRow(cols ...row.Col) *row.Row { return &row.Row{Cols: cols} }

func TestEventIdentityDefaultsAndTemplates(t *testing.T) {
	r := simpleRow(row.Col{Name: "dev", Val: value.FromString("pump-7")}, row.Col{Name: "v", Val: value.FromInt(1)})
	ev, errs := RowToEvent(r, testProps(t, nil), "rule1", false)
	if len(errs) > 0 || ev.DeviceName != "ekuiper" || ev.ProfileName != "ekuiperProfile" || ev.SourceName != "rule1" {
		t.Fatalf("defaults: got %q %q %q (%v)", ev.DeviceName, ev.ProfileName, ev.SourceName, errs)
	}
	if ev.Origin != testNow.UnixNano() || ev.ApiVersion != "v3" || len(ev.Readings) != 2 {
		t.Fatalf("origin %d want %d, apiVersion %q, %d readings", ev.Origin, testNow.UnixNano(), ev.ApiVersion, len(ev.Readings))
	}
	if ev.Readings[0].Origin != ev.Origin || ev.Readings[0].DeviceName != "ekuiper" || ev.Readings[1].ResourceName != "v" {
		t.Fatalf("reading identity: %+v", ev.Readings)
	}
	p := testProps(t, map[string]any{"deviceName": "{{.dev}}", "profileName": "prof", "sourceName": "src-{{.v}}"})
	ev, errs = RowToEvent(r, p, "rule1", false)
	if len(errs) > 0 || ev.DeviceName != "pump-7" || ev.ProfileName != "prof" || ev.SourceName != "src-1" {
		t.Fatalf("templates: got %q %q %q (%v)", ev.DeviceName, ev.ProfileName, ev.SourceName, errs)
	}
}

func TestEventFromMetadataColumn(t *testing.T) {
	id, rid := "8a9c2c38-2d2c-4b0c-a4a0-1f7a4f1f2a11", "0c5e7f6e-5a3d-4a43-9f0e-3e0f9c6e7b12"
	meta := value.FromObject(map[string]value.Value{
		"id": value.FromString(id), "deviceName": value.FromString("d1"), "profileName": value.FromString("p1"),
		"sourceName": value.FromString("s1"), "origin": value.FromInt(1700000000123456789),
		"tags":          value.FromObject(map[string]value.Value{"site": value.FromString("north")}),
		"correlationid": value.FromString("c"),
		"t": value.FromObject(map[string]value.Value{
			"id": value.FromString(rid), "origin": value.FromFloat(1.7e18), "deviceName": value.FromString("d2"),
			"profileName": value.FromString("p2"), "valueType": value.FromString("Int16"), "units": value.FromString("C"),
		}),
	})
	r := simpleRow(row.Col{Name: "edgex_meta", Val: meta}, row.Col{Name: "t", Val: value.FromInt(21)}, row.Col{Name: "h", Val: value.FromInt(40)})
	p := testProps(t, map[string]any{"metadata": "edgex_meta", "deviceName": "ignored"})
	ev, errs := RowToEvent(r, p, "rule1", false)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ev.Id != id || ev.DeviceName != "d1" || ev.ProfileName != "p1" || ev.SourceName != "s1" || ev.Origin != 1700000000123456789 {
		t.Fatalf("event identity from metadata: %+v", ev)
	}
	if ev.Tags["site"] != "north" || len(ev.Readings) != 2 {
		t.Fatalf("tags %v, %d readings (metadata column must not be a reading)", ev.Tags, len(ev.Readings))
	}
	t0, h := ev.Readings[0], ev.Readings[1]
	if t0.Id != rid || t0.Origin != 1.7e18 || t0.DeviceName != "d2" || t0.ProfileName != "p2" || t0.ValueType != "Int16" || t0.Units != "C" {
		t.Fatalf("per-reading metadata: %+v", t0)
	}
	if h.DeviceName != "d1" || h.ProfileName != "p1" || h.Origin != ev.Origin || h.ValueType != "Int64" {
		t.Fatalf("reading without metadata inherits the event: %+v", h)
	}
	if err := requests.NewAddEventRequest(ev).Validate(); err != nil {
		t.Fatalf("event does not validate: %v", err)
	}
}

func TestNullColumns(t *testing.T) {
	r := simpleRow(row.Col{Name: "a", Val: value.NullValue, Prov: prov("Int32")}, row.Col{Name: "b", Val: value.NullValue}, row.Col{Name: "c", Val: value.FromInt(1)})
	ev, _ := RowToEvent(r, testProps(t, nil), "rule1", false)
	if len(ev.Readings) != 1 || ev.Readings[0].ResourceName != "c" {
		t.Fatalf("without sendNilField NULLs are skipped: %+v", ev.Readings)
	}
	ev, _ = RowToEvent(r, testProps(t, nil), "rule1", true)
	if len(ev.Readings) != 3 || !ev.Readings[0].IsNull() || ev.Readings[0].ValueType != "Int32" || ev.Readings[1].ValueType != "String" {
		t.Fatalf("with sendNilField NULLs are null readings: %+v", ev.Readings)
	}
	if err := requests.NewAddEventRequest(ev).Validate(); err != nil {
		t.Fatalf("null readings must validate: %v", err)
	}
}

func TestTopicRules(t *testing.T) {
	row1 := simpleRow(row.Col{Name: "dev", Val: value.FromString("d9")}, row.Col{Name: "v", Val: value.FromInt(1)})
	cases := []struct {
		props map[string]any
		want  string
	}{
		{nil, "application"},
		{map[string]any{"topic": "rules/out"}, "rules/out"},
		{map[string]any{"topic": "edgex/rules/out"}, "rules/out"},
		{map[string]any{"topic": "edgexy/out"}, "edgexy/out"},
		{map[string]any{"topic": "out/{{.dev}}"}, "out/d9"},
		{map[string]any{"topic": "edgex/out/{{.dev}}"}, "out/d9"},
		{map[string]any{"topicPrefix": "edgex/events/device", "deviceName": "{{.dev}}", "profileName": "P", "sourceName": "S"}, "events/device/P/d9/S"},
		{map[string]any{"topicPrefix": "events/device/", "serviceName": "oort", "deviceName": "D", "profileName": "P"}, "events/device/oort/P/D/rule1"},
		{map[string]any{"type": "redis", "host": "edgex-redis", "port": 6379.0, "protocol": "redis", "optional": map[string]any{}}, "application"},
	}
	for _, tc := range cases {
		rec := &recorder{}
		c, _, _ := newEdgeX(t, rec, tc.props)
		if err := c.SendRows(context.Background(), []*row.Row{row1}); err != nil {
			t.Fatalf("%v: %v", tc.props, err)
		}
		if len(rec.pubs) != 1 || rec.pubs[0].topic != tc.want {
			t.Fatalf("%v: got %+v, want topic %q", tc.props, rec.pubs, tc.want)
		}
	}
	if _, err := ParseEdgeXProps(map[string]any{"topic": "a", "topicPrefix": "b"}, "edgex"); err == nil {
		t.Fatal("topic and topicPrefix together must be rejected")
	}
}

func TestBadEdgeXProps(t *testing.T) {
	bad := []map[string]any{
		{"messageType": "reading"},
		{"contentType": "text/plain"},
		{"topic": 12.0},
		{"deviceName": "{{.x"},
		{"metadata": true},
	}
	env, _ := newEnv("rule1")
	for _, props := range bad {
		if _, err := NewEdgeXFactory(&recorder{}, "edgex")(props, env); err == nil {
			t.Errorf("%v: want a setup error", props)
		}
	}
	if _, err := NewEdgeXFactory(nil, "edgex")(nil, env); err == nil {
		t.Error("nil publisher: want a setup error")
	}
}

func TestMessageTypeAndContentType(t *testing.T) {
	r := simpleRow(row.Col{Name: "v", Val: value.FromInt(1)})
	rec := &recorder{}
	c, _, _ := newEdgeX(t, rec, map[string]any{"messageType": "request", "contentType": "application/cbor"})
	if err := c.SendRows(context.Background(), []*row.Row{r}); err != nil {
		t.Fatal(err)
	}
	req, ok := rec.pubs[0].data.(requests.AddEventRequest)
	if !ok || rec.pubs[0].contentType != "application/cbor" || req.ApiVersion != "v3" || req.RequestId == "" || req.Event.Readings[0].Value != "1" {
		t.Fatalf("request form: %T %+v", rec.pubs[0].data, rec.pubs[0])
	}
	rec = &recorder{}
	c, _, _ = newEdgeX(t, rec, nil)
	if err := c.SendRows(context.Background(), []*row.Row{r}); err != nil {
		t.Fatal(err)
	}
	if _, ok := rec.pubs[0].data.(dtos.Event); !ok || rec.pubs[0].contentType != "application/json" {
		t.Fatalf("event form: %T %q", rec.pubs[0].data, rec.pubs[0].contentType)
	}
}

func TestEachRowIsOneEventInOrder(t *testing.T) {
	rec := &recorder{}
	c, _, _ := newEdgeX(t, rec, nil)
	rows := []*row.Row{
		simpleRow(row.Col{Name: "v", Val: value.FromInt(1)}),
		simpleRow(row.Col{Name: "v", Val: value.NullValue}), // nothing to publish
		simpleRow(row.Col{Name: "v", Val: value.FromInt(3)}, row.Col{Name: "w", Val: value.FromInt(4)}),
	}
	if err := c.SendRows(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	if len(rec.pubs) != 2 {
		t.Fatalf("want 2 events, got %d", len(rec.pubs))
	}
	e1, e2 := rec.pubs[0].data.(dtos.Event), rec.pubs[1].data.(dtos.Event)
	if e1.Readings[0].Value != "1" || len(e2.Readings) != 2 || e2.Readings[0].ResourceName != "v" || e2.Readings[1].ResourceName != "w" {
		t.Fatalf("events out of order or merged: %+v / %+v", e1, e2)
	}
	if e1.Id == e2.Id {
		t.Fatal("each event needs its own id")
	}
}

func TestRangeErrorDropsReadingOnly(t *testing.T) {
	rec := &recorder{}
	c, env, lg := newEdgeX(t, rec, map[string]any{"valueTypes": map[string]any{"big": "Int8"}})
	r := simpleRow(row.Col{Name: "big", Val: value.FromInt(300)}, row.Col{Name: "ok", Val: value.FromInt(1)})
	if err := c.SendRows(context.Background(), []*row.Row{r}); err != nil {
		t.Fatal(err)
	}
	ev := rec.pubs[0].data.(dtos.Event)
	if len(ev.Readings) != 1 || ev.Readings[0].ResourceName != "ok" {
		t.Fatalf("want only the in-range reading, got %+v", ev.Readings)
	}
	if env.Node.Exceptions.Load() != 1 || !strings.Contains(env.Node.LastException(), `"big"`) || len(lg.warns) != 1 {
		t.Fatalf("want one exception and one warning, got %d %q %v", env.Node.Exceptions.Load(), env.Node.LastException(), lg.warns)
	}
	if env.Node.LastExceptionTime.Load() != testNow.UnixMilli() {
		t.Fatalf("exception time must come from the injected clock: %d", env.Node.LastExceptionTime.Load())
	}
}

func TestInvalidEventIsPermanent(t *testing.T) {
	rec := &recorder{}
	c, _, _ := newEdgeX(t, rec, map[string]any{"deviceName": " "}) // blank names fail EdgeX validation
	err := c.SendRows(context.Background(), []*row.Row{simpleRow(row.Col{Name: "v", Val: value.FromInt(1)})})
	if err == nil || sink.IsRecoverable(err) || !strings.Contains(err.Error(), "invalid event") {
		t.Fatalf("want a permanent validation error, got %v", err)
	}
	if len(rec.pubs) != 0 {
		t.Fatal("an invalid event must not be published")
	}
	c, _, _ = newEdgeX(t, rec, map[string]any{"sourceName": "{{.nope | fail}}"})
	err = c.SendRows(context.Background(), []*row.Row{simpleRow(row.Col{Name: "v", Val: value.FromInt(1)})})
	if err == nil || sink.IsRecoverable(err) {
		t.Fatalf("template failure: want a permanent error, got %v", err)
	}
}

func TestPublishFailureIsRecoverable(t *testing.T) {
	rec := &recorder{fail: errors.New("broker gone")}
	c, _, _ := newEdgeX(t, rec, nil)
	err := c.SendRows(context.Background(), []*row.Row{simpleRow(row.Col{Name: "v", Val: value.FromInt(1)})})
	if !sink.IsRecoverable(err) || !strings.Contains(err.Error(), "broker gone") {
		t.Fatalf("want a recoverable error, got %v", err)
	}
}

// TestRedirectForResend: resendDestination replaces topic and topicPrefix,
// with the base prefix stripped like topic.
func TestRedirectForResend(t *testing.T) {
	rec := &recorder{}
	c, _, _ := newEdgeX(t, rec, map[string]any{"topicPrefix": "edgex/events/device", "deviceName": "{{.dev}}", "profileName": "P", "sourceName": "S"})
	dest, err := sink.ParseDyn("edgex/resend/{{.dev}}")
	if err != nil {
		t.Fatal(err)
	}
	rc, err := c.(sink.Redirector).Redirect(dest)
	if err != nil {
		t.Fatal(err)
	}
	r := simpleRow(row.Col{Name: "dev", Val: value.FromString("d9")}, row.Col{Name: "v", Val: value.FromInt(1)})
	if err := rc.(sink.RowConnector).SendRows(context.Background(), []*row.Row{r}); err != nil {
		t.Fatal(err)
	}
	if err := c.SendRows(context.Background(), []*row.Row{r}); err != nil {
		t.Fatal(err)
	}
	if len(rec.pubs) != 2 || rec.pubs[0].topic != "resend/d9" || rec.pubs[1].topic != "events/device/P/d9/S" {
		t.Fatalf("topics %+v", rec.pubs)
	}
}
