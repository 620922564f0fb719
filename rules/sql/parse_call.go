package sql

import "strings"

func (p *parser) caseExpr() Expr {
	p.enter()
	defer p.leave()
	t := p.next()
	c := &Case{At: t.Pos}
	if n := p.tok(); n.isKeyword("END") || n.isKeyword("ELSE") {
		p.fail(n, "WHEN")
	}
	if !p.tok().isKeyword("WHEN") {
		c.Value = p.expr()
	}
	for p.tok().isKeyword("WHEN") {
		w := p.next()
		cond := p.expr()
		p.expectKeyword("THEN")
		c.Whens = append(c.Whens, When{At: w.Pos, Cond: cond, Result: p.expr()})
	}
	if len(c.Whens) == 0 {
		p.fail(p.tok(), "WHEN")
	}
	if p.acceptKeyword("ELSE") {
		c.Else = p.expr()
	}
	if t := p.tok(); !t.isKeyword("END") {
		p.fail(t, "WHEN, ELSE or END")
	}
	p.next()
	return c
}

// call parses the argument list and the FILTER / OVER suffixes of a call
// whose name token is t.
func (p *parser) call(t token) Expr {
	p.enter()
	defer p.leave()
	p.next()
	c := &Call{At: t.Pos, Name: strings.ToLower(t.name())}
	if !p.acceptOp(")") {
		for {
			c.Args = append(c.Args, p.arg())
			if p.acceptOp(")") {
				break
			}
			if a := p.tok(); !a.isOp(",") {
				p.fail(a, `"," or ")"`)
			}
			p.next()
		}
	}
	if p.tok().isKeyword("FILTER") {
		p.next()
		p.expectOp("(")
		p.expectKeyword("WHERE")
		c.Filter = p.expr()
		p.expectOp(")")
	}
	if p.tok().isKeyword("OVER") {
		c.Over = p.over()
	}
	return c
}

// arg parses one call argument: "*" alone or an expression.
func (p *parser) arg() Expr {
	t := p.tok()
	if n := p.peek(1); t.isOp("*") && (n.isOp(",") || n.isOp(")")) {
		p.next()
		return &Star{At: t.Pos}
	}
	return p.expr()
}

// over parses OVER ([PARTITION BY e, ...] [WHEN e] [ORDER BY s, ...]); WHEN
// and ORDER BY may come in either order, each at most once.
func (p *parser) over() *Over {
	t := p.next()
	p.expectOp("(")
	o := &Over{At: t.Pos}
	if p.acceptKeyword("PARTITION") {
		p.expectKeyword("BY")
		o.PartitionBy = p.exprList()
	}
	for {
		n := p.tok()
		switch {
		case o.When == nil && n.isKeyword("WHEN"):
			p.next()
			o.When = p.expr()
		case o.OrderBy == nil && n.isKeyword("ORDER"):
			p.next()
			p.expectKeyword("BY")
			o.OrderBy = p.sortList()
		case n.isOp(")"):
			p.next()
			return o
		default:
			p.fail(n, overExpected(o))
		}
	}
}

// overExpected lists what may still follow inside OVER (...).
func overExpected(o *Over) string {
	var opts []string
	if o.PartitionBy == nil && o.When == nil && o.OrderBy == nil {
		opts = append(opts, "PARTITION BY")
	}
	if o.When == nil {
		opts = append(opts, "WHEN")
	}
	if o.OrderBy == nil {
		opts = append(opts, "ORDER BY")
	}
	return orList(append(opts, `")"`))
}

// orList joins alternatives as "a, b or c".
func orList(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// exprList parses e {, e}.
func (p *parser) exprList() []Expr {
	list := []Expr{p.expr()}
	for p.acceptOp(",") {
		list = append(list, p.expr())
	}
	return list
}

// sortList parses ORDER BY items; each must begin with an identifier
// (sql.md §5.1), which rules out positional ORDER BY 1.
func (p *parser) sortList() []SortItem {
	var list []SortItem
	for {
		t := p.tok()
		if !t.isName() || t.isKeyword("NULL") {
			p.fail(t, "identifier")
		}
		item := SortItem{At: t.Pos, X: p.expr()}
		if p.acceptKeyword("DESC") {
			item.Desc = true
		} else {
			p.acceptKeyword("ASC")
		}
		list = append(list, item)
		if !p.acceptOp(",") {
			return list
		}
	}
}
