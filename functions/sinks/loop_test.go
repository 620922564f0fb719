package sinks

import "testing"

func TestEdgeXLoopWarning(t *testing.T) {
	subs := []string{"events/#"}
	cases := []struct {
		props map[string]any
		loops bool
	}{
		{map[string]any{"topicPrefix": "edgex/events/device"}, true},
		{map[string]any{"topicPrefix": "events/device", "serviceName": "oort"}, true},
		{map[string]any{"topic": "edgex/events/device/x"}, true},
		{map[string]any{"topic": "events"}, true}, // MQTT: "events/#" also matches "events"
		{map[string]any{"topic": "{{.t}}"}, true},
		{map[string]any{"topic": "rules/{{.dev}}"}, false},
		{nil, false},
		{map[string]any{"topic": "a", "topicPrefix": "b"}, false},
	}
	for _, tc := range cases {
		if got := EdgeXLoopWarning(tc.props, "edgex", subs) != ""; got != tc.loops {
			t.Errorf("%v: loop warning %v, want %v", tc.props, got, tc.loops)
		}
	}
	if EdgeXLoopWarning(map[string]any{"topic": "rules/out/1"}, "edgex", []string{"edgex/rules/+/1"}) == "" {
		t.Error("an absolute subscription filter must be compared without its base prefix")
	}
	if EdgeXLoopWarning(map[string]any{"topic": "rules/out/1"}, "edgex", []string{"rules/+"}) != "" {
		t.Error("rules/+ does not match a three-level topic")
	}
}
