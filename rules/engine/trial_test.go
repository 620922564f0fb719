package engine_test

import (
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
)

func recv(t *testing.T, ch <-chan []byte) string {
	t.Helper()
	select {
	case b, ok := <-ch:
		if !ok {
			return "<closed>"
		}
		return string(b)
	case <-time.After(2 * time.Second):
		t.Fatal("no trial output")
	}
	return ""
}

// TestTrialRun follows rules-api.md §3.10: mock rows replayed every
// interval, results encoded honouring sinkProps.fields, the trial rule
// hidden from the catalog, stop closing subscribers.
func TestTrialRun(t *testing.T) {
	f := demoFixture(t)
	spec := engine.TrialSpec{ID: "t1", SQL: "SELECT a, b, a / b AS q FROM demo",
		MockSource: map[string]engine.TrialMock{"demo": {Data: []map[string]any{{"a": 2.0, "b": 1.0}, {"a": 1.0, "b": 0.0}}, Interval: 100}},
		SinkProps:  map[string]any{"fields": []any{"a", "q", "error"}}}
	if err := f.e.CreateTrial(spec); err != nil {
		t.Fatal(err)
	}
	ch, cancel, err := f.e.SubscribeTrial("t1")
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	if err := f.e.StartTrial("t1"); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(f.clk.Now())
	if got := recv(t, ch); got != `[{"a":2,"q":2}]` {
		t.Errorf("first trial output %s", got)
	}
	f.clk.Advance(f.clk.Now().Add(100 * time.Millisecond))
	if got := recv(t, ch); got != `[{"error":"rule __trial_t1: 1:14: divided by zero"}]` {
		t.Errorf("second trial output %s", got)
	}
	if rules := f.e.ListRules(); len(rules) != 0 {
		t.Errorf("trial rule listed: %+v", rules)
	}
	if len(f.mem().keys(engine.BucketRules)) != 0 {
		t.Error("trial rule persisted")
	}
	if err := f.e.StopTrial("t1"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, ch); got != "<closed>" {
		t.Errorf("subscriber not closed on stop: %s", got)
	}
	err = f.e.StartTrial("t1")
	if errs.Direct(err) != errs.NotFound {
		t.Errorf("start of a stopped trial: %v", err)
	}
}

// TestTrialLifetime: a trial stops by itself after 10 minutes.
func TestTrialLifetime(t *testing.T) {
	f := demoFixture(t)
	if err := f.e.CreateTrial(engine.TrialSpec{ID: "t2", SQL: "SELECT * FROM demo"}); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(f.clk.Now().Add(10*time.Minute - time.Millisecond))
	if _, _, err := f.e.SubscribeTrial("t2"); err != nil {
		t.Fatalf("trial gone before 10 minutes: %v", err)
	}
	f.clk.Advance(f.clk.Now().Add(time.Millisecond))
	if _, _, err := f.e.SubscribeTrial("t2"); err == nil {
		t.Error("trial still alive after 10 minutes")
	}
	if err := f.e.CreateTrial(engine.TrialSpec{ID: "t3", SQL: "SELECT * FROM nosuch"}); err == nil {
		t.Error("trial on a missing stream accepted")
	}
	if err := f.e.CreateTrial(engine.TrialSpec{SQL: "SELECT * FROM demo"}); err == nil {
		t.Error("trial without id accepted")
	}
}
