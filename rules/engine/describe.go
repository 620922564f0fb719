package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/sql"
	"github.com/oort-rules/oort/rules/topic"
)

// describeOrder is the order of option lines in DESCRIBE text (sql.md §2.6).
var describeOrder = []string{"CONF_KEY", "DATASOURCE", "FORMAT", "SCHEMAID", "KEY", "RETAIN_SIZE",
	"SHARED", "STRICT_VALIDATION", "TIMESTAMP", "TIMESTAMP_FORMAT", "TYPE", "EXTRA", "VERSION"}

func typeText(t *sql.Type) string {
	switch t.Name {
	case "array":
		return "array(" + typeText(t.Elem) + ")"
	case "struct":
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = f.Name + " " + typeText(f.Type)
		}
		return "struct(" + strings.Join(parts, ", ") + ")"
	}
	return t.Name
}

// describeText renders the CLI DESCRIBE layout.
func describeText(d *StreamDef) string {
	var b strings.Builder
	b.WriteString("Fields\n")
	b.WriteString(strings.Repeat("-", 80) + "\n")
	for _, c := range d.Stmt.Columns {
		b.WriteString(c.Name + "\t" + typeText(c.Type))
		if c.Default != nil {
			b.WriteString("\tDEFAULT\t" + sql.Format(c.Default))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	for _, k := range describeOrder {
		if o, ok := d.Opt[k]; ok && o.Value != "" {
			b.WriteString(k + ": " + o.Value + "\n")
		}
	}
	return b.String()
}

// Composite FieldType shapes; structs keep the key order clients expect
// ("Type" first), which a map would not.
type arrayTypeJSON struct {
	Type        string `json:"Type"`
	ElementType any    `json:"ElementType"`
}

type structTypeJSON struct {
	Type   string      `json:"Type"`
	Fields []fieldJSON `json:"Fields"`
}

// fieldTypeJSON is the FieldType of the definition JSON.
func fieldTypeJSON(t *sql.Type) any {
	switch t.Name {
	case "array":
		return arrayTypeJSON{Type: "array", ElementType: fieldTypeJSON(t.Elem)}
	case "struct":
		return structTypeJSON{Type: "struct", Fields: fieldsJSON(t.Fields)}
	}
	return t.Name
}

type fieldJSON struct {
	FieldType     any    `json:"FieldType"`
	Name          string `json:"Name"`
	DefaultClause string `json:"DefaultClause,omitempty"`
}

func fieldsJSON(cols []sql.ColumnDef) []fieldJSON {
	out := make([]fieldJSON, len(cols))
	for i, c := range cols {
		out[i] = fieldJSON{FieldType: fieldTypeJSON(c.Type), Name: c.Name}
		if c.Default != nil {
			out[i].DefaultClause = sql.Format(c.Default)
		}
	}
	return out
}

// optionJSONKeys maps option keys to the definition JSON keys (rules-api.md §3.4).
var optionJSONKeys = []struct{ key, json string }{
	{"DATASOURCE", "datasource"}, {"KEY", "key"}, {"FORMAT", "format"}, {"CONF_KEY", "confKey"},
	{"TYPE", "type"}, {"STRICT_VALIDATION", "strictValidation"}, {"TIMESTAMP", "timestamp"},
	{"TIMESTAMP_FORMAT", "timestampFormat"}, {"SHARED", "shared"}, {"SCHEMAID", "schemaid"},
	{"VERSION", "version"}, {"EXTRA", "extra"}, {"TEMP", "temp"}, {"RETAIN_SIZE", "retainSize"},
	{"KIND", "kind"}, {"DELIMITER", "delimiter"},
}

func optionsJSON(d *StreamDef) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, k := range optionJSONKeys {
		o, ok := d.Opt[k.key]
		if !ok || o.Value == "" {
			continue
		}
		var v any = o.Value
		switch k.key {
		case "STRICT_VALIDATION", "SHARED", "TEMP":
			if !strings.EqualFold(o.Value, "true") {
				continue
			}
			v = true
		case "RETAIN_SIZE":
			n, err := strconv.Atoi(o.Value)
			if err != nil || n == 0 {
				continue
			}
			v = n
		case "KIND", "VERSION":
			v = strings.ToLower(o.Value)
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k.json)
		vb, _ := json.Marshal(v)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// DescribeStream returns the definition JSON of GET /streams/{name}.
func (e *Engine) DescribeStream(kind Kind, name string) ([]byte, error) {
	d, err := e.getDef(kind, name)
	if err != nil {
		return nil, errs.New(errs.Stream, "Describe %s fails, %s is not found.", kind, name)
	}
	var fields any
	if !d.Stmt.Schemaless {
		fields = fieldsJSON(d.Stmt.Columns)
	}
	fb, _ := json.Marshal(fields)
	st := 0
	if kind == KindTable {
		st = 1
	}
	nb, _ := json.Marshal(d.Name)
	return []byte(fmt.Sprintf(`{"Name":%s,"StreamFields":%s,"Options":%s,"StreamType":%d,"Statement":null}`,
		nb, fb, optionsJSON(d), st)), nil
}

// schemaField is one entry of the schema JSON, keys in eKuiper's order.
type schemaField struct {
	Type       string                  `json:"type"`
	Items      *schemaField            `json:"items,omitempty"`
	Properties map[string]*schemaField `json:"properties,omitempty"`
	Default    string                  `json:"default,omitempty"`
	Index      int                     `json:"index"`
}

func schemaJSON(t *sql.Type) *schemaField {
	m := &schemaField{Type: t.Name}
	switch t.Name {
	case "array":
		m.Items = schemaJSON(t.Elem)
	case "struct":
		m.Properties = map[string]*schemaField{}
		for _, f := range t.Fields {
			m.Properties[f.Name] = schemaJSON(f.Type)
		}
	}
	return m
}

// StreamSchema returns the schema JSON of GET /streams/{name}/schema.
func (e *Engine) StreamSchema(kind Kind, name string) ([]byte, error) {
	d, err := e.getDef(kind, name)
	if err != nil {
		return nil, errs.New(errs.Stream, "Describe %s fails, %s is not found.", kind, name)
	}
	if d.Stmt.Schemaless {
		return []byte("null"), nil
	}
	out := map[string]*schemaField{}
	for _, c := range d.Stmt.Columns {
		m := schemaJSON(c.Type)
		if c.Default != nil {
			m.Default = sql.Format(c.Default)
		}
		out[c.Name] = m
	}
	return json.Marshal(out)
}

// explainDef is the Oort EXPLAIN STREAM text: the definition plus its
// effective source settings.
func (e *Engine) explainDef(d *StreamDef) string {
	var b strings.Builder
	b.WriteString(describeText(d))
	b.WriteString("\nEffective source settings\n")
	fmt.Fprintf(&b, "type: %s\n", d.Type())
	conf := d.opt("CONF_KEY")
	if conf == "" {
		conf = "default"
	}
	fmt.Fprintf(&b, "connection section: RulesEngine.Sources.%s.%s\n", d.Type(), conf)
	if f := e.topicFilter(d); f != "" {
		fmt.Fprintf(&b, "topic filter: %s\n", f)
	} else {
		b.WriteString("topic filter: (none: every event of the service's subscription)\n")
	}
	return b.String()
}

// topicFilter returns the edgex topic filter of sql.md §2.4: EXTRA.topic, the
// connection section's topic, or a DATASOURCE holding a topic wildcard or '/'.
func (e *Engine) topicFilter(d *StreamDef) string {
	if extra := d.opt("EXTRA"); extra != "" {
		var m map[string]any
		if json.Unmarshal([]byte(extra), &m) == nil {
			if t, ok := m["topic"].(string); ok && t != "" {
				return t
			}
		}
	}
	if e.cfg.SourceConf != nil {
		conf := d.opt("CONF_KEY")
		if conf == "" {
			conf = "default"
		}
		if m, ok := e.cfg.SourceConf(d.Type(), conf); ok {
			if t, ok := m["topic"].(string); ok && t != "" {
				return t
			}
		}
	}
	ds := d.opt("DATASOURCE")
	if strings.ContainsAny(ds, "/#+") {
		return ds
	}
	return ""
}

// warnTopic logs the sql.md §2.4 warnings for edgex streams.
func (e *Engine) warnTopic(d *StreamDef) {
	if d.Type() != "edgex" {
		return
	}
	ds := d.opt("DATASOURCE")
	if ds != "" && !strings.ContainsAny(ds, "/#+") {
		e.cfg.Logger.Warnf("stream %s: DATASOURCE %q is not a topic filter and is ignored for TYPE=edgex", d.Name, ds)
	}
	if f := e.topicFilter(d); f != "" {
		if err := topic.Validate(f); err != nil {
			e.cfg.Logger.Warnf("stream %s: topic filter %q is invalid: %v", d.Name, f, err)
		}
	}
}
