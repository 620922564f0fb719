package engine

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/exec"
	"github.com/oort-rules/oort/rules/obs"
)

// Rule states (rules-api.md §1.4).
const (
	StatusRunning = "running"
	StatusStopped = "stopped"
	StatusError   = "stopped by error"
)

// ruleEntry is a registered rule with its state and its current (or last) run.
type ruleEntry struct {
	op        sync.Mutex // serialises lifecycle operations on this rule
	def       *RuleDef
	status    string
	message   string
	lastStart int64
	lastStop  int64
	run       *ruleRun
	last      []obs.KV // metrics frozen at the last stop
	attempts  int
}

func (r *ruleEntry) references(name string) bool {
	for _, n := range r.def.sourceNames() {
		if n == name {
			return true
		}
	}
	return false
}

func (e *Engine) entry(id string) (*ruleEntry, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.rules[id]
	return r, ok
}

// CreateRule validates, persists and (unless triggered is false) starts a rule.
func (e *Engine) CreateRule(body []byte) (string, error) {
	return e.createRule(body, false)
}

func (e *Engine) createRule(body []byte, internal bool) (string, error) {
	d, err := parseRuleDoc(body, "", internal)
	if err != nil {
		return "", err
	}
	if _, ok := e.entry(d.ID); ok {
		return d.ID, errs.New(errs.Undefined, "rule %s already exists", d.ID)
	}
	if err := e.validate(d); err != nil {
		return d.ID, err
	}
	ent := &ruleEntry{def: d, status: StatusStopped}
	e.mu.Lock()
	if _, dup := e.rules[d.ID]; dup {
		e.mu.Unlock()
		return d.ID, errs.New(errs.Undefined, "rule %s already exists", d.ID)
	}
	e.rules[d.ID] = ent
	e.mu.Unlock()
	if err := e.persistRule(d); err != nil {
		e.mu.Lock()
		delete(e.rules, d.ID)
		e.mu.Unlock()
		return d.ID, err
	}
	if d.Triggered {
		e.startEntry(ent)
	}
	return d.ID, nil
}

// validate runs planning and sink construction without starting anything.
func (e *Engine) validate(d *RuleDef) error {
	if _, err := e.planRule(d); err != nil {
		return err
	}
	_, _, err := e.buildSinks(d)
	return err
}

func (e *Engine) persistRule(d *RuleDef) error {
	if d.Temp || e.cfg.Store == nil {
		return nil
	}
	if err := e.cfg.Store.Put(BucketRules, d.ID, d.Document()); err != nil {
		return errs.Wrap(errs.IO, "save rule "+d.ID, err)
	}
	return nil
}

// UpdateRule replaces (or creates) a rule; on failure the old one is untouched.
func (e *Engine) UpdateRule(id string, body []byte) error {
	d, err := parseRuleDef(body, id)
	if err != nil {
		return err
	}
	ent, ok := e.entry(id)
	if !ok {
		_, err := e.CreateRule(body)
		return err
	}
	ent.op.Lock()
	defer ent.op.Unlock()
	if !versionOK(ent.def.Version, d.Version) {
		return errs.New(errs.Undefined, "rule %s already exists with version (%s), new version (%s) is lower", id, ent.def.Version, d.Version)
	}
	if err := e.validate(d); err != nil {
		return err
	}
	if err := e.persistRule(d); err != nil {
		return err
	}
	e.stopLocked(ent, false)
	if e.cfg.Store != nil { // the new SQL may differ: state is not carried over (§1.4)
		_ = e.cfg.Store.Delete(BucketState, id)
	}
	e.mu.Lock()
	ent.def = d
	e.mu.Unlock()
	if d.Triggered {
		e.startLocked(ent)
	}
	return nil
}

// updateDef replaces a rule's definition by a modified copy, persisted first.
// Definitions are never modified in place: readers holding e.mu (listing,
// export, reference checks) see either the old or the new one. The caller
// holds r.op.
func (e *Engine) updateDef(r *ruleEntry, f func(*RuleDef)) error {
	c := *r.def
	c.Tags = append([]string(nil), r.def.Tags...)
	f(&c)
	if err := e.persistRule(&c); err != nil {
		return err
	}
	e.mu.Lock()
	r.def = &c
	e.mu.Unlock()
	return nil
}

