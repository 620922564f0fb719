package engine_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
)

func demoFixture(t *testing.T, mods ...func(*engine.Config)) *fixture {
	t.Helper()
	f := newFixture(t, mods...)
	f.exec(t, `CREATE STREAM demo () WITH (TYPE="edgex")`)
	return f
}

// TestRuleValidationMessages checks every step of rules-api.md §1.2 with its
// exact detail and code; steps 1–4 carry ErrInvalidRuleJSON.
func TestRuleValidationMessages(t *testing.T) {
	f := demoFixture(t)
	f.rule(t, "r1", "SELECT * FROM demo", nil)
	f.exec(t, `CREATE STREAM ext () WITH (TYPE="httppull")`)
	f.exec(t, `CREATE STREAM tmp () WITH (TYPE="edgex", TEMP="true")`)
	cases := []struct {
		name, body  string
		invalidJSON bool
		msg         string
	}{
		{"step1 not json", `not json`, true, "Parse rule not json error : invalid character 'o' in literal null (expecting 'u')."},
		{"step1 not object", `[1]`, true, ""},
		{"step2 missing id", `{"sql":"SELECT * FROM demo","actions":[{"log":{}}]}`, true, "Missing rule id."},
		{"step2 invalid id", `{"id":"bad id","sql":"SELECT * FROM demo","actions":[{"log":{}}]}`, true,
			"id 'bad id' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"},
		{"step2 before step3", `{"id":"bad id","sql":"SELECT FROM","actions":[]}`, true,
			"id 'bad id' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"},
		{"step3 missing sql", `{"id":"x","actions":[{"log":{}}]}`, true, "Missing rule sql."},
		{"step3 bad sql before actions", `{"id":"x","sql":"SELECT * FORM demo","actions":[]}`, true, ""},
		{"step3 missing actions", `{"id":"x","sql":"SELECT * FROM demo"}`, true, "Missing rule actions."},
		{"step3 empty actions", `{"id":"x","sql":"SELECT * FROM demo","actions":[]}`, true, "Missing rule actions."},
		{"sql and graph", `{"id":"x","sql":"SELECT * FROM demo","graph":{},"actions":[{"log":{}}]}`, true, "Rule x has both sql and graph."},
		{"graph", `{"id":"x","graph":{"nodes":{}},"actions":[{"log":{}}]}`, true, "graph rules are not supported by Oort"},
		{"step4 bufferLength", `{"id":"x","sql":"SELECT * FROM demo","actions":[{"log":{}}],"options":{"bufferLength":-1}}`, true,
			"Rule x has invalid options: bufferLength must not be negative."},
		{"step4 concurrency", `{"id":"x","sql":"SELECT * FROM demo","actions":[{"log":{}}],"options":{"concurrency":-2}}`, true,
			"Rule x has invalid options: concurrency must not be negative."},
		{"step4 lateTolerance", `{"id":"x","sql":"SELECT * FROM demo","actions":[{"log":{}}],"options":{"lateTolerance":"-1s"}}`, true,
			"Rule x has invalid options: lateTolerance must not be negative."},
		{"step4 attempts", `{"id":"x","sql":"SELECT * FROM demo","actions":[{"log":{}}],"options":{"restartStrategy":{"attempts":-1}}}`, true,
			"Rule x has invalid options: restartStrategy.attempts must not be negative."},
		{"step4 before step5", `{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}],"options":{"bufferLength":-1}}`, true,
			"Rule r1 has invalid options: bufferLength must not be negative."},
		{"step5 duplicate", `{"id":"r1","sql":"SELECT * FROM nosuch","actions":[{"log":{}}]}`, false, "rule r1 already exists"},
		{"step6 missing stream", `{"id":"x","sql":"SELECT * FROM nosuch","actions":[{"nosink":{}}]}`, false,
			"fail to get stream nosuch, please check if stream is created"},
		{"step6 unknown function", `{"id":"x","sql":"SELECT nofn(a) FROM demo","actions":[{"log":{}}]}`, false, "1:8: function nofn not found"},
		{"step6 source type", `{"id":"x","sql":"SELECT * FROM ext","actions":[{"log":{}}]}`, false, "source type httppull is not supported"},
		{"step6 temp stream", `{"id":"x","sql":"SELECT * FROM tmp","actions":[{"log":{}}]}`, false,
			"stream tmp is temporary and can only be read by temporary rules"},
		{"step7 sink", `{"id":"x","sql":"SELECT * FROM demo","actions":[{"nosink":{}}]}`, false, "sink type nosink is not supported"},
		{"step7 sink props", `{"id":"x","sql":"SELECT * FROM demo","actions":[{"memory":{}}]}`, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.e.CreateRule([]byte(c.body))
			if err == nil {
				t.Fatal("accepted")
			}
			if c.msg != "" && err.Error() != c.msg {
				t.Errorf("message\n got %q\nwant %q", err.Error(), c.msg)
			}
			if got := errs.Direct(err); got != errs.Undefined {
				t.Errorf("code %d, want 1000", got)
			}
			if errors.Is(err, engine.ErrInvalidRuleJSON) != c.invalidJSON {
				t.Errorf("errors.Is(ErrInvalidRuleJSON) = %v, want %v", !c.invalidJSON, c.invalidJSON)
			}
		})
	}
	if got := f.mem().keys(engine.BucketRules); strings.Join(got, ",") != "r1" {
		t.Errorf("invalid rules were persisted: %v", got)
	}
	if got := f.e.ListRules(); len(got) != 1 {
		t.Errorf("invalid rules were registered: %+v", got)
	}
	err := f.e.UpdateRule("r2", []byte(`{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}`))
	wantErr(t, err, errs.Undefined, "RuleId is not consistent with rule id.")
	if !errors.Is(err, engine.ErrInvalidRuleJSON) {
		t.Error("path/id mismatch must carry ErrInvalidRuleJSON")
	}
}

