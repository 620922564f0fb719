package source

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// NewFile returns the factory of file sources for scan tables (TYPE="file",
// DATASOURCE is the path of a JSON array of objects or of JSON lines). The
// rows are delivered when the rule starts and again every "interval"
// (property, a duration; 0 loads once). Streams cannot read files.
func NewFile(clk clock.Clock, log obs.Logger) engine.SourceFactory {
	return func(def *engine.StreamDef, props map[string]any, deliver func(*row.Row)) (func(), error) {
		if def.Kind != engine.KindTable {
			return nil, fmt.Errorf("source type file is not supported for streams (%s): use it for tables", def.Name)
		}
		path, _ := props["datasource"].(string)
		wholeInt := !def.Stmt.Schemaless
		rows, err := readRows(path, wholeInt)
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", def.Name, err)
		}
		for _, r := range rows {
			deliver(r)
		}
		every, err := interval(props["interval"])
		if err != nil || every <= 0 {
			return func() {}, err
		}
		return reload(clk, every, func() {
			rows, err := readRows(path, wholeInt)
			if err != nil {
				log.Warnf("table %s: reloading %s: %v (keeping the previous rows)", def.Name, path, err)
				return
			}
			for _, r := range rows {
				deliver(r)
			}
		}), nil
	}
}

// reload runs f every period on the injected clock until stopped.
func reload(clk clock.Clock, every time.Duration, f func()) func() {
	var mu sync.Mutex
	stopped := false
	var tick func()
	tick = func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		f()
		clk.AfterFunc(every, tick)
	}
	clk.AfterFunc(every, tick)
	return func() { mu.Lock(); stopped = true; mu.Unlock() }
}

func interval(v any) (time.Duration, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case string:
		if x == "" {
			return 0, nil
		}
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			return time.Duration(n) * time.Millisecond, nil
		}
		return time.ParseDuration(x)
	case float64:
		return time.Duration(x) * time.Millisecond, nil
	}
	return 0, fmt.Errorf("interval must be a duration, found %v", v)
}

// readRows parses a JSON array of objects or JSON lines into rows.
func readRows(path string, wholeInt bool) ([]*row.Row, error) {
	if path == "" {
		return nil, fmt.Errorf("DATASOURCE (the file path) is empty")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("[")) {
		v, err := value.ParseJSON(trimmed, wholeInt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out := make([]*row.Row, 0, len(v.Arr()))
		for i, e := range v.Arr() {
			r, err := objectRow(e)
			if err != nil {
				return nil, fmt.Errorf("%s: element %d: %w", path, i, err)
			}
			out = append(out, r)
		}
		return out, nil
	}
	return readLines(path, trimmed, wholeInt)
}

func readLines(path string, data []byte, wholeInt bool) ([]*row.Row, error) {
	var out []*row.Row
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		v, err := value.ParseJSON([]byte(line), wholeInt)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		r, err := objectRow(v)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func objectRow(v value.Value) (*row.Row, error) {
	if v.Kind() != value.Object {
		return nil, fmt.Errorf("expected a JSON object, found %s", value.TypeName(v))
	}
	keys := make([]string, 0, len(v.Obj()))
	for k := range v.Obj() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	r := &row.Row{Cols: make([]row.Col, 0, len(keys))}
	for _, k := range keys {
		r.Cols = append(r.Cols, row.Col{Name: k, Val: v.Obj()[k]})
	}
	return r, nil
}