// ListRules returns every rule sorted by id.
func (e *Engine) ListRules() []RuleSummary {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]RuleSummary, 0, len(e.rules))
	for _, id := range sortedKeys(e.rules) {
		r := e.rules[id]
		if isTrialRule(id) {
			continue
		}
		out = append(out, RuleSummary{ID: id, Name: r.def.Name, Status: r.status, Version: r.def.Version, Tags: r.def.Tags})
	}
	return out
}

// GetRule returns the stored rule document.
func (e *Engine) GetRule(id string) ([]byte, error) {
	r, ok := e.entry(id)
	if !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found.", id)
	}
	r.op.Lock()
	defer r.op.Unlock()
	return r.def.Document(), nil
}

// DeleteRule stops and removes a rule and its persisted state.
func (e *Engine) DeleteRule(id string) error {
	r, ok := e.entry(id)
	if !ok {
		return errs.New(errs.Undefined, "rule %s not found", id)
	}
	r.op.Lock()
	e.stopLocked(r, false)
	r.op.Unlock()
	e.mu.Lock()
	delete(e.rules, id)
	e.mu.Unlock()
	if e.cfg.Store != nil && !r.def.Temp {
		if err := e.cfg.Store.Delete(BucketRules, id); err != nil {
			return errs.Wrap(errs.IO, "delete rule "+id, err)
		}
		_ = e.cfg.Store.Delete(BucketState, id)
	}
	if e.cfg.DataDir != "" {
		if err := os.RemoveAll(filepath.Join(e.cfg.DataDir, "cache", id)); err != nil {
			e.cfg.Logger.Warnf("rule=%s removing the sink cache: %v", id, err)
		}
	}
	return nil
}

// StartRule starts a rule and records the intent.
func (e *Engine) StartRule(id string) error {
	r, ok := e.entry(id)
	if !ok {
		return ruleNotFound(id)
	}
	r.op.Lock()
	defer r.op.Unlock()
	if err := e.updateDef(r, func(d *RuleDef) { d.Triggered = true }); err != nil {
		return err
	}
	r.attempts = 0
	e.startLocked(r)
	return nil
}

// StopRule stops a rule and records the intent.
func (e *Engine) StopRule(id string) error {
	r, ok := e.entry(id)
	if !ok {
		return ruleNotFound(id)
	}
	r.op.Lock()
	defer r.op.Unlock()
	if err := e.updateDef(r, func(d *RuleDef) { d.Triggered = false }); err != nil {
		return err
	}
	e.stopLocked(r, true)
	return nil
}

// RestartRule stops and starts a rule.
func (e *Engine) RestartRule(id string) error {
	r, ok := e.entry(id)
	if !ok {
		return ruleNotFound(id)
	}
	r.op.Lock()
	defer r.op.Unlock()
	e.stopLocked(r, false)
	if err := e.updateDef(r, func(d *RuleDef) { d.Triggered = true }); err != nil {
		return err
	}
	e.startLocked(r)
	return nil
}

func (e *Engine) startEntry(r *ruleEntry) {
	r.op.Lock()
	defer r.op.Unlock()
	e.startLocked(r)
}

// startLocked starts a stopped rule; failures leave it "stopped by error".
func (e *Engine) startLocked(r *ruleEntry) {
	if r.run != nil && !r.run.stopped {
		return
	}
	run, err := e.newRun(r.def, nil)
	if err == nil {
		err = e.attachInputs(run)
		if err != nil {
			run.stop()
		}
	}
	if err != nil {
		e.mu.Lock()
		r.status, r.message = StatusError, err.Error()
		r.lastStop = e.cfg.Clock.Now().UnixMilli()
		e.mu.Unlock()
		e.cfg.Logger.Errorf("rule=%s failed to start: %v", r.def.ID, err)
		e.scheduleRestart(r)
		return
	}
	run.begin()
	if !e.cfg.Synchronous {
		go run.loop()
	}
	e.mu.Lock()
	r.run, r.status, r.message = run, StatusRunning, ""
	r.lastStart = e.cfg.Clock.Now().UnixMilli()
	e.rebuildRoutes()
	e.mu.Unlock()
	e.cfg.Logger.Infof("rule=%s started", r.def.ID)
}

