package plan

import (
	"strings"

	"github.com/oort-rules/oort/rules/fn"
	"github.com/oort-rules/oort/rules/sql"
)

// OutColumn is one column of a rule's output as far as it is known before
// any row flows: Type is a sql type name, or "" when it depends on the data
// (schemaless input, functions returning any).
type OutColumn struct {
	Name string
	Type string
}

// OutputSchema lists the visible output columns in select order. Stars
// expand to the declared columns of schema'd sources; a star over a
// schemaless source contributes nothing because its columns are unknown.
func (p *Program) OutputSchema(reg *fn.Registry, fold bool) []OutColumn {
	t := typer{p: p, reg: reg, fold: fold}
	var out []OutColumn
	for i, f := range p.fields {
		switch {
		case f.invisible:
		case f.kind == fieldStar:
			out = append(out, t.star(f, p.SQL.Fields[i].Star)...)
		case f.kind == fieldSpread:
			// changed_cols spreads whatever changed: no static columns
		case f.kind == fieldExpr:
			out = append(out, OutColumn{Name: f.name, Type: t.expr(p.SQL.Fields[i].X)})
		default: // unnest/extract spread array elements or matches
			out = append(out, OutColumn{Name: f.name})
		}
	}
	return out
}

// typer infers static types from the AST and the declared schemas.
type typer struct {
	p    *Program
	reg  *fn.Registry
	fold bool
}

func (t typer) star(f outField, s *sql.StarField) []OutColumn {
	var out []OutColumn
	replaced := map[string]string{}
	for j, r := range f.replace {
		replaced[r.name] = t.expr(s.Replace[j].X)
	}
	for i, src := range t.p.Sources {
		if (f.srcIdx >= 0 && i != f.srcIdx) || src.Lookup {
			continue
		}
		for _, c := range src.Fields {
			if f.except[c.Name] {
				continue
			}
			typ, ok := replaced[c.Name]
			if !ok {
				typ = c.Type
			}
			out = append(out, OutColumn{Name: c.Name, Type: typ})
		}
	}
	return out
}

// column finds the declared type of name in src, or in the only source that
// declares it when src is "".
func (t typer) column(src, name string) string {
	typ, found := "", 0
	for _, s := range t.p.Sources {
		if src != "" && s.ref() != src && s.Name != src {
			continue
		}
		for _, c := range s.Fields {
			if c.Name == name || (t.fold && strings.EqualFold(c.Name, name)) {
				typ = c.Type
				found++
			}
		}
	}
	if found != 1 {
		return ""
	}
	return typ
}

func (t typer) expr(e sql.Expr) string {
	switch n := e.(type) {
	case *sql.Ident:
		return t.column("", n.Name)
	case *sql.Access:
		if id, ok := n.X.(*sql.Ident); ok && !n.Arrow {
			return t.column(id.Name, n.Key)
		}
	case *sql.IntLit:
		return "bigint"
	case *sql.FloatLit:
		return "float"
	case *sql.StringLit:
		return "string"
	case *sql.BoolLit, *sql.IsNull, *sql.In, *sql.Between, *sql.Like:
		return "boolean"
	case *sql.Unary:
		if n.Op == "NOT" {
			return "boolean"
		}
		return numeric(t.expr(n.X))
	case *sql.Binary:
		return t.binary(n)
	case *sql.Case:
		return t.caseType(n)
	case *sql.Call:
		return t.call(n)
	}
	return ""
}

func (t typer) binary(n *sql.Binary) string {
	switch n.Op {
	case "=", "!=", "<", ">", "<=", ">=", "AND", "OR":
		return "boolean"
	case "||":
		return "string"
	case "&", "|", "^", "%":
		return "bigint"
	}
	l, r := numeric(t.expr(n.L)), numeric(t.expr(n.R))
	switch {
	case l == "" || r == "":
		return ""
	case l == "float" || r == "float":
		return "float"
	}
	return "bigint"
}

func (t typer) caseType(n *sql.Case) string {
	typ := t.expr(n.Whens[0].Result)
	for _, w := range n.Whens[1:] {
		if t.expr(w.Result) != typ {
			return ""
		}
	}
	if n.Else != nil {
		if _, null := n.Else.(*sql.NullLit); !null && t.expr(n.Else) != typ {
			return ""
		}
	}
	return typ
}

// call uses the registered result type, the literal target of cast, and the
// argument's type for the aggregates that keep it.
func (t typer) call(n *sql.Call) string {
	name := strings.ToLower(n.Name)
	switch name {
	case "cast":
		if len(n.Args) == 2 {
			if s, ok := n.Args[1].(*sql.StringLit); ok {
				return strings.ToLower(s.Val)
			}
		}
		return ""
	case "count":
		return "bigint"
	case "max", "min", "sum", "avg", "last_value", "latest", "lag":
		if len(n.Args) > 0 {
			return t.expr(n.Args[0])
		}
	}
	f, ok := t.reg.Lookup(name)
	if !ok || strings.ContainsAny(f.Returns, " |") || f.Returns == "any" {
		return ""
	}
	return f.Returns
}

// numeric keeps bigint and float and drops every other type.
func numeric(typ string) string {
	if typ == "bigint" || typ == "float" {
		return typ
	}
	return ""
}
