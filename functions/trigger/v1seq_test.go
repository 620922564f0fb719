package trigger

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	"github.com/fxamacker/cbor/v2"
	"github.com/oort-rules/oort/functions/eventrow"
)

// Helpers shared by the legacy-trigger tests: numbered EdgeX 1.x events and
// a recorder that decodes what a trigger delivers with eventrow.

const v1SeqOrigin = int64(1600000000000000000)

func v1SeqID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }

// v1SeqEvent is EdgeX 1.x event number i, JSON or CBOR: an Int64 sequence
// number, a Base64 Float32, a Base64 Float64 and an eNotation Float64.
func v1SeqEvent(t testing.TB, i int, asCBOR bool) (payload []byte, contentType string) {
	t.Helper()
	ev := map[string]any{
		"id": v1SeqID(i), "device": "Seq-Device", "origin": v1SeqOrigin + int64(i), "pushed": 1, "created": 2, "modified": 3,
		"tags": map[string]string{"n": strconv.Itoa(i)},
		"readings": []map[string]any{
			{"id": "seq-" + strconv.Itoa(i), "origin": v1SeqOrigin + int64(i), "device": "Seq-Device", "name": "seq",
				"value": strconv.Itoa(i), "valueType": "Int64", "pushed": 1, "created": 2},
			{"device": "Seq-Device", "name": "f32", "value": b64f32(float32(i) / 4), "valueType": "Float32", "floatEncoding": "Base64"},
			{"device": "Seq-Device", "name": "f64b", "value": b64f64(float64(i) + 0.1), "valueType": "Float64", "floatEncoding": "Base64"},
			{"device": "Seq-Device", "name": "f64e", "value": strconv.FormatFloat(float64(i)*1.5, 'e', 6, 64),
				"valueType": "Float64", "floatEncoding": "eNotation"},
		},
	}
	var err error
	if asCBOR {
		payload, err = cbor.Marshal(ev)
		contentType = "application/cbor"
	} else {
		payload, err = json.Marshal(ev)
		contentType = "application/json"
	}
	if err != nil {
		t.Fatal(err)
	}
	return payload, contentType
}

// v1Got is what the recorder read from one delivered event.
type v1Got struct {
	topic, ct, corr          string
	seq                      int64
	f32, f64b, f64e          float64
	id, dev, prof, src, tagN string
	origin                   int64
	rdev, rprof, rvt         string // metadata of reading "f32"
}

type v1Recorder struct {
	t   *testing.T
	dec *eventrow.Decoder
	mu  sync.Mutex
	got []v1Got
}

func newV1Recorder(t *testing.T) *v1Recorder {
	return &v1Recorder{t: t, dec: eventrow.NewDecoder(eventrow.Options{})}
}

// handle is the trigger's EventHandler. Triggers call it from one
// goroutine, so the decoder needs no lock; the slice does (tests read it).
func (r *v1Recorder) handle(topic string, payload []byte, ct, corr string) {
	row, _, err := r.dec.DecodeEvent(payload, ct, topic, corr)
	if err != nil {
		r.t.Errorf("eventrow rejects a converted event: %v\n%s", err, payload)
		return
	}
	g := v1Got{topic: topic, ct: ct, corr: corr}
	col := func(name string) float64 { v, _ := row.Get(name); f, _ := v.AsFloat(); return f }
	seq, _ := row.Get("seq")
	g.seq, g.f32, g.f64b, g.f64e = seq.Int(), col("f32"), col("f64b"), col("f64e")
	str := func(key string) string { v, _ := row.Meta.Get(key); return v.Str() }
	g.id, g.dev, g.prof, g.src = str("id"), str("deviceName"), str("profileName"), str("sourceName")
	origin, _ := row.Meta.Get("origin")
	g.origin = origin.Int()
	tags, _ := row.Meta.Get("tags")
	g.tagN = tags.Obj()["n"].Str()
	f32, _ := row.Meta.Get("f32")
	g.rdev, g.rprof, g.rvt = f32.Obj()["deviceName"].Str(), f32.Obj()["profileName"].Str(), f32.Obj()["valueType"].Str()
	r.mu.Lock()
	r.got = append(r.got, g)
	r.mu.Unlock()
}

func (r *v1Recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// waitCount waits until n events arrived (or d passed) and returns them.
func (r *v1Recorder) waitCount(n int, d time.Duration) []v1Got {
	deadline := time.Now().Add(d)
	for r.count() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]v1Got(nil), r.got...)
}

// checkV1Seq checks that got[k] is v1SeqEvent(first+k) with every mapping,
// delivered with topic(first+k) and correlation id corr(first+k).
func checkV1Seq(t *testing.T, got []v1Got, first int, topic, corr func(int) string) {
	t.Helper()
	for k, g := range got {
		i := first + k
		want := v1Got{
			topic: topic(i), ct: "application/json", corr: corr(i), seq: int64(i),
			f32: float64(float32(i) / 4), f64b: float64(i) + 0.1, f64e: float64(i) * 1.5,
			id: v1SeqID(i), dev: "Seq-Device", prof: "unknown", src: "seq", tagN: strconv.Itoa(i),
			origin: v1SeqOrigin + int64(i), rdev: "Seq-Device", rprof: "unknown", rvt: "Float32",
		}
		if g != want {
			t.Fatalf("event %d (#%d received):\n got %+v\nwant %+v", i, k, g, want)
		}
	}
}

// always returns a constant topic function.
func always(topic string) func(int) string { return func(int) string { return topic } }

// capLog records the error and info lines of a logging client.
type capLog struct {
	logger.LoggingClient
	mu    sync.Mutex
	lines []string
}

func newCapLog() *capLog { return &capLog{LoggingClient: logger.NewMockClient()} }

func (c *capLog) add(level, f string, args ...any) {
	c.mu.Lock()
	c.lines = append(c.lines, level+" "+fmt.Sprintf(f, args...))
	c.mu.Unlock()
}

func (c *capLog) Errorf(f string, args ...any) { c.add("ERROR", f, args...) }
func (c *capLog) Infof(f string, args ...any)  { c.add("INFO", f, args...) }

// has reports whether a line contains every part.
func (c *capLog) has(parts ...string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
next:
	for _, l := range c.lines {
		for _, p := range parts {
			if !strings.Contains(l, p) {
				continue next
			}
		}
		return true
	}
	return false
}

func (c *capLog) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}
