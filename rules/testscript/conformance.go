package testscript

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/value"
)

// ConfCase is one file of the shared SQL conformance suite.
type ConfCase struct {
	Name      string                       `json:"name"`
	Source    string                       `json:"source"`
	Streams   []string                     `json:"streams"`
	Tables    []string                     `json:"tables"`
	TableRows map[string][]json.RawMessage `json:"tableRows"`
	Rule      struct {
		SQL     string         `json:"sql"`
		Options map[string]any `json:"options"`
	} `json:"rule"`
	Start   int64             `json:"start"`
	Inputs  []json.RawMessage `json:"inputs"`
	End     int64             `json:"end"`
	Expect  json.RawMessage   `json:"expect"`
	Compare string            `json:"compare"`
}

type confInput struct {
	At     int64           `json:"at"`
	Stream string          `json:"stream"`
	Row    json.RawMessage `json:"row"`
	Meta   json.RawMessage `json:"meta"`
	table  bool
	order  int
}

// LoadConformance reads one case file.
func LoadConformance(path string) (*ConfCase, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c ConfCase
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// RunConformance executes a case and compares every emission produced by end.
func RunConformance(reg *fn.Registry, c *ConfCase, buffered bool) error {
	r, err := newRunner(reg, c.Start, buffered)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, s := range c.Streams {
		if _, err := r.eng.ExecStreamSQL(engine.KindStream, s); err != nil {
			return fmt.Errorf("stream: %w", err)
		}
	}
	for _, s := range c.Tables {
		if _, err := r.eng.ExecStreamSQL(engine.KindTable, s); err != nil {
			return fmt.Errorf("table: %w", err)
		}
	}
	r.opts = c.Rule.Options
	if err := r.createRule(c.Rule.SQL); err != nil {
		return err
	}
	events, err := c.events()
	if err != nil {
		return err
	}
	for _, ev := range events {
		r.clk.Advance(time.UnixMilli(ev.At))
		rw, err := RowFromJSON(ev.Row, ev.Meta)
		if err != nil {
			return err
		}
		r.eng.IngestStream(ev.Stream, rw)
	}
	r.clk.Advance(time.UnixMilli(c.End))
	return r.compareAll(c)
}

// events merges table rows and inputs by arrival; table rows first on ties.
func (c *ConfCase) events() ([]confInput, error) {
	var out []confInput
	for name, rows := range c.TableRows {
		for _, raw := range rows {
			var in confInput
			if err := json.Unmarshal(raw, &in); err != nil {
				return nil, err
			}
			in.Stream, in.table, in.order = name, true, len(out)
			out = append(out, in)
		}
	}
	for _, raw := range c.Inputs {
		var in confInput
		if err := json.Unmarshal(raw, &in); err != nil {
			return nil, err
		}
		in.order = len(out)
		out = append(out, in)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].At != out[j].At {
			return out[i].At < out[j].At
		}
		if out[i].table != out[j].table {
			return out[i].table
		}
		return out[i].order < out[j].order
	})
	return out, nil
}

func (r *Runner) compareAll(c *ConfCase) error {
	want, err := value.ParseJSON(c.Expect, true)
	if err != nil {
		return fmt.Errorf("expect: %w", err)
	}
	if len(r.out) != len(want.Arr()) {
		return fmt.Errorf("got %d emissions %s, want %d %s", len(r.out), render(r.out), len(want.Arr()), value.ToJSON(want))
	}
	for i, w := range want.Arr() {
		if err := r.compareEmission(r.out[i], w.Arr(), c.Compare == "unordered-rows"); err != nil {
			if isErrorEmission(w) {
				if len(r.out[i]) == 1 && len(r.out[i][0].Cols) == 1 && r.out[i][0].Cols[0].Name == "error" {
					continue
				}
			}
			return fmt.Errorf("emission %d: %w", i, err)
		}
	}
	r.out = nil
	return nil
}

// isErrorEmission: an expected [{"error": "..."}] only checks that an error row came.
func isErrorEmission(w value.Value) bool {
	a := w.Arr()
	if len(a) != 1 || a[0].Kind() != value.Object || len(a[0].Obj()) != 1 {
		return false
	}
	_, ok := a[0].Obj()["error"]
	return ok
}