// stopLocked stops a running rule, freezing its metrics.
func (e *Engine) stopLocked(r *ruleEntry, byRequest bool) {
	if r.run == nil || r.run.stopped {
		e.mu.Lock()
		if byRequest && r.status == StatusError {
			r.status, r.message = StatusStopped, ""
		}
		e.mu.Unlock()
		return
	}
	run := r.run
	e.mu.Lock()
	run.stopped = true
	e.rebuildRoutes()
	e.mu.Unlock()
	run.stop()
	e.mu.Lock()
	r.last = e.statusMetrics(run)
	r.status = StatusStopped
	r.lastStop = e.cfg.Clock.Now().UnixMilli()
	e.rebuildRoutes()
	e.mu.Unlock()
	e.cfg.Logger.Infof("rule=%s stopped", r.def.ID)
}

func (e *Engine) stopRun(id string, byRequest bool) {
	if r, ok := e.entry(id); ok {
		r.op.Lock()
		e.stopLocked(r, byRequest)
		r.op.Unlock()
	}
}

// AttachEmit starts a rule whose emissions go to emit instead of its sinks
// (behaviour scripts and trial runs). The rule must exist and be stopped.
func (e *Engine) AttachEmit(id string, emit exec.Emit) error {
	r, ok := e.entry(id)
	if !ok {
		return ruleNotFound(id)
	}
	r.op.Lock()
	defer r.op.Unlock()
	run, err := e.newRun(r.def, emit)
	if err != nil {
		return err
	}
	if err := e.attachInputs(run); err != nil {
		run.stop()
		return err
	}
	run.begin()
	if !e.cfg.Synchronous {
		go run.loop()
	}
	e.mu.Lock()
	r.run, r.status = run, StatusRunning
	r.lastStart = e.cfg.Clock.Now().UnixMilli()
	e.rebuildRoutes()
	e.mu.Unlock()
	return nil
}

// Tags ---------------------------------------------------------------------

func (e *Engine) updateTags(id string, f func([]string) []string) error {
	r, ok := e.entry(id)
	if !ok {
		return ruleNotFound(id)
	}
	r.op.Lock()
	defer r.op.Unlock()
	return e.updateDef(r, func(d *RuleDef) { d.Tags = f(d.Tags) })
}

func (e *Engine) SetTags(id string, tags []string) error {
	return e.updateTags(id, func([]string) []string { return append([]string{}, tags...) })
}

func (e *Engine) AddTags(id string, tags []string) error {
	return e.updateTags(id, func(old []string) []string {
		for _, t := range tags {
			if !contains(old, t) {
				old = append(old, t)
			}
		}
		return old
	})
}

func (e *Engine) RemoveTags(id string, tags []string) error {
	return e.updateTags(id, func(old []string) []string {
		out := []string{}
		for _, t := range old {
			if !contains(tags, t) {
				out = append(out, t)
			}
		}
		return out
	})
}

// MatchTags returns the rules carrying all the given tags.
func (e *Engine) MatchTags(tags []string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, id := range sortedKeys(e.rules) {
		if isTrialRule(id) {
			continue
		}
		ok := true
		for _, t := range tags {
			ok = ok && contains(e.rules[id].def.Tags, t)
		}
		if ok {
			out = append(out, id)
		}
	}
	return out
}

func (e *Engine) bulk(tags []string, f func(string) error) []BulkResult {
	out := []BulkResult{}
	for _, id := range e.MatchTags(tags) {
		res := BulkResult{RuleID: id, Success: true}
		if err := f(id); err != nil {
			res.Success, res.Error = false, err.Error()
		}
		out = append(out, res)
	}
	return out
}

func (e *Engine) BulkStart(tags []string) []BulkResult { return e.bulk(tags, e.StartRule) }
func (e *Engine) BulkStop(tags []string) []BulkResult  { return e.bulk(tags, e.StopRule) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// trialPrefix marks the internal rules behind trial runs; they are not part
// of the user's catalog.
const trialPrefix = "__trial_"

func isTrialRule(id string) bool { return strings.HasPrefix(id, trialPrefix) }
