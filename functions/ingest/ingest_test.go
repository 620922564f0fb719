package ingest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"

	"github.com/oort-rules/oort/rules/obs"
)

const testTopic = "edgex/events/device/svc/Random-Profile/Random-Device/Random-Source"

func statusValue(t *testing.T, kv []obs.KV, key string) any {
	t.Helper()
	for _, x := range kv {
		if x.Key == key {
			return x.Val
		}
	}
	t.Fatalf("status has no %s", key)
	return nil
}

// A malformed message is dropped, counted, and visible in the status of the
// rules whose stream accepts its topic; the next good event still flows.
func TestMalformedMessageCountedAndVisible(t *testing.T) {
	emitted := 0
	eng := benchEngine(t, "SELECT temperature FROM s", false, &emitted)
	defer eng.Close()
	in := New(eng, Options{})
	in.process(msg{topic: testTopic, data: []byte(`{"apiVersion":"v3","payload":{"event":`)})
	in.process(msg{topic: testTopic, data: deviceEnvelope(t, 1)})
	if in.C.DroppedDecode.Load() != 1 || in.C.Decoded.Load() != 1 {
		t.Fatalf("dropped %d decoded %d", in.C.DroppedDecode.Load(), in.C.Decoded.Load())
	}
	if emitted != 1 {
		t.Fatalf("emitted %d rows, want 1", emitted)
	}
	st, err := eng.RuleStatus("b")
	if err != nil {
		t.Fatal(err)
	}
	if got := statusValue(t, st, "source_s_0_decode_errors_total"); got != int64(1) {
		t.Fatalf("decode_errors_total = %v", got)
	}
	if msg, _ := statusValue(t, st, "source_s_0_last_exception").(string); !strings.Contains(msg, testTopic) {
		t.Fatalf("last_exception %q does not name the topic", msg)
	}
}

// A reading whose value does not parse is omitted and counted; the rest of
// the event is processed.
func TestBadReadingOmittedAndCounted(t *testing.T) {
	emitted := 0
	eng := benchEngine(t, "SELECT * FROM s", false, &emitted)
	defer eng.Close()
	in := New(eng, Options{})
	bad := strings.Replace(string(deviceEnvelope(t, 1)), `"valueType":"Int32","value":"41"`, `"valueType":"Int32","value":"forty-one"`, 1)
	if bad == string(deviceEnvelope(t, 1)) {
		t.Fatal("test envelope changed shape")
	}
	in.process(msg{topic: testTopic, data: []byte(bad)})
	if emitted != 1 || in.C.BadReadings.Load() != 1 {
		t.Fatalf("emitted %d, bad readings %d", emitted, in.C.BadReadings.Load())
	}
	st, _ := eng.RuleStatus("b")
	if got := statusValue(t, st, "source_s_0_decode_errors_total"); got != int64(1) {
		t.Fatalf("decode_errors_total = %v", got)
	}
}

// When the intake is full, Handle waits at most MaxBlock, then drops and counts.
func TestIntakeDropsAfterMaxBlock(t *testing.T) {
	emitted := 0
	eng := benchEngine(t, "SELECT * FROM s", false, &emitted)
	defer eng.Close()
	in := New(eng, Options{MaxPending: 1, MaxBlock: 20 * time.Millisecond})
	start := time.Now()
	in.Handle(testTopic, deviceEnvelope(t, 1))
	in.Handle(testTopic, deviceEnvelope(t, 2)) // nobody drains: dropped after MaxBlock
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Fatalf("Handle returned after %s, before MaxBlock", waited)
	}
	if in.C.DroppedQueueFull.Load() != 1 || in.Pending() != 1 {
		t.Fatalf("dropped %d pending %d", in.C.DroppedQueueFull.Load(), in.Pending())
	}
	ctx, cancel := context.WithCancel(context.Background())
	go in.Run(ctx)
	deadline := time.Now().Add(2 * time.Second)
	for in.C.Decoded.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if in.C.Decoded.Load() != 1 {
		t.Fatal("the queued message was not processed")
	}
}

// Process is the SDK-pipeline path (stock and legacy triggers).
func TestProcessDTO(t *testing.T) {
	emitted := 0
	eng := benchEngine(t, "SELECT x FROM s", false, &emitted)
	defer eng.Close()
	in := New(eng, Options{})
	ctx := pkg.NewAppFuncContextForTest("corr", logger.NewMockClient())
	ev := dtos.NewEvent("p", "d", "s")
	_ = ev.AddSimpleReading("x", common.ValueTypeInt8, int8(-3))
	if cont, res := in.Process(ctx, ev); cont || res != nil {
		t.Fatalf("Process returned (%v, %v)", cont, res)
	}
	if _, res := in.Process(ctx, "not an event"); res == nil {
		t.Fatal("a non-event input must be an error")
	}
	if emitted != 1 {
		t.Fatalf("emitted %d", emitted)
	}
}
