package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/app/api/apitest"
	"github.com/oort-rules/oort/rules/errs"
)

var (
	testStart = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	testNow   = testStart.Add(100 * time.Second)
)

type harness struct {
	t    *testing.T
	srv  *httptest.Server
	fake *apitest.Fake
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	e := echo.New()
	fake := apitest.New()
	err := Register(EchoAdder(e), fake, Options{
		Version:   "1.2.3",
		Port:      59720,
		StartTime: func() time.Time { return testStart },
		Now:       func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &harness{t: t, srv: srv, fake: fake}
}

type reply struct {
	status int
	ctype  string
	body   string
	header http.Header
}

// do sends a request without any Content-Type header: the API must not
// require one (rules-api.md §3.1).
func (h *harness) do(method, path, body string) reply {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatalf("new request %s %s: %v", method, path, err)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("read %s %s: %v", method, path, err)
	}
	return reply{resp.StatusCode, resp.Header.Get("Content-Type"), string(b), resp.Header}
}

// expect checks status, content type and the exact body.
func (h *harness) expect(method, path, body string, status int, ctype, want string) reply {
	h.t.Helper()
	r := h.do(method, path, body)
	if r.status != status || r.ctype != ctype || r.body != want {
		h.t.Errorf("%s %s:\n got %d %q %q\nwant %d %q %q", method, path, r.status, r.ctype, r.body, status, ctype, want)
	}
	return r
}

// expectErr checks an error reply: http.Error's text/plain body plus newline.
func (h *harness) expectErr(method, path, body string, status int, want string) {
	h.t.Helper()
	h.expect(method, path, body, status, ctText, want+"\n")
}

const demoStream = `{"sql":"CREATE STREAM demo () WITH (TYPE=\"edgex\", FORMAT=\"JSON\")"}`

func (h *harness) seed() {
	h.t.Helper()
	h.expect("POST", "/streams", demoStream, 201, ctText, "Stream demo is created.")
	h.expect("POST", "/rules", `{"id":"r1","sql":"SELECT temperature FROM demo","actions":[{"log":{}}]}`,
		201, ctText, "Rule r1 was created successfully.")
}

// TestErrorExamples reproduces every example of rules-api.md §3.2.
func TestErrorExamples(t *testing.T) {
	h := newHarness(t)
	h.seed()
	cases := []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/streams", demoStream, 400, `{"error":3000,"message":"Stream command error: Create stream fails: Item demo already exists."}`},
		{"POST", "/streams", `{"sql":"CREAT STREAM x () WITH ()"}`, 400, `{"error":3000,"message":"Stream command error: found \"CREAT\", expected CREATE, DROP, SHOW or DESCRIBE"}`},
		{"POST", "/streams", `nope`, 400, `{"error":1000,"message":"Invalid body: Error decoding the statement descriptor: invalid character 'o' in literal null (expecting 'u')"}`},
		{"GET", "/streams/nosuch", "", 400, `{"error":3000,"message":"describe stream error: Describe stream fails, nosuch is not found."}`},
		{"DELETE", "/streams/nosuch", "", 404, `{"error":1002,"message":"delete stream error: stream nosuch is not found"}`},
		{"DELETE", "/streams/demo", "", 400, `{"error":1000,"message":"stream demo has been referenced by other rules"}`},
		{"PUT", "/streams/demo", `{"sql":"CREATE STREAM other () WITH (TYPE=\"edgex\")"}`, 400, `{"error":3000,"message":"Stream command error: Replace demo fails: the sql statement must update the demo source."}`},
		{"PUT", "/streams/demo", `{"sql":"CREATE TABLE demo () WITH (TYPE=\"memory\")"}`, 404, `{"error":1002,"message":"Stream command error: stream demo is not found"}`},
		{"POST", "/rules", `{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}`, 400, `{"error":1000,"message":"rule r1 already exists"}`},
		{"POST", "/rules", `{"id":"r2","sql":"SELEC * FROM demo","actions":[{"log":{}}]}`, 400, `{"error":1000,"message":"invalid rule json: found \"SELEC\", expected SELECT"}`},
		{"POST", "/rules", `{"id":"r2","sql":"SELECT * FROM nosuch","actions":[{"log":{}}]}`, 400, `{"error":1000,"message":"fail to get stream nosuch, please check if stream is created"}`},
		{"GET", "/rules/nosuch", "", 404, `{"error":1002,"message":"Describe rule error: Rule nosuch is not found."}`},
		{"DELETE", "/rules/nosuch", "", 400, `{"error":1000,"message":"Delete rule error: rule nosuch not found"}`},
		{"POST", "/rules/nosuch/start", "", 404, `{"error":1002,"message":"start rule error: Rule nosuch is not found in registry, please check if it is created"}`},
		{"POST", "/rules/nosuch/stop", "", 404, `{"error":1002,"message":"stop rule error: Rule nosuch is not found in registry, please check if it is created"}`},
		{"POST", "/rules/nosuch/restart", "", 404, `{"error":1002,"message":"restart rule error: Rule nosuch is not found in registry, please check if it is created"}`},
		{"GET", "/rules/nosuch/status", "", 404, `{"error":1002,"message":"get rule status error: Rule nosuch is not found"}`},
		{"GET", "/rules/nosuch/topo", "", 404, `{"error":1002,"message":"get rule topo error: Rule nosuch is not found"}`},
	}
	for _, c := range cases {
		h.expectErr(c.method, c.path, c.body, c.status, c.want)
	}
}

