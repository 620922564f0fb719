package eventrow

import (
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/valyala/fastjson"
)

// cpuTime is the process's user+system CPU time. The benchmark reports it per
// op besides wall time, because on a shared, loaded machine wall time
// includes time spent waiting for a CPU.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchFile(b *testing.B, name string) {
	data := readFile(b, name)
	d := NewDecoder(Options{})
	if _, _, err := d.DecodeMessage("edgex/events/device/device-virtual/p/d/s", data); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start, n := cpuTime(), 0
	for b.Loop() {
		r, _, err := d.DecodeMessage("edgex/events/device/device-virtual/p/d/s", data)
		if err != nil || len(r.Cols) == 0 {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
}

// BenchmarkDecodeMessage decodes a device-virtual envelope with four simple
// readings and an embedded JSON payload: the common case on an EdgeX 4 bus.
func BenchmarkDecodeMessage(b *testing.B) { benchFile(b, "bench-4readings.json") }

// BenchmarkDecodeMessageMixed adds an array and an object reading (edgex.md §10.4).
func BenchmarkDecodeMessageMixed(b *testing.B) { benchFile(b, "device-virtual.json") }

// BenchmarkReferenceFastjsonParse is the floor: building a fastjson tree of
// the same bytes, without producing anything.
func BenchmarkReferenceFastjsonParse(b *testing.B) {
	data := readFile(b, "bench-4readings.json")
	var p fastjson.Parser
	b.ReportAllocs()
	start, n := cpuTime(), 0
	for b.Loop() {
		if _, err := p.ParseBytes(data); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
}

// BenchmarkReferenceSDKPath is what the stock trigger does with the same
// message: envelope into a generic map, payload re-encoded and decoded into
// the validated AddEventRequest DTO; then FromDTO.
func BenchmarkReferenceSDKPath(b *testing.B) {
	data := readFile(b, "bench-4readings.json")
	b.ReportAllocs()
	start, n := cpuTime(), 0
	for b.Loop() {
		var env types.MessageEnvelope
		if err := json.Unmarshal(data, &env); err != nil {
			b.Fatal(err)
		}
		env.ContentType = "application/json"
		req, err := types.GetMsgPayload[requests.AddEventRequest](env)
		if err != nil {
			b.Fatal(err)
		}
		if r, _ := FromDTO(req.Event, "t", env.CorrelationID); r == nil {
			b.Fatal("no row")
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
}
