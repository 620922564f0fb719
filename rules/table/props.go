package table

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// props reads connection properties whose values come from YAML, JSON (EXTRA)
// or the REST API, so numbers and booleans may arrive as strings and vice
// versa. Keys are matched case-insensitively, as eKuiper does.
type props map[string]any

func (p props) get(key string) (any, bool) {
	if v, ok := p[key]; ok {
		return v, true
	}
	for k, v := range p {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func (p props) str(key, def string) (string, error) {
	v, ok := p.get(key)
	if !ok || v == nil {
		return def, nil
	}
	switch t := v.(type) {
	case string:
		return t, nil
	case fmt.Stringer:
		return t.String(), nil
	case bool, int, int64, float64:
		return fmt.Sprint(t), nil
	}
	return "", fmt.Errorf("property %s: expected a string, got %T", key, v)
}

func (p props) boolean(key string, def bool) (bool, error) {
	v, ok := p.get(key)
	if !ok || v == nil {
		return def, nil
	}
	switch t := v.(type) {
	case bool:
		return t, nil
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(t))
		if err != nil {
			return false, fmt.Errorf("property %s: %q is not a boolean", key, t)
		}
		return b, nil
	}
	return false, fmt.Errorf("property %s: expected a boolean, got %T", key, v)
}

// millis reads a duration given as a number of milliseconds or as a Go
// duration string ("10s").
func (p props) millis(key string, def time.Duration) (time.Duration, error) {
	v, ok := p.get(key)
	if !ok || v == nil {
		return def, nil
	}
	var d time.Duration
	switch t := v.(type) {
	case int:
		d = time.Duration(t) * time.Millisecond
	case int64:
		d = time.Duration(t) * time.Millisecond
	case float64:
		d = time.Duration(t * float64(time.Millisecond))
	case string:
		s := strings.TrimSpace(t)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			d = time.Duration(n) * time.Millisecond
		} else if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("property %s: %q is neither milliseconds nor a duration", key, t)
		}
	default:
		return 0, fmt.Errorf("property %s: expected milliseconds, got %T", key, v)
	}
	if d < 0 {
		return 0, fmt.Errorf("property %s: must not be negative", key)
	}
	return d, nil
}
