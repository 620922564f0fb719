package exec

import (
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// Runner is one rule's operator chain. All calls come from the rule's single
// goroutine (or under the rule's lock in synchronous mode).
type Runner interface {
	// Process runs one input row from source index src.
	Process(src int, r *row.Row)
	// Start is called once when the rule starts, with the start time (ms).
	Start(now int64)
	// Tick advances time-driven operators to now (ms).
	Tick(now int64)
	// Next is when Tick must next be called (ms), 0 for never.
	Next() int64
	// SourceNodes and Nodes are the metric nodes in topology order.
	SourceNodes() []*obs.Node
	Nodes() []*obs.Node
	// Snapshot and Restore checkpoint the rule's state (qos >= 1); Restore
	// runs before Start.
	Snapshot() ([]byte, error)
	Restore([]byte) error
}

// Start, Tick and Next: a plain pipeline has no time-driven operator.
func (p *Pipeline) Start(int64)              {}
func (p *Pipeline) Tick(int64)               {}
func (p *Pipeline) Next() int64              { return 0 }
func (p *Pipeline) SourceNodes() []*obs.Node { return p.Source }
