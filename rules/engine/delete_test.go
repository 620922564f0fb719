package engine_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/row"
)

// TestDeleteRuleRemovesStateAndCache: delete stops the rule and removes its
// definition, snapshots and sink cache (rules-api.md §1.4).
func TestDeleteRuleRemovesStateAndCache(t *testing.T) {
	dir := t.TempDir()
	f := demoFixture(t, func(c *engine.Config) { c.DataDir = dir })
	f.rule(t, "r1", "SELECT * FROM demo", nil)
	f.rule(t, "r2", "SELECT * FROM demo", nil)
	for _, id := range []string{"r1", "r2"} {
		cache := filepath.Join(dir, "cache", id, "0")
		if err := os.MkdirAll(cache, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cache, "page-0"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		_ = f.store.Put(engine.BucketState, id, []byte("{}"))
	}
	if err := f.e.DeleteRule("r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache", "r1")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("sink cache of r1 left behind: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache", "r2", "0", "page-0")); err != nil {
		t.Errorf("sink cache of r2 removed: %v", err)
	}
	if _, ok, _ := f.store.Get(engine.BucketState, "r1"); ok {
		t.Error("state snapshot of r1 left behind")
	}
	if n := f.e.IngestStream("demo", in("a", 1)); n != 1 {
		t.Errorf("rows reach %d rules after deleting r1, want 1", n)
	}
}

// TestRestartEvery10sWithAttemptsOnly: with only restartStrategy.attempts,
// Oort retries every 10 s like eKuiper 2.x (rules-api.md §1.3).
func TestRestartEvery10sWithAttemptsOnly(t *testing.T) {
	fail := true
	f := demoFixture(t, func(c *engine.Config) {
		c.Sources = map[string]engine.SourceFactory{"mqtt": func(*engine.StreamDef, map[string]any, func(*row.Row)) (func(), error) {
			if fail {
				return nil, errors.New("refused")
			}
			return func() {}, nil
		}}
	})
	f.exec(t, `CREATE STREAM m () WITH (TYPE="mqtt")`)
	f.rule(t, "r1", "SELECT * FROM m", map[string]any{"options": map[string]any{
		"restartStrategy": map[string]any{"attempts": 2, "delay": 0, "multiplier": 0}}})
	fail = false
	f.clk.Advance(time.UnixMilli(t0 + 9999))
	if s := ruleStatus(t, f.e, "r1"); s != "stopped by error" {
		t.Errorf("retried before 10 s: %q", s)
	}
	f.clk.Advance(time.UnixMilli(t0 + 10000))
	if s := ruleStatus(t, f.e, "r1"); s != "running" {
		t.Errorf("not retried at 10 s: %q", s)
	}
}

// TestReservedTrialPrefix: a user rule must never be hidden from the
// catalog; ids in the trial-rule namespace are either refused or listed.
func TestReservedTrialPrefix(t *testing.T) {
	f := demoFixture(t)
	_, err := f.e.CreateRule(ruleDoc("__trial_x", "SELECT * FROM demo", nil))
	if err != nil {
		return // refused: fine
	}
	listed := false
	for _, r := range f.e.ListRules() {
		listed = listed || r.ID == "__trial_x"
	}
	if _, exported := f.e.ExportRuleset().Rules["__trial_x"]; !listed || !exported {
		t.Errorf("rule __trial_x accepted but hidden: listed=%v exported=%v", listed, exported)
	}
}
