package main

import (
	"sync/atomic"
	"time"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"
	gometrics "github.com/rcrowley/go-metrics"

	"github.com/oort-rules/oort/functions/ingest"
	"github.com/oort-rules/oort/rules/engine"
)

// registerTelemetry reports Oort's service metrics through the SDK (edgex.md
// §9). They are off unless enabled in Writable.Telemetry.Metrics.
func registerTelemetry(svc interfaces.ApplicationService, eng *engine.Engine, in *ingest.Ingest, lc logger.LoggingClient) {
	mm := svc.MetricsManager()
	if mm == nil {
		return
	}
	eventsIn := gometrics.NewCounter()
	dropped := map[string]gometrics.Counter{"queue_full": gometrics.NewCounter(), "decode": gometrics.NewCounter(), "no_readings": gometrics.NewCounter()}
	running, failed := gometrics.NewGauge(), gometrics.NewGauge()
	reg := func(name string, item any, tags map[string]string) {
		if err := mm.Register(name, item, tags); err != nil {
			lc.Warnf("telemetry: registering %s: %v", name, err)
		}
	}
	reg("OortEventsIn", eventsIn, nil)
	for reason, c := range dropped {
		reg("OortEventsDropped-"+reason, c, map[string]string{"reason": reason})
	}
	reg("OortRulesRunning", running, nil)
	reg("OortRulesFailed", failed, nil)
	rules := &ruleMetrics{mm: mm, lc: lc, items: map[string]*ruleItems{}}
	go syncTelemetry(eng, in, eventsIn, dropped, running, failed, rules)
}

// ruleMetrics keeps the per-rule counters registered as <Name>-<ruleId>
// with a rule tag (edgex.md §9), unregistering those of deleted rules.
type ruleMetrics struct {
	mm interface {
		Register(string, interface{}, map[string]string) error
		Unregister(string)
	}
	lc    logger.LoggingClient
	items map[string]*ruleItems
}

type ruleItems struct {
	rowsOut, errors, late gometrics.Counter
	latency               gometrics.Timer              // OortRuleLatency: mean per sync period
	sinks                 map[string]gometrics.Counter // OortSinkErrors per sink node
	last                  engine.Totals
}

var ruleMetricNames = []string{"OortRowsOut", "OortRuleErrors", "OortLateRows", "OortRuleLatency"}

func (m *ruleMetrics) sync(totals map[string]engine.Totals) {
	for id, t := range totals {
		it, ok := m.items[id]
		if !ok {
			it = &ruleItems{rowsOut: gometrics.NewCounter(), errors: gometrics.NewCounter(), late: gometrics.NewCounter(), latency: gometrics.NewTimer()}
			tags := map[string]string{"rule": id}
			for i, c := range []interface{}{it.rowsOut, it.errors, it.late, it.latency} {
				if err := m.mm.Register(ruleMetricNames[i]+"-"+id, c, tags); err != nil {
					m.lc.Warnf("rule=%s telemetry: registering %s: %v", id, ruleMetricNames[i], err)
				}
			}
			m.items[id] = it
		}
		it.rowsOut.Inc(max(t.RowsOut-it.last.RowsOut, 0))
		it.errors.Inc(max(t.Errors-it.last.Errors, 0))
		it.late.Inc(max(t.Late-it.last.Late, 0))
		if n := t.LatencyCount - it.last.LatencyCount; n > 0 {
			it.latency.Update(time.Duration((t.LatencySumMs-it.last.LatencySumMs)/n) * time.Millisecond)
		}
		m.syncSinks(id, it, t)
		it.last = t
	}
	for id, it := range m.items {
		if _, ok := totals[id]; !ok {
			for _, n := range ruleMetricNames {
				m.mm.Unregister(n + "-" + id)
			}
			for sinkName := range it.sinks {
				m.mm.Unregister("OortSinkErrors-" + id + "-" + sinkName)
			}
			delete(m.items, id)
		}
	}
}

// syncSinks updates OortSinkErrors, registered per rule and sink with tags
// rule and sink.
func (m *ruleMetrics) syncSinks(id string, it *ruleItems, t engine.Totals) {
	if it.sinks == nil {
		it.sinks = map[string]gometrics.Counter{}
	}
	for sinkName, n := range t.SinkErrors {
		c, ok := it.sinks[sinkName]
		if !ok {
			c = gometrics.NewCounter()
			if err := m.mm.Register("OortSinkErrors-"+id+"-"+sinkName, c, map[string]string{"rule": id, "sink": sinkName}); err != nil {
				m.lc.Warnf("rule=%s telemetry: registering OortSinkErrors for %s: %v", id, sinkName, err)
			}
			it.sinks[sinkName] = c
		}
		c.Inc(max(n-it.last.SinkErrors[sinkName], 0))
	}
}

// syncTelemetry copies the engine's atomics into the go-metrics items.
func syncTelemetry(eng *engine.Engine, in *ingest.Ingest, eventsIn gometrics.Counter, dropped map[string]gometrics.Counter, running, failed gometrics.Gauge, rules *ruleMetrics) {
	var last struct{ in, qf, dec, nr int64 }
	delta := func(c gometrics.Counter, prev *int64, v *atomic.Int64) {
		cur := v.Load()
		c.Inc(cur - *prev)
		*prev = cur
	}
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for range t.C {
		delta(eventsIn, &last.in, &in.C.In)
		delta(dropped["queue_full"], &last.qf, &in.C.DroppedQueueFull)
		delta(dropped["decode"], &last.dec, &in.C.DroppedDecode)
		delta(dropped["no_readings"], &last.nr, &in.C.DroppedNoReadings)
		var r, f int64
		for _, s := range eng.ListRules() {
			switch s.Status {
			case engine.StatusRunning:
				r++
			case engine.StatusError:
				f++
			}
		}
		running.Update(r)
		failed.Update(f)
		rules.sync(eng.RuleTotals())
	}
}
