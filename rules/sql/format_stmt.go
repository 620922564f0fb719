package sql

import (
	"strconv"
	"strings"
)

func writeStatement(b *strings.Builder, st Statement) {
	switch st := st.(type) {
	case *Select:
		writeSelect(b, st)
	case *Create:
		writeCreate(b, st)
	case *Drop:
		b.WriteString("DROP " + kindKeyword(st.Table) + " " + QuoteIdent(st.Name))
	case *Show:
		if st.Tables {
			b.WriteString("SHOW TABLES")
		} else {
			b.WriteString("SHOW STREAMS")
		}
	case *Describe:
		b.WriteString("DESCRIBE " + kindKeyword(st.Table) + " " + QuoteIdent(st.Name))
	case *Explain:
		b.WriteString("EXPLAIN " + kindKeyword(st.Table) + " " + QuoteIdent(st.Name))
	}
}

func kindKeyword(table bool) string {
	if table {
		return "TABLE"
	}
	return "STREAM"
}

// writeDefNode prints the CREATE building blocks.
func writeDefNode(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case *Type:
		writeType(b, n)
	case ColumnDef:
		writeColumn(b, n)
	case *ColumnDef:
		writeColumn(b, *n)
	case Option:
		writeOption(b, n)
	case *Option:
		writeOption(b, *n)
	}
}

func writeSelect(b *strings.Builder, s *Select) {
	b.WriteString("SELECT ")
	for i, f := range s.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		writeField(b, f)
	}
	b.WriteString(" FROM ")
	writeSource(b, s.From)
	for _, j := range s.Joins {
		b.WriteByte(' ')
		writeJoin(b, j)
	}
	if s.Where != nil {
		b.WriteString(" WHERE ")
		writeExpr(b, s.Where)
	}
	if len(s.GroupBy) > 0 {
		b.WriteString(" GROUP BY ")
		writeExprList(b, s.GroupBy)
	}
	if s.Having != nil {
		b.WriteString(" HAVING ")
		writeExpr(b, s.Having)
	}
	if len(s.OrderBy) > 0 {
		b.WriteString(" ORDER BY ")
		writeSortList(b, s.OrderBy)
	}
	if s.Limit != nil {
		b.WriteString(" LIMIT ")
		b.WriteString(intText(s.Limit))
	}
}

func writeField(b *strings.Builder, f Field) {
	if f.Star != nil {
		writeStar(b, f.Star)
		return
	}
	writeExpr(b, f.X)
	if f.Alias != "" {
		b.WriteString(" AS " + QuoteIdent(f.Alias))
		if f.Invisible {
			b.WriteString(" INVISIBLE")
		}
	}
}

func writeStar(b *strings.Builder, s *StarField) {
	if s.Source != "" {
		b.WriteString(QuoteIdent(s.Source) + ".")
	}
	b.WriteByte('*')
	if len(s.Except) > 0 {
		b.WriteString(" EXCEPT (")
		for i, n := range s.Except {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(QuoteIdent(n))
		}
		b.WriteByte(')')
	}
	if len(s.Replace) > 0 {
		b.WriteString(" REPLACE (")
		for i, f := range s.Replace {
			if i > 0 {
				b.WriteString(", ")
			}
			writeField(b, f)
		}
		b.WriteByte(')')
	}
}

func writeSource(b *strings.Builder, s Source) {
	b.WriteString(QuoteSourceName(s.Name))
	if s.Alias != "" {
		b.WriteString(" AS " + QuoteIdent(s.Alias))
	}
}

// QuoteSourceName prints a FROM/JOIN name: unquoted when it reads back as the
// same pieces (topic/sensor1, a/+/#), otherwise back-quoted as a whole.
func QuoteSourceName(name string) string {
	plain := name != ""
	for _, seg := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '#' || r == '+' }) {
		if needsQuote(seg) && !allDigits(seg) {
			plain = false
			break
		}
	}
	if plain {
		return name
	}
	return "`" + name + "`"
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func writeJoin(b *strings.Builder, j Join) {
	b.WriteString(j.Kind + " JOIN ")
	writeSource(b, j.Src)
	if j.On != nil {
		b.WriteString(" ON ")
		writeExpr(b, j.On)
	}
}

func writeCreate(b *strings.Builder, c *Create) {
	b.WriteString("CREATE " + kindKeyword(c.Table) + " " + QuoteIdent(c.Name) + " (")
	for i, col := range c.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		writeColumn(b, col)
	}
	b.WriteString(") WITH (")
	for i, o := range c.Options {
		if i > 0 {
			b.WriteString(", ")
		}
		writeOption(b, o)
	}
	b.WriteByte(')')
}

func writeColumn(b *strings.Builder, c ColumnDef) {
	b.WriteString(QuoteIdent(c.Name) + " ")
	writeType(b, c.Type)
	if c.Default != nil {
		b.WriteString(" DEFAULT ")
		writeExpr(b, c.Default)
	}
}

func writeType(b *strings.Builder, t *Type) {
	if t == nil {
		return
	}
	b.WriteString(strings.ToUpper(t.Name))
	switch t.Name {
	case "array":
		b.WriteByte('(')
		writeType(b, t.Elem)
		b.WriteByte(')')
	case "struct":
		b.WriteByte('(')
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			writeColumn(b, f)
		}
		b.WriteByte(')')
	}
}

func writeOption(b *strings.Builder, o Option) {
	b.WriteString(QuoteIdent(o.Key) + "=")
	if o.Bool {
		b.WriteString(strings.ToUpper(o.Value))
	} else {
		b.WriteString(strconv.Quote(o.Value))
	}
}

// String returns the type in DESCRIBE form: bigint, array(string),
// struct(x float, y float).
func (t *Type) String() string {
	if t == nil {
		return ""
	}
	switch t.Name {
	case "array":
		return "array(" + t.Elem.String() + ")"
	case "struct":
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = f.Name + " " + f.Type.String()
		}
		return "struct(" + strings.Join(parts, ", ") + ")"
	}
	return t.Name
}
