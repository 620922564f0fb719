package sinks

import (
	"fmt"
	"strings"
)

// EdgeXLoopWarning reports whether an edgex action with props could publish
// on a topic that one of subscriptions (MQTT-style filters such as
// "events/#", as written in Trigger.SubscribeTopics) would deliver back to
// this service (edgex.md §11.4, §15 pitfall 17). Topics and filters are
// compared relative to the base prefix; template segments match anything.
// It returns "" when no loop is possible or props are invalid (the factory
// reports those).
func EdgeXLoopWarning(props map[string]any, baseTopicPrefix string, subscriptions []string) string {
	p, err := ParseEdgeXProps(props, baseTopicPrefix)
	if err != nil {
		return ""
	}
	pattern := p.topicPattern()
	for _, f := range subscriptions {
		if filterMayMatch(strings.Split(stripBase(f, baseTopicPrefix), "/"), pattern) {
			return fmt.Sprintf("edgex sink topic %q is under the subscription %q: its events come back as input",
				strings.Join(pattern, "/"), f)
		}
	}
	return ""
}

// topicPattern is the publish topic split in segments, "*" for a segment
// only known per row and a final "**" when a template may span segments.
func (p *EdgeXProps) topicPattern() []string {
	if p.TopicPrefix != "" {
		segs := strings.Split(p.TopicPrefix, "/")
		if p.ServiceName != "" {
			segs = append(segs, p.ServiceName)
		}
		return append(segs, "*", "*", "*")
	}
	raw := stripBase(p.Topic.dyn.String(), p.BaseTopicPrefix)
	segs := strings.Split(raw, "/")
	for i, s := range segs {
		if strings.Contains(s, "{{") {
			return append(segs[:i:i], "**")
		}
	}
	return segs
}

// filterMayMatch reports whether some concrete topic matches both the MQTT
// filter and the pattern.
func filterMayMatch(filter, pattern []string) bool {
	for i, f := range filter {
		if f == "#" {
			return true
		}
		if i >= len(pattern) {
			return false
		}
		if pattern[i] == "**" {
			return true
		}
		if f != "+" && pattern[i] != "*" && f != pattern[i] {
			return false
		}
	}
	return len(filter) == len(pattern)
}
