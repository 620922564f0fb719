package sql

import "strings"

// selectClauses are the optional clauses after FROM/JOIN, in their fixed
// order; the parser uses the list to say what may still follow.
var selectClauses = []string{"WHERE", "GROUP BY", "HAVING", "ORDER BY", "LIMIT"}

func (p *parser) selectStmt() Statement {
	t := p.next()
	s := &Select{At: t.Pos}
	s.Fields = p.fields()
	p.next() // FROM, checked by fields
	s.From = p.source()
	for isJoinStart(p.tok()) {
		s.Joins = append(s.Joins, p.join())
	}
	stage := 0
	if p.acceptKeyword("WHERE") {
		s.Where, stage = p.expr(), 1
	}
	if p.tok().isKeyword("GROUP") {
		p.next()
		p.expectKeyword("BY")
		s.GroupBy, stage = p.exprList(), 2
	}
	if p.acceptKeyword("HAVING") {
		s.Having, stage = p.expr(), 3
	}
	if p.tok().isKeyword("ORDER") {
		p.next()
		p.expectKeyword("BY")
		s.OrderBy, stage = p.sortList(), 4
	}
	if p.acceptKeyword("LIMIT") {
		s.Limit, stage = p.limit(), 5
	}
	if e := p.tok(); e.Kind != tkEOF && !e.isOp(";") {
		p.fail(e, selectExpected(stage))
	}
	return s
}

// selectExpected lists what may follow once the clauses before stage are
// done.
func selectExpected(stage int) string {
	var opts []string
	if stage == 0 {
		opts = append(opts, "JOIN")
	}
	opts = append(opts, selectClauses[stage:]...)
	return orList(append(opts, "end of statement"))
}

// fields parses the select list up to (not including) FROM.
func (p *parser) fields() []Field {
	var list []Field
	for {
		f := p.field()
		list = append(list, f)
		t := p.tok()
		switch {
		case t.isOp(","):
			p.next()
			continue
		case t.isKeyword("FROM"):
			return list
		case f.Star == nil && f.Alias == "" && t.isName():
			// "SELECT a b": an alias needs AS.
			p.fail(t, `AS, "," or FROM`)
		}
		p.fail(t, `"," or FROM`)
	}
}

func (p *parser) field() Field {
	t := p.tok()
	if t.isOp("*") {
		p.next()
		return Field{At: t.Pos, Star: p.starModifiers(&StarField{At: t.Pos})}
	}
	if t.isName() && p.peek(1).isOp(".") && p.peek(2).isOp("*") {
		p.i += 3
		return Field{At: t.Pos, Star: &StarField{At: t.Pos, Source: t.name()}}
	}
	x := p.expr()
	f := Field{At: x.Pos(), X: x}
	if p.acceptKeyword("AS") {
		f.Alias, _ = p.name("alias")
		f.Invisible = p.acceptKeyword("INVISIBLE")
	}
	return f
}

// starModifiers parses the optional EXCEPT (...) and REPLACE (...) after *.
func (p *parser) starModifiers(s *StarField) *StarField {
	if p.acceptKeyword("EXCEPT") {
		p.expectOp("(")
		for {
			name, _ := p.name("column name")
			s.Except = append(s.Except, name)
			if !p.listNext() {
				break
			}
		}
	}
	if p.acceptKeyword("REPLACE") {
		p.expectOp("(")
		for {
			x := p.expr()
			p.expectKeyword("AS")
			name, _ := p.name("alias")
			s.Replace = append(s.Replace, Field{At: x.Pos(), X: x, Alias: name})
			if !p.listNext() {
				break
			}
		}
	}
	return s
}

// listNext consumes "," (true) or ")" (false) inside a parenthesised list.
func (p *parser) listNext() bool {
	t := p.next()
	if t.isOp(",") {
		return true
	}
	if !t.isOp(")") {
		p.fail(t, `"," or ")"`)
	}
	return false
}

// source parses a stream/table name and an optional AS alias.
func (p *parser) source() Source {
	t := p.tok()
	src := Source{At: t.Pos, Name: p.sourceName()}
	if p.acceptKeyword("AS") {
		src.Alias, _ = p.name("alias")
	}
	return src
}

// sourceName assembles a name from identifiers, integers and the characters
// / # + (MQTT-topic-like names such as topic/sensor1, sql.md §1.2). Two words
// in a row end the name, so "FROM a b" is an error rather than "ab".
func (p *parser) sourceName() string {
	var b strings.Builder
	word := false
	for {
		t := p.tok()
		switch {
		case !word && t.isName():
			b.WriteString(t.name())
			word = true
		case !word && t.Kind == tkInt:
			b.WriteString(t.Text)
			word = true
		case t.isOp("/") || t.isOp("#") || t.isOp("+"):
			b.WriteString(t.Text)
			word = false
		default:
			if b.Len() == 0 {
				p.fail(t, "stream or table name")
			}
			return b.String()
		}
		p.next()
	}
}

func isJoinStart(t token) bool {
	for _, kw := range [...]string{"JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS"} {
		if t.isKeyword(kw) {
			return true
		}
	}
	return false
}

// join parses one join clause. A bare JOIN is an INNER JOIN and needs ON;
// CROSS JOIN must not have ON.
func (p *parser) join() Join {
	t := p.next()
	kind := upper(t.Text)
	bare := kind == "JOIN"
	if bare {
		kind = "INNER"
	} else {
		if kind == "LEFT" || kind == "RIGHT" || kind == "FULL" {
			p.acceptKeyword("OUTER")
		}
		p.expectKeyword("JOIN")
	}
	j := Join{At: t.Pos, Kind: kind, Src: p.source()}
	on := p.tok()
	switch {
	case on.isKeyword("ON") && kind == "CROSS":
		p.failMsg(on.Pos, "On expression is not required for cross join type.")
	case on.isKeyword("ON"):
		p.next()
		j.On = p.expr()
	case bare:
		expected := "ON"
		if j.Src.Alias == "" {
			expected = "AS or ON"
		}
		p.fail(on, expected)
	}
	return j
}

func (p *parser) limit() *IntLit {
	t := p.tok()
	if t.Kind != tkInt {
		p.fail(t, "integer")
	}
	p.next()
	return p.number(t, false, t.Pos).(*IntLit)
}
