package sink

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/oort-rules/oort/rules/row"
)

// Dyn is a dynamic property (rules-api.md §2.3): a string that, when it holds
// `{{`, is rendered per message as a Go template over the message's (first)
// row. Static strings render to themselves at no cost.
type Dyn struct {
	raw string
	t   *template.Template
}

// ParseDyn compiles s; it is static when it contains no "{{".
func ParseDyn(s string) (*Dyn, error) {
	d := &Dyn{raw: s}
	if !strings.Contains(s, "{{") {
		return d, nil
	}
	t, err := parseTemplate("property", s)
	if err != nil {
		return nil, err
	}
	d.t = t
	return d, nil
}

// IsStatic reports whether the property is a plain string.
func (d *Dyn) IsStatic() bool { return d == nil || d.t == nil }

// String returns the property as written.
func (d *Dyn) String() string {
	if d == nil {
		return ""
	}
	return d.raw
}

// Render evaluates the property for row r (nil renders with no columns).
func (d *Dyn) Render(r *row.Row) (string, error) {
	if d.IsStatic() {
		return d.String(), nil
	}
	return d.RenderData(RowMap(r))
}

// RenderData evaluates the property over prepared data (e.g. RowMap output
// shared by several properties of one message).
func (d *Dyn) RenderData(data any) (string, error) {
	if d.IsStatic() {
		return d.String(), nil
	}
	b, err := execTemplate(d.t, data)
	if err != nil {
		return "", fmt.Errorf("dynamic property %q: %w", d.raw, err)
	}
	return string(b), nil
}
