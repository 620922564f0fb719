package apitest

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/obs"
)

type rule struct {
	id      string
	name    string
	version string
	body    []byte
	source  string
	status  string
	tags    []string
}

// ruleJSON is the part of the rule document the fake checks.
type ruleJSON struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	SQL       string            `json:"sql"`
	Actions   []json.RawMessage `json:"actions"`
	Triggered *bool             `json:"triggered"`
	Tags      []string          `json:"tags"`
	Version   string            `json:"version"`
}

var (
	idRe   = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	fromRe = regexp.MustCompile(`(?is)^\s*SELECT\s+.+?\s+FROM\s+([A-Za-z0-9_]+)`)
)

// parseRule runs validation steps 1–4 and 6 of rules-api.md §1.2.
func (f *Fake) parseRule(pathID string, body []byte) (*ruleJSON, string, error) {
	var rj ruleJSON
	if err := json.Unmarshal(body, &rj); err != nil {
		return nil, "", engine.InvalidRuleJSON(fmt.Errorf("Parse rule %s error : %s.", body, err))
	}
	switch {
	case rj.ID == "":
		return nil, "", engine.InvalidRuleJSON(errors.New("Missing rule id."))
	case pathID != "" && rj.ID != pathID:
		return nil, "", engine.InvalidRuleJSON(errors.New("RuleId is not consistent with rule id."))
	case !idRe.MatchString(rj.ID):
		return nil, "", engine.InvalidRuleJSON(fmt.Errorf(
			"id '%s' contains invalid characters: only alphanumeric, hyphens and underscores are allowed", rj.ID))
	}
	m := fromRe.FindStringSubmatch(rj.SQL)
	if m == nil {
		return nil, "", engine.InvalidRuleJSON(errs.New(errs.SQLParse, "found %q, expected SELECT", firstWord(rj.SQL)))
	}
	if len(rj.Actions) == 0 {
		return nil, "", engine.InvalidRuleJSON(errors.New("Missing rule actions."))
	}
	if _, ok := f.streams[m[1]]; !ok {
		return nil, "", errs.New(errs.Undefined, "fail to get stream %s, please check if stream is created", m[1])
	}
	return &rj, m[1], nil
}

func newRule(rj *ruleJSON, source string, body []byte) *rule {
	r := &rule{id: rj.ID, name: rj.Name, version: rj.Version, body: body, source: source,
		status: "running", tags: rj.Tags}
	if r.name == "" {
		r.name = r.id
	}
	if rj.Triggered != nil && !*rj.Triggered {
		r.status = "stopped"
	}
	return r
}

// CreateRule stores and "starts" the rule.
func (f *Fake) CreateRule(body []byte) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rj, src, err := f.parseRule("", body)
	if err != nil {
		return "", err
	}
	if _, ok := f.rules[rj.ID]; ok {
		return "", errs.New(errs.Undefined, "rule %s already exists", rj.ID)
	}
	f.rules[rj.ID] = newRule(rj, src, body)
	return rj.ID, nil
}

// UpdateRule upserts; a lower version is refused.
func (f *Fake) UpdateRule(id string, body []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	rj, src, err := f.parseRule(id, body)
	if err != nil {
		return err
	}
	if old, ok := f.rules[id]; ok && (old.version != "" || rj.Version != "") && rj.Version <= old.version {
		return errs.New(errs.Undefined, "rule %s already exists with version (%s), new version (%s) is lower",
			id, old.version, rj.Version)
	}
	f.rules[id] = newRule(rj, src, body)
	return nil
}

// ListRules is sorted by id.
func (f *Fake) ListRules() []engine.RuleSummary {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []engine.RuleSummary
	for _, id := range f.ruleIDs() {
		r := f.rules[id]
		out = append(out, engine.RuleSummary{ID: r.id, Name: r.name, Status: r.status, Version: r.version, Tags: r.tags})
	}
	return out
}

func (f *Fake) ruleIDs() []string {
	ids := make([]string, 0, len(f.rules))
	for id := range f.rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// GetRule returns the submitted document.
func (f *Fake) GetRule(id string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.rules[id]
	if !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found.", id)
	}
	return r.body, nil
}

// DeleteRule answers code 1000 for a missing rule, as eKuiper does.
func (f *Fake) DeleteRule(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.rules[id]; !ok {
		return errs.New(errs.Undefined, "rule %s not found", id)
	}
	delete(f.rules, id)
	return nil
}

func (f *Fake) setStatus(id, status string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.rules[id]
	if !ok {
		return errs.New(errs.NotFound, "Rule %s is not found in registry, please check if it is created", id)
	}
	r.status = status
	return nil
}

func (f *Fake) StartRule(id string) error   { return f.setStatus(id, "running") }
func (f *Fake) StopRule(id string) error    { return f.setStatus(id, "stopped") }
func (f *Fake) RestartRule(id string) error { return f.setStatus(id, "running") }

// RuleStatus returns the state fields and the metrics of a source and a sink.
func (f *Fake) RuleStatus(id string) ([]obs.KV, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.rules[id]
	if !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	kvs := []obs.KV{
		{Key: "status", Val: r.status}, {Key: "message", Val: ""},
		{Key: "lastStartTimestamp", Val: int64(1700000000000)},
		{Key: "lastStopTimestamp", Val: int64(0)}, {Key: "nextStartTimestamp", Val: int64(0)},
	}
	src := &obs.Node{Name: "source_" + r.source, Kind: "source"}
	src.RecordsIn.Store(5)
	sink := &obs.Node{Name: "sink_log_0", Kind: "sink"}
	kvs = append(kvs, src.Metrics()...)
	return append(kvs, sink.Metrics()...), nil
}

