package engine

import (
	"fmt"
	"strings"

	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/obs"
)

// statusMetrics collects the metrics of every node of a run, in topology order.
func (e *Engine) statusMetrics(run *ruleRun) []obs.KV {
	var out []obs.KV
	for _, n := range run.nodes() {
		out = append(out, n.Metrics()...)
	}
	return out
}

// RuleStatus returns the status fields and metrics of rules-api.md §3.7.
func (e *Engine) RuleStatus(id string) ([]obs.KV, error) {
	r, ok := e.entry(id)
	if !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	r.op.Lock()
	defer r.op.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	out := []obs.KV{
		{Key: "status", Val: r.status},
		{Key: "message", Val: r.message},
		{Key: "lastStartTimestamp", Val: r.lastStart},
		{Key: "lastStopTimestamp", Val: r.lastStop},
		{Key: "nextStartTimestamp", Val: int64(0)},
	}
	if r.run != nil && !r.run.stopped {
		return append(out, e.statusMetrics(r.run)...), nil
	}
	return append(out, r.last...), nil
}

// AllStatus summarises every rule; exception fields come from the node with
// the most recent exception.
func (e *Engine) AllStatus() map[string]BriefStatus {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string]BriefStatus{}
	for id, r := range e.rules {
		if isTrialRule(id) {
			continue
		}
		b := BriefStatus{Status: r.status}
		if r.run != nil && !r.run.stopped {
			var latest int64 = -1
			for _, n := range r.run.nodes() {
				b.Exceptions += n.Exceptions.Load()
				if t := n.LastExceptionTime.Load(); t > latest && n.Exceptions.Load() > 0 {
					latest, b.LastException = t, n.LastException()
				}
			}
		}
		out[id] = b
	}
	return out
}

// RuleTopo returns the topology of the rule's (current or planned) run.
func (e *Engine) RuleTopo(id string) (*Topo, error) {
	r, ok := e.entry(id)
	if !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	r.op.Lock()
	run := r.run
	def := r.def
	r.op.Unlock()
	names := topoNames(def, run)
	t := &Topo{Edges: map[string][]string{}}
	for _, s := range names.sources {
		t.Sources = append(t.Sources, s)
		t.Edges[s] = []string{names.ops[0]}
	}
	for i := 0; i+1 < len(names.ops); i++ {
		t.Edges[names.ops[i]] = []string{names.ops[i+1]}
	}
	last := names.ops[len(names.ops)-1]
	t.Edges[last] = names.sinks
	return t, nil
}

type topoInfo struct{ sources, ops, sinks []string }

func topoNames(d *RuleDef, run *ruleRun) topoInfo {
	var ti topoInfo
	for _, s := range d.sourceNames() {
		ti.sources = append(ti.sources, "source_"+s)
	}
	if run != nil && run.pipe != nil {
		for _, n := range run.pipe.Nodes() {
			ti.ops = append(ti.ops, n.Name)
		}
	} else {
		n := len(ti.sources) + 1
		if d.Select.Where != nil {
			ti.ops = append(ti.ops, fmt.Sprintf("op_%d_filter", n))
			n++
		}
		ti.ops = append(ti.ops, fmt.Sprintf("op_%d_project", n))
	}
	for i, a := range d.Actions {
		ti.sinks = append(ti.sinks, fmt.Sprintf("sink_%s_%d", a.Type, i))
	}
	return ti
}

// ExplainRule returns the logical plan text of rules-api.md §3.8.
func (e *Engine) ExplainRule(id string) (string, error) {
	r, ok := e.entry(id)
	if !ok {
		return "", errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	e.mu.Lock()
	d := r.def
	e.mu.Unlock()
	var lines []string
	depth := 0
	add := func(op, info string) {
		lines = append(lines, fmt.Sprintf("%s{\"op\":%q,\"info\":%q}", strings.Repeat("\t", depth), op, info))
		depth++
	}
	idx := 0
	next := func(kind string) string { s := fmt.Sprintf("%sPlan_%d", kind, idx); idx++; return s }
	sel := d.Select
	fields := make([]string, 0, len(sel.Fields))
	for _, f := range sel.Fields {
		fields = append(fields, fieldText(f))
	}
	add(next("Project"), "Fields:[ "+strings.Join(fields, ", ")+" ]")
	if len(sel.OrderBy) > 0 {
		keys := make([]string, len(sel.OrderBy))
		for i, o := range sel.OrderBy {
			keys[i] = formatExpr(o.X)
			if o.Desc {
				keys[i] += " DESC"
			}
		}
		add(next("Order"), "SortFields:[ "+strings.Join(keys, ", ")+" ]")
	}
	if sel.Having != nil {
		add(next("Having"), "Condition:{ "+formatExpr(sel.Having)+" }")
	}
	if len(sel.GroupBy) > 0 {
		dims := make([]string, len(sel.GroupBy))
		for i, g := range sel.GroupBy {
			dims[i] = formatExpr(g)
		}
		add(next("Aggregate"), "Dimensions:[ "+strings.Join(dims, ", ")+" ]")
	}
	if sel.Where != nil {
		add(next("Filter"), "Condition:{ "+formatExpr(sel.Where)+" }")
	}
	for _, j := range sel.Joins {
		on := ""
		if j.On != nil {
			on = ", On:{ " + formatExpr(j.On) + " }"
		}
		add(next("Join"), "Type: "+j.Kind+", Source: "+j.Src.Name+on)
	}
	for _, s := range d.sourceNames() {
		add(next("DataSource"), "StreamName: "+s)
	}
	return strings.Join(lines, "\n") + "\n", nil
}

// Totals are one rule's counters for service telemetry.
type Totals struct {
	RowsOut, Errors, Late int64
	// SinkErrors are the failures of each action, by sink node name.
	SinkErrors map[string]int64
	// LatencySumMs/LatencyCount accumulate ingest-to-sink latency of emissions.
	LatencySumMs, LatencyCount int64
}

// RuleTotals returns the counters of every registered rule (running or
// frozen at its last stop): rows handed to sinks, exceptions, late rows.
func (e *Engine) RuleTotals() map[string]Totals {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]Totals, len(e.rules))
	for id, r := range e.rules {
		if isTrialRule(id) || r.run == nil {
			continue
		}
		t := Totals{SinkErrors: map[string]int64{}, LatencySumMs: r.run.latSumMs.Load(), LatencyCount: r.run.latCount.Load()}
		for _, n := range r.run.nodes() {
			t.Errors += n.Exceptions.Load()
			t.Late += n.Late.Load()
			if n.Kind == "sink" {
				t.RowsOut += n.RecordsIn.Load()
				t.SinkErrors[n.Name] = n.Exceptions.Load()
			}
		}
		out[id] = t
	}
	return out
}
