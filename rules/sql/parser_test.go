package sql

import (
	"math"
	"testing"
)

// TestParseExprShape pins the tree shape of the expressions in
// testdata/exprs.txt (input, then "=> " and an S-expression): precedence (§6.1),
// associativity, negative literals, contextual words and postfix chains.
func TestParseExprShape(t *testing.T) {
	for _, e := range readCorpus(t, "exprs.txt") {
		in, want := splitEntry(e.Text)
		x, err := ParseExpr(in)
		if err != nil {
			t.Errorf("exprs.txt:%d: ParseExpr(%q): %v", e.Line, in, err)
			continue
		}
		if got := sexpr(x); got != want {
			t.Errorf("exprs.txt:%d: ParseExpr(%q) = %s, want %s", e.Line, in, got, want)
		}
		if err := roundTrip(x, reparseExpr); err != nil {
			t.Errorf("exprs.txt:%d: %v", e.Line, err)
		}
	}
}

func TestParseLiteralValues(t *testing.T) {
	x, _ := ParseExpr("-9223372036854775808")
	if l := x.(*IntLit); l.Val != math.MinInt64 || l.Unsigned || l.Text != "-9223372036854775808" {
		t.Errorf("min int literal: %+v", l)
	}
	x, _ = ParseExpr("18446744073709551615")
	if l := x.(*IntLit); !l.Unsigned || l.Uval != math.MaxUint64 || l.Val != 0 {
		t.Errorf("max uint literal: %+v", l)
	}
	x, _ = ParseExpr("- 2.5e3")
	if l := x.(*FloatLit); l.Val != -2500 || l.Text != "-2.5e3" {
		t.Errorf("negative float: %+v", l)
	}
	x, _ = ParseExpr(`'a"b'`)
	if l := x.(*StringLit); !l.Single || l.Val != `a"b` {
		t.Errorf("single-quoted string: %+v", l)
	}
	x, _ = ParseExpr("`a b`")
	if id := x.(*Ident); !id.Quoted || id.Name != "a b" {
		t.Errorf("quoted ident: %+v", id)
	}
}

// TestPositions checks that nodes carry the line:col of their first token,
// counting columns in characters.
func TestPositions(t *testing.T) {
	src := "SELECT `été` AS x,\n  a + b AS y\nFROM s\nWHERE c > 1"
	s, err := ParseSelect(src)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got Pos, line, col int) {
		t.Helper()
		if got.Line != line || got.Col != col {
			t.Errorf("%s at %s, want %d:%d", what, got, line, col)
		}
	}
	check("select", s.Pos(), 1, 1)
	check("field 2", s.Fields[1].Pos(), 2, 3)
	bin := s.Fields[1].X.(*Binary)
	check("operator +", bin.OpAt, 2, 5)
	check("from", s.From.Pos(), 3, 6)
	check("where", s.Where.Pos(), 4, 7)
	check("where >", s.Where.(*Binary).OpAt, 4, 9)
	if got := s.Where.Pos().Off; src[got:got+1] != "c" {
		t.Errorf("offset %d points at %q", got, src[got:got+1])
	}
	_, err = ParseSelect("SELECT 'é' é FROM s")
	if el, ok := err.(ErrorList); !ok || el[0].Pos.Col != 12 {
		t.Errorf("error column after non-ASCII text: %v", err)
	}
}

func TestParseSelectClauses(t *testing.T) {
	s, err := ParseSelect("SELECT * EXCEPT(a) REPLACE(b+1 AS b), d.*, e AS f INVISIBLE FROM x/y AS d " +
		"LEFT OUTER JOIN t ON d.a = t.a CROSS JOIN u WHERE a GROUP BY countwindow(2), g HAVING h ORDER BY i DESC LIMIT 3;")
	if err != nil {
		t.Fatal(err)
	}
	st := s.Fields[0].Star
	if st == nil || st.Source != "" || len(st.Except) != 1 || st.Replace[0].Alias != "b" {
		t.Errorf("star field: %+v", st)
	}
	if s.Fields[1].Star.Source != "d" || !s.Fields[2].Invisible || s.Fields[2].Alias != "f" {
		t.Errorf("fields: %+v", s.Fields)
	}
	if s.From.Name != "x/y" || s.From.Alias != "d" {
		t.Errorf("from: %+v", s.From)
	}
	if len(s.Joins) != 2 || s.Joins[0].Kind != "LEFT" || s.Joins[1].Kind != "CROSS" || s.Joins[1].On != nil {
		t.Errorf("joins: %+v", s.Joins)
	}
	if len(s.GroupBy) != 2 || s.Having == nil || !s.OrderBy[0].Desc || s.Limit.Val != 3 {
		t.Errorf("clauses: %+v", s)
	}
	j, _ := ParseSelect("SELECT a FROM s JOIN t ON s.a = t.a")
	if j.Joins[0].Kind != "INNER" {
		t.Errorf("bare JOIN kind %q", j.Joins[0].Kind)
	}
}

func TestParseCreate(t *testing.T) {
	st, err := ParseStatement(`CREATE TABLE t (a BIGINT DEFAULT -3, b STRUCT(x ARRAY(FLOAT))) WITH (retainSize="2", confkey='c', SHARED=true)`)
	if err != nil {
		t.Fatal(err)
	}
	c := st.(*Create)
	if !c.Table || c.Name != "t" || c.Schemaless || len(c.Columns) != 2 {
		t.Fatalf("create: %+v", c)
	}
	if d := c.Columns[0].Default.(*IntLit); d.Val != -3 {
		t.Errorf("default: %+v", d)
	}
	if got := c.Columns[1].Type.String(); got != "struct(x array(float))" {
		t.Errorf("type string %q", got)
	}
	if c.OptionValue("RETAIN_SIZE") != "2" || c.OptionValue("conf_key") != "c" || !c.OptionBool("shared") {
		t.Errorf("options: %+v", c.Options)
	}
	if o, _ := c.Option("shared"); !o.Bool || o.Value != "true" {
		t.Errorf("bool option: %+v", o)
	}
	st, _ = ParseStatement("create stream s () with ()")
	if c := st.(*Create); !c.Schemaless || c.Table || len(c.Options) != 0 {
		t.Errorf("schemaless: %+v", c)
	}
}
