package sink

import (
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// advanceUntil moves the fake clock a step at a time until cond holds; the
// worker reacts asynchronously, so it polls between steps.
func advanceUntil(t *testing.T, env *Env, step time.Duration, what string, cond func() bool) {
	t.Helper()
	fake := env.Clock.(*clock.Fake)
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		fake.Advance(fake.Now().Add(step))
		time.Sleep(3 * time.Millisecond)
	}
}

func numbered(from, to int) []*row.Row {
	var rows []*row.Row
	for i := from; i <= to; i++ {
		rows = append(rows, R("i", i))
	}
	return rows
}

func payloadsOf(from, to int) string {
	var s []string
	for i := from; i <= to; i++ {
		s = append(s, `{"i":`+value.Text(value.FromInt(int64(i)))+`}`)
	}
	return strings.Join(s, " ")
}

func TestCacheResendsInOrderAfterFailures(t *testing.T) {
	c := &byteRec{failN: 3}
	env := testEnv(nil)
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(c), Env: env,
		Props: map[string]any{"sendSingle": true, "enableCache": true}})
	n.Send(numbered(1, 5))
	eventually(t, "first failure", func() bool { return env.Node.Exceptions.Load() == 1 && env.Node.Processed.Load() == 1 })
	if len(c.got()) != 0 {
		t.Fatalf("messages overtook the failed one: %q", c.got())
	}
	advanceUntil(t, env, time.Second, "resend", func() bool { return len(c.got()) == 5 })
	if got := strings.Join(c.got(), " "); got != payloadsOf(1, 5) {
		t.Fatalf("sent %s", got)
	}
	if env.Node.Exceptions.Load() != 3 || env.Node.RecordsOut.Load() != 5 {
		t.Fatalf("exceptions %d records_out %d", env.Node.Exceptions.Load(), env.Node.RecordsOut.Load())
	}
	n.Send(numbered(6, 6))
	eventually(t, "live send", func() bool { return len(c.got()) == 6 })
}

func TestWithoutCacheRecoverableFailuresAreDropped(t *testing.T) {
	c := &byteRec{failN: 2}
	env := testEnv(nil)
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(c), Env: env, Props: map[string]any{"sendSingle": true}})
	n.Send(numbered(1, 3))
	closeNode(t, n)
	if got := strings.Join(c.got(), " "); got != payloadsOf(3, 3) || env.Node.Exceptions.Load() != 2 {
		t.Fatalf("sent %s exceptions %d", got, env.Node.Exceptions.Load())
	}
}

func TestPermanentFailureIsNotCached(t *testing.T) {
	c := &byteRec{failN: 1, permanent: true}
	log := &obs.Recorder{}
	env := testEnv(log)
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(c), Env: env, Props: map[string]any{"sendSingle": true, "enableCache": "true"}})
	n.Send(numbered(1, 2))
	closeNode(t, n)
	if got := strings.Join(c.got(), " "); got != payloadsOf(2, 2) {
		t.Fatalf("sent %s", got)
	}
	if l := log.Lines(); len(l) != 1 || !strings.HasPrefix(l[0], "ERROR rule r1: sink sink_test_0: permanent failure") {
		t.Fatalf("log %q", l)
	}
}

func TestResendIntervalPacesResends(t *testing.T) {
	c := &byteRec{failN: 1}
	env := testEnv(nil)
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(c), Env: env,
		Props: map[string]any{"sendSingle": true, "enableCache": true, "resendInterval": "5s"}})
	n.Send(numbered(1, 3))
	eventually(t, "first failure", func() bool { return env.Node.Processed.Load() == 1 })
	fake := env.Clock.(*clock.Fake)
	advanceUntil(t, env, time.Second, "first resend", func() bool { return len(c.got()) == 1 })
	at := fake.Now()
	advanceUntil(t, env, time.Second, "paced resends", func() bool { return len(c.got()) == 3 })
	if d := fake.Now().Sub(at); d < 10*time.Second {
		t.Fatalf("3 resends took %v of clock time, want >= 10s", d)
	}
	if got := strings.Join(c.got(), " "); got != payloadsOf(1, 3) {
		t.Fatalf("sent %s", got)
	}
}

func TestCacheSpillsPersistsAndReloads(t *testing.T) {
	dir := t.TempDir()
	props := map[string]any{"sendSingle": true, "enableCache": true, "bufferPageSize": 2, "memoryCacheThreshold": 2}
	down := &byteRec{failN: math.MaxInt32}
	env := testEnv(nil)
	env.CacheDir = dir
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(down), Env: env, Props: props})
	n.Send(numbered(1, 7))
	closeNode(t, n)
	files, _ := os.ReadDir(dir)
	if len(files) != 4 {
		t.Fatalf("want 4 pages on disk (head, 2 spilled, tail), got %d", len(files))
	}

	up := &byteRec{}
	env2 := testEnv(nil)
	env2.CacheDir = dir
	n2 := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(up), Env: env2, Props: props})
	n2.Send(numbered(8, 8))
	eventually(t, "reloaded cache resent", func() bool { return len(up.got()) == 8 })
	if got := strings.Join(up.got(), " "); got != payloadsOf(1, 8) {
		t.Fatalf("sent %s", got)
	}
	// The first row travels with a cached message, for dynamic properties.
	if v, _ := up.firsts[0].Get("i"); v.Kind() != value.Int || v.Int() != 1 {
		t.Fatalf("first row of reloaded message: %v", up.firsts[0])
	}
	closeNode(t, n2)
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("pages left after a full resend: %d", len(files))
	}
}

