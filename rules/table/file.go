package table

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// fileLookup serves a JSON file (array of objects or JSON lines) indexed by
// KEY, optionally reloaded every interval. A failed reload keeps the previous
// content and is reported by LastError.
type fileLookup struct {
	name, path, key string
	wholeAsInt      bool
	interval        time.Duration
	clk             clock.Clock

	index   atomic.Pointer[map[string][]*row.Row]
	lastErr atomic.Pointer[error]

	mu     sync.Mutex // guards timer and closed
	timer  clock.Timer
	closed bool
}

// NewFileFactory builds the file lookup type; clk drives reloads.
func NewFileFactory(clk clock.Clock) Factory {
	return func(_ context.Context, d Def) (Lookup, error) {
		if d.DataSource == "" || d.Key == "" {
			return nil, errors.New("file lookup table needs DATASOURCE (the file path) and KEY")
		}
		p := props(d.Props)
		interval, err := p.millis("interval", 0)
		if err != nil {
			return nil, err
		}
		wholeAsInt, err := p.boolean("useInt64ForWholeNumber", false)
		if err != nil {
			return nil, err
		}
		l := &fileLookup{name: d.Name, path: d.DataSource, key: d.Key, wholeAsInt: wholeAsInt, interval: interval, clk: clk}
		if err := l.load(); err != nil {
			return nil, err
		}
		l.schedule()
		return l, nil
	}
}

func (l *fileLookup) load() error {
	data, err := os.ReadFile(l.path)
	if err != nil {
		return fmt.Errorf("lookup table %s: %w", l.name, err)
	}
	rows, err := parseOrderedRows(data, l.wholeAsInt)
	if err != nil {
		return fmt.Errorf("lookup table %s: file %s: %w", l.name, l.path, err)
	}
	idx := make(map[string][]*row.Row, len(rows))
	for _, r := range rows {
		if k, ok := r.Get(l.key); ok {
			if h, ok := hashKey(k); ok {
				idx[h] = append(idx[h], r)
			}
		}
	}
	l.index.Store(&idx)
	return nil
}

func (l *fileLookup) schedule() {
	if l.interval <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.timer = l.clk.AfterFunc(l.interval, l.reload)
	}
}

func (l *fileLookup) reload() {
	if err := l.load(); err != nil {
		l.lastErr.Store(&err)
	} else {
		l.lastErr.Store(nil)
	}
	l.schedule()
}

// LastError is the error of the latest reload (nil after a good one).
func (l *fileLookup) LastError() error {
	if p := l.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

func (l *fileLookup) Lookup(_ context.Context, v value.Value) ([]*row.Row, error) {
	h, ok := hashKey(v)
	if !ok {
		return nil, nil
	}
	return (*l.index.Load())[h], nil
}

func (l *fileLookup) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.timer != nil {
		l.timer.Stop()
	}
	return nil
}

// parseOrderedRows reads a JSON array of objects, or one object per line,
// keeping each object's keys in file order.
func parseOrderedRows(data []byte, wholeAsInt bool) ([]*row.Row, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, nil
	}
	var p fastjson.Parser
	if trimmed[0] == '[' {
		doc, err := p.ParseBytes(trimmed)
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		items, _ := doc.Array()
		out := make([]*row.Row, 0, len(items))
		for i, it := range items {
			r, err := orderedRow(it, wholeAsInt)
			if err != nil {
				return nil, fmt.Errorf("array element %d: %w", i, err)
			}
			out = append(out, r)
		}
		return out, nil
	}
	var out []*row.Row
	for n, line := range bytes.Split(trimmed, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		doc, err := p.ParseBytes(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: invalid JSON: %w", n+1, err)
		}
		r, err := orderedRow(doc, wholeAsInt)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func orderedRow(fv *fastjson.Value, wholeAsInt bool) (*row.Row, error) {
	o, err := fv.Object()
	if err != nil {
		return nil, fmt.Errorf("expected a JSON object, got %s", fv.Type())
	}
	r := &row.Row{Cols: make([]row.Col, 0, o.Len())}
	var buf []byte
	o.Visit(func(key []byte, item *fastjson.Value) {
		if err != nil {
			return
		}
		buf = item.MarshalTo(buf[:0])
		var v value.Value
		if v, err = value.ParseJSON(buf, wholeAsInt); err != nil {
			err = fmt.Errorf("field %s: %w", key, err)
			return
		}
		r.Set(string(key), v, nil) // a repeated key keeps its first position, last value
	})
	return r, err
}
