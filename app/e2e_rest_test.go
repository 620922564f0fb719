package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestUIRestFlow replays what the EdgeX UI's Rules Engine page sends
// (rules-api.md §3.14) against the running service, then restarts the
// service and checks that definitions and run states survived.
func TestUIRestFlow(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	s := startService(t, dir, port)
	defer func() { s.stop() }()

	if code, _, body := s.call("GET", "/ping", ""); code != 200 || body != "" {
		t.Fatalf("ping: %d %q", code, body)
	}
	s.expect("GET", "/streams", "", 200, "[]")
	s.expect("POST", "/streams", `{"sql":"CREATE STREAM EdgeXStream () WITH ( FORMAT = \"JSON\", TYPE = \"edgex\" )"}`, 201, "Stream EdgeXStream is created.")
	def := s.expect("GET", "/streams/EdgeXStream", "", 200, "")
	var parsed struct {
		Name         string
		StreamFields any
		Options      map[string]any
	}
	must(t, json.Unmarshal([]byte(def), &parsed))
	if parsed.Name != "EdgeXStream" || parsed.StreamFields != nil || parsed.Options["type"] != "edgex" {
		t.Fatalf("definition: %s", def)
	}
	// The UI rebuilds the statement from the JSON and PUTs it back unchanged.
	s.expect("PUT", "/streams/EdgeXStream", `{"sql":"CREATE STREAM EdgeXStream () WITH (format = \"JSON\", type = \"edgex\")"}`, 200, "Stream EdgeXStream is replaced.")

	rule := `{"id":"uirule","sql":"SELECT * FROM EdgeXStream","actions":[{"edgex":{"type":"mqtt","protocol":"tcp","host":"127.0.0.1","port":1883,"contentType":"application/json","messageType":"event","sendSingle":false,"optional":{"Qos":"0"},"topic":"rules-out","runAsync":false,"retryInterval":1000,"retryCount":0,"cacheLength":1024,"cacheSaveInterval":1000,"omitIfEmpty":false}},{"log":{}}],"options":{"isEventTime":false,"sendMetaToSink":false,"sendError":true,"qos":0,"lateTolerance":null,"concurrency":null,"bufferLength":null,"checkpointInterval":null}}`
	s.expect("POST", "/rules", rule, 201, "Rule uirule was created successfully.")
	s.expect("POST", "/rules", `{"id":"stopped1","triggered":false,"sql":"SELECT * FROM EdgeXStream","actions":[{"nop":{}}]}`, 201, "")
	assertRuleStatus(t, s, "uirule", "running")

	code, ctype, status := s.call("GET", "/rules/uirule/status", "")
	if code != 200 || !strings.HasPrefix(ctype, "application/json") || !strings.Contains(status, `"source_EdgeXStream_0_records_in_total"`) ||
		!strings.Contains(status, "\n  \"status\": \"running\"") {
		t.Fatalf("status: %d %s %s", code, ctype, status)
	}
	got := s.expect("GET", "/rules/uirule", "", 200, "")
	if !strings.Contains(got, `"edgex"`) || !strings.Contains(got, `"sql"`) {
		t.Fatalf("rule doc: %s", got)
	}
	s.expect("PUT", "/rules/uirule", strings.Replace(rule, `{"id":"uirule"`, `{"id":"uirule","status":"running"`, 1), 200, "Rule uirule was updated successfully.")
	assertRuleStatus(t, s, "uirule", "running")
	s.expect("POST", "/rules/uirule/stop", "", 200, "Rule uirule was stopped.")
	assertRuleStatus(t, s, "uirule", "stopped")
	s.expect("POST", "/rules/uirule/start", "", 200, "Rule uirule was started")
	assertRuleStatus(t, s, "uirule", "running")
	s.expect("POST", "/rules/uirule/restart", "", 200, "Rule uirule was restarted")
	s.expect("GET", "/rules/uirule/topo", "", 200, "")

	// Persistence: streams, rules and run state survive a restart.
	s.stop()
	s = startService(t, dir, port)
	assertRuleStatus(t, s, "uirule", "running")
	assertRuleStatus(t, s, "stopped1", "stopped")
	s.expect("GET", "/streams", "", 200, `["EdgeXStream"]`)

	s.expect("DELETE", "/streams/EdgeXStream", "", 400, "")
	s.expect("DELETE", "/rules/uirule", "", 200, "Rule uirule is dropped.")
	s.expect("DELETE", "/rules/stopped1", "", 200, "Rule stopped1 is dropped.")
	s.expect("DELETE", "/streams/EdgeXStream", "", 200, "Stream EdgeXStream is dropped.")
	s.expect("GET", "/rules", "", 200, "[]")
}

func assertRuleStatus(t *testing.T, s *service, id, want string) {
	t.Helper()
	var last string
	for i := 0; i < 50; i++ {
		_, _, body := s.call("GET", "/rules", "")
		var list []struct{ ID, Status string }
		must(t, json.Unmarshal([]byte(body), &list))
		for _, r := range list {
			if r.ID == id {
				last = r.Status
			}
		}
		if last == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("rule %s status %q, want %q", id, last, want)
}
