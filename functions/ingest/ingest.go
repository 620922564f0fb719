// Package ingest is the one-way path from the EdgeX bus into the engine:
// raw bus messages are queued in arrival order into a bounded intake, decoded
// once on a single goroutine and routed to every rule whose stream accepts
// them (edgex.md §3).
package ingest

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"

	"github.com/oort-rules/oort/functions/eventrow"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// Engine is the part of the rules engine ingest needs.
type Engine interface {
	IngestEdgeX(r *row.Row, badReadings int) int
	HasEdgeXReaders() bool
	DecodeFailed(topic string, err error)
}

// Options configure the intake.
type Options struct {
	MaxPending       int           // intake capacity (messages)
	MaxBlock         time.Duration // how long a full intake may hold up the bus reader
	OptimizedPayload bool          // EDGEX_OPTIMIZE_EVENT_PAYLOAD
	Logger           obs.Logger
}

// Counters are the ingest metrics (telemetry OortEventsIn/OortEventsDropped).
type Counters struct {
	In, Decoded, Routed      atomic.Int64
	DroppedQueueFull         atomic.Int64
	DroppedDecode            atomic.Int64
	DroppedNoReadings        atomic.Int64
	BadReadings, LossyArrays atomic.Int64
}

type msg struct {
	topic string
	data  []byte
	// Set for triggers that unwrap the envelope themselves (legacy Redis):
	// data is then the event payload.
	event       bool
	contentType string
	correlation string
}

// Ingest owns the intake queue and the decoder.
type Ingest struct {
	eng      Engine
	opts     Options
	maxBlock atomic.Int64 // nanoseconds; live-updatable
	log      obs.Logger
	q        chan msg
	dec      *eventrow.Decoder
	C        Counters
}

// New returns an intake; call Run to start decoding.
func New(eng Engine, opts Options) *Ingest {
	if opts.MaxPending <= 0 {
		opts.MaxPending = 10000
	}
	if opts.MaxBlock <= 0 {
		opts.MaxBlock = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = obs.NopLogger{}
	}
	in := &Ingest{eng: eng, opts: opts, log: opts.Logger, q: make(chan msg, opts.MaxPending),
		dec: eventrow.NewDecoder(eventrow.Options{OptimizedPayload: opts.OptimizedPayload, Logger: opts.Logger})}
	in.maxBlock.Store(int64(opts.MaxBlock))
	return in
}

// SetMaxBlock changes how long a full intake may hold up the bus reader.
func (in *Ingest) SetMaxBlock(d time.Duration) {
	if d > 0 {
		in.maxBlock.Store(int64(d))
	}
}

// Handle queues one raw bus message. It is called by the trigger's reader
// goroutine in bus order; when the intake is full it waits at most MaxBlock,
// then drops the message and counts it.
func (in *Ingest) Handle(topic string, data []byte) {
	in.enqueue(msg{topic: topic, data: data})
}

// HandleEvent queues an already unwrapped event payload (JSON or CBOR).
func (in *Ingest) HandleEvent(topic string, payload []byte, contentType, correlationID string) {
	in.enqueue(msg{topic: topic, data: payload, event: true, contentType: contentType, correlation: correlationID})
}

func (in *Ingest) enqueue(m msg) {
	topic := m.topic
	in.C.In.Add(1)
	select {
	case in.q <- m:
		return
	default:
	}
	t := time.NewTimer(time.Duration(in.maxBlock.Load()))
	defer t.Stop()
	select {
	case in.q <- m:
	case <-t.C:
		if in.C.DroppedQueueFull.Add(1)%1000 == 1 {
			in.log.Warnf("ingest intake full (%d messages): dropping events from %s (dropped so far: %d)",
				cap(in.q), topic, in.C.DroppedQueueFull.Load())
		}
	}
}

// Run decodes and routes queued messages until ctx ends. It must run on
// exactly one goroutine: that is what keeps per-source order.
func (in *Ingest) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-in.q:
			in.process(m)
		}
	}
}

// Pending is the current intake length.
func (in *Ingest) Pending() int { return len(in.q) }

func (in *Ingest) process(m msg) {
	defer func() {
		if v := recover(); v != nil { // a decoder defect must not stop ingest
			in.C.DroppedDecode.Add(1)
			in.log.Errorf("ingest: internal error decoding a message from %s: %v", m.topic, v)
		}
	}()
	if !in.eng.HasEdgeXReaders() {
		return // nobody listens: skip the decode entirely
	}
	var r *row.Row
	var st eventrow.Stats
	var err error
	if m.event {
		r, st, err = in.dec.DecodeEvent(m.data, m.contentType, m.topic, m.correlation)
	} else {
		r, st, err = in.dec.DecodeMessage(m.topic, m.data)
	}
	in.account(st)
	if err != nil {
		in.dropped(err)
		in.eng.DecodeFailed(m.topic, err)
		return
	}
	in.C.Decoded.Add(1)
	in.C.Routed.Add(int64(in.eng.IngestEdgeX(r, st.BadReadings)))
}

func (in *Ingest) account(st eventrow.Stats) {
	if st.BadReadings > 0 {
		in.C.BadReadings.Add(int64(st.BadReadings))
	}
	if st.LossyStringArrays > 0 {
		in.C.LossyArrays.Add(int64(st.LossyStringArrays))
	}
}

func (in *Ingest) dropped(err error) {
	if errors.Is(err, eventrow.ErrNoReadings) {
		in.C.DroppedNoReadings.Add(1)
		in.log.Debugf("ingest: %v", err)
		return
	}
	in.C.DroppedDecode.Add(1)
	in.log.Warnf("ingest: dropped undecodable message: %v", err)
}

// Process is an SDK pipeline function for triggers that deliver decoded DTOs
// (the stock edgex-messagebus trigger, the legacy Redis/ZeroMQ triggers). The
// SDK already decoded and validated the event; Oort converts it to a row and
// routes it. It runs synchronously: legacy triggers call it in bus order.
func (in *Ingest) Process(ctx interfaces.AppFunctionContext, data any) (bool, any) {
	ev, ok := data.(dtos.Event)
	if !ok {
		if p, isPtr := data.(*dtos.Event); isPtr && p != nil {
			ev, ok = *p, true
		}
	}
	if !ok {
		return false, errors.New("ingest: expected an EdgeX event")
	}
	in.C.In.Add(1)
	if !in.eng.HasEdgeXReaders() {
		return false, nil
	}
	topic, _ := ctx.GetValue(interfaces.RECEIVEDTOPIC)
	r, st := eventrow.FromDTO(ev, topic, ctx.CorrelationID())
	in.account(st)
	if r == nil {
		in.C.DroppedNoReadings.Add(1)
		return false, nil
	}
	in.C.Decoded.Add(1)
	in.C.Routed.Add(int64(in.eng.IngestEdgeX(r, st.BadReadings)))
	return false, nil
}
