package engine

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// trialLifetime bounds how long a trial rule may live (rules-api.md §3.10).
const trialLifetime = 10 * time.Minute

type trial struct {
	id     string
	spec   TrialSpec
	ruleID string
	mu     sync.Mutex
	subs   map[int]chan []byte
	next   int
	stops  []func()
}

type trialSet struct {
	mu sync.Mutex
	m  map[string]*trial
}

// CreateTrial registers a trial rule (a temporary rule with mock inputs).
func (e *Engine) CreateTrial(spec TrialSpec) error {
	if spec.ID == "" {
		return errs.New(errs.Undefined, "test rule id is required")
	}
	_ = e.StopTrial(spec.ID)
	ruleID := trialPrefix + spec.ID
	doc, _ := json.Marshal(map[string]any{"id": ruleID, "sql": spec.SQL, "actions": []any{map[string]any{"nop": map[string]any{}}},
		"triggered": false, "temp": true, "options": map[string]any{"sendError": true}})
	if _, err := e.createRule(doc, true); err != nil {
		return err
	}
	t := &trial{id: spec.ID, spec: spec, ruleID: ruleID, subs: map[int]chan []byte{}}
	e.trials.mu.Lock()
	if e.trials.m == nil {
		e.trials.m = map[string]*trial{}
	}
	e.trials.m[spec.ID] = t
	e.trials.mu.Unlock()
	e.cfg.Clock.AfterFunc(trialLifetime, func() { _ = e.StopTrial(spec.ID) })
	return nil
}

func (e *Engine) trial(id string) (*trial, error) {
	e.trials.mu.Lock()
	defer e.trials.mu.Unlock()
	t, ok := e.trials.m[id]
	if !ok {
		return nil, errs.New(errs.NotFound, "test rule %s is not found", id)
	}
	return t, nil
}

// StartTrial runs the trial rule; mock streams replay their rows.
func (e *Engine) StartTrial(id string) error {
	t, err := e.trial(id)
	if err != nil {
		return err
	}
	if err := e.AttachEmit(t.ruleID, t.publish); err != nil {
		return err
	}
	r, _ := e.entry(t.ruleID)
	for i, d := range r.run.defs {
		if m, ok := t.spec.MockSource[d.Name]; ok {
			t.stops = append(t.stops, e.replayMock(r.run, i, m))
		}
	}
	return nil
}

// replayMock feeds mock rows every interval (looping if asked).
func (e *Engine) replayMock(run *ruleRun, src int, m TrialMock) func() {
	interval := time.Duration(m.Interval) * time.Millisecond
	if interval <= 0 {
		interval = 100 * time.Millisecond
	}
	var mu sync.Mutex
	stopped := false
	var step func(i int)
	step = func(i int) {
		mu.Lock()
		defer mu.Unlock()
		if stopped || len(m.Data) == 0 {
			return
		}
		if i >= len(m.Data) {
			if !m.Loop {
				return
			}
			i = 0
		}
		r := &row.Row{PT: e.cfg.Clock.Now().UnixMilli()}
		for _, k := range sortedKeys(m.Data[i]) {
			r.Cols = append(r.Cols, row.Col{Name: k, Val: value.FromGo(m.Data[i][k])})
		}
		run.deliver(src, r)
		e.cfg.Clock.AfterFunc(interval, func() { step(i + 1) })
	}
	e.cfg.Clock.AfterFunc(0, func() { step(0) })
	return func() { mu.Lock(); stopped = true; mu.Unlock() }
}

func (t *trial) publish(rows []*row.Row) {
	payload := encodeRows(rows, t.spec.SinkProps)
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, ch := range t.subs {
		select {
		case ch <- payload:
		default: // a slow reader loses trial output rather than stalling the rule
		}
	}
}

// encodeRows renders an emission as a JSON array, honouring sinkProps.fields.
func encodeRows(rows []*row.Row, props map[string]any) []byte {
	var keep map[string]bool
	if f, ok := props["fields"].([]any); ok {
		keep = map[string]bool{}
		for _, x := range f {
			if s, ok := x.(string); ok {
				keep[s] = true
			}
		}
	}
	buf := []byte{'['}
	for i, r := range rows {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '{')
		first := true
		for _, c := range r.Cols {
			if c.Val.IsNull() || (keep != nil && !keep[c.Name]) {
				continue
			}
			if !first {
				buf = append(buf, ',')
			}
			first = false
			kb, _ := json.Marshal(c.Name)
			buf = append(append(buf, kb...), ':')
			buf = value.AppendJSON(buf, c.Val)
		}
		buf = append(buf, '}')
	}
	return append(buf, ']')
}

// SubscribeTrial returns a channel of encoded results and a cancel function.
func (e *Engine) SubscribeTrial(id string) (<-chan []byte, func(), error) {
	t, err := e.trial(id)
	if err != nil {
		return nil, nil, err
	}
	ch := make(chan []byte, 64)
	t.mu.Lock()
	k := t.next
	t.next++
	t.subs[k] = ch
	t.mu.Unlock()
	return ch, func() {
		t.mu.Lock()
		if _, ok := t.subs[k]; ok {
			delete(t.subs, k)
			close(ch)
		}
		t.mu.Unlock()
	}, nil
}

// StopTrial stops and deletes a trial, closing its subscribers.
func (e *Engine) StopTrial(id string) error {
	e.trials.mu.Lock()
	t, ok := e.trials.m[id]
	delete(e.trials.m, id)
	e.trials.mu.Unlock()
	if !ok {
		return errs.New(errs.NotFound, "test rule %s is not found", id)
	}
	for _, s := range t.stops {
		s()
	}
	_ = e.DeleteRule(t.ruleID)
	t.mu.Lock()
	for k, ch := range t.subs {
		close(ch)
		delete(t.subs, k)
	}
	t.mu.Unlock()
	return nil
}

func (s *trialSet) stopAll(e *Engine) {
	s.mu.Lock()
	ids := make([]string, 0, len(s.m))
	for id := range s.m {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		_ = e.StopTrial(id)
	}
}
