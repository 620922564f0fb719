package analytic

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/oort-rules/oort/rules/value"
)

// Partitions holds one Func per partition key for one call site.
type Partitions struct {
	spec  Spec
	lits  []value.Value
	ok    []bool
	names []string
	parts map[string]Func
	spare Func // built by NewPartitions to validate the call; used for the first key
}

// NewPartitions validates the call (rule creation time) and prepares an empty
// set of partitions.
func NewPartitions(spec *Spec, lits []value.Value, ok []bool, names []string) (*Partitions, error) {
	if spec == nil || spec.New == nil {
		return nil, fmt.Errorf("analytic partitions: no function spec")
	}
	f, err := spec.New(lits, ok, names)
	if err != nil {
		return nil, err
	}
	return &Partitions{spec: *spec, lits: lits, ok: ok, names: names,
		parts: map[string]Func{}, spare: f}, nil
}

// Eval evaluates the call for a row in partition key (use value.ToJSON of the
// partition values, or a cheaper exact encoding, as key; "" without
// PARTITION BY).
func (p *Partitions) Eval(key string, args []value.Value, update bool) (value.Value, error) {
	f, found := p.parts[key]
	if !found {
		var err error
		if f, err = p.fresh(); err != nil {
			return value.NullValue, err
		}
		p.parts[key] = f
	}
	return f.Eval(args, update)
}

func (p *Partitions) fresh() (Func, error) {
	if p.spare != nil {
		f := p.spare
		p.spare = nil
		return f, nil
	}
	f, err := p.spec.New(p.lits, p.ok, p.names)
	if err != nil {
		return nil, fmt.Errorf("%s: new partition: %w", p.spec.Name, err)
	}
	return f, nil
}

// Len is the number of partitions that have seen a row.
func (p *Partitions) Len() int { return len(p.parts) }

type partitionsState struct {
	Func  string                     `json:"fn"`
	Parts map[string]json.RawMessage `json:"parts"`
}

// Snapshot returns the state of every partition as JSON for qos>=1
// checkpoints.
func (p *Partitions) Snapshot() ([]byte, error) {
	s := partitionsState{Func: p.spec.Name, Parts: make(map[string]json.RawMessage, len(p.parts))}
	for _, key := range p.keys() {
		sf, ok := p.parts[key].(stateful)
		if !ok {
			return nil, fmt.Errorf("%s: partition state of %T cannot be checkpointed", p.spec.Name, p.parts[key])
		}
		b, err := json.Marshal(sf.snapshot())
		if err != nil {
			return nil, fmt.Errorf("%s: snapshot partition %q: %w", p.spec.Name, key, err)
		}
		s.Parts[key] = b
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("%s: snapshot: %w", p.spec.Name, err)
	}
	return b, nil
}

// Restore replaces every partition with the state of a Snapshot taken from the
// same call site. On error the current state is left unchanged.
func (p *Partitions) Restore(data []byte) error {
	var s partitionsState
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("%s: restore: %w", p.spec.Name, err)
	}
	if s.Func != p.spec.Name {
		return fmt.Errorf("%s: restore: the checkpoint holds state of %q", p.spec.Name, s.Func)
	}
	parts := make(map[string]Func, len(s.Parts))
	for key, raw := range s.Parts {
		f, err := p.spec.New(p.lits, p.ok, p.names)
		if err != nil {
			return fmt.Errorf("%s: restore partition %q: %w", p.spec.Name, key, err)
		}
		sf, ok := f.(stateful)
		if !ok {
			return fmt.Errorf("%s: partition state of %T cannot be restored", p.spec.Name, f)
		}
		if err := sf.restore(raw); err != nil {
			return fmt.Errorf("%s: restore partition %q: %w", p.spec.Name, key, err)
		}
		parts[key] = f
	}
	p.parts = parts
	return nil
}

// keys orders the partitions so snapshots of equal state are equal bytes.
func (p *Partitions) keys() []string {
	out := make([]string, 0, len(p.parts))
	for k := range p.parts {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
