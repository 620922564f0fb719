package sink

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Props reads action properties tolerantly: the EdgeX UI sends numbers as
// strings and cleared inputs as null, and configuration sections (resourceId)
// hold only strings. A null or absent key yields the default.
type Props map[string]any

// get returns the value of key (exact name first, then case-insensitively,
// because some configuration providers lower-case keys); nil counts as absent.
func (p Props) get(key string) (any, bool) {
	if v, ok := p[key]; ok {
		return v, v != nil
	}
	for k, v := range p {
		if strings.EqualFold(k, key) {
			return v, v != nil
		}
	}
	return nil, false
}

// Has reports whether key is set to a non-null value.
func (p Props) Has(key string) bool {
	_, ok := p.get(key)
	return ok
}

// String returns key as a string; numbers and booleans are formatted.
func (p Props) String(key, def string) (string, error) {
	v, ok := p.get(key)
	if !ok {
		return def, nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case int, int64, int32, uint, uint64, json.Number:
		return fmt.Sprint(x), nil
	}
	return "", fmt.Errorf("property %s: expected a string, got %T", key, v)
}

// Bool returns key as a boolean; "true"/"false" strings and 0/1 are accepted,
// an empty string is the default.
func (p Props) Bool(key string, def bool) (bool, error) {
	v, ok := p.get(key)
	if !ok {
		return def, nil
	}
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return def, nil
		}
		b, err := strconv.ParseBool(strings.TrimSpace(x))
		if err != nil {
			return def, fmt.Errorf("property %s: expected a boolean, got %q", key, x)
		}
		return b, nil
	}
	if n, err := p.Int(key, 0); err == nil && (n == 0 || n == 1) {
		return n == 1, nil
	}
	return def, fmt.Errorf("property %s: expected a boolean, got %v", key, v)
}

// Int returns key as an integer; numeric strings are parsed and an empty
// string is the default. Fractions are an error.
func (p Props) Int(key string, def int) (int, error) {
	v, ok := p.get(key)
	if !ok {
		return def, nil
	}
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case int32:
		return int(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return def, fmt.Errorf("property %s: %d is out of range", key, x)
		}
		return int(x), nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return def, fmt.Errorf("property %s: expected an integer, got %v", key, x)
		}
		return int(x), nil
	case json.Number:
		return parseIntString(key, string(x), def)
	case string:
		return parseIntString(key, x, def)
	}
	return def, fmt.Errorf("property %s: expected an integer, got %T", key, v)
}

func parseIntString(key, s string, def int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return int(n), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
		return int(f), nil
	}
	return def, fmt.Errorf("property %s: expected an integer, got %q", key, s)
}

// Duration returns key as a duration: a number is milliseconds, a string is a
// number of milliseconds or a Go duration ("1s", "500ms").
func (p Props) Duration(key string, def time.Duration) (time.Duration, error) {
	v, ok := p.get(key)
	if !ok {
		return def, nil
	}
	if s, isStr := v.(string); isStr {
		s = strings.TrimSpace(s)
		if s == "" {
			return def, nil
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			d, err := time.ParseDuration(s)
			if err != nil {
				return def, fmt.Errorf("property %s: expected a duration, got %q", key, s)
			}
			return d, nil
		}
	}
	ms, err := p.Int(key, 0)
	if err != nil {
		return def, fmt.Errorf("property %s: expected a duration: %w", key, err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Strings returns key as a list of strings. A single string is split on
// commas (forms and configuration files give lists as text); a JSON array
// string is decoded.
func (p Props) Strings(key string) ([]string, error) {
	v, ok := p.get(key)
	if !ok {
		return nil, nil
	}
	switch x := v.(type) {
	case []string:
		return x, nil
	case []any:
		out := make([]string, 0, len(x))
		for i, e := range x {
			s, isStr := e.(string)
			if !isStr {
				return nil, fmt.Errorf("property %s: element %d is %T, not a string", key, i, e)
			}
			out = append(out, s)
		}
		return out, nil
	case string:
		return splitList(key, x)
	}
	return nil, fmt.Errorf("property %s: expected a list of strings, got %T", key, v)
}

func splitList(key, s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if strings.HasPrefix(s, "[") {
		var out []string
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("property %s: invalid list %q: %w", key, s, err)
		}
		return out, nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts, nil
}

// Map returns key as an object; a string holding a JSON object is decoded.
func (p Props) Map(key string) (map[string]any, error) {
	v, ok := p.get(key)
	if !ok {
		return nil, nil
	}
	switch x := v.(type) {
	case map[string]any:
		return x, nil
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return nil, nil
		}
		var out map[string]any
		if err := json.Unmarshal([]byte(x), &out); err != nil {
			return nil, fmt.Errorf("property %s: expected an object: %w", key, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("property %s: expected an object, got %T", key, v)
}

// StringMap returns key as a map of strings; non-string values are formatted
// (JSON for structures).
func (p Props) StringMap(key string) (map[string]string, error) {
	m, err := p.Map(key)
	if err != nil || m == nil {
		return nil, err
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		s, err := Props{k: v}.String(k, "")
		if err != nil {
			b, jerr := json.Marshal(v)
			if jerr != nil {
				return nil, fmt.Errorf("property %s.%s: %w", key, k, jerr)
			}
			s = string(b)
		}
		out[k] = s
	}
	return out, nil
}