func TestMaxDiskCacheDropsOldestPage(t *testing.T) {
	c := &byteRec{failN: math.MaxInt32}
	env := testEnv(nil)
	env.CacheDir = t.TempDir()
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(c), Env: env,
		Props: map[string]any{"sendSingle": true, "enableCache": true, "bufferPageSize": 2, "memoryCacheThreshold": 1, "maxDiskCache": 2}})
	n.Send(numbered(1, 8))
	eventually(t, "processing", func() bool { return env.Node.Processed.Load() == 1 })
	if env.Node.Dropped.Load() != 4 || !strings.Contains(env.Node.LastException(), "maxDiskCache") {
		t.Fatalf("dropped %d, last %q", env.Node.Dropped.Load(), env.Node.LastException())
	}
	c.setFail(0)
	advanceUntil(t, env, time.Second, "resend", func() bool { return len(c.got()) == 4 })
	want := payloadsOf(1, 2) + " " + payloadsOf(7, 8)
	if got := strings.Join(c.got(), " "); got != want {
		t.Fatalf("sent %s, want %s", got, want)
	}
}

func TestCleanCacheAtStop(t *testing.T) {
	dir := t.TempDir()
	props := map[string]any{"sendSingle": true, "enableCache": true, "bufferPageSize": 1, "memoryCacheThreshold": 1, "cleanCacheAtStop": true}
	env := testEnv(nil)
	env.CacheDir = dir
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(&byteRec{failN: math.MaxInt32}), Env: env, Props: props})
	n.Send(numbered(1, 4))
	eventually(t, "processing", func() bool { return env.Node.Processed.Load() == 1 })
	if files, _ := os.ReadDir(dir); len(files) == 0 {
		t.Fatalf("expected spilled pages while running")
	}
	closeNode(t, n)
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("cleanCacheAtStop left %d files", len(files))
	}
}

func TestRowConnectorCachePersistsProvenance(t *testing.T) {
	dir := t.TempDir()
	props := map[string]any{"enableCache": true}
	fail := &failingRows{failN: math.MaxInt32}
	env := testEnv(nil)
	env.CacheDir = dir
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(fail), Env: env, Props: props})
	in := &row.Row{PT: 5, ET: 6, Topic: "t", Cols: []row.Col{{Name: "v", Val: value.FromFloat(2), Prov: &row.Prov{ValueType: "Float64", Units: "C"}}}}
	n.Send([]*row.Row{in})
	closeNode(t, n)
	ok := &failingRows{}
	env2 := testEnv(nil)
	env2.CacheDir = dir
	openNode(t, NodeSpec{Type: "test", Factory: factoryOf(ok), Env: env2, Props: props})
	eventually(t, "resend", func() bool { ok.mu.Lock(); defer ok.mu.Unlock(); return len(ok.rows) == 1 })
	got := ok.rows[0]
	if !reflect.DeepEqual(got.Cols[0].Prov, in.Cols[0].Prov) || got.Cols[0].Val.Kind() != value.Float || got.PT != 5 || got.ET != 6 || got.Topic != "t" {
		t.Fatalf("restored row %+v prov %+v", got, got.Cols[0].Prov)
	}
}

func TestCacheCodecRoundTrip(t *testing.T) {
	ts := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("X", 3600))
	vals := []value.Value{
		value.NullValue, value.True, value.False, value.FromInt(-42), value.FromUint(math.MaxUint64),
		value.FromFloat(2), value.FromFloat(math.Inf(-1)), value.FromString("é\"\n\x00"), value.FromBytes([]byte{0, 1, 255}),
		value.FromTime(ts), value.FromArray([]value.Value{value.FromInt(1), value.FromString("x")}),
		value.FromObject(map[string]value.Value{"a": value.FromFloat(1.5), "b": value.FromArray(nil)}),
	}
	r := &row.Row{PT: 1, ET: 2, Topic: "tp"}
	for i, v := range vals {
		r.Cols = append(r.Cols, row.Col{Name: string(rune('a' + i)), Val: v})
	}
	m := message{payload: []byte("raw\nbytes"), rows: []*row.Row{r}, n: 3}
	got, err := parseMessage(appendMessage(nil, m))
	if err != nil {
		t.Fatal(err)
	}
	if string(got.payload) != "raw\nbytes" || got.n != 3 || len(got.rows) != 1 {
		t.Fatalf("message %+v", got)
	}
	for i, c := range got.rows[0].Cols {
		want := vals[i]
		if c.Val.Kind() != want.Kind() || value.ToJSON(c.Val) != value.ToJSON(want) {
			t.Errorf("col %d: got %v (%s), want %v (%s)", i, value.ToJSON(c.Val), c.Val.Kind(), value.ToJSON(want), want.Kind())
		}
	}
	if tm := got.rows[0].Cols[9].Val.Time(); !tm.Equal(ts) {
		t.Errorf("time %v, want %v", tm, ts)
	}
	if _, err := parseMessage([]byte(`{"n":1,"r":[{"c":[["a",{"zz":"1"}]]}]}`)); err == nil {
		t.Error("unknown tag accepted")
	}
}