// AllStatus reports every rule without exceptions.
func (f *Fake) AllStatus() map[string]engine.BriefStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]engine.BriefStatus{}
	for id, r := range f.rules {
		out[id] = engine.BriefStatus{Status: r.status}
	}
	return out
}

// RuleTopo is source → project → log sink.
func (f *Fake) RuleTopo(id string) (*engine.Topo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.rules[id]
	if !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	src := "source_" + r.source
	return &engine.Topo{Sources: []string{src}, Edges: map[string][]string{
		src: {"op_2_project"}, "op_2_project": {"sink_log_0"},
	}}, nil
}

// ExplainRule returns a two-node plan.
func (f *Fake) ExplainRule(id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.rules[id]
	if !ok {
		return "", errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	return fmt.Sprintf("{\"op\":\"ProjectPlan_0\",\"info\":\"Fields:[ * ]\"}\n\t{\"op\":\"DataSourcePlan_1\",\"info\":\"StreamName: %s\"}\n", r.source), nil
}

// ValidateRule runs the create checks without storing.
func (f *Fake) ValidateRule(body []byte) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, src, err := f.parseRule("", body)
	if err != nil {
		return nil, err
	}
	return []string{src}, nil
}

func (f *Fake) tagOp(id string, op func(r *rule)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.rules[id]
	if !ok {
		return errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	op(r)
	return nil
}

func (f *Fake) SetTags(id string, tags []string) error {
	return f.tagOp(id, func(r *rule) { r.tags = slices.Clone(tags) })
}

func (f *Fake) AddTags(id string, tags []string) error {
	return f.tagOp(id, func(r *rule) {
		for _, t := range tags {
			if !slices.Contains(r.tags, t) {
				r.tags = append(r.tags, t)
			}
		}
	})
}

func (f *Fake) RemoveTags(id string, tags []string) error {
	return f.tagOp(id, func(r *rule) {
		r.tags = slices.DeleteFunc(r.tags, func(t string) bool { return slices.Contains(tags, t) })
	})
}

// MatchTags returns rules carrying all tags, sorted.
func (f *Fake) MatchTags(tags []string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, id := range f.ruleIDs() {
		all := true
		for _, t := range tags {
			all = all && slices.Contains(f.rules[id].tags, t)
		}
		if all {
			out = append(out, id)
		}
	}
	return out
}

func (f *Fake) bulk(tags []string, op func(string) error) []engine.BulkResult {
	var out []engine.BulkResult
	for _, id := range f.MatchTags(tags) {
		res := engine.BulkResult{RuleID: id, Success: true}
		if err := op(id); err != nil {
			res = engine.BulkResult{RuleID: id, Error: err.Error()}
		}
		out = append(out, res)
	}
	return out
}

func (f *Fake) BulkStart(tags []string) []engine.BulkResult { return f.bulk(tags, f.StartRule) }
func (f *Fake) BulkStop(tags []string) []engine.BulkResult  { return f.bulk(tags, f.StopRule) }

// ExportRuleset exports every stream, table and rule.
func (f *Fake) ExportRuleset() engine.Ruleset {
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := engine.Ruleset{Streams: map[string]string{}, Tables: map[string]string{}, Rules: map[string]string{}}
	for n, s := range f.streams {
		if s.kind == engine.KindTable {
			rs.Tables[n] = s.sql
		} else {
			rs.Streams[n] = s.sql
		}
	}
	for id, r := range f.rules {
		rs.Rules[id] = string(r.body)
	}
	return rs
}

// ImportRuleset creates what it can, streams before rules, skipping failures.
func (f *Fake) ImportRuleset(rs engine.Ruleset) (streams, tables, rules int) {
	for _, sql := range rs.Streams {
		if _, err := f.ExecStreamSQL(engine.KindStream, sql); err == nil {
			streams++
		}
	}
	for _, sql := range rs.Tables {
		if _, err := f.ExecStreamSQL(engine.KindTable, sql); err == nil {
			tables++
		}
	}
	for id, body := range rs.Rules {
		if err := f.UpdateRule(id, []byte(body)); err == nil {
			rules++
		}
	}
	return streams, tables, rules
}

// HasRule reports whether id exists, for tests.
func (f *Fake) HasRule(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.rules[id]
	return ok
}

// RuleStatusText returns a rule's status ("" if absent), for tests.
func (f *Fake) RuleStatusText(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.rules[id]; ok {
		return r.status
	}
	return ""
}

// RuleSchema reports one untyped "*" column: the fake does not plan SQL.
func (f *Fake) RuleSchema(id string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.rules[id]; !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	return []byte(`{"*":{}}`), nil
}

// FunctionList describes the real function catalogue.
func (f *Fake) FunctionList() []engine.FuncInfo {
	return engine.DescribeFunctions(fn.NewCatalog())
}

// ScanTables reports no tables: the fake keeps no table content.
func (f *Fake) ScanTables(id string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.rules[id]; !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	return []byte(`{}`), nil
}
