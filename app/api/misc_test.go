package api

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/app/api/apitest"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/obs"
)

func TestStatusJSON(t *testing.T) {
	kvs := []obs.KV{
		{Key: "status", Val: "running"},
		{Key: "message", Val: "a<b"},
		{Key: "zeta", Val: int64(3)},
		{Key: "alpha", Val: map[string]any{"x": []int{1, 2}}},
	}
	pretty, err := statusJSON(kvs, true)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"status\": \"running\",\n  \"message\": \"a\\u003cb\",\n  \"zeta\": 3,\n" +
		"  \"alpha\": {\n    \"x\": [\n      1,\n      2\n    ]\n  }\n}"
	if string(pretty) != want {
		t.Errorf("pretty:\n%s\nwant:\n%s", pretty, want)
	}
	compact, _ := statusJSON(kvs, false)
	if string(compact) != `{"status":"running","message":"a\u003cb","zeta":3,"alpha":{"x":[1,2]}}` {
		t.Errorf("compact: %s", compact)
	}
	if empty, _ := statusJSON(nil, true); string(empty) != "{}" {
		t.Errorf("empty: %s", empty)
	}
	if _, err := statusJSON([]obs.KV{{Key: "bad", Val: func() {}}}, true); err == nil || !strings.Contains(err.Error(), `"bad"`) {
		t.Errorf("unencodable value: err = %v", err)
	}
}

func TestStatusVariants(t *testing.T) {
	h := newHarness(t)
	h.seed()
	r := h.do("GET", "/v2/rules/r1/status", "")
	if r.status != 200 || r.ctype != ctJSON ||
		!strings.HasPrefix(r.body, `{"status":"running","message":"","lastStartTimestamp":1700000000000,"lastStopTimestamp":0,`) {
		t.Errorf("v2 status: %d %q %s", r.status, r.ctype, r.body)
	}
	h.expect("GET", "/rules/status/all", "", 200, ctJSON,
		`{"r1":{"status":"running","last_exception":"","exceptions_total":0}}`+"\n")
	h.expect("GET", "/rules/r1/explain", "", 200, ctText,
		"{\"op\":\"ProjectPlan_0\",\"info\":\"Fields:[ * ]\"}\n\t{\"op\":\"DataSourcePlan_1\",\"info\":\"StreamName: demo\"}\n")
	h.expectErr("GET", "/rules/nosuch/explain", "", 404, `{"error":1002,"message":"explain rules error: Rule nosuch is not found"}`)
	h.expectErr("GET", "/v2/rules/nosuch/status", "", 404, `{"error":1002,"message":"get rule status error: Rule nosuch is not found"}`)
}

func TestValidate(t *testing.T) {
	h := newHarness(t)
	h.seed()
	h.expect("POST", "/rules/validate", `{"id":"v1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}`,
		200, ctJSON, `{"sources":["demo"],"valid":true}`+"\n")
	h.expect("POST", "/rules/validate", `{"id":"v1","sql":"SELECT * FROM nosuch","actions":[{"log":{}}]}`,
		422, ctText, "fail to get stream nosuch, please check if stream is created")
	h.expect("POST", "/rules/validate", `{"id":"v1","sql":"SELEC","actions":[{"log":{}}]}`,
		422, ctText, `found "SELEC", expected SELECT`)
	h.expectErr("POST", "/rules/validate", `{"id":`, 400,
		`{"error":1000,"message":"Invalid body: unexpected end of JSON input"}`)
	if h.fake.HasRule("v1") {
		t.Error("validation persisted the rule")
	}
}

func TestTagsAndBulk(t *testing.T) {
	h := newHarness(t)
	h.seed()
	h.expect("POST", "/rules", `{"id":"r2","sql":"SELECT * FROM demo","actions":[{"log":{}}],"triggered":false}`,
		201, ctText, "Rule r2 was created successfully.")
	h.expect("PUT", "/rules/r1/tags", `{"tags":["t1","t2"]}`, 200, "", "")
	h.expect("PATCH", "/rules/r2/tags", `{"tags":["t1"]}`, 200, "", "")
	h.expect("PATCH", "/rules/r2/tags", `{"tags":["t3","t1"]}`, 200, "", "")
	h.expect("GET", "/rules/tags/match", `{"tags":["t1"]}`, 200, ctJSON, `{"rules":["r1","r2"]}`+"\n")
	h.expect("DELETE", "/rules/r1/tags", `{"tags":["t1"]}`, 200, "", "")
	h.expect("GET", "/rules/tags/match", `{"tags":["t1"]}`, 200, ctJSON, `{"rules":["r2"]}`+"\n")
	h.expect("GET", "/rules/tags/match", `{"tags":["none"]}`, 200, ctJSON, "{}\n")
	h.expectErr("PUT", "/rules/nosuch/tags", `{"tags":["a"]}`, 404,
		`{"error":1002,"message":"set rule tags error: Rule nosuch is not found"}`)
	h.expectErr("PATCH", "/rules/r1/tags", `[`, 400, `{"error":1000,"message":"Invalid body: unexpected end of JSON input"}`)

	h.expect("POST", "/rules/bulkstart", `{"tags":["t3"]}`, 200, ctJSON, `[{"ruleId":"r2","success":true}]`+"\n")
	if got := h.fake.RuleStatusText("r2"); got != "running" {
		t.Errorf("r2 after bulkstart: %s", got)
	}
	h.expect("POST", "/rules/bulkstop", `{"tags":["t2"]}`, 200, ctJSON, `[{"ruleId":"r1","success":true}]`+"\n")
	h.expect("POST", "/rules/bulkstop", `{"tags":["none"]}`, 200, ctJSON, "[]\n")
}

