package sql

import "strings"

// createStmt parses CREATE STREAM|TABLE name ( [col, ...] ) WITH ( [opt, ...] ).
func (p *parser) createStmt() Statement {
	t := p.next()
	c := &Create{At: t.Pos, Table: p.streamOrTable()}
	var nt token
	c.Name, nt = p.name(kindWord(c.Table) + " name")
	c.NameAt = nt.Pos
	p.expectOp("(")
	if !p.acceptOp(")") {
		for {
			c.Columns = append(c.Columns, p.columnDef(true))
			if !p.listNext() {
				break
			}
		}
	}
	c.Schemaless = len(c.Columns) == 0
	p.expectKeyword("WITH")
	p.expectOp("(")
	if !p.acceptOp(")") {
		for {
			c.Options = append(c.Options, p.option())
			if !p.listNext() {
				break
			}
		}
	}
	return c
}

func kindWord(table bool) string {
	if table {
		return "table"
	}
	return "stream"
}

// streamOrTable parses STREAM (false) or TABLE (true).
func (p *parser) streamOrTable() bool {
	t := p.next()
	switch {
	case t.isKeyword("STREAM"):
		return false
	case t.isKeyword("TABLE"):
		return true
	}
	p.fail(t, "STREAM or TABLE")
	return false
}

// columnDef parses "name type [DEFAULT literal]"; struct fields take no
// DEFAULT.
func (p *parser) columnDef(allowDefault bool) ColumnDef {
	name, t := p.name("column name")
	col := ColumnDef{At: t.Pos, Name: name, Type: p.typ()}
	if allowDefault && p.acceptKeyword("DEFAULT") {
		col.Default = p.literal()
	}
	return col
}

// scalarTypes are the type names without parameters.
var scalarTypes = map[string]bool{
	"BIGINT": true, "FLOAT": true, "STRING": true, "DATETIME": true, "BOOLEAN": true, "BYTEA": true,
}

func (p *parser) typ() *Type {
	p.enter()
	defer p.leave()
	t := p.tok()
	u := ""
	if t.Kind == tkIdent {
		u = upper(t.Text)
	}
	switch {
	case scalarTypes[u]:
		p.next()
		return &Type{At: t.Pos, Name: strings.ToLower(u)}
	case u == "ARRAY":
		p.next()
		p.expectOp("(")
		typ := &Type{At: t.Pos, Name: "array", Elem: p.typ()}
		p.expectOp(")")
		return typ
	case u == "STRUCT":
		p.next()
		p.expectOp("(")
		typ := &Type{At: t.Pos, Name: "struct"}
		for {
			typ.Fields = append(typ.Fields, p.columnDef(false))
			if !p.listNext() {
				return typ
			}
		}
	}
	p.fail(t, "type (BIGINT, FLOAT, STRING, DATETIME, BOOLEAN, BYTEA, ARRAY or STRUCT)")
	return nil
}

// literal parses a DEFAULT value: a string, a (negative) number, TRUE or
// FALSE.
func (p *parser) literal() Expr {
	t := p.tok()
	switch {
	case t.Kind == tkString:
		p.next()
		return &StringLit{At: t.Pos, Val: t.Val, Single: t.Single}
	case t.Kind == tkInt || t.Kind == tkFloat:
		p.next()
		return p.number(t, false, t.Pos)
	case t.isOp("-") && (p.peek(1).Kind == tkInt || p.peek(1).Kind == tkFloat):
		p.next()
		return p.number(p.next(), true, t.Pos)
	case t.isKeyword("TRUE") || t.isKeyword("FALSE"):
		p.next()
		return &BoolLit{At: t.Pos, Val: t.isKeyword("TRUE")}
	}
	p.fail(t, "literal")
	return nil
}

// option parses KEY = "value" | TRUE | FALSE. The key is upper-cased and UI
// aliases are resolved; whether it is known is Validate's business.
func (p *parser) option() Option {
	t := p.tok()
	if t.Kind != tkIdent && t.Kind != tkQIdent {
		p.fail(t, "option name")
	}
	p.next()
	o := Option{At: t.Pos, Key: CanonicalOptionKey(t.name())}
	p.expectOp("=")
	v := p.next()
	switch {
	case v.Kind == tkString:
		o.Value = v.Val
	case v.isKeyword("TRUE") || v.isKeyword("FALSE"):
		o.Value, o.Bool = strings.ToLower(v.Text), true
	default:
		p.fail(v, "string, TRUE or FALSE")
	}
	return o
}

func (p *parser) dropStmt() Statement {
	t := p.next()
	d := &Drop{At: t.Pos, Table: p.streamOrTable()}
	d.Name, _ = p.name(kindWord(d.Table) + " name")
	return d
}

func (p *parser) describeStmt() Statement {
	t := p.next()
	d := &Describe{At: t.Pos, Table: p.streamOrTable()}
	d.Name, _ = p.name(kindWord(d.Table) + " name")
	return d
}

func (p *parser) explainStmt() Statement {
	t := p.next()
	e := &Explain{At: t.Pos, Table: p.streamOrTable()}
	e.Name, _ = p.name(kindWord(e.Table) + " name")
	return e
}

func (p *parser) showStmt() Statement {
	t := p.next()
	k := p.next()
	switch {
	case k.isKeyword("STREAMS"):
		return &Show{At: t.Pos}
	case k.isKeyword("TABLES"):
		return &Show{At: t.Pos, Tables: true}
	}
	p.fail(k, "STREAMS or TABLES")
	return nil
}
