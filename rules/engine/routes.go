package engine

import (
	"fmt"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/topic"
)

// SourceFactory starts a connector for streams of one TYPE (e.g. mqtt) and
// calls deliver for every decoded row, in order, from one goroutine.
type SourceFactory func(def *StreamDef, props map[string]any, deliver func(*row.Row)) (stop func(), err error)

// routeTable is an immutable snapshot of which running rules read which
// edgex stream; ingest reads it without locking, and it is rebuilt (copy on
// write) whenever a rule starts or stops.
type routeTable struct {
	edgex  []edgexRoute
	byName map[string][]input // every running input by stream name
}

type edgexRoute struct {
	def    *StreamDef
	filter string // "" accepts every topic
	inputs []input
}

type input struct {
	run *ruleRun
	src int
}

// IngestEdgeX routes one decoded EdgeX row to every running rule whose edgex
// stream accepts the row's topic. The row must not be modified afterwards:
// it is shared by every rule. Rows are stamped with the processing time here.
// badReadings (values that could not be decoded) is added to the
// decode_errors_total metric of every source that receives the row.
func (e *Engine) IngestEdgeX(r *row.Row, badReadings int) (routed int) {
	t := e.routes.Load()
	if len(t.edgex) == 0 {
		return 0
	}
	r.PT = e.cfg.Clock.Now().UnixMilli()
	for i := range t.edgex {
		rt := &t.edgex[i]
		if rt.filter != "" && !topic.Match(rt.filter, r.Topic) {
			continue
		}
		var sh shaper
		for _, x := range rt.inputs {
			if badReadings > 0 {
				x.run.pipe.SourceNodes()[x.src].DecodeErrors.Add(int64(badReadings))
			}
			x.run.deliver(x.src, sh.shape(x.run.defs[x.src], r, e.cfg.IgnoreCase))
			routed++
		}
	}
	return routed
}

// IngestStream delivers a decoded row to every running rule reading the named
// stream, whatever its type (behaviour scripts, trial mocks, tests).
func (e *Engine) IngestStream(name string, r *row.Row) int {
	ins := e.routes.Load().byName[name]
	if len(ins) == 0 {
		return 0
	}
	r.PT = e.cfg.Clock.Now().UnixMilli()
	var sh shaper
	for _, x := range ins {
		x.run.deliver(x.src, sh.shape(x.run.defs[x.src], r, e.cfg.IgnoreCase))
	}
	return len(ins)
}

// DecodeFailed records a bus message that could not be decoded on every
// running rule whose edgex stream accepts its topic, so the failure shows in
// those rules' status (decode_errors_total, last_exception).
func (e *Engine) DecodeFailed(topicName string, err error) {
	t := e.routes.Load()
	now := e.cfg.Clock.Now().UnixMilli()
	for i := range t.edgex {
		rt := &t.edgex[i]
		if rt.filter != "" && !topic.Match(rt.filter, topicName) {
			continue
		}
		for _, x := range rt.inputs {
			n := x.run.pipe.SourceNodes()[x.src]
			n.DecodeErrors.Add(1)
			n.Exception(err, now)
		}
	}
}

// HasEdgeXReaders reports whether any running rule reads an edgex stream, so
// ingest can skip decoding when nobody listens.
func (e *Engine) HasEdgeXReaders() bool { return len(e.routes.Load().edgex) > 0 }

// rebuildRoutes recomputes the routing snapshot from the running rules.
// Callers hold e.mu.
func (e *Engine) rebuildRoutes() {
	byStream := map[string]*edgexRoute{}
	var order []string
	for _, id := range sortedKeys(e.rules) {
		run := e.rules[id].run
		if run == nil || run.stopped {
			continue
		}
		for i, d := range run.defs {
			if d.Type() != "edgex" || d.IsLookup() {
				continue
			}
			rt, ok := byStream[d.Name]
			if !ok {
				rt = &edgexRoute{def: d, filter: e.topicFilter(d)}
				byStream[d.Name] = rt
				order = append(order, d.Name)
			}
			rt.inputs = append(rt.inputs, input{run: run, src: i})
		}
	}
	t := &routeTable{byName: map[string][]input{}}
	for _, id := range sortedKeys(e.rules) {
		if run := e.rules[id].run; run != nil && !run.stopped {
			for i, d := range run.defs {
				if !d.IsLookup() {
					t.byName[d.Name] = append(t.byName[d.Name], input{run: run, src: i})
				}
			}
		}
	}
	for _, n := range order {
		t.edgex = append(t.edgex, *byStream[n])
	}
	e.routes.Store(t)
}

// attachInputs connects non-edgex sources (memory topics, external
// connectors) of a starting run.
func (e *Engine) attachInputs(run *ruleRun) error {
	now := e.cfg.Clock.Now().UnixMilli()
	for i, d := range run.defs {
		i, d := i, d
		run.pipe.SourceNodes()[i].ConnLastTry.Store(now)
		deliver := func(r *row.Row) {
			r.PT = e.cfg.Clock.Now().UnixMilli()
			run.deliver(i, applySchema(d, r, e.cfg.IgnoreCase))
		}
		if d.IsLookup() {
			continue // queried per row, never fed
		}
		props, err := e.sourceProps(d)
		if err != nil {
			return err
		}
		switch d.Type() {
		case "edgex":
		case "memory":
			unsub := e.cfg.Bus.Subscribe(d.opt("DATASOURCE"), func(topicName string, rows []*row.Row) {
				for _, r := range rows {
					deliver(r)
				}
			})
			run.undo = append(run.undo, unsub)
		default:
			f := e.cfg.Sources[d.Type()]
			stop, err := f(d, props, deliver)
			if err != nil {
				return fmt.Errorf("start %s source of %s: %w", d.Type(), d.Name, err)
			}
			run.undo = append(run.undo, stop)
		}
		// edgex rows come through the service's own bus connection, memory
		// rows in process: the source is connected once attached.
		run.pipe.SourceNodes()[i].SetConnected(true, "", now)
	}
	return nil
}

// sourceProps merges the default section, the CONF_KEY section and EXTRA.
func (e *Engine) sourceProps(d *StreamDef) (map[string]any, error) {
	props := map[string]any{}
	merge := func(m map[string]any) {
		for k, v := range m {
			props[k] = v
		}
	}
	if e.cfg.SourceConf != nil {
		if m, ok := e.cfg.SourceConf(d.Type(), "default"); ok {
			merge(m)
		}
		if k := d.opt("CONF_KEY"); k != "" && k != "default" {
			m, ok := e.cfg.SourceConf(d.Type(), k)
			if !ok {
				return nil, fmt.Errorf("conf key %s for source type %s does not exist", k, d.Type())
			}
			merge(m)
		}
	}
	if x := d.opt("EXTRA"); x != "" {
		m, err := parseExtra(x)
		if err != nil {
			return nil, err
		}
		merge(m)
	}
	props["datasource"] = d.opt("DATASOURCE")
	return props, nil
}

// shaper applies stream schemas to one ingested row, once per distinct
// definition: rules started before and after a stream replace may hold
// different definitions of the same stream.
type shaper struct {
	defs []*StreamDef
	rows []*row.Row
}

func (s *shaper) shape(d *StreamDef, r *row.Row, fold bool) *row.Row {
	if d.Stmt.Schemaless || r.Err != nil {
		return r // the common EdgeX case: nothing to shape, nothing to cache
	}
	for i, x := range s.defs {
		if x == d {
			return s.rows[i]
		}
	}
	out := applySchema(d, r, fold)
	s.defs, s.rows = append(s.defs, d), append(s.rows, out)
	return out
}