// TestRuleNotFoundTexts: exact details and codes of rules-api.md §3.2.
func TestRuleNotFoundTexts(t *testing.T) {
	f := demoFixture(t)
	_, err := f.e.GetRule("nosuch")
	wantErr(t, err, errs.NotFound, "Rule nosuch is not found.")
	wantErr(t, f.e.DeleteRule("nosuch"), errs.Undefined, "rule nosuch not found")
	reg := "Rule nosuch is not found in registry, please check if it is created"
	wantErr(t, f.e.StartRule("nosuch"), errs.NotFound, reg)
	wantErr(t, f.e.StopRule("nosuch"), errs.NotFound, reg)
	wantErr(t, f.e.RestartRule("nosuch"), errs.NotFound, reg)
	_, err = f.e.RuleStatus("nosuch")
	wantErr(t, err, errs.NotFound, "Rule nosuch is not found")
	_, err = f.e.RuleTopo("nosuch")
	wantErr(t, err, errs.NotFound, "Rule nosuch is not found")
	for name, e := range map[string]error{"SetTags": f.e.SetTags("nosuch", []string{"a"}),
		"AddTags": f.e.AddTags("nosuch", nil), "RemoveTags": f.e.RemoveTags("nosuch", nil)} {
		if errs.Direct(e) != errs.NotFound {
			t.Errorf("%s on a missing rule: %v (code %d)", name, e, errs.Direct(e))
		}
	}
	if err := f.e.AttachEmit("nosuch", nil); errs.Direct(err) != errs.NotFound {
		t.Errorf("AttachEmit on a missing rule: %v", err)
	}
}

