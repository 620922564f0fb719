package sink

import (
	"strings"
	"testing"
	"time"
)

// TestResendAlterQueuePriorities: with resendAlterQueue, a live message that
// meets two cached ones (marked resent=true when they failed) goes out
// before them (-1), after one of them (0) or after both (1); nothing is lost.
func TestResendAlterQueuePriorities(t *testing.T) {
	// m2 is marked only where it was tried (-1 lets it overtake m1 and fail;
	// 0 and 1 find the target still down for m1 and cache m2 untried)
	m1, m2, m2tried, m3 := `{"i":1,"resent":true}`, `{"i":2}`, `{"i":2,"resent":true}`, `{"i":3}`
	for prio, want := range map[int][]string{-1: {m3, m1, m2tried}, 0: {m1, m3, m2}, 1: {m1, m2, m3}} {
		c := &byteRec{failN: 1000}
		env := testEnv(nil)
		n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(c), Env: env, Props: map[string]any{
			"sendSingle": true, "enableCache": true, "resendAlterQueue": true,
			"resendPriority": prio, "resendIndicatorField": "resent"}})
		n.Send(numbered(1, 2)) // both fail and are cached
		eventually(t, "the failed emission", func() bool { return env.Node.Processed.Load() == 1 })
		c.setFail(0) // the target is back
		n.Send(numbered(3, 3))
		eventually(t, "the live emission", func() bool { return env.Node.Processed.Load() == 2 })
		advanceUntil(t, env, time.Second, "the resends", func() bool { return len(c.got()) == 3 })
		closeNode(t, n)
		if got := strings.Join(c.got(), " "); got != strings.Join(want, " ") {
			t.Errorf("priority %d: sent %s\nwant %s", prio, got, strings.Join(want, " "))
		}
	}
}

// TestResendIndicatorOnRowsAndArrays: row connectors get marked copies;
// a JSON array payload has every object marked.
func TestResendIndicatorOnRowsAndArrays(t *testing.T) {
	rc := &failingRows{failN: 1}
	env := testEnv(nil)
	n := openNode(t, NodeSpec{Type: "test", Factory: factoryOf(rc), Env: env, Props: map[string]any{
		"enableCache": true, "resendAlterQueue": true, "resendIndicatorField": "again"}})
	orig := numbered(1, 2)
	n.Send(orig)
	advanceUntil(t, env, time.Second, "the resend", func() bool { return rc.count() == 2 })
	closeNode(t, n)
	if v, ok := rc.row(0).Get("again"); !ok || !v.Bool() {
		t.Fatalf("resent row not marked: %v", rc.row(0))
	}
	if _, ok := orig[0].Get("again"); ok {
		t.Fatal("the rule's own row was modified")
	}
	if got := string(markPayload([]byte(`[{"a":1},{"b":2},3]`), "again")); got != `[{"a":1,"again":true},{"b":2,"again":true},3]` {
		t.Fatalf("array payload: %s", got)
	}
	if got := string(markPayload([]byte(`temperature=21`), "again")); got != `temperature=21` {
		t.Fatalf("non-JSON payload changed: %s", got)
	}
}

func TestResendPropsErrors(t *testing.T) {
	for want, props := range map[string]map[string]any{
		"property resendPriority: must be -1": {"resendAlterQueue": true, "resendPriority": 2},
	} {
		_, err := NewNode(NodeSpec{Type: "test", Props: props, Factory: factoryOf(&byteRec{}), Env: testEnv(nil)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want %q", props, err, want)
		}
	}
}

// TestResendDestinationREST: over real HTTP, a message that failed with 503
// is resent to resendDestination, marked; live messages keep the url.
func TestResendDestinationREST(t *testing.T) {
	srv := newRESTServer(t, false)
	env := testEnv(nil)
	n := builtinNode(t, "rest", map[string]any{"url": srv.URL + "/live", "method": "post", "sendSingle": true,
		"enableCache": true, "resendAlterQueue": true, "resendPriority": -1, "resendIndicatorField": "resent",
		"resendDestination": srv.URL + "/resend/{{.i}}"}, env, nil)
	srv.status.Store(503)
	n.Send(numbered(1, 1))
	eventually(t, "the 503", func() bool { return env.Node.Exceptions.Load() == 1 })
	srv.status.Store(200)
	n.Send(numbered(2, 2))
	advanceUntil(t, env, time.Second, "the resend", func() bool { return env.Node.RecordsOut.Load() == 2 })
	got := srv.got()
	if len(got) != 3 || got[1].path != "/live" || got[1].body != `{"i":2}` ||
		got[2].path != "/resend/1" || got[2].body != `{"i":1,"resent":true}` {
		t.Fatalf("requests %+v", got)
	}
}

func TestResendDestinationSetupErrors(t *testing.T) {
	env := testEnv(nil)
	_, err := NewNode(NodeSpec{Type: "test", Env: env, Factory: factoryOf(&byteRec{}),
		Props: map[string]any{"enableCache": true, "resendAlterQueue": true, "resendDestination": "x"}})
	if err == nil || !strings.Contains(err.Error(), "resendDestination is not supported by the test sink") {
		t.Errorf("non-redirecting connector: %v", err)
	}
	_, err = NewNode(NodeSpec{Type: "mqtt", Factory: NewMQTT, Env: testEnv(nil), Props: map[string]any{"server": "tcp://127.0.0.1:1883", "topic": "a",
		"enableCache": true, "resendAlterQueue": true, "resendDestination": "alt/#"}})
	if err == nil || !strings.Contains(err.Error(), `property resendDestination: "alt/#" is not a valid publish topic`) {
		t.Errorf("wildcard destination: %v", err)
	}
}
