// Package plan binds a parsed SELECT to its sources and functions and compiles
// it into closures. Syntax lives in rules/sql; this package is the meaning
// pass: names, aliases, function kinds, NULL logic and output naming.
package plan

import (
	"fmt"

	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// Eval is a compiled expression. It is called on the rule's goroutine only.
type Eval func(c *Ctx) (value.Value, error)

// Ctx is the per-rule evaluation context, reset for every row.
type Ctx struct {
	Row       *row.Row
	Env       *fn.Env
	EventTime bool  // rule uses event time: event_time() reads Row.ET
	WinStart  int64 // current window bounds (0 outside windows)
	WinEnd    int64
	HitCount  int64 // last_hit_count()
	HitTime   int64 // last_hit_time()
	// Ana holds the analytic results of the current row (sql.md §8: computed
	// before WHERE, read by the rest of the query).
	Ana []value.Value
	// Group is the current group's rows in window queries; nil outside
	// windows, where each row is its own group.
	Group []GroupRow
	// Tuple is the joined row (one row per source, nil where an outer join
	// left a side empty); nil for single-source rows, which are in Row.
	Tuple []*row.Row
	// TriggerTime is what event_time() reports for every row of an aggregate
	// window emission (UseTrigger); otherwise it is the row's own time.
	TriggerTime int64
	UseTrigger  bool
	rowTS       int64 // the current row's event time when known from the window
	// aggHitCount/aggHitTime: earlier emissions whose groups passed HAVING
	// (last_agg_hit_count(), last_agg_hit_time()).
	aggHitCount, aggHitTime int64
	rowNums                 []int64       // row_number() results of the row being projected
	aggRes                  []value.Value // aggregate results of the group (incremental mode)
	aliasVal                []value.Value
	aliasProv               []*row.Prov
	aliasState              []uint8
	prog                    *Program
}

// Reset prepares the context for a new row.
func (c *Ctx) Reset(r *row.Row) {
	c.Row, c.Tuple, c.rowTS = r, nil, 0
	for i := range c.aliasState {
		c.aliasState[i] = 0
	}
}

// RowTime is the timestamp event_time() reports for the current row.
func (c *Ctx) RowTime() int64 {
	if c.UseTrigger {
		return c.TriggerTime
	}
	if c.EventTime && c.rowTS != 0 {
		return c.rowTS
	}
	if c.EventTime && c.Row.ET != 0 {
		return c.Row.ET
	}
	return c.Row.PT
}

// EvalError is a runtime error with the position of the failing expression.
type EvalError struct {
	Pos sql.Pos
	Err error
}

func (e *EvalError) Error() string { return fmt.Sprintf("%s: %v", e.Pos, e.Err) }
func (e *EvalError) Unwrap() error { return e.Err }

// at attaches a position to a runtime error unless it already has one.
func at(p sql.Pos, err error) error {
	if _, ok := err.(*EvalError); ok {
		return err
	}
	return &EvalError{Pos: p, Err: err}
}
