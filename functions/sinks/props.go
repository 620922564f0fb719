package sinks

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/sink"
)

// Text is a string property that may be a template (rules-api.md §2.3).
// The zero Text renders as "".
type Text struct{ dyn *sink.Dyn }

// NewText parses s; it is a template only when it contains "{{".
func NewText(s string) (Text, error) {
	d, err := sink.ParseDyn(s)
	if err != nil {
		return Text{}, err
	}
	return Text{dyn: d}, nil
}

// Render returns the literal or the template rendered with r.
func (t Text) Render(r *row.Row) (string, error) {
	if t.dyn == nil {
		return "", nil
	}
	return t.dyn.Render(r)
}

// IsZero reports whether the property was absent or empty.
func (t Text) IsZero() bool { return t.dyn == nil || t.dyn.String() == "" }

// propString reads an optional string property; other JSON types are an
// error so that a typo such as "topic": 12 fails at rule start.
func propString(props map[string]any, key, def string) (string, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("property %q must be a string, got %T", key, v)
	}
	return s, nil
}

// propChoice reads a string property that must be one of allowed; absent
// or empty (the EdgeX UI sends blanks) gives allowed[0].
func propChoice(props map[string]any, key string, allowed ...string) (string, error) {
	s, err := propString(props, key, "")
	if err != nil || s == "" {
		return allowed[0], err
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", fmt.Errorf("property %q must be one of %q, got %q", key, allowed, s)
}

// propText reads an optional, possibly templated string property.
func propText(props map[string]any, key string) (Text, error) {
	s, err := propString(props, key, "")
	if err != nil {
		return Text{}, err
	}
	t, err := NewText(s)
	if err != nil {
		return Text{}, fmt.Errorf("property %q: %w", key, err)
	}
	return t, nil
}

// propBool accepts JSON booleans and the strings "true"/"false" (the EdgeX UI
// sends some flags as strings).
func propBool(props map[string]any, key string, def bool) (bool, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return def, nil
	}
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		if b == "" {
			return def, nil
		}
		pb, err := strconv.ParseBool(b)
		if err != nil {
			return false, fmt.Errorf("property %q: %w", key, err)
		}
		return pb, nil
	}
	return false, fmt.Errorf("property %q must be a boolean, got %T", key, v)
}

// propDuration accepts a number of milliseconds or a Go duration string
// ("500ms", "2s"); a string of digits is milliseconds too.
func propDuration(props map[string]any, key string, def time.Duration) (time.Duration, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return def, nil
	}
	var d time.Duration
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("property %q: invalid duration %v", key, x)
		}
		d = time.Duration(x * float64(time.Millisecond))
	case int:
		d = time.Duration(x) * time.Millisecond
	case int64:
		d = time.Duration(x) * time.Millisecond
	case string:
		if x == "" {
			return def, nil
		}
		if ms, err := strconv.ParseInt(x, 10, 64); err == nil {
			d = time.Duration(ms) * time.Millisecond
			break
		}
		pd, err := time.ParseDuration(x)
		if err != nil {
			return 0, fmt.Errorf("property %q: %w", key, err)
		}
		d = pd
	default:
		return 0, fmt.Errorf("property %q must be a duration (ms or \"1s\"), got %T", key, v)
	}
	if d < 0 {
		return 0, fmt.Errorf("property %q must not be negative, got %v", key, d)
	}
	return d, nil
}

// propMap reads an optional JSON object property.
func propMap(props map[string]any, key string) (map[string]any, error) {
	v, ok := props[key]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("property %q must be an object, got %T", key, v)
	}
	return m, nil
}

// scalarText renders a literal property value the way EdgeX expects simple
// values: strings as they are, everything else as its JSON text (12, 2.5,
// true, [1,2]).
func scalarText(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
