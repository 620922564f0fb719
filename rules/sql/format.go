package sql

import (
	"strconv"
	"strings"
)

// Format prints n as canonical SQL: upper-case keywords, the fewest
// parentheses the precedence rules allow, double-quoted strings with Go
// escapes, and identifiers back-quoted only when they must be. Parsing the
// output yields the same tree (positions and quoting style aside).
func Format(n Node) string {
	var b strings.Builder
	writeNode(&b, n)
	return b.String()
}

func writeNode(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case nil:
	case Expr:
		writeExpr(b, n)
	case Statement:
		writeStatement(b, n)
	case Field:
		writeField(b, n)
	case *Field:
		writeField(b, *n)
	case *StarField:
		writeStar(b, n)
	case SortItem:
		writeSortItem(b, n)
	case *SortItem:
		writeSortItem(b, *n)
	case Source:
		writeSource(b, n)
	case *Source:
		writeSource(b, *n)
	case Join:
		writeJoin(b, n)
	case *Join:
		writeJoin(b, *n)
	case When:
		writeWhen(b, n)
	case *When:
		writeWhen(b, *n)
	case *Over:
		writeOver(b, n)
	default:
		writeDefNode(b, n)
	}
}

// Precedence levels of sql.md §6.1.
const (
	precOr = iota + 1
	precAnd
	precNot
	precCmp
	precAdd
	precMul
	precUnary
	precPostfix
)

func binaryPrec(op string) int {
	switch op {
	case "OR":
		return precOr
	case "AND":
		return precAnd
	case "+", "-", "|", "^", "||":
		return precAdd
	case "*", "/", "%", "&":
		return precMul
	}
	return precCmp
}

func precOf(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		return binaryPrec(e.Op)
	case *Unary:
		if e.Op == "NOT" {
			return precNot
		}
		return precUnary
	case *IsNull, *In, *Between, *Like:
		return precCmp
	}
	return precPostfix
}

// writeSub prints e, parenthesised when it binds looser than min.
func writeSub(b *strings.Builder, e Expr, min int) {
	if e != nil && precOf(e) < min {
		b.WriteByte('(')
		writeExpr(b, e)
		b.WriteByte(')')
		return
	}
	writeExpr(b, e)
}

func writeExpr(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case nil:
	case *Ident:
		b.WriteString(QuoteIdent(e.Name))
	case *IntLit:
		b.WriteString(intText(e))
	case *FloatLit:
		b.WriteString(floatText(e))
	case *StringLit:
		b.WriteString(strconv.Quote(e.Val))
	case *BoolLit:
		b.WriteString(strings.ToUpper(strconv.FormatBool(e.Val)))
	case *NullLit:
		b.WriteString("NULL")
	case *TimeUnit:
		b.WriteString(strings.ToUpper(e.Unit))
	case *Star:
		b.WriteByte('*')
	case *Access, *Index, *Slice:
		writePostfix(b, e)
	case *Unary:
		writeUnary(b, e)
	case *Binary:
		p := binaryPrec(e.Op)
		writeSub(b, e.L, p)
		b.WriteString(" " + e.Op + " ")
		writeSub(b, e.R, p+1)
	case *IsNull, *In, *Between, *Like:
		writePredicate(b, e)
	case *Case:
		writeCase(b, e)
	case *Call:
		writeCall(b, e)
	}
}

func intText(e *IntLit) string {
	switch {
	case e.Text != "":
		return e.Text
	case e.Unsigned:
		return strconv.FormatUint(e.Uval, 10)
	}
	return strconv.FormatInt(e.Val, 10)
}

// floatText keeps the literal as written; a float built in code gets a
// decimal point so it is not read back as an integer.
func floatText(e *FloatLit) string {
	if e.Text != "" {
		return e.Text
	}
	s := strconv.FormatFloat(e.Val, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEIN") {
		s += ".0"
	}
	return s
}

func writePostfix(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case *Access:
		writeSub(b, e.X, precPostfix)
		if _, isInt := e.X.(*IntLit); isInt && !e.Arrow {
			b.WriteByte(' ') // "3.x" would scan as the float "3." followed by x
		}
		if e.Arrow {
			b.WriteString("->")
		} else {
			b.WriteByte('.')
		}
		b.WriteString(QuoteIdent(e.Key))
	case *Index:
		writeSub(b, e.X, precPostfix)
		b.WriteByte('[')
		writeExpr(b, e.Index)
		b.WriteByte(']')
	case *Slice:
		writeSub(b, e.X, precPostfix)
		b.WriteByte('[')
		writeExpr(b, e.Lo)
		b.WriteByte(':')
		writeExpr(b, e.Hi)
		b.WriteByte(']')
	}
}

