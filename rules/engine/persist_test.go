package engine_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/oort-rules/oort/app/store"
	"github.com/oort-rules/oort/rules/engine"
)

// catalogSnapshot captures everything that must survive a restart.
type catalogSnapshot struct {
	Streams, Tables []string
	Defs            map[string]string
	Docs            map[string]string
	Status          map[string]string
	Export          engine.Ruleset
}

func snapshot(t *testing.T, e *engine.Engine) catalogSnapshot {
	t.Helper()
	s := catalogSnapshot{Streams: e.ListStreams(engine.KindStream, ""), Tables: e.ListStreams(engine.KindTable, ""),
		Defs: map[string]string{}, Docs: map[string]string{}, Status: map[string]string{}, Export: e.ExportRuleset()}
	for _, n := range s.Streams {
		b, err := e.DescribeStream(engine.KindStream, n)
		if err != nil {
			t.Fatal(err)
		}
		s.Defs[n] = string(b)
	}
	for _, n := range s.Tables {
		b, _ := e.DescribeStream(engine.KindTable, n)
		s.Defs["table:"+n] = string(b)
	}
	for _, r := range e.ListRules() {
		doc, err := e.GetRule(r.ID)
		if err != nil {
			t.Fatal(err)
		}
		s.Docs[r.ID] = string(doc)
		s.Status[r.ID] = r.Status
	}
	return s
}

// populate builds the catalog persisted by the persistence tests.
func populate(t *testing.T, f *fixture) {
	t.Helper()
	f.exec(t, `CREATE STREAM demo (a BIGINT, b STRING) WITH (TYPE="edgex", FORMAT="JSON", VERSION="1")`)
	f.exec(t, `CREATE STREAM mem () WITH (TYPE="memory", DATASOURCE="in")`)
	f.exec(t, `CREATE STREAM tmp () WITH (TYPE="memory", DATASOURCE="tmp", TEMP="true")`)
	if _, err := f.e.ExecStreamSQL(engine.KindTable, `CREATE TABLE t1 (k STRING) WITH (TYPE="memory", DATASOURCE="t1", KIND="lookup", KEY="k")`); err != nil {
		t.Fatal(err)
	}
	f.rule(t, "r1", "SELECT a FROM demo WHERE a > 1", nil)
	f.rule(t, "r2", "SELECT * FROM mem", map[string]any{"triggered": false})
	f.rule(t, "r3", "SELECT * FROM mem", map[string]any{"tags": []string{"x"}})
	f.rule(t, "r4", "SELECT b FROM demo", map[string]any{"options": map[string]any{"sendError": true}})
	f.rule(t, "rtemp", "SELECT * FROM tmp", map[string]any{"temp": true})
	if err := f.e.StopRule("r3"); err != nil {
		t.Fatal(err)
	}
	if err := f.e.AddTags("r4", []string{"t1", "t2"}); err != nil {
		t.Fatal(err)
	}
}

func checkRestored(t *testing.T, before, after catalogSnapshot) {
	t.Helper()
	if strings.Join(after.Streams, ",") != "demo,mem" || strings.Join(after.Tables, ",") != "t1" {
		t.Errorf("restored streams %v tables %v (TEMP definitions must not persist)", after.Streams, after.Tables)
	}
	if _, ok := after.Docs["rtemp"]; ok {
		t.Error("temporary rule was persisted")
	}
	delete(before.Docs, "rtemp")
	delete(before.Status, "rtemp")
	delete(before.Defs, "tmp")
	if !reflect.DeepEqual(before.Defs, after.Defs) {
		t.Errorf("definitions changed across restart\nbefore %v\nafter  %v", before.Defs, after.Defs)
	}
	if !reflect.DeepEqual(before.Docs, after.Docs) {
		t.Errorf("rule documents changed across restart\nbefore %v\nafter  %v", before.Docs, after.Docs)
	}
	want := map[string]string{"r1": "running", "r2": "stopped", "r3": "stopped", "r4": "running"}
	if !reflect.DeepEqual(after.Status, want) {
		t.Errorf("restored states %v, want %v", after.Status, want)
	}
	if !reflect.DeepEqual(before.Export, after.Export) {
		t.Errorf("export changed across restart\nbefore %+v\nafter  %+v", before.Export, after.Export)
	}
}

// TestPersistenceMemStore: definitions, rule documents, triggered intent and
// tags survive Close and a new engine on the same store; a stopped rule
// stays stopped; TEMP items are never persisted (rules-api.md §1.1, §1.4).
func TestPersistenceMemStore(t *testing.T) {
	st := newMemStore()
	f := newFixtureCfg(t, config(st))
	populate(t, f)
	before := snapshot(t, f.e)
	if err := f.e.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	g := newFixtureCfg(t, config(st.reopen()))
	after := snapshot(t, g.e)
	checkRestored(t, before, after)
	if n := g.e.IngestStream("demo", in("a", 5, "b", "x")); n != 2 {
		t.Errorf("restored running rules reading demo: %d, want 2", n)
	}
	if got := g.e.MatchTags([]string{"t2"}); strings.Join(got, ",") != "r4" {
		t.Errorf("restored tags: %v", got)
	}
}

