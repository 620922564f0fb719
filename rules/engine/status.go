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
	fields := make([]string, 0, len(d.Select.Fields))
	for _, f := range d.Select.Fields {
		fields = append(fields, fieldText(f))
	}
	add(next("Project"), "Fields:[ "+strings.Join(fields, ", ")+" ]")
	if d.Select.Where != nil {
		add(next("Filter"), "Condition:{ "+formatExpr(d.Select.Where)+" }")
	}
	for _, s := range d.sourceNames() {
		add(next("DataSource"), "StreamName: "+s)
	}
	return strings.Join(lines, "\n") + "\n", nil
}
