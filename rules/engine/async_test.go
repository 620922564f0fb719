package engine_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/row"
)

// gate is an emit function that blocks on its first call until released.
type gate struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
	n       atomic.Int64
}

func newGate() *gate { return &gate{entered: make(chan struct{}), release: make(chan struct{})} }

func (g *gate) emit([]*row.Row) {
	if g.n.Add(1) == 1 {
		close(g.entered)
		<-g.release
	}
}

func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

func asyncFixture(t *testing.T, maxBlock time.Duration) *fixture {
	t.Helper()
	f := newFixture(t, func(c *engine.Config) {
		c.Synchronous = false
		c.MaxBlock = maxBlock
	})
	f.exec(t, `CREATE STREAM demo () WITH (TYPE="edgex")`)
	return f
}

func attachGate(t *testing.T, f *fixture, id string, options map[string]any) *gate {
	t.Helper()
	f.rule(t, id, "SELECT * FROM demo", map[string]any{"triggered": false, "options": options})
	g := newGate()
	t.Cleanup(g.open) // before the engine closes: cleanups run last-in first-out
	if err := f.e.AttachEmit(id, g.emit); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestQueueDropWhenFull: with the default policy a full rule queue drops the
// row and counts it in records_dropped_total (rules-api.md §1.3, §3.7).
func TestQueueDropWhenFull(t *testing.T) {
	f := asyncFixture(t, time.Second)
	g := attachGate(t, f, "r1", map[string]any{"bufferLength": 1})
	f.e.IngestStream("demo", in("a", 1))
	<-g.entered // the rule is busy with row 1
	for i := 2; i <= 4; i++ {
		f.e.IngestStream("demo", in("a", i)) // row 2 queued, rows 3 and 4 dropped
	}
	_, m := statusOf(t, f.e, "r1")
	if m["source_demo_0_records_dropped_total"] != int64(2) || m["source_demo_0_exceptions_total"] != int64(2) {
		t.Errorf("dropped %v exceptions %v, want 2 and 2", m["source_demo_0_records_dropped_total"], m["source_demo_0_exceptions_total"])
	}
	if m["source_demo_0_last_exception"] != "rule r1 input buffer is full (1 rows): row dropped" {
		t.Errorf("last exception %q", m["source_demo_0_last_exception"])
	}
	g.open()
	waitFor(t, "queued row processed", func() bool { return g.n.Load() == 2 })
	time.Sleep(20 * time.Millisecond)
	if n := g.n.Load(); n != 2 {
		t.Errorf("%d emissions, want 2 (rows 1 and 2)", n)
	}
}

// TestQueueBlockWhenFull: with disableBufferFullDiscard ingest waits for
// room instead of dropping, up to MaxBlock.
func TestQueueBlockWhenFull(t *testing.T) {
	f := asyncFixture(t, 5*time.Second)
	g := attachGate(t, f, "r1", map[string]any{"bufferLength": 1, "disableBufferFullDiscard": true})
	f.e.IngestStream("demo", in("a", 1))
	<-g.entered
	f.e.IngestStream("demo", in("a", 2)) // queued
	done := make(chan struct{})
	go func() {
		f.e.IngestStream("demo", in("a", 3)) // blocks until row 2 leaves the queue
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("ingest did not block on a full queue")
	case <-time.After(50 * time.Millisecond):
	}
	g.open()
	<-done
	waitFor(t, "three emissions", func() bool { return g.n.Load() == 3 })
	if _, m := statusOf(t, f.e, "r1"); m["source_demo_0_records_dropped_total"] != int64(0) {
		t.Errorf("blocking policy dropped %v rows", m["source_demo_0_records_dropped_total"])
	}
}

// TestQueueBlockTimesOut: a block longer than MaxBlock (on the injected
// clock) drops and counts.
func TestQueueBlockTimesOut(t *testing.T) {
	f := asyncFixture(t, 30*time.Millisecond)
	g := attachGate(t, f, "r1", map[string]any{"bufferLength": 1, "disableBufferFullDiscard": true})
	f.e.IngestStream("demo", in("a", 1))
	<-g.entered
	f.e.IngestStream("demo", in("a", 2))
	timers := f.clk.Pending()
	done := make(chan struct{})
	go func() {
		f.e.IngestStream("demo", in("a", 3))
		close(done)
	}()
	waitFor(t, "the MaxBlock timer", func() bool { return f.clk.Pending() > timers })
	f.clk.Advance(f.clk.Now().Add(29 * time.Millisecond))
	select {
	case <-done:
		t.Fatal("ingest returned before MaxBlock had passed")
	case <-time.After(20 * time.Millisecond):
	}
	f.clk.Advance(f.clk.Now().Add(time.Millisecond))
	<-done
	if _, m := statusOf(t, f.e, "r1"); m["source_demo_0_records_dropped_total"] != int64(1) {
		t.Errorf("dropped %v, want 1", m["source_demo_0_records_dropped_total"])
	}
}

// TestQueueZeroBufferLength: bufferLength 0 must not turn the input queue
// into an unbuffered channel that drops every row arriving while the rule is
// busy.
func TestQueueZeroBufferLength(t *testing.T) {
	f := asyncFixture(t, 5*time.Second)
	g := attachGate(t, f, "r1", map[string]any{"bufferLength": 0})
	ok := false
	for i := 0; i < 200 && !ok; i++ { // the rule goroutine may not be receiving yet
		f.e.IngestStream("demo", in("a", 1))
		select {
		case <-g.entered:
			ok = true
		case <-time.After(5 * time.Millisecond):
		}
	}
	if !ok {
		t.Fatal("no row reached the rule")
	}
	_, before := statusOf(t, f.e, "r1")
	for i := 0; i < 3; i++ {
		f.e.IngestStream("demo", in("a", 2))
	}
	_, after := statusOf(t, f.e, "r1")
	d := after["source_demo_0_records_dropped_total"].(int64) - before["source_demo_0_records_dropped_total"].(int64)
	if d != 0 {
		t.Errorf("bufferLength 0: %d of 3 rows dropped while the rule was busy (queue is unbuffered)", d)
	}
}

// TestStopDuringIngest: stopping and starting a rule while other goroutines
// ingest must neither panic (send on a closed queue) nor deadlock.
func TestStopDuringIngest(t *testing.T) {
	f := asyncFixture(t, 10*time.Millisecond)
	f.rule(t, "r1", "SELECT * FROM demo", map[string]any{"actions": []any{map[string]any{"nop": map[string]any{}}},
		"options": map[string]any{"bufferLength": 4}})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				f.e.IngestStream("demo", in("a", i))
				r := in("a", i)
				r.Topic = "t"
				f.e.IngestEdgeX(r, 0)
			}
		}()
	}
	for i := 0; i < 100; i++ {
		if err := f.e.StopRule("r1"); err != nil {
			t.Fatal(err)
		}
		if err := f.e.StartRule("r1"); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if s := ruleStatus(t, f.e, "r1"); s != "running" {
		t.Errorf("final status %q", s)
	}
}

