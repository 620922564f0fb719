package sql

import (
	"fmt"
	"math"
	"strconv"
)

// Expression grammar, lowest precedence first (sql.md §6.1):
//
//	or         := and {OR and}
//	and        := not {AND not}
//	not        := NOT not | comparison
//	comparison := additive {cmpop additive | IS [NOT] NULL | [NOT] IN ... | [NOT] BETWEEN ... | [NOT] LIKE ...}
//	additive   := multiplicative {(+ | - | "|" | ^ | ||) multiplicative}
//	multiplicative := unary {(* | / | % | &) unary}
//	unary      := (- | +) unary | "-" number postfix | postfix
//	postfix    := primary {. key | -> key | [ index ] | [ lo : hi ]}

func (p *parser) expr() Expr {
	p.enter()
	defer p.leave()
	x := p.andExpr()
	for p.tok().isKeyword("OR") {
		op := p.next()
		x = &Binary{At: x.Pos(), Op: "OR", L: x, R: p.andExpr(), OpAt: op.Pos}
	}
	return x
}

func (p *parser) andExpr() Expr {
	x := p.notExpr()
	for p.tok().isKeyword("AND") {
		op := p.next()
		x = &Binary{At: x.Pos(), Op: "AND", L: x, R: p.notExpr(), OpAt: op.Pos}
	}
	return x
}

func (p *parser) notExpr() Expr {
	t := p.tok()
	if !t.isKeyword("NOT") {
		return p.comparison()
	}
	p.enter()
	defer p.leave()
	p.next()
	return &Unary{At: t.Pos, Op: "NOT", X: p.notExpr()}
}

