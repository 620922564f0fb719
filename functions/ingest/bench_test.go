package ingest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"

	"github.com/oort-rules/oort/functions/wallclock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
)

// deviceEnvelope is a realistic device-service message: an AddEventRequest
// with four readings embedded in a v4 JSON envelope.
func deviceEnvelope(tb testing.TB, i int) []byte {
	ev := dtos.NewEvent("Random-Profile", "Random-Device", "Random-Source")
	_ = ev.AddSimpleReading("temperature", common.ValueTypeFloat64, 20+float64(i%10))
	_ = ev.AddSimpleReading("humidity", common.ValueTypeInt32, int32(40+i%30))
	_ = ev.AddSimpleReading("status", common.ValueTypeString, "ok")
	_ = ev.AddSimpleReading("counter", common.ValueTypeUint64, uint64(i))
	b, err := json.Marshal(map[string]any{"apiVersion": "v3", "correlationID": "14a42ea6-c394-41c3-8bcd-a29b9f5e6835",
		"contentType": "application/json", "payload": requests.NewAddEventRequest(ev)})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// benchEngine returns an engine with one running rule whose emissions are
// counted (emit) or sent to a nop sink (withSink).
func benchEngine(tb testing.TB, sqlText string, withSink bool, emitted *int) *engine.Engine {
	sinks := sink.NewRegistry()
	sink.RegisterBuiltins(sinks, nil)
	eng, err := engine.New(engine.Config{Clock: wallclock.Clock{}, Sinks: sinks, Synchronous: true})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := eng.ExecStreamSQL(engine.KindStream, `CREATE STREAM s () WITH (TYPE="edgex")`); err != nil {
		tb.Fatal(err)
	}
	doc := fmt.Sprintf(`{"id":"b","sql":%q,"triggered":%v,"actions":[{"nop":{}}],"options":{"bufferLength":100000}}`, sqlText, withSink)
	if _, err := eng.CreateRule([]byte(doc)); err != nil {
		tb.Fatal(err)
	}
	if !withSink {
		if err := eng.AttachEmit("b", func(rows []*row.Row) { *emitted += len(rows) }); err != nil {
			tb.Fatal(err)
		}
	}
	return eng
}

func benchHotPath(b *testing.B, sqlText string, withSink bool) {
	emitted := 0
	eng := benchEngine(b, sqlText, withSink, &emitted)
	defer eng.Close()
	in := New(eng, Options{})
	msgs := make([][]byte, 64)
	for i := range msgs {
		msgs[i] = deviceEnvelope(b, i)
	}
	topic := "edgex/events/device/device-virtual/Random-Profile/Random-Device/Random-Source"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.process(msg{topic: topic, data: msgs[i%len(msgs)]})
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if in.C.DroppedDecode.Load() > 0 {
		b.Fatalf("%d decode errors", in.C.DroppedDecode.Load())
	}
	if !withSink && b.N >= len(msgs) && emitted == 0 {
		b.Fatal("the rule emitted nothing")
	}
}

// BenchmarkDecodeFilterProject is the foundation issue's goal: EdgeX event
// bytes → decode → WHERE → SELECT → emission, on one core.
func BenchmarkDecodeFilterProject(b *testing.B) {
	benchHotPath(b, "SELECT temperature, humidity AS h FROM s WHERE temperature > 24", false)
}

// BenchmarkDecodeProjectAll emits every event (SELECT *).
func BenchmarkDecodeProjectAll(b *testing.B) {
	benchHotPath(b, "SELECT * FROM s", false)
}

// BenchmarkDecodeFilterProjectNopSink includes the sink stage (nop, queued).
func BenchmarkDecodeFilterProjectNopSink(b *testing.B) {
	benchHotPath(b, "SELECT temperature, humidity AS h FROM s WHERE temperature > 24", true)
}
