package engine

import (
	"strconv"
	"strings"

	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/sql"
)

// StreamDef is a parsed stream or table definition.
type StreamDef struct {
	Kind      Kind
	Name      string
	Statement string // verbatim statement text, the source of truth
	Stmt      *sql.Create
	Opt       map[string]sql.Option // by canonical upper-case key
}

// opt returns the value of an option as written ("" when unset).
func (d *StreamDef) opt(key string) string { return d.Opt[key].Value }

// Type is the connector type, lower-cased, defaulting to mqtt.
func (d *StreamDef) Type() string {
	if t := strings.ToLower(d.opt("TYPE")); t != "" {
		return t
	}
	return "mqtt"
}

// Format is the payload format, lower-cased, defaulting to json.
func (d *StreamDef) Format() string {
	if f := strings.ToLower(d.opt("FORMAT")); f != "" {
		return f
	}
	return "json"
}

// Flag reads a boolean option.
func (d *StreamDef) Flag(key string) bool {
	return strings.EqualFold(d.opt(key), "true")
}

// RetainSize is a scan table's row count (1 by default).
func (d *StreamDef) RetainSize() int {
	n, err := strconv.Atoi(d.opt("RETAIN_SIZE"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// IsLookup reports a lookup table (queried per row, never fed as input).
func (d *StreamDef) IsLookup() bool { return d.Kind == KindTable && d.TableKind() == "lookup" }

// TableKind is "scan" or "lookup" for tables.
func (d *StreamDef) TableKind() string {
	if k := strings.ToLower(d.opt("KIND")); k != "" {
		return k
	}
	return "scan"
}

// Source describes the definition to the planner.
func (d *StreamDef) Source(alias string) *plan.Source {
	s := &plan.Source{Name: d.Name, Alias: alias, IsTable: d.Kind == KindTable,
		Lookup: d.IsLookup(), Key: d.opt("KEY")}
	if !d.Stmt.Schemaless {
		s.Fields = make([]plan.Column, 0, len(d.Stmt.Columns))
		for _, c := range d.Stmt.Columns {
			s.Fields = append(s.Fields, plan.Column{Name: c.Name, Type: c.Type.Name})
		}
	}
	return s
}

// parseDefinition parses and validates one CREATE statement.
func parseDefinition(text string) (*StreamDef, error) {
	st, err := sql.ParseStatement(text)
	if err != nil {
		return nil, errs.Wrap(errs.Stream, "", err)
	}
	c, ok := st.(*sql.Create)
	if !ok {
		return nil, errs.New(errs.Stream, "statement is not a CREATE STREAM or CREATE TABLE")
	}
	return defFromCreate(c, text)
}

func defFromCreate(c *sql.Create, text string) (*StreamDef, error) {
	if err := c.Validate(); err != nil {
		return nil, errs.Wrap(errs.Stream, "", err)
	}
	if !validName(c.Name) {
		return nil, errs.New(errs.Stream, "invalid name %s: only alphanumeric, hyphens and underscores are allowed", c.Name)
	}
	d := &StreamDef{Kind: KindStream, Name: c.Name, Statement: strings.TrimSpace(text), Stmt: c, Opt: map[string]sql.Option{}}
	if c.Table {
		d.Kind = KindTable
	}
	for _, o := range c.Options {
		d.Opt[o.Key] = o
	}
	if err := d.checkFormat(); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *StreamDef) checkFormat() error {
	switch d.Format() {
	case "json", "binary":
		return nil
	}
	return errs.New(errs.Stream, "format %s is not supported", d.opt("FORMAT"))
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// kindWord is "Stream" or "Table" as used in reply texts.
func kindWord(k Kind) string {
	if k == KindTable {
		return "Table"
	}
	return "Stream"
}

func notFound(k Kind, name string) error {
	return errs.New(errs.NotFound, "%s %s is not found", k, name)
}
