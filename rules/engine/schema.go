package engine

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/value"
)

// applySchema shapes a row for a stream with declared fields: only declared
// columns, in declaration order; with STRICT_VALIDATION values are converted
// to their declared types and DEFAULTs fill missing fields (sql.md §3.5).
// Schemaless streams pass rows through untouched.
func applySchema(d *StreamDef, r *row.Row, fold bool) *row.Row {
	if d.Stmt.Schemaless || r.Err != nil {
		return r
	}
	strict := d.Flag("STRICT_VALIDATION")
	out := *r
	out.Cols = make([]row.Col, 0, len(d.Stmt.Columns))
	for _, c := range d.Stmt.Columns {
		i := indexOf(r, c.Name, fold)
		if i < 0 {
			if strict && c.Default != nil {
				out.Cols = append(out.Cols, row.Col{Name: c.Name, Val: literalValue(c.Default)})
			}
			continue
		}
		col := r.Cols[i]
		col.Name = c.Name // the declared spelling, whatever the input's case
		if strict && !col.Val.IsNull() {
			v, err := convertTo(col.Val, c.Type, d.opt("TIMESTAMP_FORMAT"))
			if err != nil {
				out.Err = fmt.Errorf("field %s of %s: %w", c.Name, d.Name, err)
				return &out
			}
			col.Val = v
		}
		out.Cols = append(out.Cols, col)
	}
	return &out
}

func convertTo(v value.Value, t *sql.Type, layout string) (value.Value, error) {
	switch t.Name {
	case "bigint", "float", "string", "boolean", "datetime", "bytea":
		return value.Cast(v, t.Name, layout)
	case "array":
		if v.Kind() != value.Array {
			return v, fmt.Errorf("expect array but got %s", value.TypeName(v))
		}
	case "struct":
		if v.Kind() != value.Object {
			return v, fmt.Errorf("expect struct but got %s", value.TypeName(v))
		}
	}
	return v, nil
}

func literalValue(e sql.Expr) value.Value {
	switch l := e.(type) {
	case *sql.IntLit:
		if l.Unsigned {
			return value.FromUint(l.Uval)
		}
		return value.FromInt(l.Val)
	case *sql.FloatLit:
		return value.FromFloat(l.Val)
	case *sql.StringLit:
		return value.FromString(l.Val)
	case *sql.BoolLit:
		return value.FromBool(l.Val)
	}
	return value.NullValue
}

func parseExtra(s string) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("EXTRA must be a JSON object: %w", err)
	}
	return m, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// indexOf finds a column, case-insensitively when fold (RulesEngine.IgnoreCase).
func indexOf(r *row.Row, name string, fold bool) int {
	if i := r.Index(name); i >= 0 || !fold {
		return i
	}
	for i := range r.Cols {
		if strings.EqualFold(r.Cols[i].Name, name) {
			return i
		}
	}
	return -1
}
