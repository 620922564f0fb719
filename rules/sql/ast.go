// Package sql is Oort's SQL front end: lexer, parser, AST, printer and the
// statement-level checks of CREATE STREAM/TABLE. It knows no functions and no
// schemas; binding names to streams and functions is the binder's job.
package sql

import "strconv"

// Pos is a position in the source text. Off is a 0-based byte offset; Line and
// Col are 1-based, Col counting characters (runes) so a caret lines up for
// people reading non-ASCII text.
type Pos struct{ Off, Line, Col int }

// String returns "line:col".
func (p Pos) String() string { return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) }

// IsValid reports whether p was set by the parser.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Node is anything the parser produces. Pos is where the node starts (its
// leftmost token), as in go/ast.
type Node interface{ Pos() Pos }

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Statement is one of *Select, *Create, *Drop, *Show, *Describe, *Explain.
type Statement interface {
	Node
	stmtNode()
}

// ---------------------------------------------------------------- expressions

// Ident is a column or alias reference (back-quoted in the source if Quoted).
type Ident struct {
	At     Pos
	Name   string
	Quoted bool
}

// Access is X.key (Arrow=false) or X->key. The binder decides whether X names
// a source (src.col) or the expression is nested access. After . and -> any
// word is a key, reserved words included.
type Access struct {
	At        Pos
	X         Expr
	Key       string
	Arrow     bool
	QuotedKey bool
}

// Index is X[Index].
type Index struct {
	At       Pos
	X, Index Expr
}

// Slice is X[Lo:Hi]; Lo/Hi are nil when omitted. X[] and X[:] both have
// Lo=Hi=nil.
type Slice struct {
	At        Pos
	X, Lo, Hi Expr
}

// IntLit is an integer literal. Val holds it when it fits int64; otherwise
// Unsigned is set and Uval holds it (Val is then 0). Text is the literal as
// written, with a leading "-" for negative literals.
type IntLit struct {
	At       Pos
	Val      int64
	Uval     uint64
	Unsigned bool
	Text     string
}

// FloatLit is a float literal; Text is as written (with a leading "-" when
// negative).
type FloatLit struct {
	At   Pos
	Val  float64
	Text string
}

// StringLit is a string literal; Single reports it was written with '...'.
type StringLit struct {
	At     Pos
	Val    string
	Single bool
}

// BoolLit is TRUE or FALSE.
type BoolLit struct {
	At  Pos
	Val bool
}

// NullLit is NULL.
type NullLit struct{ At Pos }

// TimeUnit is one of the time unit keywords DD, HH, MI, SS, MS (upper-case).
type TimeUnit struct {
	At   Pos
	Unit string
}

// Star is '*' as a call argument: count(*).
type Star struct{ At Pos }

// Unary is -X, +X or NOT X.
type Unary struct {
	At Pos
	Op string // "-", "+", "NOT"
	X  Expr
}

// Binary is L Op R. Op is one of "+","-","*","/","%","&","|","^","||",
// "=","!=","<",">","<=",">=","AND","OR" ("<>" is normalised to "!=").
type Binary struct {
	At   Pos
	Op   string
	L, R Expr
	OpAt Pos // position of the operator
}

// IsNull is X IS [NOT] NULL.
type IsNull struct {
	At   Pos
	X    Expr
	Not  bool
	OpAt Pos // position of IS
}

// In is X [NOT] IN (List...) or X [NOT] IN Set, where Set is an array operand.
// List is non-nil (possibly empty) exactly for the parenthesised form.
type In struct {
	At   Pos
	X    Expr
	Not  bool
	List []Expr
	Set  Expr
	OpAt Pos // position of IN (or of NOT when present)
}

// Between is X [NOT] BETWEEN Lo AND Hi.
type Between struct {
	At     Pos
	X      Expr
	Not    bool
	Lo, Hi Expr
	OpAt   Pos
}

// Like is X [NOT] LIKE Pattern.
type Like struct {
	At      Pos
	X       Expr
	Not     bool
	Pattern Expr
	OpAt    Pos
}

// When is one WHEN Cond THEN Result branch of a CASE.
type When struct {
	At           Pos
	Cond, Result Expr
}

// Case is CASE [Value] WHEN ... [ELSE Else] END; Value is nil for a searched
// CASE.
type Case struct {
	At    Pos
	Value Expr
	Whens []When
	Else  Expr
}

// Over is OVER ([PARTITION BY ...] [WHEN ...] [ORDER BY ...]).
type Over struct {
	At          Pos
	PartitionBy []Expr
	When        Expr
	OrderBy     []SortItem
}

// Call is a function call. Name is lower-cased. Filter is the condition of a
// FILTER (WHERE e) suffix, Over the OVER suffix.
type Call struct {
	At     Pos
	Name   string
	Args   []Expr
	Filter Expr
	Over   *Over
}

// ---------------------------------------------------------------- SELECT

// SortItem is one ORDER BY item.
type SortItem struct {
	At   Pos
	X    Expr
	Desc bool
}

// StarField is "*", "src.*" or "* EXCEPT(...) REPLACE(...)" in a select list.
type StarField struct {
	At      Pos
	Source  string
	Except  []string
	Replace []Field
}

