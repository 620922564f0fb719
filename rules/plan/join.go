package plan

import (
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
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
	// EqLeft/EqRight are the sides of an ON conjunct `left = right` where
	// left reads only earlier sources and right only this one: the runtime
	// indexes the right rows by it (hash join); ON is still checked in full.
	EqLeft, EqRight Eval
}

// JoinKey appends the index key of v: equal values (1 and 1.0) share a key.
func JoinKey(dst []byte, v value.Value) []byte {
	return append(value.AppendJSON(dst, canonicalKey(v)), 0)
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
		} else if j.On != nil {
			d.EqLeft, d.EqRight = b.equiKeys(j.On, i+1)
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

// equiKeys finds a conjunct `x = y` of on with x over sources before src and
// y over src only (or mirrored), both written with source qualifiers.
func (b *binder) equiKeys(on sql.Expr, src int) (Eval, Eval) {
	var left, right Eval
	walk(on, func(e sql.Expr) bool {
		bin, ok := e.(*sql.Binary)
		if !ok || left != nil {
			return false
		}
		if bin.Op == "AND" {
			return true
		}
		if bin.Op != "=" {
			return false
		}
		ls, rs := b.qualifiedSources(bin.L), b.qualifiedSources(bin.R)
		switch {
		case below(ls, src) && only(rs, src):
			left, right = b.expr(bin.L, asValue).eval, b.expr(bin.R, asValue).eval
		case below(rs, src) && only(ls, src):
			left, right = b.expr(bin.R, asValue).eval, b.expr(bin.L, asValue).eval
		}
		return false
	})
	return left, right
}

// qualifiedSources lists the sources an expression reads through src.col
// references; nil when it reads any unqualified column (unknown source).
func (b *binder) qualifiedSources(e sql.Expr) []int {
	var out []int
	ok := true
	walk(e, func(x sql.Expr) bool {
		switch n := x.(type) {
		case *sql.Access:
			if id, isID := n.X.(*sql.Ident); isID && !n.Arrow {
				if s := b.source(id.Name); s != nil {
					out = append(out, b.sourceIndex(s))
					return false
				}
			}
		case *sql.Ident:
			ok = false
		case *sql.Call:
			ok = false // functions may be volatile or context-dependent
		}
		return ok
	})
	if !ok || len(out) == 0 {
		return nil
	}
	return out
}

func below(srcs []int, limit int) bool {
	for _, s := range srcs {
		if s >= limit {
			return false
		}
	}
	return len(srcs) > 0
}

func only(srcs []int, want int) bool {
	for _, s := range srcs {
		if s != want {
			return false
		}
	}
	return len(srcs) > 0
}