// TestPersistenceFileStore repeats the restart with the real file store.
func TestPersistenceFileStore(t *testing.T) {
	dir := t.TempDir()
	st, err := store.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixtureCfg(t, config(st))
	populate(t, f)
	before := snapshot(t, f.e)
	if err := f.e.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	st2, err := store.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	g := newFixtureCfg(t, config(st2))
	checkRestored(t, before, snapshot(t, g.e))
}

// TestLoadSkipsBrokenEntries: one bad record never keeps the catalog from
// loading; a rule whose stream is gone is restored as stopped by error.
func TestLoadSkipsBrokenEntries(t *testing.T) {
	st := newMemStore()
	_ = st.Put(engine.BucketStreams, "demo", []byte(`CREATE STREAM demo () WITH (TYPE="edgex")`))
	_ = st.Put(engine.BucketStreams, "bad", []byte(`CREATE STREAM bad (`))
	_ = st.Put(engine.BucketRules, "good", ruleDoc("good", "SELECT * FROM demo", nil))
	_ = st.Put(engine.BucketRules, "broken", []byte(`{"id":`))
	_ = st.Put(engine.BucketRules, "orphan", ruleDoc("orphan", "SELECT * FROM gone", nil))
	_ = st.Put(engine.BucketRules, "idle", ruleDoc("idle", "SELECT * FROM gone", map[string]any{"triggered": false}))
	f := newFixtureCfg(t, config(st))
	if got := f.e.ListStreams(engine.KindStream, ""); strings.Join(got, ",") != "demo" {
		t.Errorf("streams %v", got)
	}
	status := map[string]string{}
	for _, r := range f.e.ListRules() {
		status[r.ID] = r.Status
	}
	want := map[string]string{"good": "running", "orphan": "stopped by error", "idle": "stopped"}
	if !reflect.DeepEqual(status, want) {
		t.Errorf("rules %v, want %v", status, want)
	}
	if !strings.Contains(f.log.Text(), "broken") || !strings.Contains(f.log.Text(), "bad") {
		t.Errorf("broken entries not logged:\n%s", f.log.Text())
	}
}

// TestRulesetRoundTrip: export then import into an empty engine recreates
// the same catalog; temporary items are not exported; import reports counts
// of successes only (rules-api.md §3.9).
func TestRulesetRoundTrip(t *testing.T) {
	f := newFixture(t)
	populate(t, f)
	rs := f.e.ExportRuleset()
	if _, ok := rs.Streams["tmp"]; ok {
		t.Error("TEMP stream exported")
	}
	if _, ok := rs.Rules["rtemp"]; ok {
		t.Error("temporary rule exported")
	}
	if rs.Streams["demo"] != `CREATE STREAM demo (a BIGINT, b STRING) WITH (TYPE="edgex", FORMAT="JSON", VERSION="1")` {
		t.Errorf("stream exported as %q, want the statement text", rs.Streams["demo"])
	}
	if len(rs.Streams) != 2 || len(rs.Tables) != 1 || len(rs.Rules) != 4 {
		t.Errorf("export counts: %d streams %d tables %d rules", len(rs.Streams), len(rs.Tables), len(rs.Rules))
	}
	js, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	var back engine.Ruleset
	if err := json.Unmarshal(js, &back); err != nil || !strings.HasPrefix(string(js), `{"streams":{`) {
		t.Fatalf("ruleset JSON %s: %v", js, err)
	}

	g := newFixture(t)
	s, tb, r := g.e.ImportRuleset(back)
	if s != 2 || tb != 1 || r != 4 {
		t.Errorf("import counts %d %d %d, want 2 1 4", s, tb, r)
	}
	before, after := snapshot(t, f.e), snapshot(t, g.e)
	checkRestored(t, before, after)

	// Importing again replaces what the replace rules allow: the versioned
	// stream is skipped (same version), everything else is replaced.
	s, tb, r = g.e.ImportRuleset(back)
	if s != 1 || tb != 1 || r != 4 {
		t.Errorf("re-import counts %d %d %d, want 1 1 4", s, tb, r)
	}
	if !strings.Contains(g.log.Text(), "demo") {
		t.Errorf("skipped stream not logged:\n%s", g.log.Text())
	}
	// Failing items are skipped, not fatal.
	bad := engine.Ruleset{Streams: map[string]string{"x": "CREATE STREAM x (", "ok": `CREATE STREAM ok () WITH (TYPE="edgex")`},
		Rules: map[string]string{"bad": string(ruleDoc("bad", "SELECT * FROM nosuch", nil)), "fine": string(ruleDoc("fine", "SELECT * FROM ok", nil))}}
	s, tb, r = g.e.ImportRuleset(bad)
	if s != 1 || tb != 0 || r != 1 {
		t.Errorf("partial import counts %d %d %d, want 1 0 1", s, tb, r)
	}
	if ruleStatus(t, g.e, "fine") != "running" {
		t.Error("imported rule with triggered default not started")
	}
}