func TestRulesetExportImport(t *testing.T) {
	h := newHarness(t)
	h.seed()
	r := h.do("POST", "/ruleset/export", "")
	if r.status != 200 || r.ctype != "application/octet-stream" || r.header.Get("Content-Disposition") != "Attachment" {
		t.Fatalf("export: %d %q %v", r.status, r.ctype, r.header)
	}
	var rs engine.Ruleset
	if err := json.Unmarshal([]byte(r.body), &rs); err != nil {
		t.Fatalf("export body %q: %v", r.body, err)
	}
	if len(rs.Streams) != 1 || len(rs.Tables) != 0 || !strings.Contains(rs.Rules["r1"], `"id":"r1"`) {
		t.Fatalf("export document: %+v", rs)
	}
	if !strings.Contains(r.body, `"tables":{}`) {
		t.Errorf("empty tables must be {}, got %s", r.body)
	}

	other := newHarness(t)
	content, _ := json.Marshal(map[string]string{"content": r.body})
	other.expect("POST", "/ruleset/import", string(content), 200, ctText, "imported 1 streams, 0 tables and 1 rules")
	if !other.fake.HasRule("r1") {
		t.Error("import did not create r1")
	}

	h.expectErr("POST", "/ruleset/import", `{"content":"x","file":"file:///tmp/x"}`, 400,
		`{"error":1000,"message":"Invalid body: Cannot specify both content and file"}`)
	h.expectErr("POST", "/ruleset/import", `{}`, 400, `{"error":1000,"message":"Invalid body: must specify content or file"}`)
	h.expectErr("POST", "/ruleset/import", `{"content":"{oops"}`, 400,
		`{"error":1000,"message":"Import ruleset error: invalid import file: invalid character 'o' looking for beginning of object key string"}`)
	h.expectErr("POST", "/ruleset/import", `{"file":"ftp://host/x"}`, 400,
		`{"error":1000,"message":"Import ruleset error: invalid file \"ftp://host/x\": only file:// and http(s):// are supported"}`)
}

func TestRulesetImportFromFileAndURL(t *testing.T) {
	doc := `{"streams":{"s9":"CREATE STREAM s9 () WITH (TYPE=\"edgex\")"},"tables":{},"rules":{}}`
	path := filepath.Join(t.TempDir(), "rs.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	h.expect("POST", "/ruleset/import", `{"file":"file://`+path+`"}`, 200, ctText, "imported 1 streams, 0 tables and 0 rules")

	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rs.json" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(strings.ReplaceAll(doc, "s9", "s10")))
	}))
	defer files.Close()
	h.expect("POST", "/ruleset/import", `{"file":"`+files.URL+`/rs.json"}`, 200, ctText, "imported 1 streams, 0 tables and 0 rules")
	r := h.do("POST", "/ruleset/import", `{"file":"`+files.URL+`/missing.json"}`)
	if r.status != 400 || !strings.Contains(r.body, `"error":1003`) || !strings.Contains(r.body, "404 Not Found") {
		t.Errorf("missing URL: %d %s", r.status, r.body)
	}
	r = h.do("POST", "/ruleset/import", `{"file":"file:///nonexistent/oort/rs.json"}`)
	if r.status != 400 || !strings.Contains(r.body, "Import ruleset error: fail to read file: open /nonexistent/oort/rs.json") {
		t.Errorf("missing file: %d %s", r.status, r.body)
	}
}

