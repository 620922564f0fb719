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
	go syncTelemetry(eng, in, eventsIn, dropped, running, failed)
}

// syncTelemetry copies the engine's atomics into the go-metrics items.
func syncTelemetry(eng *engine.Engine, in *ingest.Ingest, eventsIn gometrics.Counter, dropped map[string]gometrics.Counter, running, failed gometrics.Gauge) {
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
	}
}