// TestConcurrentAPI exercises the API from several goroutines at once; run
// with -race it checks that rule state is read and written under the same
// locks (engine.Engine is documented as safe for concurrent use).
func TestConcurrentAPI(t *testing.T) {
	f := asyncFixture(t, 10*time.Millisecond)
	for i := 0; i < 3; i++ {
		f.rule(t, fmt.Sprintf("r%d", i), "SELECT * FROM demo", map[string]any{"actions": []any{map[string]any{"nop": map[string]any{}}}})
	}
	var wg sync.WaitGroup
	run := func(fn func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 60; i++ {
				fn(i)
			}
		}()
	}
	run(func(i int) {
		sqlText := "SELECT * FROM demo"
		if i%2 == 0 {
			sqlText = "SELECT a FROM demo WHERE a > 1"
		}
		_ = f.e.UpdateRule("r0", ruleDoc("r0", sqlText, map[string]any{"actions": []any{map[string]any{"nop": map[string]any{}}}}))
	})
	run(func(i int) {
		_ = f.e.AddTags("r1", []string{fmt.Sprint("t", i%5)})
		_ = f.e.RemoveTags("r1", []string{fmt.Sprint("t", (i+2)%5)})
	})
	run(func(i int) {
		if i%2 == 0 {
			_ = f.e.StopRule("r2")
		} else {
			_ = f.e.StartRule("r2")
		}
	})
	run(func(int) {
		_ = f.e.ListRules()
		_ = f.e.MatchTags([]string{"t1"})
		_ = f.e.AllStatus()
		_ = f.e.ExportRuleset()
		_, _ = f.e.ExplainRule("r0")
		_, _ = f.e.RuleTopo("r0")
		_, _ = f.e.RuleStatus("r2")
		_, _ = f.e.DropStream(engine.KindStream, "demo", false)
	})
	run(func(i int) { f.e.IngestStream("demo", in("a", i)) })
	wg.Wait()
	if got := len(f.e.ListRules()); got != 3 {
		t.Errorf("%d rules after concurrent calls", got)
	}
}

// TestStopAbandonsAStuckRule: a rule goroutine that does not finish within
// forceExitTimeout (on the injected clock) is abandoned with a warning, so
// stopping never hangs.
func TestStopAbandonsAStuckRule(t *testing.T) {
	f := asyncFixture(t, time.Second)
	g := attachGate(t, f, "r1", map[string]any{"forceExitTimeout": "2s"})
	f.e.IngestStream("demo", in("a", 1))
	<-g.entered // the rule is stuck in its action
	timers := f.clk.Pending()
	done := make(chan error, 1)
	go func() { done <- f.e.StopRule("r1") }()
	waitFor(t, "the force-exit timer", func() bool { return f.clk.Pending() > timers })
	select {
	case <-done:
		t.Fatal("StopRule returned while the rule was still busy")
	case <-time.After(20 * time.Millisecond):
	}
	f.clk.Advance(f.clk.Now().Add(2 * time.Second))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.log.Text(), "rule=r1 did not stop within 2s; abandoned") {
		t.Errorf("no warning for the abandoned rule:\n%s", f.log.Text())
	}
}