// TestRuleLifecycle follows rules-api.md §1.4 and the triggered intent of §1.1.
func TestRuleLifecycle(t *testing.T) {
	f := demoFixture(t)
	f.rule(t, "r1", "SELECT * FROM demo", nil)
	f.rule(t, "r2", "SELECT * FROM demo", map[string]any{"triggered": false})
	if s := ruleStatus(t, f.e, "r1"); s != "running" {
		t.Errorf("r1 status %q, want running", s)
	}
	if s := ruleStatus(t, f.e, "r2"); s != "stopped" {
		t.Errorf("r2 status %q, want stopped", s)
	}
	triggered := func(id string) any {
		doc, err := f.e.GetRule(id)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatalf("GetRule(%s) is not JSON: %s", id, doc)
		}
		stored, _, _ := f.store.Get(engine.BucketRules, id)
		var sm map[string]any
		_ = json.Unmarshal(stored, &sm)
		if sm["triggered"] != m["triggered"] {
			t.Errorf("%s: stored triggered %v differs from GetRule %v", id, sm["triggered"], m["triggered"])
		}
		if v, ok := m["triggered"]; ok {
			return v
		}
		return true // absent: the default
	}
	if triggered("r1") != true || triggered("r2") != false {
		t.Errorf("triggered r1=%v r2=%v", triggered("r1"), triggered("r2"))
	}
	f.clk.Advance(f.clk.Now().Add(1000))
	if err := f.e.StopRule("r1"); err != nil {
		t.Fatal(err)
	}
	if err := f.e.StopRule("r1"); err != nil { // stop while stopped is ignored
		t.Errorf("second stop: %v", err)
	}
	if s, tr := ruleStatus(t, f.e, "r1"), triggered("r1"); s != "stopped" || tr != false {
		t.Errorf("after stop: %q triggered=%v", s, tr)
	}
	if err := f.e.StartRule("r2"); err != nil {
		t.Fatal(err)
	}
	if err := f.e.StartRule("r2"); err != nil { // start while running is ignored
		t.Errorf("second start: %v", err)
	}
	if s, tr := ruleStatus(t, f.e, "r2"), triggered("r2"); s != "running" || tr != true {
		t.Errorf("after start: %q triggered=%v", s, tr)
	}
	if err := f.e.RestartRule("r1"); err != nil {
		t.Fatal(err)
	}
	if s, tr := ruleStatus(t, f.e, "r1"), triggered("r1"); s != "running" || tr != true {
		t.Errorf("after restart: %q triggered=%v", s, tr)
	}
	if err := f.e.DeleteRule("r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.GetRule("r1"); err == nil {
		t.Error("deleted rule still readable")
	}
	if _, ok, _ := f.store.Get(engine.BucketRules, "r1"); ok {
		t.Error("deleted rule still persisted")
	}
}

