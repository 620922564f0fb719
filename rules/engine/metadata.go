package engine

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/value"
)

// FuncInfo is one entry of GET /metadata/functions (rules-api.md §3.12).
type FuncInfo struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Args     string   `json:"args"`
	Return   string   `json:"return"`
	Doc      string   `json:"doc"`
	Aliases  []string `json:"aliases,omitempty"`
	Examples []string `json:"examples,omitempty"`
}

// FunctionList describes every registered SQL function, sorted by name.
func (e *Engine) FunctionList() []FuncInfo { return DescribeFunctions(e.cfg.Functions) }

// DescribeFunctions lists reg's functions sorted by name.
func DescribeFunctions(reg *fn.Registry) []FuncInfo {
	all := reg.All()
	out := make([]FuncInfo, 0, len(all))
	for _, f := range all {
		fi := FuncInfo{Name: f.Name, Type: f.Kind.String(), Args: f.Args, Return: f.Returns, Doc: f.Doc, Aliases: f.Aliases}
		for _, ex := range f.Examples {
			fi.Examples = append(fi.Examples, ex.Call+" = "+ex.Want)
		}
		out = append(out, fi)
	}
	return out
}

// RuleSchema returns the output schema of GET /rules/{id}/schema: one key per
// output column in select order, {"type":...} where the type is known before
// data flows and {} otherwise.
func (e *Engine) RuleSchema(id string) ([]byte, error) {
	r, ok := e.entry(id)
	if !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	e.mu.Lock()
	d := r.def
	e.mu.Unlock()
	c, err := e.planRule(d)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, col := range c.prog.OutputSchema(e.cfg.Functions, e.cfg.IgnoreCase) {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(col.Name)
		b.Write(name)
		if col.Type == "" {
			b.WriteString(":{}")
			continue
		}
		typ, _ := json.Marshal(col.Type)
		b.WriteString(`:{"type":`)
		b.Write(typ)
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ScanTables returns GET /rules/{id}/scantables: the current rows of each
// scan table the running rule joins, {"<table>":[{row},...]}.
func (e *Engine) ScanTables(id string) ([]byte, error) {
	r, ok := e.entry(id)
	if !ok {
		return nil, errs.New(errs.NotFound, "Rule %s is not found", id)
	}
	e.mu.Lock()
	run := r.run
	running := run != nil && !run.stopped
	e.mu.Unlock()
	if !running {
		return nil, errs.New(errs.General, "rule %s is not running: scan tables live only while it runs", id)
	}
	names := make([]string, 0, len(run.scans))
	for name := range run.scans {
		names = append(names, name)
	}
	sort.Strings(names)
	b := []byte{'{'}
	for i, name := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = value.AppendJSONString(b, name)
		b = append(b, ":["...)
		for j, rw := range run.scans[name].Snapshot() {
			if j > 0 {
				b = append(b, ',')
			}
			b = value.AppendJSON(b, rw.Object())
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}
