package plan

import (
	"github.com/oort-rules/oort/rules/sql"
)

// JoinDef is one compiled JOIN clause (sql.md §11). Joins are evaluated left
// to right: the tuples of sources [0..Src-1] are joined with source Src.
type JoinDef struct {
	Kind string // INNER, LEFT, RIGHT, FULL, CROSS
	Src  int
	On   Eval // nil for CROSS
	// LookupKey evaluates, on the left tuple, the expression the ON
	// condition equates with a lookup table's KEY.
	LookupKey Eval
}

// Joins returns the query's joins in order.
func (p *Program) Joins() []JoinDef { return p.joins }

// JoinCond evaluates an ON condition for the tuple the context holds.
func JoinCond(e Eval, c *Ctx) (bool, error) { return cond(e, c) }

// joins compiles the JOIN clauses and checks what can be joined (§11.2).
func (b *binder) joins(sel *sql.Select, windowed bool) []JoinDef {
	streams := 0
	for _, s := range b.sources {
		if !s.IsTable {
			streams++
		}
	}
	if streams == 0 && len(b.sources) > 0 {
		b.errorf(sel.From.At, "a rule needs at least one stream: %s is a table", sel.From.Name)
	}
	if streams > 1 && !windowed {
		b.errorf(sel.Joins[0].At, "a time window or count window is required to join multiple streams")
	}
	out := make([]JoinDef, 0, len(sel.Joins))
	for i, j := range sel.Joins {
		d := JoinDef{Kind: j.Kind, Src: i + 1}
		if j.On != nil {
			d.On = b.expr(j.On, asLogic).eval
		}
		if src := b.sources[i+1]; src.Lookup {
			d.LookupKey = b.lookupKey(j, src)
		}
		out = append(out, d)
	}
	return out
}

// lookupKey finds `stream expr = table.KEY` in the ON condition.
func (b *binder) lookupKey(j sql.Join, src *Source) Eval {
	var found Eval
	walk(j.On, func(e sql.Expr) bool {
		bin, ok := e.(*sql.Binary)
		if !ok || found != nil {
			return found == nil
		}
		if bin.Op == "=" {
			switch {
			case b.isKeyRef(bin.L, src) && !b.refersTo(bin.R, src):
				found = b.expr(bin.R, asValue).eval
			case b.isKeyRef(bin.R, src) && !b.refersTo(bin.L, src):
				found = b.expr(bin.L, asValue).eval
			}
		}
		return bin.Op == "AND"
	})
	if found == nil {
		b.errorf(j.At, "the ON condition of lookup table %s must compare a stream expression with its KEY %s", src.Name, src.Key)
	}
	return found
}

func (b *binder) isKeyRef(e sql.Expr, src *Source) bool {
	switch x := e.(type) {
	case *sql.Access:
		id, ok := x.X.(*sql.Ident)
		return ok && !x.Arrow && b.source(id.Name) == src && x.Key == src.Key
	case *sql.Ident:
		return x.Name == src.Key && len(b.sources) == 2 && b.sources[0].Fields != nil && !declared(b.sources[0], x.Name)
	}
	return false
}

func declared(s *Source, name string) bool {
	for _, c := range s.Fields {
		if c.Name == name {
			return true
		}
	}
	return false
}

// refersTo reports whether e mentions src.
func (b *binder) refersTo(e sql.Expr, src *Source) bool {
	hit := false
	walk(e, func(x sql.Expr) bool {
		if a, ok := x.(*sql.Access); ok {
			if id, ok := a.X.(*sql.Ident); ok && b.source(id.Name) == src {
				hit = true
			}
		}
		return !hit
	})
	return hit
}
