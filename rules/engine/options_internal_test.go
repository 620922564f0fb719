package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func opts(t *testing.T, js string) (RuleOptions, error) {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		t.Fatalf("bad test JSON %s: %v", js, err)
	}
	return parseOptions(raw)
}

// TestOptionsDefaults: absent and null options take the defaults of
// rules-api.md §1.3.
func TestOptionsDefaults(t *testing.T) {
	def := DefaultOptions()
	if def.LateTolerance != time.Second || def.BufferLength != 1024 || def.Concurrency != 1 ||
		def.CheckpointInterval != 300*time.Second || def.ForceExitTimeout != 5*time.Second || def.Restart.Attempts != 0 {
		t.Errorf("defaults %+v", def)
	}
	o, err := opts(t, `{}`)
	if err != nil || o != def {
		t.Errorf("empty options %+v %v", o, err)
	}
	o, err = opts(t, `{"isEventTime":null,"lateTolerance":null,"bufferLength":null,"sendError":null,"qos":null,
		"restartStrategy":null,"checkpointInterval":null,"concurrency":null,"forceExitTimeout":null,"debug":null}`)
	if err != nil || o != def {
		t.Errorf("null options must mean defaults: %+v %v", o, err)
	}
	o, err = opts(t, `{"restartStrategy":{"attempts":2,"delay":null,"maxDelay":null}}`)
	if err != nil || o.Restart.Attempts != 2 || o.Restart.Delay != def.Restart.Delay || o.Restart.MaxDelay != def.Restart.MaxDelay {
		t.Errorf("null restartStrategy fields: %+v %v", o.Restart, err)
	}
}

// TestOptionsDurations: integers are milliseconds; Go duration strings and
// numeric strings are accepted.
func TestOptionsDurations(t *testing.T) {
	cases := []struct {
		js   string
		want time.Duration
	}{
		{`{"lateTolerance":500}`, 500 * time.Millisecond},
		{`{"lateTolerance":"2s"}`, 2 * time.Second},
		{`{"lateTolerance":"1500"}`, 1500 * time.Millisecond},
		{`{"lateTolerance":"250ms"}`, 250 * time.Millisecond},
		{`{"lateTolerance":0}`, 0},
	}
	for _, c := range cases {
		o, err := opts(t, c.js)
		if err != nil || o.LateTolerance != c.want {
			t.Errorf("%s: %v %v, want %v", c.js, o.LateTolerance, err, c.want)
		}
	}
	o, err := opts(t, `{"checkpointInterval":60000,"forceExitTimeout":"10s","watermarkIdleTimeout":"1m",
		"restartStrategy":{"attempts":3,"delay":"500ms","maxDelay":60000,"multiplier":1.5,"jitterFactor":0.2}}`)
	if err != nil {
		t.Fatal(err)
	}
	if o.CheckpointInterval != time.Minute || o.ForceExitTimeout != 10*time.Second || o.WatermarkIdleTimeout != time.Minute ||
		o.Restart != (RestartStrategy{Attempts: 3, Delay: 500 * time.Millisecond, MaxDelay: time.Minute, Multiplier: 1.5, JitterFactor: 0.2}) {
		t.Errorf("durations %+v", o)
	}
	if _, err := opts(t, `{"lateTolerance":"soon"}`); err == nil || !strings.Contains(err.Error(), "lateTolerance") {
		t.Errorf("bad duration: %v", err)
	}
}

// TestOptionsRejected: negative values and wrong types are errors naming
// the option (rules-api.md §1.2 step 4).
func TestOptionsRejected(t *testing.T) {
	cases := []struct{ js, frag string }{
		{`{"bufferLength":-1}`, "bufferLength must not be negative"},
		{`{"concurrency":-1}`, "concurrency must not be negative"},
		{`{"lateTolerance":-1}`, "lateTolerance must not be negative"},
		{`{"lateTolerance":"-2s"}`, "lateTolerance must not be negative"},
		{`{"restartStrategy":{"attempts":-3}}`, "restartStrategy.attempts must not be negative"},
		{`{"qos":3}`, "qos must be 0, 1 or 2"},
		{`{"isEventTime":3}`, "isEventTime"},
		{`{"sendError":"maybe"}`, "sendError"},
		{`{"bufferLength":"many"}`, "bufferLength"},
		{`{"restartStrategy":{"attempts":"x"}}`, "attempts"},
	}
	for _, c := range cases {
		if _, err := opts(t, c.js); err == nil || !strings.Contains(err.Error(), c.frag) {
			t.Errorf("%s: err %v, want one containing %q", c.js, err, c.frag)
		}
	}
}

// TestOptionsValues: booleans (also as strings), ignored keys and the
// sliding-window flag of planOptimizeStrategy.
func TestOptionsValues(t *testing.T) {
	o, err := opts(t, `{"isEventTime":true,"sendMetaToSink":"true","sendNilField":true,"sendError":false,"debug":true,
		"disableBufferFullDiscard":true,"qos":1,"bufferLength":16,"concurrency":4,"logFilename":"x.log","notifySub":true,
		"experiment":{"useSliceTuple":true},"planOptimizeStrategy":{"windowOption":{"enableSendSlidingWindowTwice":true}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if !o.IsEventTime || !o.SendMetaToSink || !o.SendNilField || o.SendError || !o.Debug || !o.DisableBufferFull ||
		o.Qos != 1 || o.BufferLength != 16 || o.Concurrency != 4 || !o.SendSlidingTwice {
		t.Errorf("values %+v", o)
	}
}

// TestOptionsZeroBufferLength: bufferLength 0 would make the rule's input
// queue unbuffered (every row dropped while the rule is busy); check() maps
// it to the default, which must reach the parsed options.
func TestOptionsZeroBufferLength(t *testing.T) {
	o, err := opts(t, `{"bufferLength":0}`)
	if err != nil {
		t.Fatal(err)
	}
	if o.BufferLength != 1024 {
		t.Errorf("bufferLength 0 parsed as %d, want the default 1024", o.BufferLength)
	}
}
