package sink

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"text/template"

	"github.com/Masterminds/sprig/v3"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/value"
)

// funcMap returns the template functions of rules-api.md §2.3: sprig plus the
// legacy eKuiper helpers json and base64. A fresh map per template keeps
// templates independent.
func funcMap() template.FuncMap {
	m := sprig.TxtFuncMap()
	m["json"] = func(v any) (string, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return "", fmt.Errorf("json: %w", err)
		}
		return string(b), nil
	}
	// As in eKuiper: maps are encoded as JSON first, anything else as its
	// default text form.
	m["base64"] = func(v any) (string, error) {
		if v != nil && reflect.ValueOf(v).Kind() == reflect.Map {
			b, err := json.Marshal(v)
			if err != nil {
				return "", fmt.Errorf("base64: %w", err)
			}
			return base64.StdEncoding.EncodeToString(b), nil
		}
		if b, ok := v.([]byte); ok {
			return base64.StdEncoding.EncodeToString(b), nil
		}
		return base64.StdEncoding.EncodeToString([]byte(fmt.Sprint(v))), nil
	}
	return m
}

// parseTemplate compiles a data template or dynamic property.
func parseTemplate(name, text string) (*template.Template, error) {
	t, err := template.New(name).Funcs(funcMap()).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("invalid %s template %q: %w", name, text, err)
	}
	return t, nil
}

func execTemplate(t *template.Template, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("%s template: %w", t.Name(), err)
	}
	return buf.Bytes(), nil
}

// RowMap returns a row as the map templates see: column name → Go value.
func RowMap(r *row.Row) map[string]any {
	if r == nil {
		return map[string]any{}
	}
	m := make(map[string]any, len(r.Cols))
	for _, c := range r.Cols {
		m[c.Name] = value.ToGo(c.Val)
	}
	return m
}

// RowMaps returns rows as the list a non-single template sees.
func RowMaps(rows []*row.Row) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = RowMap(r)
	}
	return out
}
