package exec

import (
	"encoding/json"
	"fmt"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// checkpoint is a rule's serialised state (qos >= 1, rules-api.md §1.3).
type checkpoint struct {
	Version int        `json:"version"`
	Hits    int64      `json:"hits,omitempty"`
	HitTime int64      `json:"hitTime,omitempty"`
	Plan    plan.State `json:"plan"`
	// Window holds the buffered rows of processing-time windows, by
	// partition key; Events the event-time windows (with the rows still
	// waiting for the watermark) and Watermark the watermark tracker.
	// Incremental state is not checkpointed: with qos >= 1 the engine uses
	// the buffered path.
	Window    map[string][]byte `json:"window,omitempty"`
	Events    map[string][]byte `json:"events,omitempty"`
	Watermark []byte            `json:"watermark,omitempty"`
}

// Snapshot captures the pipeline's state.
func (p *Pipeline) Snapshot() ([]byte, error) {
	st, err := p.prog.SnapshotState(p.ctx)
	if err != nil {
		return nil, err
	}
	return json.Marshal(checkpoint{Version: 1, Hits: p.hits, HitTime: p.hitTime, Plan: st})
}

// Restore loads a Snapshot, before Start.
func (p *Pipeline) Restore(b []byte) error {
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil || cp.Version != 1 {
		return fmt.Errorf("unreadable checkpoint: %v", err)
	}
	p.hits, p.hitTime = cp.Hits, cp.HitTime
	return p.prog.RestoreState(p.ctx, cp.Plan)
}

// Snapshot captures the window pipeline's state.
func (p *WindowPipeline) Snapshot() ([]byte, error) {
	st, err := p.prog.SnapshotState(p.ctx)
	if err != nil {
		return nil, err
	}
	cp := checkpoint{Version: 1, Plan: st}
	if p.inc != nil {
		return json.Marshal(cp)
	}
	if !p.opts.EventTime {
		cp.Window = map[string][]byte{}
		for key, w := range p.wins.proc {
			if cp.Window[key], err = w.Snapshot(encodeGroupRow); err != nil {
				return nil, err
			}
		}
		return json.Marshal(cp)
	}
	cp.Events = map[string][]byte{}
	for key, w := range p.wins.evt {
		if cp.Events[key], err = w.Snapshot(encodeGroupRow); err != nil {
			return nil, err
		}
	}
	if cp.Watermark, err = p.wm.Snapshot(); err != nil {
		return nil, err
	}
	return json.Marshal(cp)
}

// Restore loads a Snapshot, before Start; the window timers re-align then.
func (p *WindowPipeline) Restore(b []byte) error {
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil || cp.Version != 1 {
		return fmt.Errorf("unreadable checkpoint: %v", err)
	}
	if err := p.prog.RestoreState(p.ctx, cp.Plan); err != nil {
		return err
	}
	for key, data := range cp.Window {
		if err := p.wins.restore(key, data, decodeGroupRow); err != nil {
			return fmt.Errorf("window %q: %w", key, err)
		}
	}
	for key, data := range cp.Events {
		if err := p.wins.restoreEvent(key, data, decodeGroupRow); err != nil {
			return fmt.Errorf("event window %q: %w", key, err)
		}
	}
	if len(cp.Watermark) > 0 && p.wm != nil {
		return p.wm.Restore(cp.Watermark)
	}
	return nil
}

// encodeGroupRow writes a buffered window row in the typed row encoding.
func encodeGroupRow(payload any) ([]byte, error) {
	gr, ok := payload.(plan.GroupRow)
	if !ok || gr.Row == nil {
		return nil, fmt.Errorf("unexpected window payload %T", payload)
	}
	dst := []byte(`{"s":`)
	dst = append(value.AppendJSON(dst, value.FromInt(int64(gr.Src))), `,"t":`...)
	dst = append(value.AppendJSON(dst, value.FromInt(gr.TS)), `,"a":[`...)
	for i, v := range gr.Ana {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = row.AppendTaggedValue(dst, v)
	}
	dst = append(dst, `],"r":`...)
	return append(row.AppendTyped(dst, gr.Row), '}'), nil
}

func decodeGroupRow(b []byte) (any, error) {
	var p fastjson.Parser
	v, err := p.ParseBytes(b)
	if err != nil {
		return nil, err
	}
	r, err := row.ParseTyped(v.Get("r"))
	if err != nil {
		return nil, err
	}
	gr := plan.GroupRow{Row: r, Src: v.GetInt("s"), TS: v.GetInt64("t")}
	for _, a := range v.GetArray("a") {
		x, err := row.ParseTaggedValue(a)
		if err != nil {
			return nil, err
		}
		gr.Ana = append(gr.Ana, x)
	}
	return gr, nil
}