func TestInvalidIDs(t *testing.T) {
	h := newHarness(t)
	want := `{"error":1000,"message":"id 'bad id' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"}`
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		for _, base := range []string{"/rules/", "/streams/", "/tables/"} {
			h.expectErr(m, base+"bad%20id", `{}`, 400, want)
		}
	}
	// An escaped slash must not route elsewhere nor slip through.
	h.expectErr("GET", "/rules/a%2Fb", "", 400,
		`{"error":1000,"message":"id 'a/b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"}`)
}

func TestRuleJSONPrefixes(t *testing.T) {
	h := newHarness(t)
	h.seed()
	h.expectErr("POST", "/rules", `{"sql":"SELECT * FROM demo","actions":[{"log":{}}]}`, 400,
		`{"error":1000,"message":"invalid rule json: Missing rule id."}`)
	h.expectErr("POST", "/rules", `{"id":"x"`, 400,
		`{"error":1000,"message":"invalid rule json: Parse rule {\"id\":\"x\" error : unexpected end of JSON input."}`)
	h.expectErr("PUT", "/rules/r1", `{"id":"r9","sql":"SELECT * FROM demo","actions":[{"log":{}}]}`, 400,
		`{"error":1000,"message":"Update rule error: Invalid rule json: RuleId is not consistent with rule id."}`)
	h.expectErr("PUT", "/rules/r1", `{"id":"r1","sql":"SELECT * FROM demo","actions":[]}`, 400,
		`{"error":1000,"message":"Update rule error: Invalid rule json: Missing rule actions."}`)
	h.expectErr("PUT", "/rules/r1", `{"id":"r1","sql":"SELECT * FROM gone","actions":[{"log":{}}]}`, 400,
		`{"error":1000,"message":"Update rule error: fail to get stream gone, please check if stream is created"}`)
}

func TestUnknownAndUnsupportedRoutes(t *testing.T) {
	h := newHarness(t)
	h.expectErr("GET", "/nosuch", "", 404, `{"error":1002,"message":"GET /nosuch is not found"}`)
	h.expectErr("GET", "/rules/r1/nosuch", "", 404, `{"error":1002,"message":"GET /rules/r1/nosuch is not found"}`)
	// A known path with a wrong method is unknown too, not echo's 405.
	h.expectErr("PATCH", "/streams", "", 404, `{"error":1002,"message":"PATCH /streams is not found"}`)
	h.expectErr("DELETE", "/rules/r1/start", "", 404, `{"error":1002,"message":"DELETE /rules/r1/start is not found"}`)
	for _, c := range [][2]string{
		{"GET", "/stop"}, {"POST", "/stop"}, {"POST", "/rules/r1/trace/start"}, {"POST", "/rules/r1/trace/stop"},
		{"GET", "/trace/abc"}, {"GET", "/trace/rule/r1"}, {"POST", "/tracer"}, {"PUT", "/rules/r1/reset_state"},
		{"GET", "/plugins"}, {"GET", "/plugins/sources"}, {"DELETE", "/plugins/sinks/x"}, {"GET", "/services"},
		{"POST", "/schemas/protobuf"}, {"GET", "/udf/javascript"}, {"GET", "/connections"}, {"PUT", "/connections/c1"},
		{"PATCH", "/configs"}, {"GET", "/config/uploads"}, {"DELETE", "/config/uploads/f"},
		{"GET", "/metadata/operators"}, {"GET", "/metadata/sources/mqtt"}, {"GET", "/data/export"},
		{"POST", "/data/import"}, {"GET", "/v2/data/export"}, {"POST", "/async/data/import"},
		{"GET", "/async/task/1"}, {"GET", "/metrics"}, {"GET", "/debug/pprof/heap"},
	} {
		h.expectErr(c[0], c[1], "", 501,
			`{"error":1001,"message":"`+c[0]+` `+c[1]+` is not supported by Oort"}`)
	}
}