// writeUnary parenthesises an operand that would otherwise fuse with the
// sign: "-(5)" must not become the literal -5, and "- -a" must not become a
// comment.
func writeUnary(b *strings.Builder, e *Unary) {
	if e.Op == "NOT" {
		b.WriteString("NOT ")
		writeSub(b, e.X, precNot)
		return
	}
	b.WriteString(e.Op)
	operand := Format(e.X)
	if precOf(e.X) < precUnary || operand != "" && strings.IndexByte("-+.0123456789", operand[0]) >= 0 {
		operand = "(" + operand + ")"
	}
	b.WriteString(operand)
}

func writeNot(b *strings.Builder, not bool) {
	if not {
		b.WriteString(" NOT")
	}
}

func writePredicate(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case *IsNull:
		writeSub(b, e.X, precCmp)
		b.WriteString(" IS")
		writeNot(b, e.Not)
		b.WriteString(" NULL")
	case *In:
		writeSub(b, e.X, precCmp)
		writeNot(b, e.Not)
		b.WriteString(" IN ")
		if e.Set != nil && e.List == nil {
			writeExpr(b, e.Set) // parser guarantees a unary-level operand
			return
		}
		b.WriteByte('(')
		writeExprList(b, e.List)
		b.WriteByte(')')
	case *Between:
		writeSub(b, e.X, precCmp)
		writeNot(b, e.Not)
		b.WriteString(" BETWEEN ")
		writeSub(b, e.Lo, precAdd)
		b.WriteString(" AND ")
		writeSub(b, e.Hi, precAdd)
	case *Like:
		writeSub(b, e.X, precCmp)
		writeNot(b, e.Not)
		b.WriteString(" LIKE ")
		writeSub(b, e.Pattern, precAdd)
	}
}

func writeExprList(b *strings.Builder, list []Expr) {
	for i, x := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		writeExpr(b, x)
	}
}

func writeWhen(b *strings.Builder, w When) {
	b.WriteString("WHEN ")
	writeExpr(b, w.Cond)
	b.WriteString(" THEN ")
	writeExpr(b, w.Result)
}

func writeCase(b *strings.Builder, e *Case) {
	b.WriteString("CASE ")
	if e.Value != nil {
		writeExpr(b, e.Value)
		b.WriteByte(' ')
	}
	for _, w := range e.Whens {
		writeWhen(b, w)
		b.WriteByte(' ')
	}
	if e.Else != nil {
		b.WriteString("ELSE ")
		writeExpr(b, e.Else)
		b.WriteByte(' ')
	}
	b.WriteString("END")
}

func writeCall(b *strings.Builder, e *Call) {
	b.WriteString(QuoteIdent(e.Name))
	b.WriteByte('(')
	writeExprList(b, e.Args)
	b.WriteByte(')')
	if e.Filter != nil {
		b.WriteString(" FILTER (WHERE ")
		writeExpr(b, e.Filter)
		b.WriteByte(')')
	}
	if e.Over != nil {
		b.WriteByte(' ')
		writeOver(b, e.Over)
	}
}

func writeOver(b *strings.Builder, o *Over) {
	var parts []string
	if len(o.PartitionBy) > 0 {
		var s strings.Builder
		s.WriteString("PARTITION BY ")
		writeExprList(&s, o.PartitionBy)
		parts = append(parts, s.String())
	}
	if o.When != nil {
		parts = append(parts, "WHEN "+Format(o.When))
	}
	if len(o.OrderBy) > 0 {
		var s strings.Builder
		s.WriteString("ORDER BY ")
		writeSortList(&s, o.OrderBy)
		parts = append(parts, s.String())
	}
	b.WriteString("OVER (" + strings.Join(parts, " ") + ")")
}

func writeSortItem(b *strings.Builder, s SortItem) {
	writeExpr(b, s.X)
	if s.Desc {
		b.WriteString(" DESC")
	}
}

func writeSortList(b *strings.Builder, list []SortItem) {
	for i, s := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		writeSortItem(b, s)
	}
}
