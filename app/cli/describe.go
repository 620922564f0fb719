package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// definition is the JSON of GET /streams/{name} (rules-api.md §3.4).
type definition struct {
	Name         string
	StreamFields []defField
	Options      map[string]json.RawMessage
	StreamType   int
}

type defField struct {
	FieldType     json.RawMessage
	Name          string
	DefaultClause string
}

// fieldType is the object form of FieldType (arrays and structs).
type fieldType struct {
	Type        string
	ElementType json.RawMessage
	Fields      []defField
}

// describeOptions maps definition JSON keys to DESCRIBE names, in the order
// of sql.md §2.6. The last three are not part of the text layout but are
// kept in the -json form so nothing set is hidden there.
var describeOptions = []struct {
	json, name string
	inText     bool
}{
	{"confKey", "CONF_KEY", true}, {"datasource", "DATASOURCE", true}, {"format", "FORMAT", true},
	{"schemaid", "SCHEMAID", true}, {"key", "KEY", true}, {"retainSize", "RETAIN_SIZE", true},
	{"shared", "SHARED", true}, {"strictValidation", "STRICT_VALIDATION", true},
	{"timestamp", "TIMESTAMP", true}, {"timestampFormat", "TIMESTAMP_FORMAT", true},
	{"type", "TYPE", true}, {"extra", "EXTRA", true}, {"version", "VERSION", true},
	{"kind", "KIND", false}, {"delimiter", "DELIMITER", false}, {"temp", "TEMP", false},
}

// maxTypeDepth stops a hostile definition from recursing without end.
const maxTypeDepth = 32

// typeText renders a FieldType: "bigint", "array(string)",
// "struct(x float, y float)".
func typeText(raw json.RawMessage, depth int) (string, error) {
	if depth > maxTypeDepth {
		return "", fmt.Errorf("field type nested deeper than %d levels", maxTypeDepth)
	}
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		return name, nil
	}
	var ft fieldType
	if err := json.Unmarshal(raw, &ft); err != nil {
		return "", fmt.Errorf("field type %s: %w", raw, err)
	}
	switch strings.ToLower(ft.Type) {
	case "array":
		elem, err := typeText(ft.ElementType, depth+1)
		if err != nil {
			return "", err
		}
		return "array(" + elem + ")", nil
	case "struct":
		parts := make([]string, 0, len(ft.Fields))
		for _, f := range ft.Fields {
			t, err := typeText(f.FieldType, depth+1)
			if err != nil {
				return "", err
			}
			parts = append(parts, f.Name+" "+t)
		}
		return "struct(" + strings.Join(parts, ", ") + ")", nil
	}
	return "", fmt.Errorf("field type %s: unknown type %q", raw, ft.Type)
}

// optionText prints an option value as written: strings bare, booleans and
// numbers in their JSON form.
func optionText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}

// describeDefinition renders the definition JSON as the DESCRIBE text of
// sql.md §2.6, or as {"Fields":[{"Name","Type"}],"Options":{...}} for -json.
func describeDefinition(body []byte, asJSON bool) (string, error) {
	var d definition
	if err := json.Unmarshal(body, &d); err != nil {
		return "", fmt.Errorf("unexpected stream definition: %w", err)
	}
	if asJSON {
		return describeJSON(&d)
	}
	var b strings.Builder
	b.WriteString("Fields\n")
	b.WriteString(strings.Repeat("-", 80) + "\n")
	for _, f := range d.StreamFields {
		t, err := typeText(f.FieldType, 0)
		if err != nil {
			return "", fmt.Errorf("field %s: %w", f.Name, err)
		}
		b.WriteString(f.Name + "\t" + t)
		if f.DefaultClause != "" {
			b.WriteString("\tDEFAULT\t" + f.DefaultClause)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	for _, o := range describeOptions {
		if raw, ok := d.Options[o.json]; ok && o.inText {
			b.WriteString(o.name + ": " + optionText(raw) + "\n")
		}
	}
	return b.String(), nil
}

func describeJSON(d *definition) (string, error) {
	var b bytes.Buffer
	b.WriteString(`{"Fields":[`)
	for i, f := range d.StreamFields {
		t, err := typeText(f.FieldType, 0)
		if err != nil {
			return "", fmt.Errorf("field %s: %w", f.Name, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Name":%s,"Type":%s}`, quote(f.Name), quote(t))
	}
	b.WriteString(`],"Options":{`)
	first := true
	for _, o := range describeOptions {
		raw, ok := d.Options[o.json]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		fmt.Fprintf(&b, `%s:%s`, quote(o.name), bytes.TrimSpace(raw))
	}
	b.WriteString("}}")
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return "", fmt.Errorf("render describe JSON: %w", err)
	}
	return out.String(), nil
}

// quote is JSON string quoting (strconv.Quote would emit Go-only escapes).
func quote(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}
