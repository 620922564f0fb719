// Package topic implements MQTT topic filters: the matching rules used by
// memory streams (rules-api.md §2.4.7), the mqtt source and the EdgeX bus.
package topic

import (
	"fmt"
	"strings"
)

// HasWildcard reports whether s contains an MQTT wildcard character.
func HasWildcard(s string) bool {
	return strings.ContainsAny(s, "+#")
}

// Validate checks that filter is a well-formed MQTT topic filter: not empty,
// `+` and `#` occupy whole levels, and `#` is the last level.
func Validate(filter string) error {
	if filter == "" {
		return fmt.Errorf("topic filter is empty")
	}
	if strings.IndexByte(filter, 0) >= 0 {
		return fmt.Errorf("topic filter %q contains a NUL character", filter)
	}
	levels := strings.Split(filter, "/")
	for i, l := range levels {
		switch {
		case l == "#":
			if i != len(levels)-1 {
				return fmt.Errorf("topic filter %q: '#' must be the last level", filter)
			}
		case l == "+":
		case HasWildcard(l):
			return fmt.Errorf("topic filter %q: wildcard in level %q must occupy the whole level", filter, l)
		}
	}
	return nil
}

// Match reports whether topic matches filter. `+` matches exactly one level
// (possibly empty) and `#` matches the remaining levels including none, so
// "a/#" matches "a". As in MQTT, a filter starting with a wildcard does not
// match topics starting with '$' (reserved system topics). An invalid filter
// matches nothing rather than matching by accident.
func Match(filter, topic string) bool {
	if !HasWildcard(filter) {
		return filter == topic
	}
	if strings.HasPrefix(topic, "$") && (filter[0] == '+' || filter[0] == '#') || strings.IndexByte(filter, 0) >= 0 {
		return false
	}
	for {
		fl, frest, fmore := strings.Cut(filter, "/")
		switch fl {
		case "#":
			return !fmore
		case "+":
		default:
			if HasWildcard(fl) {
				return false
			}
		}
		tl, trest, tmore := strings.Cut(topic, "/")
		if fl != "+" && fl != tl {
			return false
		}
		switch {
		case !fmore && !tmore:
			return true
		case !tmore:
			// The topic ended: only a trailing "#" still matches (parent level).
			return frest == "#"
		case !fmore:
			return false
		}
		filter, topic = frest, trest
	}
}
