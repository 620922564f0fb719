package testscript

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/value"
)

// ErrUnsupported marks a case that uses a feature the engine refuses as not
// supported yet; runners report such cases as skipped, naming the feature.
type ErrUnsupported struct{ Msg string }

func (e *ErrUnsupported) Error() string { return e.Msg }

// Runner executes one case against a synchronous engine and a fake clock.
type Runner struct {
	clk       *clock.Fake
	eng       *engine.Engine
	opts      map[string]any
	out       [][]*row.Row
	ruleErr   string
	sendNil   bool
	ruleCount int
}

// NewRunner returns a runner whose clock reads start (epoch ms).
func NewRunner(reg *fn.Registry, start int64) (*Runner, error) {
	return newRunner(reg, start, false)
}

// newRunner optionally disables incremental aggregation, so every case can
// prove that both window paths give the same results.
func newRunner(reg *fn.Registry, start int64, buffered bool) (*Runner, error) {
	clk := clock.NewFake(time.UnixMilli(start).UTC())
	bus := &membus.Bus{}
	sinks := sink.NewRegistry()
	sink.RegisterBuiltins(sinks, bus)
	eng, err := engine.New(engine.Config{Functions: reg, Sinks: sinks, Bus: bus, Clock: clk,
		TZ: time.UTC, Synchronous: true, Sources: map[string]engine.SourceFactory{"mqtt": scriptSource},
		DisableIncremental: buffered})
	if err != nil {
		return nil, err
	}
	return &Runner{clk: clk, eng: eng, opts: map[string]any{}}, nil
}

// scriptSource stands in for external connectors: script rows arrive through
// IngestStream, whatever the stream's TYPE says (conformance README: DATASOURCE
// and FORMAT are informative only).
func scriptSource(*engine.StreamDef, map[string]any, func(*row.Row)) (func(), error) {
	return func() {}, nil
}

// Close releases the engine.
func (r *Runner) Close() { _ = r.eng.Close() }

// Run executes every step of c.
func (r *Runner) Run(c Case) error {
	for _, s := range c.Steps {
		if err := r.step(s); err != nil {
			if u, ok := err.(*ErrUnsupported); ok {
				return u
			}
			return fmt.Errorf("line %d: %s %s: %w", s.Line, s.Op, abbreviate(s.Arg), err)
		}
	}
	if len(r.out) > 0 {
		return fmt.Errorf("unexpected emissions left at the end: %s", render(r.out))
	}
	return nil
}

func (r *Runner) step(s Step) error {
	switch s.Op {
	case "clock":
		ms, err := strconv.ParseInt(s.Arg, 10, 64)
		if err != nil {
			return err
		}
		r.clk.Advance(time.UnixMilli(ms))
	case "stream":
		_, err := r.eng.ExecStreamSQL(engine.KindStream, s.Arg)
		return err
	case "table":
		_, err := r.eng.ExecStreamSQL(engine.KindTable, s.Arg)
		return err
	case "options":
		r.opts = map[string]any{}
		return json.Unmarshal([]byte(s.Arg), &r.opts)
	case "rule-error":
		r.ruleErr = s.Arg
	case "rule":
		return r.createRule(s.Arg)
	case "at":
		return r.advance(s.Arg)
	case "send":
		return r.send(s.Arg)
	case "publish":
		return r.publish(s.Arg)
	default:
		return r.expect(s)
	}
	return nil
}

func (r *Runner) createRule(sqlText string) error {
	r.ruleCount++
	id := fmt.Sprintf("rule%d", r.ruleCount)
	if b, ok := r.opts["sendNilField"].(bool); ok {
		r.sendNil = b
	}
	doc, _ := json.Marshal(map[string]any{"id": id, "sql": sqlText, "triggered": false,
		"actions": []any{map[string]any{"nop": map[string]any{}}}, "options": r.opts})
	_, err := r.eng.CreateRule(doc)
	if err == nil {
		err = r.eng.AttachEmit(id, func(rows []*row.Row) { r.out = append(r.out, rows) })
	}
	want := r.ruleErr
	r.ruleErr = ""
	switch {
	case want != "" && err == nil:
		return fmt.Errorf("rule was accepted, want an error containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		return fmt.Errorf("error %q does not contain %q", err, want)
	case want == "" && err != nil && strings.Contains(err.Error(), "not supported yet"):
		return &ErrUnsupported{Msg: err.Error()}
	case want == "" && err != nil:
		return err
	}
	return nil
}

func (r *Runner) advance(arg string) error {
	if strings.HasPrefix(arg, "+") {
		d, err := time.ParseDuration(arg[1:])
		if err != nil {
			return err
		}
		r.clk.Advance(r.clk.Now().Add(d))
		return nil
	}
	ms, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return err
	}
	r.clk.Advance(time.UnixMilli(ms))
	return nil
}

// rowArg parses "<name> <json row> [meta <json>]".
func rowArg(arg string) (string, *row.Row, error) {
	name, rest, _ := strings.Cut(arg, " ")
	rowText, metaText := rest, ""
	if i := strings.LastIndex(rest, " meta "); i >= 0 {
		rowText, metaText = rest[:i], rest[i+6:]
	}
	rw, err := RowFromJSON([]byte(rowText), []byte(metaText))
	return name, rw, err
}

// send delivers a row to the rules reading a stream.
func (r *Runner) send(arg string) error {
	name, rw, err := rowArg(arg)
	if err != nil {
		return err
	}
	if n := r.eng.IngestStream(name, rw); n == 0 {
		return fmt.Errorf("no running rule reads stream %s", name)
	}
	return nil
}

// publish parses "<topic> <json row> [meta <json>]" and publishes the row on
// the engine's memory bus (memory streams, memory lookup tables).
func (r *Runner) publish(arg string) error {
	topicName, rw, err := rowArg(arg)
	if err != nil {
		return err
	}
	r.eng.Bus().Publish(topicName, []*row.Row{rw})
	return nil
}

// RowFromJSON builds an input row: integers stay integers, floats floats.
func RowFromJSON(rowText, metaText []byte) (*row.Row, error) {
	v, err := value.ParseJSON(rowText, true)
	if err != nil {
		return nil, fmt.Errorf("row: %w", err)
	}
	if v.Kind() != value.Object {
		return nil, fmt.Errorf("row must be a JSON object")
	}
	rw := &row.Row{}
	keys := make([]string, 0, len(v.Obj()))
	for k := range v.Obj() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rw.Cols = append(rw.Cols, row.Col{Name: k, Val: v.Obj()[k]})
	}
	if len(metaText) > 0 {
		m, err := value.ParseJSON(metaText, true)
		if err != nil || m.Kind() != value.Object {
			return nil, fmt.Errorf("meta must be a JSON object: %v", err)
		}
		rw.Meta = row.MapMeta(m.Obj())
	}
	return rw, nil
}

func abbreviate(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
