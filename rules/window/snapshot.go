package window

import (
	"encoding/json"
	"errors"
	"fmt"
)

// snapItem is an Item with its payload already encoded by the caller.
type snapItem struct {
	TS      int64  `json:"ts"`
	Payload []byte `json:"p,omitempty"`
	Trigger bool   `json:"tr,omitempty"`
	Begin   bool   `json:"b,omitempty"`
	Emit    bool   `json:"e,omitempty"`
}

// snapState is the checkpoint of any window kind; each kind uses the fields it needs.
type snapState struct {
	Kind    Kind       `json:"kind"`
	Items   []snapItem `json:"items"`
	Start   int64      `json:"start,omitempty"`   // tumbling/session window start
	Last    int64      `json:"last,omitempty"`    // session: last row time
	Open    bool       `json:"open,omitempty"`    // session/state: a window is open
	Count   int        `json:"count,omitempty"`   // count: rows since the last step
	Pending []pending  `json:"pending,omitempty"` // sliding: delayed fires
}

var errNoCodec = errors.New("no payload codec given")

func snapshotOf(st *snapState, items []Item, encode func(any) ([]byte, error)) ([]byte, error) {
	if encode == nil {
		return nil, fmt.Errorf("window %s snapshot: %w", st.Kind, errNoCodec)
	}
	st.Items = make([]snapItem, len(items))
	for i, it := range items {
		p, err := encode(it.Payload)
		if err != nil {
			return nil, fmt.Errorf("window %s snapshot: encode row %d (ts %d): %w", st.Kind, i, it.TS, err)
		}
		st.Items[i] = snapItem{TS: it.TS, Payload: p, Trigger: it.Trigger, Begin: it.Begin, Emit: it.Emit}
	}
	b, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("window %s snapshot: %w", st.Kind, err)
	}
	return b, nil
}

// restoreOf decodes a snapshot of the given kind and refills buf.
func restoreOf(kind Kind, data []byte, decode func([]byte) (any, error), buf *buffer) (*snapState, error) {
	if decode == nil {
		return nil, fmt.Errorf("window %s restore: %w", kind, errNoCodec)
	}
	var st snapState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("window %s restore: %w", kind, err)
	}
	if st.Kind != kind {
		return nil, fmt.Errorf("window %s restore: snapshot is of a %s", kind, st.Kind)
	}
	buf.reset()
	for i, si := range st.Items {
		p, err := decode(si.Payload)
		if err != nil {
			return nil, fmt.Errorf("window %s restore: decode row %d (ts %d): %w", kind, i, si.TS, err)
		}
		buf.push(Item{TS: si.TS, Payload: p, Trigger: si.Trigger, Begin: si.Begin, Emit: si.Emit})
	}
	return &st, nil
}
