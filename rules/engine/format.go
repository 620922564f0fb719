package engine

import "github.com/oort-rules/oort/rules/sql"

func formatExpr(e sql.Expr) string { return sql.Format(e) }

func fieldText(f sql.Field) string {
	if f.Star != nil {
		if f.Star.Source != "" {
			return f.Star.Source + ".*"
		}
		return "*"
	}
	s := sql.Format(f.X)
	if f.Alias != "" {
		s += " AS " + f.Alias
	}
	return s
}