// TestRuleDocument: GET returns the submitted document with triggered and
// tags rewritten and status dropped; ListRules follows rules-api.md §3.6.
func TestRuleDocument(t *testing.T) {
	f := demoFixture(t)
	body := `{"id":"r2","name":"Second","sql":"SELECT * FROM demo","actions":[{"log":{}}],"options":{"sendError":true},` +
		`"status":"running","custom":{"k":1},"version":"7"}`
	if _, err := f.e.CreateRule([]byte(body)); err != nil {
		t.Fatal(err)
	}
	f.rule(t, "r1", "SELECT * FROM demo", map[string]any{"tags": []string{"a"}, "triggered": false})
	doc, _ := f.e.GetRule("r2")
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("doc %s: %v", doc, err)
	}
	want := map[string]any{"id": "r2", "name": "Second", "sql": "SELECT * FROM demo", "actions": []any{map[string]any{"log": map[string]any{}}},
		"options": map[string]any{"sendError": true}, "custom": map[string]any{"k": float64(1)}, "version": "7", "triggered": true}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("GetRule document\n got %v\nwant %v", m, want)
	}
	raw := `{"id":"r9", "sql":"SELECT * FROM demo WHERE a < 3","actions":[{"log":{}}]}`
	if _, err := f.e.CreateRule([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	if doc, _ := f.e.GetRule("r9"); string(doc) != raw {
		t.Errorf("unchanged rule document\n got %s\nwant %s (as submitted)", doc, raw)
	}
	if err := f.e.StopRule("r9"); err != nil {
		t.Fatal(err)
	}
	doc, _ = f.e.GetRule("r9")
	if !strings.Contains(string(doc), `"triggered":false`) || !strings.Contains(string(doc), `a < 3`) {
		t.Errorf("document after stop: %s", doc)
	}
	if err := f.e.DeleteRule("r9"); err != nil {
		t.Fatal(err)
	}
	got := f.e.ListRules()
	wantList := []engine.RuleSummary{{ID: "r1", Name: "r1", Status: "stopped", Tags: []string{"a"}},
		{ID: "r2", Name: "Second", Status: "running", Version: "7"}}
	if !reflect.DeepEqual(got, wantList) {
		t.Errorf("ListRules\n got %+v\nwant %+v", got, wantList)
	}
	js, _ := json.Marshal(got[1])
	if string(js) != `{"id":"r2","name":"Second","status":"running","version":"7","trace":false,"tags":null}` {
		t.Errorf("summary JSON %s", js)
	}
}

// TestUpdateRule: upsert, the version rule, and a failed update leaving the
// old rule running untouched (rules-api.md §1.2 Oort improvement).
func TestUpdateRule(t *testing.T) {
	f := demoFixture(t)
	if err := f.e.UpdateRule("r1", ruleDoc("r1", "SELECT a FROM demo", map[string]any{"version": "2"})); err != nil {
		t.Fatalf("upsert create: %v", err)
	}
	if s := ruleStatus(t, f.e, "r1"); s != "running" {
		t.Errorf("upserted rule status %q", s)
	}
	before, _ := f.e.GetRule("r1")
	storedBefore, _, _ := f.store.Get(engine.BucketRules, "r1")
	err := f.e.UpdateRule("r1", ruleDoc("r1", "SELECT b FROM demo", map[string]any{"version": "1"}))
	wantErr(t, err, errs.Undefined, "rule r1 already exists with version (2), new version (1) is lower")
	err = f.e.UpdateRule("r1", ruleDoc("r1", "SELECT b FROM demo", map[string]any{"version": "2"}))
	wantErr(t, err, errs.Undefined, "rule r1 already exists with version (2), new version (2) is lower")
	for _, bad := range [][]byte{
		ruleDoc("r1", "SELECT nofn(b) FROM demo", map[string]any{"version": "3"}),
		ruleDoc("r1", "SELECT b FROM nosuch", map[string]any{"version": "3"}),
		ruleDoc("r1", "SELECT b FROM demo", map[string]any{"version": "3", "actions": []any{map[string]any{"nosink": map[string]any{}}}}),
		ruleDoc("r1", "SELECT b FROM", map[string]any{"version": "3"}),
	} {
		if err := f.e.UpdateRule("r1", bad); err == nil {
			t.Errorf("invalid update accepted: %s", bad)
		}
	}
	after, _ := f.e.GetRule("r1")
	storedAfter, _, _ := f.store.Get(engine.BucketRules, "r1")
	if string(before) != string(after) || string(storedBefore) != string(storedAfter) {
		t.Errorf("failed updates changed the rule:\n%s\n%s", before, after)
	}
	_, m := statusOf(t, f.e, "r1")
	if m["status"] != "running" || m["lastStartTimestamp"] != int64(t0) {
		t.Errorf("failed updates disturbed the run: %v %v", m["status"], m["lastStartTimestamp"])
	}
	if err := f.e.UpdateRule("r1", ruleDoc("r1", "SELECT b FROM demo", map[string]any{"version": "3", "triggered": false})); err != nil {
		t.Fatalf("valid update: %v", err)
	}
	if s := ruleStatus(t, f.e, "r1"); s != "stopped" {
		t.Errorf("update with triggered=false left status %q", s)
	}
	doc, _ := f.e.GetRule("r1")
	if !strings.Contains(string(doc), `"sql":"SELECT b FROM demo"`) {
		t.Errorf("update not applied: %s", doc)
	}
	// Both versions empty: always accepted.
	f.rule(t, "r3", "SELECT a FROM demo", nil)
	if err := f.e.UpdateRule("r3", ruleDoc("r3", "SELECT b FROM demo", nil)); err != nil {
		t.Errorf("update without versions: %v", err)
	}
}

// TestUpdateRunningRuleSwapsRun: an update of a running rule stops the old
// instance and starts the new one (rules-api.md §1.4).
func TestUpdateRunningRuleSwapsRun(t *testing.T) {
	f := demoFixture(t)
	out := subscribe(t, f.bus, "out")
	mem := []any{map[string]any{"memory": map[string]any{"topic": "out", "sendSingle": true}}}
	f.rule(t, "r1", "SELECT a FROM demo", map[string]any{"actions": mem})
	f.e.IngestStream("demo", in("a", 1, "b", 2))
	waitFor(t, "first output", func() bool { return len(out.get()) == 1 })
	if err := f.e.UpdateRule("r1", ruleDoc("r1", "SELECT b FROM demo", map[string]any{"actions": mem})); err != nil {
		t.Fatal(err)
	}
	f.e.IngestStream("demo", in("a", 1, "b", 2))
	waitFor(t, "second output", func() bool { return len(out.get()) == 2 })
	if got := strings.Join(out.get(), ","); got != "{a:1},{b:2}" {
		t.Errorf("outputs %s", got)
	}
	if n := f.e.IngestStream("demo", in("a", 1)); n != 1 {
		t.Errorf("IngestStream reached %d runs after update, want 1 (old run detached)", n)
	}
}

// TestTagsAndBulk follows rules-api.md §3.6 tags and bulk endpoints.
func TestTagsAndBulk(t *testing.T) {
	f := demoFixture(t)
	f.rule(t, "r1", "SELECT * FROM demo", map[string]any{"tags": []string{"t1", "t2"}})
	f.rule(t, "r2", "SELECT * FROM demo", map[string]any{"tags": []string{"t1"}, "triggered": false})
	f.rule(t, "r3", "SELECT * FROM demo", nil)
	if got := f.e.MatchTags([]string{"t1"}); strings.Join(got, ",") != "r1,r2" {
		t.Errorf("match t1 = %v", got)
	}
	if got := f.e.MatchTags([]string{"t1", "t2"}); strings.Join(got, ",") != "r1" {
		t.Errorf("match t1,t2 = %v", got)
	}
	if got := f.e.MatchTags([]string{"zz"}); got != nil {
		t.Errorf("no match must be nil (key omitted), got %v", got)
	}
	if err := f.e.AddTags("r3", []string{"t3", "t3"}); err != nil {
		t.Fatal(err)
	}
	if err := f.e.AddTags("r2", []string{"t1", "t3"}); err != nil {
		t.Fatal(err)
	}
	if err := f.e.RemoveTags("r1", []string{"t2", "zz"}); err != nil {
		t.Fatal(err)
	}
	if err := f.e.SetTags("r1", []string{"x"}); err != nil {
		t.Fatal(err)
	}
	tags := map[string][]string{}
	for _, r := range f.e.ListRules() {
		tags[r.ID] = r.Tags
	}
	want := map[string][]string{"r1": {"x"}, "r2": {"t1", "t3"}, "r3": {"t3"}}
	if !reflect.DeepEqual(tags, want) {
		t.Errorf("tags %v, want %v", tags, want)
	}
	stored, _, _ := f.store.Get(engine.BucketRules, "r2")
	if !strings.Contains(string(stored), `"tags":["t1","t3"]`) {
		t.Errorf("tags not persisted: %s", stored)
	}
	res := f.e.BulkStop([]string{"t3"})
	if !reflect.DeepEqual(res, []engine.BulkResult{{RuleID: "r2", Success: true}, {RuleID: "r3", Success: true}}) {
		t.Errorf("BulkStop = %+v", res)
	}
	if ruleStatus(t, f.e, "r3") != "stopped" || ruleStatus(t, f.e, "r1") != "running" {
		t.Error("BulkStop touched the wrong rules")
	}
	res = f.e.BulkStart([]string{"t3"})
	if len(res) != 2 || !res[0].Success || !res[1].Success || ruleStatus(t, f.e, "r2") != "running" {
		t.Errorf("BulkStart = %+v", res)
	}
	if res := f.e.BulkStart([]string{"none"}); res == nil || len(res) != 0 {
		t.Errorf("BulkStart without matches = %#v, want an empty list", res)
	}
}

// TestValidateRule: validation reports the sources and never persists or
// starts anything (rules-api.md §3.8).
func TestValidateRule(t *testing.T) {
	f := demoFixture(t)
	srcs, err := f.e.ValidateRule(ruleDoc("v1", "SELECT * FROM demo WHERE a > 1", nil))
	if err != nil || strings.Join(srcs, ",") != "demo" {
		t.Errorf("ValidateRule = %v, %v", srcs, err)
	}
	if len(f.e.ListRules()) != 0 || len(f.mem().keys(engine.BucketRules)) != 0 {
		t.Error("ValidateRule registered or persisted the rule")
	}
	_, err = f.e.ValidateRule(ruleDoc("v1", "SELECT * FROM nosuch", nil))
	wantErr(t, err, errs.Undefined, "fail to get stream nosuch, please check if stream is created")
	_, err = f.e.ValidateRule([]byte(`{`))
	if !errors.Is(err, engine.ErrInvalidRuleJSON) {
		t.Errorf("unreadable body: %v", err)
	}
	f.rule(t, "r1", "SELECT * FROM demo", nil)
	if _, err := f.e.ValidateRule(ruleDoc("r1", "SELECT * FROM demo", nil)); err != nil {
		t.Errorf("validating a body with an existing id: %v", err)
	}
}

// TestTopoAndExplain: node naming of rules-api.md §3.6/§3.7 and the explain
// layout of §3.8.
func TestTopoAndExplain(t *testing.T) {
	f := demoFixture(t)
	f.rule(t, "r1", "SELECT temperature FROM demo WHERE temperature > 30", nil)
	f.rule(t, "r2", "SELECT * FROM demo", map[string]any{"triggered": false,
		"actions": []any{map[string]any{"log": map[string]any{}}, map[string]any{"nop": map[string]any{}}}})
	topo, err := f.e.RuleTopo("r1")
	if err != nil {
		t.Fatal(err)
	}
	want := &engine.Topo{Sources: []string{"source_demo"}, Edges: map[string][]string{
		"source_demo": {"op_2_filter"}, "op_2_filter": {"op_3_project"}, "op_3_project": {"sink_log_0"}}}
	if !reflect.DeepEqual(topo, want) {
		t.Errorf("topo r1 = %+v", topo)
	}
	topo, _ = f.e.RuleTopo("r2")
	want = &engine.Topo{Sources: []string{"source_demo"}, Edges: map[string][]string{
		"source_demo": {"op_2_project"}, "op_2_project": {"sink_log_0", "sink_nop_1"}}}
	if !reflect.DeepEqual(topo, want) {
		t.Errorf("topo r2 (stopped) = %+v", topo)
	}
	text, err := f.e.ExplainRule("r1")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	wantOps := []string{"ProjectPlan_0", "FilterPlan_1", "DataSourcePlan_2"}
	if len(lines) != len(wantOps) {
		t.Fatalf("explain:\n%s", text)
	}
	for i, l := range lines {
		var node struct{ Op, Info string }
		tabs := len(l) - len(strings.TrimLeft(l, "\t"))
		if err := json.Unmarshal([]byte(strings.TrimLeft(l, "\t")), &node); err != nil || node.Op != wantOps[i] || tabs != i {
			t.Errorf("explain line %d %q: op %q tabs %d err %v", i, l, node.Op, tabs, err)
		}
	}
	if !strings.Contains(text, "demo") || !strings.Contains(text, "temperature > 30") {
		t.Errorf("explain info lacks the stream or condition:\n%s", text)
	}
	if _, err := f.e.ExplainRule("nosuch"); errs.Direct(err) != errs.NotFound {
		t.Errorf("explain of a missing rule: %v", err)
	}
}
