package eventrow

import (
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/requests"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/fxamacker/cbor/v2"
)

// -update regenerates the CBOR test files from core-contracts' own encoders,
// so they are byte for byte what EdgeX services put on the bus.
var update = flag.Bool("update", false, "regenerate CBOR files under testdata/")

const genOrigin = 1795479264161465074

// cborEventDTO is a device event with a Binary reading: device services send
// such events as CBOR (edgex.md §10.4).
func cborEventDTO(t testing.TB) dtos.Event {
	ev := dtos.NewEvent("Camera-Profile", "Camera-Device", "Snapshot")
	ev.Id, ev.Origin = "ev-cbor", genOrigin
	ev.AddBinaryReading("Image", []byte{0x89, 'P', 'N', 'G', 0, 1, 2}, "image/png")
	if err := ev.AddSimpleReading("Exposure", "Int32", int32(-42)); err != nil {
		t.Fatal(err)
	}
	if err := ev.AddSimpleReading("Gains", "Float32Array", []float32{1.1, -2.5}); err != nil {
		t.Fatal(err)
	}
	ev.AddObjectReading("Meta", map[string]any{"w": 640, "h": 480})
	ev.Tags = dtos.Tags{"site": "lab"}
	for i := range ev.Readings {
		ev.Readings[i].Id = "r-cbor-" + ev.Readings[i].ResourceName
		ev.Readings[i].Origin = genOrigin + int64(i)
		ev.Readings[i].Tags = nil
		ev.Readings[i].Extensions = nil
	}
	ev.Extensions = nil
	return ev
}

func TestGenerateCBOR(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate testdata CBOR files")
	}
	req := requests.NewAddEventRequest(cborEventDTO(t))
	req.RequestId = "req-cbor"
	payload, err := cbor.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	env := types.MessageEnvelope{CorrelationID: "corr-cbor", ContentType: "application/cbor", Payload: payload}
	env.ApiVersion = "v3"
	writeJSON(t, "testdata/cbor-payload.json", env)

	whole := types.MessageEnvelope{CorrelationID: "corr-whole", ContentType: "application/cbor", Payload: req}
	whole.ApiVersion = "v3"
	writeCBOR(t, "testdata/whole-cbor.cbor", whole)

	jsonPayload, err := json.Marshal(requests.NewAddEventRequest(cborEventDTO(t)))
	if err != nil {
		t.Fatal(err)
	}
	wholeBytes := types.MessageEnvelope{CorrelationID: "corr-whole-bytes", ContentType: "application/json", Payload: jsonPayload}
	wholeBytes.ApiVersion = "v3"
	writeCBOR(t, "testdata/whole-cbor-bytes.cbor", wholeBytes)
}

func writeJSON(t *testing.T, path string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeCBOR(t *testing.T, path string, v any) {
	b, err := cbor.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
