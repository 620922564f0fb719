package plan

import "github.com/oort-rules/oort/rules/sql"

// walk visits e and its sub-expressions depth-first; visit returns false to
// skip a node's children.
func walk(e sql.Expr, visit func(sql.Expr) bool) {
	if e == nil || !visit(e) {
		return
	}
	for _, c := range children(e) {
		walk(c, visit)
	}
}

func children(e sql.Expr) []sql.Expr {
	switch n := e.(type) {
	case *sql.Access:
		return []sql.Expr{n.X}
	case *sql.Index:
		return []sql.Expr{n.X, n.Index}
	case *sql.Slice:
		return []sql.Expr{n.X, n.Lo, n.Hi}
	case *sql.Unary:
		return []sql.Expr{n.X}
	case *sql.Binary:
		return []sql.Expr{n.L, n.R}
	case *sql.IsNull:
		return []sql.Expr{n.X}
	case *sql.In:
		return append([]sql.Expr{n.X, n.Set}, n.List...)
	case *sql.Between:
		return []sql.Expr{n.X, n.Lo, n.Hi}
	case *sql.Like:
		return []sql.Expr{n.X, n.Pattern}
	case *sql.Case:
		out := []sql.Expr{n.Value, n.Else}
		for _, w := range n.Whens {
			out = append(out, w.Cond, w.Result)
		}
		return out
	case *sql.Call:
		out := append([]sql.Expr{n.Filter}, n.Args...)
		if n.Over != nil {
			out = append(out, n.Over.When)
			out = append(out, n.Over.PartitionBy...)
			for _, s := range n.Over.OrderBy {
				out = append(out, s.X)
			}
		}
		return out
	}
	return nil
}

// hasCall reports whether e calls a function accepted by pred.
func hasCall(e sql.Expr, pred func(*sql.Call) bool) bool {
	found := false
	walk(e, func(x sql.Expr) bool {
		if c, ok := x.(*sql.Call); ok && pred(c) {
			found = true
		}
		return !found
	})
	return found
}