// TestMetadataFunctions: the catalogue is listed with name, kind, signature,
// result type and doc line.
func TestMetadataFunctions(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/metadata/functions", "")
	if r.status != 200 || r.ctype != ctJSON {
		t.Fatalf("GET /metadata/functions: %d %q", r.status, r.ctype)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.body), &list); err != nil {
		t.Fatalf("body is not a JSON array: %v", err)
	}
	byName := map[string]map[string]any{}
	for _, f := range list {
		byName[f["name"].(string)] = f
	}
	abs, win := byName["abs"], byName["tumblingwindow"]
	if len(list) < 150 || abs == nil || abs["type"] != "scalar" || abs["args"] != "(x)" || abs["doc"] == "" || win == nil || win["type"] != "window definition" {
		t.Fatalf("%d functions; abs=%v tumblingwindow=%v", len(list), abs, win)
	}
}

// TestRuleSchemaAndScanTablesRoutes: both endpoints answer JSON for a known
// rule and the §3.2 not-found error otherwise (their content is tested on
// the real engine in rules/engine).
func TestRuleSchemaAndScanTablesRoutes(t *testing.T) {
	h := newHarness(t)
	h.seed()
	h.expect("GET", "/rules/r1/schema", "", 200, ctJSON, `{"*":{}}`+"\n")
	h.expect("GET", "/rules/r1/scantables", "", 200, ctJSON, "{}\n")
	h.expectErr("GET", "/rules/nosuch/schema", "", 404, `{"error":1002,"message":"get rule schema error: Rule nosuch is not found"}`)
	h.expectErr("GET", "/rules/nosuch/scantables", "", 404, `{"error":1002,"message":"get rule scan tables error: Rule nosuch is not found"}`)
}

func TestServiceEndpoints(t *testing.T) {
	h := newHarness(t)
	r := h.expect("GET", "/ping", "", 200, "", "")
	if r.body != "" {
		t.Errorf("ping body %q, want empty", r.body)
	}
	h.expect("GET", "/rules/usage/cpu", "", 200, ctText, "cpu usage not enabled")
	for _, m := range []string{"GET", "POST"} {
		r := h.do(m, "/", "")
		if r.status != 200 || r.ctype != ctJSON {
			t.Fatalf("%s /: %d %q", m, r.status, r.ctype)
		}
		prefix := `{"version":"1.2.3","os":"linux","arch":"amd64","upTimeSeconds":100,"cpuUsage":"0","memoryUsed":"`
		if !strings.HasPrefix(r.body, prefix) || !strings.Contains(r.body, `"memoryTotal":"`) || strings.Contains(r.body, `"memoryUsed":"0"`) {
			t.Errorf("%s / body %q", m, r.body)
		}
	}
}

func TestRegisterErrors(t *testing.T) {
	if err := Register(nil, apitest.New(), Options{}); err == nil {
		t.Error("nil adder accepted")
	}
	if err := Register(EchoAdder(echo.New()), nil, Options{}); err == nil {
		t.Error("nil engine accepted")
	}
	boom := errors.New("route is reserved")
	err := Register(func(string, echo.HandlerFunc, ...string) error { return boom }, apitest.New(), Options{})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "/ping") {
		t.Errorf("adder error = %v, want wrapped %v naming the route", err, boom)
	}
}

func TestStatusFor(t *testing.T) {
	nf := errs.New(errs.NotFound, "Rule x is not found")
	cases := []struct {
		err  error
		want int
	}{
		{errors.New("plain"), 400},
		{nf, 404},
		// Only a top-level 1002 is a 404 (kept for compatibility, §3.2).
		{fmt.Errorf("layer: %w", nf), 400},
		{errs.Wrap(errs.Undefined, "layer", nf), 400},
		{errs.New(errs.Stream, "x"), 400},
		{&errs.Error{Code: errs.General, Msg: "x", Err: errUnsupported}, 501},
		{&errs.Error{Code: errs.Undefined, Msg: "x", Err: errors.Join(errUnprocessable, nf)}, 422},
	}
	for _, c := range cases {
		if got := statusFor(c.err); got != c.want {
			t.Errorf("statusFor(%#v) = %d, want %d", c.err, got, c.want)
		}
	}
}
