package apitest

import (
	"encoding/json"
	"sync"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
)

// trial pushes its rows as JSON arrays of one object, the way a sink with
// default properties encodes them, to every subscriber.
type trial struct {
	spec    engine.TrialSpec
	mu      sync.Mutex
	subs    map[int]chan []byte
	next    int
	stopped bool
}

func notFoundTrial(id string) error {
	return errs.New(errs.NotFound, "trial rule %s is not found", id)
}

// CreateTrial replaces a trial with the same id.
func (f *Fake) CreateTrial(spec engine.TrialSpec) error {
	if spec.ID == "" {
		return errs.New(errs.Undefined, "missing trial rule id")
	}
	if m := fromRe.FindStringSubmatch(spec.SQL); m == nil {
		return errs.New(errs.SQLParse, "found %q, expected SELECT", firstWord(spec.SQL))
	}
	f.mu.Lock()
	old := f.trials[spec.ID]
	f.trials[spec.ID] = &trial{spec: spec, subs: map[int]chan []byte{}}
	f.mu.Unlock()
	if old != nil {
		old.stop()
	}
	return nil
}

func (f *Fake) trial(id string) (*trial, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.trials[id]
	if !ok {
		return nil, notFoundTrial(id)
	}
	return t, nil
}

// StartTrial emits the mock rows once (or LiveData for streams without mock)
// to the current subscribers.
func (f *Fake) StartTrial(id string) error {
	t, err := f.trial(id)
	if err != nil {
		return err
	}
	var rows []map[string]any
	for _, m := range t.spec.MockSource {
		rows = append(rows, m.Data...)
	}
	if len(t.spec.MockSource) == 0 {
		f.mu.Lock()
		rows = append(rows, f.LiveData...)
		f.mu.Unlock()
	}
	for _, r := range rows {
		b, err := json.Marshal([]map[string]any{r})
		if err != nil {
			return errs.Wrap(errs.Codec, "encode trial row", err)
		}
		t.publish(b)
	}
	return nil
}

// StopTrial closes the event streams and forgets the trial.
func (f *Fake) StopTrial(id string) error {
	f.mu.Lock()
	t, ok := f.trials[id]
	delete(f.trials, id)
	f.mu.Unlock()
	if !ok {
		return notFoundTrial(id)
	}
	t.stop()
	return nil
}

// SubscribeTrial returns a buffered channel of encoded results.
func (f *Fake) SubscribeTrial(id string) (<-chan []byte, func(), error) {
	t, err := f.trial(id)
	if err != nil {
		return nil, nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	ch := make(chan []byte, 64)
	if t.stopped {
		close(ch)
		return ch, func() {}, nil
	}
	n := t.next
	t.next++
	t.subs[n] = ch
	cancel := func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if c, ok := t.subs[n]; ok {
			delete(t.subs, n)
			close(c)
		}
	}
	return ch, cancel, nil
}

// Subscribers reports how many event streams a trial has, for tests.
func (f *Fake) Subscribers(id string) int {
	t, err := f.trial(id)
	if err != nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.subs)
}

func (t *trial) publish(b []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, ch := range t.subs {
		select {
		case ch <- b:
		default: // a slow subscriber loses results, as with a full sink buffer
		}
	}
}

func (t *trial) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
	for n, ch := range t.subs {
		delete(t.subs, n)
		close(ch)
	}
}

// ListTrials reports how many trial rules exist, for tests.
func (f *Fake) ListTrials() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.trials)
}
