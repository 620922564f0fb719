package plan

import "fmt"

// State is the part of a rule's state the program owns: analytic function
// partitions and the last_agg_hit counters (checkpoints, qos >= 1).
type State struct {
	Analytic   [][]byte `json:"analytic,omitempty"`
	AggHits    int64    `json:"aggHits,omitempty"`
	AggHitTime int64    `json:"aggHitTime,omitempty"`
}

// SnapshotState captures the program's state in c.
func (p *Program) SnapshotState(c *Ctx) (State, error) {
	st := State{AggHits: c.aggHitCount, AggHitTime: c.aggHitTime}
	for _, s := range p.ana {
		b, err := s.parts.Snapshot()
		if err != nil {
			return st, fmt.Errorf("snapshot of %s: %w", s.call.Name, err)
		}
		st.Analytic = append(st.Analytic, b)
	}
	return st, nil
}

// RestoreState loads a snapshot taken by the same query. A snapshot of a
// different query (another number of analytic calls) is refused.
func (p *Program) RestoreState(c *Ctx, st State) error {
	if len(st.Analytic) != len(p.ana) {
		return fmt.Errorf("the checkpoint has %d analytic functions, the query %d", len(st.Analytic), len(p.ana))
	}
	for i, s := range p.ana {
		if err := s.parts.Restore(st.Analytic[i]); err != nil {
			return fmt.Errorf("restore of %s: %w", s.call.Name, err)
		}
	}
	c.aggHitCount, c.aggHitTime = st.AggHits, st.AggHitTime
	return nil
}