// isCmpOp reports whether op is a comparison operator token.
func isCmpOp(t token) bool {
	if t.Kind != tkOp {
		return false
	}
	switch t.Text {
	case "=", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// isPredicateWord reports whether t starts an IN, BETWEEN or LIKE predicate.
func isPredicateWord(t token) bool {
	return t.isKeyword("IN") || t.isKeyword("BETWEEN") || t.isKeyword("LIKE")
}

func (p *parser) comparison() Expr {
	x := p.additive()
	for {
		t := p.tok()
		switch {
		case isCmpOp(t):
			p.next()
			x = &Binary{At: x.Pos(), Op: t.Text, L: x, R: p.additive(), OpAt: t.Pos}
		case t.isKeyword("IS"):
			x = p.isNull(x)
		case t.isKeyword("NOT") && isPredicateWord(p.peek(1)):
			p.next()
			x = p.predicate(x, true, t.Pos)
		case isPredicateWord(t):
			x = p.predicate(x, false, t.Pos)
		default:
			return x
		}
	}
}

func (p *parser) isNull(x Expr) Expr {
	is := p.next()
	not := p.acceptKeyword("NOT")
	if t := p.tok(); !t.isKeyword("NULL") {
		if not {
			p.fail(t, "NULL")
		}
		p.fail(t, "NOT or NULL")
	}
	p.next()
	return &IsNull{At: x.Pos(), X: x, Not: not, OpAt: is.Pos}
}

// predicate parses the rest of [NOT] IN / BETWEEN / LIKE after an optional
// NOT. BETWEEN bounds and LIKE patterns are additive-level operands so that
// "x BETWEEN 1 AND 5 AND y" reads naturally.
func (p *parser) predicate(x Expr, not bool, at Pos) Expr {
	kw := p.next()
	switch upper(kw.Text) {
	case "IN":
		return p.inExpr(x, not, at)
	case "BETWEEN":
		lo := p.additive()
		p.expectKeyword("AND")
		hi := p.additive()
		return &Between{At: x.Pos(), X: x, Not: not, Lo: lo, Hi: hi, OpAt: at}
	}
	return &Like{At: x.Pos(), X: x, Not: not, Pattern: p.additive(), OpAt: at}
}

// inExpr parses "(e1, e2, ...)" (possibly empty) or an array operand.
func (p *parser) inExpr(x Expr, not bool, at Pos) Expr {
	in := &In{At: x.Pos(), X: x, Not: not, OpAt: at}
	if !p.acceptOp("(") {
		in.Set = p.unary()
		return in
	}
	in.List = []Expr{}
	if p.acceptOp(")") {
		return in
	}
	for {
		in.List = append(in.List, p.expr())
		if p.acceptOp(")") {
			return in
		}
		if t := p.tok(); !t.isOp(",") {
			p.fail(t, `"," or ")"`)
		}
		p.next()
	}
}

func (p *parser) additive() Expr {
	x := p.multiplicative()
	for {
		t := p.tok()
		if t.Kind != tkOp {
			return x
		}
		switch t.Text {
		case "+", "-", "|", "^", "||":
			p.next()
			x = &Binary{At: x.Pos(), Op: t.Text, L: x, R: p.multiplicative(), OpAt: t.Pos}
		default:
			return x
		}
	}
}

func (p *parser) multiplicative() Expr {
	x := p.unary()
	for {
		t := p.tok()
		if t.Kind != tkOp {
			return x
		}
		switch t.Text {
		case "*", "/", "%", "&":
			p.next()
			x = &Binary{At: x.Pos(), Op: t.Text, L: x, R: p.unary(), OpAt: t.Pos}
		default:
			return x
		}
	}
}

// unary parses prefix + and -. A "-" directly followed by a number (whitespace
// allowed) is a negative literal, so -9223372036854775808 is representable.
func (p *parser) unary() Expr {
	t := p.tok()
	if !t.isOp("-") && !t.isOp("+") {
		return p.postfix(p.primary())
	}
	p.enter()
	defer p.leave()
	p.next()
	if n := p.tok(); t.Text == "-" && (n.Kind == tkInt || n.Kind == tkFloat) {
		p.next()
		return p.postfix(p.number(n, true, t.Pos))
	}
	return &Unary{At: t.Pos, Op: t.Text, X: p.unary()}
}

func (p *parser) postfix(x Expr) Expr {
	for {
		t := p.tok()
		switch {
		case t.isOp(".") || t.isOp("->"):
			p.next()
			k := p.tok()
			if k.Kind != tkIdent && k.Kind != tkQIdent {
				p.fail(k, "field name")
			}
			p.next()
			x = &Access{At: x.Pos(), X: x, Key: k.name(), Arrow: t.Text == "->", QuotedKey: k.Kind == tkQIdent}
		case t.isOp("["):
			x = p.indexOrSlice(x)
		default:
			return x
		}
	}
}

// indexOrSlice parses [i], [lo:hi], [lo:], [:hi], [:] and [].
func (p *parser) indexOrSlice(x Expr) Expr {
	p.enter()
	defer p.leave()
	p.next()
	if p.acceptOp("]") {
		return &Slice{At: x.Pos(), X: x}
	}
	var lo Expr
	if !p.tok().isOp(":") {
		lo = p.expr()
	}
	if p.acceptOp(":") {
		var hi Expr
		if !p.tok().isOp("]") {
			hi = p.expr()
		}
		p.expectOp("]")
		return &Slice{At: x.Pos(), X: x, Lo: lo, Hi: hi}
	}
	if t := p.tok(); !t.isOp("]") {
		p.fail(t, `":" or "]"`)
	}
	p.next()
	return &Index{At: x.Pos(), X: x, Index: lo}
}

func (p *parser) primary() Expr {
	t := p.tok()
	switch t.Kind {
	case tkInt, tkFloat:
		p.next()
		return p.number(t, false, t.Pos)
	case tkString:
		p.next()
		return &StringLit{At: t.Pos, Val: t.Val, Single: t.Single}
	case tkQIdent:
		return p.identOrCall()
	case tkIdent:
		return p.word()
	case tkOp:
		if t.Text == "(" {
			p.enter()
			defer p.leave()
			p.next()
			x := p.expr()
			p.expectOp(")")
			return x
		}
	}
	p.fail(t, "expression")
	return nil
}

// word parses an operand starting with an unquoted word: a literal keyword,
// a time unit, CASE, a column or a call.
func (p *parser) word() Expr {
	t := p.tok()
	u := upper(t.Text)
	switch {
	case u == "TRUE" || u == "FALSE":
		p.next()
		return &BoolLit{At: t.Pos, Val: u == "TRUE"}
	case u == "NULL":
		p.next()
		return &NullLit{At: t.Pos}
	case timeUnits[u]:
		p.next()
		return &TimeUnit{At: t.Pos, Unit: u}
	case u == "CASE":
		return p.caseExpr()
	case reserved[u]:
		p.fail(t, "expression")
	}
	return p.identOrCall()
}

func (p *parser) identOrCall() Expr {
	t := p.next()
	if p.tok().isOp("(") {
		return p.call(t)
	}
	return &Ident{At: t.Pos, Name: t.name(), Quoted: t.Kind == tkQIdent}
}

// number builds an IntLit or FloatLit from t, negated when neg. Integers above
// MaxInt64 become unsigned; above MaxUint64 they are an error.
func (p *parser) number(t token, neg bool, at Pos) Expr {
	text := t.Text
	sign := ""
	if neg {
		sign = "-"
	}
	if t.Kind == tkFloat {
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			p.failMsg(at, fmt.Sprintf("float literal %s%s out of range", sign, text))
		}
		if neg {
			v = -v
		}
		return &FloatLit{At: at, Val: v, Text: sign + text}
	}
	u, err := strconv.ParseUint(text, 10, 64)
	if err != nil || neg && u > 1<<63 {
		p.failMsg(at, fmt.Sprintf("integer literal %s%s out of range", sign, text))
	}
	switch {
	case neg:
		return &IntLit{At: at, Val: -int64(u), Text: sign + text}
	case u > math.MaxInt64:
		return &IntLit{At: at, Uval: u, Unsigned: true, Text: text}
	}
	return &IntLit{At: at, Val: int64(u), Text: text}
}
