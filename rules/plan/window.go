package plan

import (
	"fmt"
	"strings"

	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// WindowDef is the window of GROUP BY as the planner understood it. The rule
// runtime turns it into a window state machine; conditions are compiled here
// because they are SQL.
type WindowDef struct {
	At        sql.Pos
	Name      string  // tumblingwindow, hoppingwindow, ...
	Unit      string  // DD HH MI SS MS (time windows)
	Ints      []int64 // the integer arguments in order
	Filter    Eval    // FILTER (WHERE ...), nil when absent
	Trigger   Eval    // sliding OVER (WHEN ...), nil when absent
	Begin     Eval    // statewindow begin condition (or the single condition)
	Emit      Eval    // statewindow emit condition (or the single condition)
	Partition []Eval  // statewindow OVER (PARTITION BY ...)
	Single    bool    // STATEWINDOW(cond): one condition for both roles
}

// windowDef compiles the window call of GROUP BY.
func (b *binder) windowDef(c *sql.Call) *WindowDef {
	w := &WindowDef{At: c.At, Name: c.Name}
	if c.Name == "statewindow" {
		b.stateArgs(c, w)
	} else {
		b.windowArgs(c, w)
	}
	if c.Filter != nil {
		w.Filter = b.expr(c.Filter, asLogic).eval
	}
	if c.Over != nil {
		switch {
		case c.Name == "slidingwindow" && c.Over.When != nil:
			w.Trigger = b.expr(c.Over.When, asLogic).eval
		case c.Name == "statewindow" && len(c.Over.PartitionBy) > 0:
			for _, p := range c.Over.PartitionBy {
				w.Partition = append(w.Partition, b.expr(p, asValue).eval)
			}
		default:
			b.errorf(c.Over.At, "OVER is not allowed on %s", c.Name)
		}
	}
	return w
}

// windowArgs reads the unit and the integer literal sizes.
func (b *binder) windowArgs(c *sql.Call, w *WindowDef) {
	args := c.Args
	if c.Name != "countwindow" {
		if len(args) == 0 {
			b.errorf(c.At, "The arguments for %s should be at least 2.", c.Name)
			return
		}
		u, ok := args[0].(*sql.TimeUnit)
		if !ok {
			b.errorf(args[0].Pos(), "the first argument of %s must be a time unit (DD, HH, MI, SS, MS)", c.Name)
			return
		}
		w.Unit = strings.ToUpper(u.Unit)
		args = args[1:]
	}
	for _, a := range args {
		lit, ok := a.(*sql.IntLit)
		if !ok || lit.Unsigned || lit.Val <= 0 {
			b.errorf(a.Pos(), "the size arguments of %s must be positive integer literals, found %s", c.Name, sql.Format(a))
			return
		}
		w.Ints = append(w.Ints, lit.Val)
	}
}

func (b *binder) stateArgs(c *sql.Call, w *WindowDef) {
	if len(c.Args) == 0 || len(c.Args) > 2 {
		b.errorf(c.At, "The arguments for statewindow should be 1 or 2.")
		return
	}
	w.Begin = b.expr(c.Args[0], asLogic).eval
	w.Emit, w.Single = w.Begin, len(c.Args) == 1
	if len(c.Args) == 2 {
		w.Emit = b.expr(c.Args[1], asLogic).eval
	}
}

// groupBy separates the window call from the dimensions.
func (b *binder) groupBy(items []sql.Expr) (*WindowDef, []Eval) {
	var win *WindowDef
	var dims []Eval
	for _, g := range items {
		if c, ok := g.(*sql.Call); ok {
			if f, ok := b.reg.Lookup(c.Name); ok && f.Kind == fn.WindowDef {
				if win != nil {
					b.errorf(c.At, "only one window function is allowed in GROUP BY")
					continue
				}
				win = b.windowDef(c)
				continue
			}
		}
		if hasCall(g, func(c *sql.Call) bool { f, ok := b.reg.Lookup(c.Name); return ok && f.Kind == fn.Aggregate }) {
			b.errorf(g.Pos(), "aggregate functions are not allowed in GROUP BY")
		}
		dims = append(dims, b.expr(g, asValue).eval)
	}
	if len(items) > 0 && win == nil {
		b.errorf(items[0].Pos(), "select stmt group by should be used with window")
	}
	return win, dims
}

// Window returns the query's window, nil for a query without one.
func (p *Program) Window() *WindowDef { return p.window }

// HasAggregates reports aggregate calls anywhere in the query.
func (p *Program) HasAggregates() bool { return p.hasAgg }

// WindowCond evaluates a window condition for the current row (UNKNOWN is false).
func WindowCond(e Eval, c *Ctx) (bool, error) { return cond(e, c) }

// PartitionKey encodes the statewindow partition values of the current row.
func PartitionKey(es []Eval, c *Ctx) (string, error) {
	var buf []byte
	for _, e := range es {
		v, err := e(c)
		if err != nil {
			return "", err
		}
		buf = value.AppendJSON(buf, v)
		buf = append(buf, 0)
	}
	return string(buf), nil
}

func (w *WindowDef) String() string { return fmt.Sprintf("%s(%s %v)", w.Name, w.Unit, w.Ints) }