func TestTrialRun(t *testing.T) {
	h := newHarness(t)
	spec := `{"id":"t1","sql":"SELECT a FROM demo","mockSource":{"demo":{"data":[{"a":2},{"a":3}],"interval":100}}}`
	h.expect("POST", "/ruletest", spec, 200, ctJSON, `{"id":"t1","port":59720}`+"\n")
	h.expectErr("POST", "/ruletest", `{"id":"t2","sql":"nope"}`, 400,
		`{"error":2001,"message":"create trial rule error: found \"nope\", expected SELECT"}`)

	resp, err := h.srv.Client().Get(h.srv.URL + "/test/t1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("event stream: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	waitFor(t, func() bool { return h.fake.Subscribers("t1") == 1 })
	h.expect("POST", "/ruletest/t1/start", "", 200, ctText, "Test rule t1 was started")

	rd := bufio.NewReader(resp.Body)
	var got strings.Builder
	for got.Len() < len("data: [{\"a\":2}]\n\ndata: [{\"a\":3}]\n\n") {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("read events: %v (so far %q)", err, got.String())
		}
		got.WriteString(line)
	}
	if got.String() != "data: [{\"a\":2}]\n\ndata: [{\"a\":3}]\n\n" {
		t.Errorf("events %q", got.String())
	}
	h.expect("DELETE", "/ruletest/t1", "", 200, ctText, "Test rule t1 was stopped.")
	if rest, err := rd.ReadString('\n'); err == nil {
		t.Errorf("stream still open after stop: %q", rest)
	}
	h.expectErr("GET", "/test/t1", "", 404, `{"error":1002,"message":"trial rule error: trial rule t1 is not found"}`)
	h.expectErr("POST", "/ruletest/t1/start", "", 404, `{"error":1002,"message":"start trial rule error: trial rule t1 is not found"}`)
	h.expectErr("DELETE", "/ruletest/t1", "", 404, `{"error":1002,"message":"stop trial rule error: trial rule t1 is not found"}`)
}

func TestSSEEvent(t *testing.T) {
	if got := string(sseEvent([]byte("a\r\nb"))); got != "data: a\ndata: b\n\n" {
		t.Errorf("multi-line event %q", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestBatch(t *testing.T) {
	h := newHarness(t)
	h.seed()
	body := `[{"method":"GET","path":"/rules","body":""},` +
		`{"method":"POST","path":"/streams","body":"{\"sql\":\"CREATE STREAM s2 () WITH ()\"}"},` +
		`{"method":"GET","path":"/rules/nosuch","body":""},` +
		`{"method":"BAD METHOD","path":"/rules","body":""}]`
	r := h.do("POST", "/batch/req", body)
	if r.status != 200 || r.ctype != ctJSON {
		t.Fatalf("batch: %d %q %s", r.status, r.ctype, r.body)
	}
	want := `[{"code":200,"response":"[{\"id\":\"r1\",\"name\":\"r1\",\"status\":\"running\",\"version\":\"\",\"trace\":false,\"tags\":null}]\n"},` +
		`{"code":201,"response":"Stream s2 is created."},` +
		`{"code":404,"response":"{\"error\":1002,\"message\":\"Describe rule error: Rule nosuch is not found.\"}\n"},` +
		`{"code":400,"response":"","error":"net/http: invalid method \"BAD METHOD\""}]` + "\n"
	if r.body != want {
		t.Errorf("batch body:\n%s\nwant:\n%s", r.body, want)
	}
	h.expectErr("POST", "/batch/req", `{}`, 400,
		`{"error":1000,"message":"Invalid body: json: cannot unmarshal object into Go value of type []api.subRequest"}`)
}

// TestTrialBehindTimeoutHandler mounts the router the way the EdgeX SDK serves
// it, inside http.TimeoutHandler, whose writer cannot flush: the event stream
// must not panic, and the events arrive when the trial stops (before the
// timeout). Live streaming through the SDK's router is not possible; see
// the package report.
func TestTrialBehindTimeoutHandler(t *testing.T) {
	e := echo.New()
	fake := apitest.New()
	if err := Register(EchoAdder(e), fake, Options{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.TimeoutHandler(e, 5*time.Second, "Request timed out"))
	defer srv.Close()
	if err := fake.CreateTrial(engine.TrialSpec{ID: "t1", SQL: "SELECT a FROM demo",
		MockSource: map[string]engine.TrialMock{"demo": {Data: []map[string]any{{"a": 1}}}}}); err != nil {
		t.Fatal(err)
	}
	type result struct {
		body string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := srv.Client().Get(srv.URL + "/test/t1")
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- result{string(b), err}
	}()
	waitFor(t, func() bool { return fake.Subscribers("t1") == 1 })
	if err := fake.StartTrial("t1"); err != nil {
		t.Fatal(err)
	}
	if err := fake.StopTrial("t1"); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.body != "data: [{\"a\":1}]\n\n" {
		t.Errorf("buffered stream: %q, %v", r.body, r.err)
	}
}

func TestTrialStreamHandler(t *testing.T) {
	fake := apitest.New()
	srv := httptest.NewServer(TrialStreamHandler(fake))
	defer srv.Close()
	if err := fake.CreateTrial(engine.TrialSpec{ID: "t1", SQL: "SELECT a FROM demo",
		MockSource: map[string]engine.TrialMock{"demo": {Data: []map[string]any{{"a": 7}}}}}); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Get(srv.URL + "/test/t1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	waitFor(t, func() bool { return fake.Subscribers("t1") == 1 })
	if err := fake.StartTrial("t1"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line != "data: [{\"a\":7}]\n" {
		t.Errorf("first event line %q, %v", line, err)
	}
	_ = fake.StopTrial("t1")
	r, err := srv.Client().Get(srv.URL + "/rules")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 404 || string(b) != `{"error":1002,"message":"GET /rules is not found"}`+"\n" {
		t.Errorf("other route on the trial listener: %d %q", r.StatusCode, b)
	}
}