// Field is one select-list item: exactly one of X / Star is set.
type Field struct {
	At        Pos
	X         Expr
	Alias     string
	Invisible bool
	Star      *StarField
}

// Source is a stream or table in FROM or JOIN.
type Source struct {
	At          Pos
	Name, Alias string
}

// Join is one JOIN clause. Kind is "INNER", "LEFT", "RIGHT", "FULL" or
// "CROSS"; a bare JOIN is "INNER".
type Join struct {
	At   Pos
	Kind string
	Src  Source
	On   Expr
}

// Select is a SELECT statement.
type Select struct {
	At      Pos
	Fields  []Field
	From    Source
	Joins   []Join
	Where   Expr
	GroupBy []Expr
	Having  Expr
	OrderBy []SortItem
	Limit   *IntLit
}

// ---------------------------------------------------------------- other statements

// Type is a column type. Name is lower-case: bigint, float, string, datetime,
// boolean, bytea, array (Elem set) or struct (Fields set).
type Type struct {
	At     Pos
	Name   string
	Elem   *Type
	Fields []ColumnDef
}

// ColumnDef is one declared column (or struct field) of CREATE.
type ColumnDef struct {
	At      Pos
	Name    string
	Type    *Type
	Default Expr
}

// Option is one WITH option. Key is upper-cased with UI aliases resolved
// (CONFKEY → CONF_KEY, ...). Bool is set when the value was a bare TRUE/FALSE;
// Value is then "true" or "false".
type Option struct {
	At    Pos
	Key   string
	Value string
	Bool  bool
}

// Create is CREATE STREAM/TABLE. Schemaless is set for an empty field list.
type Create struct {
	At         Pos
	Table      bool
	Name       string
	NameAt     Pos // position of the name
	Columns    []ColumnDef
	Options    []Option
	Schemaless bool
}

// Drop is DROP STREAM/TABLE name.
type Drop struct {
	At    Pos
	Table bool
	Name  string
}

// Show is SHOW STREAMS/TABLES.
type Show struct {
	At     Pos
	Tables bool
}

// Describe is DESCRIBE STREAM/TABLE name.
type Describe struct {
	At    Pos
	Table bool
	Name  string
}

// Explain is EXPLAIN STREAM/TABLE name.
type Explain struct {
	At    Pos
	Table bool
	Name  string
}

// ---------------------------------------------------------------- Node methods

func (n *Ident) Pos() Pos     { return n.At }
func (n *Access) Pos() Pos    { return n.At }
func (n *Index) Pos() Pos     { return n.At }
func (n *Slice) Pos() Pos     { return n.At }
func (n *IntLit) Pos() Pos    { return n.At }
func (n *FloatLit) Pos() Pos  { return n.At }
func (n *StringLit) Pos() Pos { return n.At }
func (n *BoolLit) Pos() Pos   { return n.At }
func (n *NullLit) Pos() Pos   { return n.At }
func (n *TimeUnit) Pos() Pos  { return n.At }
func (n *Star) Pos() Pos      { return n.At }
func (n *Unary) Pos() Pos     { return n.At }
func (n *Binary) Pos() Pos    { return n.At }
func (n *IsNull) Pos() Pos    { return n.At }
func (n *In) Pos() Pos        { return n.At }
func (n *Between) Pos() Pos   { return n.At }
func (n *Like) Pos() Pos      { return n.At }
func (n *Case) Pos() Pos      { return n.At }
func (n *Call) Pos() Pos      { return n.At }

func (n When) Pos() Pos       { return n.At }
func (n *Over) Pos() Pos      { return n.At }
func (n SortItem) Pos() Pos   { return n.At }
func (n *StarField) Pos() Pos { return n.At }
func (n Field) Pos() Pos      { return n.At }
func (n Source) Pos() Pos     { return n.At }
func (n Join) Pos() Pos       { return n.At }
func (n *Type) Pos() Pos      { return n.At }
func (n ColumnDef) Pos() Pos  { return n.At }
func (n Option) Pos() Pos     { return n.At }

func (n *Select) Pos() Pos   { return n.At }
func (n *Create) Pos() Pos   { return n.At }
func (n *Drop) Pos() Pos     { return n.At }
func (n *Show) Pos() Pos     { return n.At }
func (n *Describe) Pos() Pos { return n.At }
func (n *Explain) Pos() Pos  { return n.At }

func (*Ident) exprNode()     {}
func (*Access) exprNode()    {}
func (*Index) exprNode()     {}
func (*Slice) exprNode()     {}
func (*IntLit) exprNode()    {}
func (*FloatLit) exprNode()  {}
func (*StringLit) exprNode() {}
func (*BoolLit) exprNode()   {}
func (*NullLit) exprNode()   {}
func (*TimeUnit) exprNode()  {}
func (*Star) exprNode()      {}
func (*Unary) exprNode()     {}
func (*Binary) exprNode()    {}
func (*IsNull) exprNode()    {}
func (*In) exprNode()        {}
func (*Between) exprNode()   {}
func (*Like) exprNode()      {}
func (*Case) exprNode()      {}
func (*Call) exprNode()      {}

func (*Select) stmtNode()   {}
func (*Create) stmtNode()   {}
func (*Drop) stmtNode()     {}
func (*Show) stmtNode()     {}
func (*Describe) stmtNode() {}
func (*Explain) stmtNode()  {}
