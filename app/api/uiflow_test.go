package api

import (
	"strings"
	"testing"
)

// TestUIFlow walks the calls the EdgeX UI makes (rules-api.md §3.14) and
// checks the replies byte for byte.
func TestUIFlow(t *testing.T) {
	h := newHarness(t)
	h.expect("GET", "/ping", "", 200, "", "")
	h.expect("GET", "/streams", "", 200, ctJSON, "[]\n")
	h.expect("POST", "/streams",
		`{"sql":"CREATE STREAM EdgeXStream () WITH ( FORMAT = \"JSON\", TYPE = \"edgex\" )"}`,
		201, ctText, "Stream EdgeXStream is created.")
	h.expect("GET", "/streams", "", 200, ctJSON, `["EdgeXStream"]`+"\n")
	h.expect("GET", "/streams/EdgeXStream", "", 200, ctJSON,
		`{"Name":"EdgeXStream","StreamFields":null,"Options":{"format":"JSON","type":"edgex"},"StreamType":0,"Statement":null}`+"\n")
	h.expect("PUT", "/streams/EdgeXStream",
		`{"sql":"CREATE STREAM EdgeXStream () WITH (format = \"JSON\", type = \"edgex\")"}`,
		200, ctText, "Stream EdgeXStream is replaced.")
	h.expect("GET", "/streamdetails", "", 200, ctJSON, `[{"name":"EdgeXStream","type":"edgex","format":"json"}]`+"\n")

	h.expect("GET", "/rules", "", 200, ctJSON, "[]\n")
	rule := `{"id":"rule1","sql":"SELECT * FROM EdgeXStream","actions":[{"log":{}}],` +
		`"options":{"isEventTime":false,"sendMetaToSink":false,"sendError":true,"qos":0,"lateTolerance":null,"concurrency":null,"bufferLength":null,"checkpointInterval":null}}`
	h.expect("POST", "/rules", rule, 201, ctText, "Rule rule1 was created successfully.")
	h.expect("GET", "/rules", "", 200, ctJSON,
		`[{"id":"rule1","name":"rule1","status":"running","version":"","trace":false,"tags":null}]`+"\n")
	h.expect("GET", "/rules/rule1", "", 200, ctJSON, rule)

	st := h.do("GET", "/rules/rule1/status", "")
	wantHead := "{\n  \"status\": \"running\",\n  \"message\": \"\",\n  \"lastStartTimestamp\": 1700000000000,\n" +
		"  \"lastStopTimestamp\": 0,\n  \"nextStartTimestamp\": 0,\n  \"source_EdgeXStream_0_records_in_total\": 5,\n"
	if st.status != 200 || st.ctype != ctJSON || !strings.HasPrefix(st.body, wantHead) ||
		!strings.HasSuffix(st.body, "\n  \"sink_log_0_0_connection_last_try_time\": 0\n}") {
		t.Errorf("status reply %d %q:\n%s", st.status, st.ctype, st.body)
	}

	h.expect("POST", "/rules/rule1/stop", "", 200, ctText, "Rule rule1 was stopped.")
	h.expect("GET", "/rules", "", 200, ctJSON,
		`[{"id":"rule1","name":"rule1","status":"stopped","version":"","trace":false,"tags":null}]`+"\n")
	h.expect("POST", "/rules/rule1/start", "", 200, ctText, "Rule rule1 was started")
	h.expect("POST", "/rules/rule1/restart", "", 200, ctText, "Rule rule1 was restarted")
	h.expect("GET", "/rules", "", 200, ctJSON,
		`[{"id":"rule1","name":"rule1","status":"running","version":"","trace":false,"tags":null}]`+"\n")

	// The UI PUTs the rule back with extra keys such as status.
	updated := `{"id":"rule1","sql":"SELECT * FROM EdgeXStream","actions":[{"log":{}}],"status":"running"}`
	h.expect("PUT", "/rules/rule1", updated, 200, ctText, "Rule rule1 was updated successfully.")
	h.expect("GET", "/rules/rule1", "", 200, ctJSON, updated)
	h.expect("GET", "/rules/rule1/topo", "", 200, ctJSON,
		`{"sources":["source_EdgeXStream"],"edges":{"op_2_project":["sink_log_0"],"source_EdgeXStream":["op_2_project"]}}`+"\n")

	h.expect("DELETE", "/rules/rule1", "", 200, ctText, "Rule rule1 is dropped.")
	h.expect("GET", "/rules", "", 200, ctJSON, "[]\n")
	h.expect("DELETE", "/streams/EdgeXStream", "", 200, ctText, "Stream EdgeXStream is dropped.")
	h.expect("GET", "/streams", "", 200, ctJSON, "[]\n")
}

func TestTables(t *testing.T) {
	h := newHarness(t)
	h.expect("POST", "/tables", `{"sql":"CREATE TABLE t1 () WITH (TYPE=\"memory\", KIND=\"lookup\")"}`,
		201, ctText, "Table t1 is created.")
	h.expect("GET", "/tables?kind=lookup", "", 200, ctJSON, `["t1"]`+"\n")
	h.expect("GET", "/tabledetails", "", 200, ctJSON, `[{"name":"t1","type":"memory","format":"json"}]`+"\n")
	h.expect("GET", "/tables/t1/schema", "", 200, ctJSON, "null\n")
	h.expect("PUT", "/tables/t1", `{"sql":"CREATE TABLE t1 () WITH (TYPE=\"memory\")"}`, 200, ctText, "Table t1 is replaced.")
	h.expectErr("GET", "/tables/nosuch", "", 400,
		`{"error":3000,"message":"describe table error: Describe table fails, nosuch is not found."}`)
	h.expectErr("DELETE", "/tables/nosuch", "", 404, `{"error":1002,"message":"delete table error: table nosuch is not found"}`)
	h.expectErr("POST", "/tables", `{"sql":"SHOW"}`, 400,
		`{"error":3000,"message":"Table command error: found \"SHOW\", expected CREATE, DROP, SHOW or DESCRIBE"}`)
	// A DROP sent to POST answers 201 with the drop text (§3.4).
	h.expect("POST", "/tables", `{"sql":"DROP TABLE t1"}`, 201, ctText, "Table t1 is dropped.")
}

func TestStreamForceDrop(t *testing.T) {
	h := newHarness(t)
	h.seed()
	h.expect("DELETE", "/streams/demo?force=true", "", 200, ctText, "Stream demo is dropped.")
	h.expect("GET", "/streams/demo/schema", "", 400, ctText,
		`{"error":3000,"message":"get stream schema error: Describe stream fails, demo is not found."}`+"\n")
}
