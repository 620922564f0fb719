package eventrow

import (
	"encoding/json"
	"testing"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/oort-rules/oort/rules/value"
)

// TestFromDTOMatchesDecoder decodes all-types.json both through the SDK's
// DTO (encoding/json via core-contracts) and through the Decoder: the
// columns must agree, except where the DTO path itself loses precision.
func TestFromDTOMatchesDecoder(t *testing.T) {
	var env struct {
		CorrelationID string `json:"correlationID"`
		// Not requests.AddEventRequest: its UnmarshalJSON validates, and
		// the file deliberately carries invalid readings.
		Payload struct {
			Event dtos.Event `json:"event"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(readFile(t, "all-types.json"), &env); err != nil {
		t.Fatal(err)
	}
	viaDTO, st := FromDTO(env.Payload.Event, "edgex/events/device/t/all-types.json", env.CorrelationID)
	viaDecoder, st2 := decodeFile(t, "all-types.json", Options{})
	if viaDTO == nil {
		t.Fatal("FromDTO returned no row")
	}
	// core-contracts turns objectValue numbers into float64, so the big
	// integer inside "Object" differs; everything else must be identical.
	lossy := map[string]bool{"Object": true, "ObjectArray": true}
	if len(viaDTO.Cols) != len(viaDecoder.Cols) {
		t.Fatalf("DTO columns %v, decoder columns %v", colNames(viaDTO), colNames(viaDecoder))
	}
	for i, c := range viaDTO.Cols {
		d := viaDecoder.Cols[i]
		if c.Name != d.Name || (!lossy[c.Name] && !value.Identical(c.Val, d.Val)) || *c.Prov != *d.Prov {
			t.Errorf("column %d: DTO %s=%s %+v, decoder %s=%s %+v", i, c.Name, show(c.Val), *c.Prov, d.Name, show(d.Val), *d.Prov)
		}
	}
	if st != st2 {
		t.Errorf("stats DTO %+v, decoder %+v", st, st2)
	}
	a, b := viaDTO.Meta.All().Obj(), viaDecoder.Meta.All().Obj()
	delete(a, "tags") // event tag numbers are float64 on the DTO path
	delete(b, "tags")
	if a, b := show(vOmap(a)), show(vOmap(b)); a != b {
		t.Errorf("meta differs:\nDTO     %s\ndecoder %s", a, b)
	}
}

func TestFromDTOBinaryAndNull(t *testing.T) {
	ev := cborEventDTO(t)
	ev.AddNullReading("Missing", "Float64")
	r, st := FromDTO(ev, "topic", "corr")
	if r == nil {
		t.Fatal("no row")
	}
	if v, _ := r.Get("Image"); string(v.Bytes()) != "\x89PNG\x00\x01\x02" {
		t.Errorf("Image = %s", show(v))
	}
	if v, ok := r.Get("Missing"); !ok || !v.IsNull() {
		t.Errorf("null reading: %s present %v", show(v), ok)
	}
	if st.NullReadings != 1 || st.Columns != 5 {
		t.Errorf("stats %+v", st)
	}
	if r.ET != genOrigin/1_000_000 {
		t.Errorf("ET %d", r.ET)
	}
}

func TestFromDTONoColumns(t *testing.T) {
	ev := dtos.NewEvent("P", "D", "S")
	if r, _ := FromDTO(ev, "t", ""); r != nil {
		t.Error("event without readings must give no row")
	}
	_ = ev.AddSimpleReading("", "Int32", int32(1))
	if r, st := FromDTO(ev, "t", ""); r != nil || st.Unnamed != 1 {
		t.Errorf("unnamed only: row %v stats %+v", r, st)
	}
}

func vOmap(m map[string]value.Value) value.Value { return value.FromObject(m) }
