package cli

import (
	"encoding/json"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/app/api"
	"github.com/oort-rules/oort/app/api/apitest"
)

const ruleDoc = `{"id":"r1","sql":"SELECT temperature FROM demo","actions":[{"log":{}}]}`

func (e *env) seedStream() {
	e.t.Helper()
	e.expect(0, "Stream demo is created.\n", "create", "stream", "demo", `() WITH (TYPE="edgex")`)
}

func TestRuleCommands(t *testing.T) {
	e := newEnv(t)
	e.seedStream()
	e.expect(0, "No rule definitions are found.\n", "show", "rules")
	e.expect(0, "Rule r1 was created successfully, please use 'oort getstatus rule r1' command to get rule status.\n",
		"create", "rule", "r1", ruleDoc)
	e.expectErr(1, "rule r1 already exists\n", "create", "rule", "r1", ruleDoc)
	e.expectErr(1, "invalid rule json: found \"SELEC\", expected SELECT\n",
		"create", "rule", "r9", `{"sql":"SELEC","actions":[{"log":{}}]}`)
	e.expectErr(1, "RuleId is not consistent with rule id.\n", "create", "rule", "other", ruleDoc)

	// The id argument is inserted into a document without one; the rest of
	// the document is kept as written.
	file := filepath.Join(t.TempDir(), "r2.json")
	if err := os.WriteFile(file, []byte(` {"sql":"SELECT * FROM demo",  "actions":[{"log":{}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e.expect(0, "Rule r2 was created successfully, please use 'oort getstatus rule r2' command to get rule status.\n",
		"create", "rule", "r2", "-f", file)
	e.expect(0, "{\n  \"id\": \"r2\",\n  \"sql\": \"SELECT * FROM demo\",\n  \"actions\": [\n    {\n      \"log\": {}\n    }\n  ]\n}\n",
		"describe", "rule", "r2")

	e.expect(0, `[
  {
    "id": "r1",
    "name": "r1",
    "status": "running",
    "version": "",
    "trace": false,
    "tags": null
  },
  {
    "id": "r2",
    "name": "r2",
    "status": "running",
    "version": "",
    "trace": false,
    "tags": null
  }
]
`, "show", "rules")
	e.expect(0, "Rule r1 was stopped.\n", "stop", "rule", "r1")
	if st := e.fake.RuleStatusText("r1"); st != "stopped" {
		t.Errorf("r1 after stop: %s", st)
	}
	e.expect(0, "Rule r1 was started\n", "start", "rule", "r1")
	e.expect(0, "Rule r1 was restarted.\n", "restart", "rule", "r1")
	e.expectErr(1, "start rule error: Rule nosuch is not found in registry, please check if it is created\n",
		"start", "rule", "nosuch")

	_, status, _ := e.run(nil, "getstatus", "rule", "r1")
	if !strings.HasPrefix(status, "{\n  \"status\": \"running\",\n  \"message\": \"\",\n") || !strings.HasSuffix(status, "\n}\n") {
		t.Errorf("getstatus output %q", status)
	}
	e.expect(0, `{
  "sources": [
    "source_demo"
  ],
  "edges": {
    "op_2_project": [
      "sink_log_0"
    ],
    "source_demo": [
      "op_2_project"
    ]
  }
}
`, "gettopo", "rule", "r1")
	e.expect(0, "{\"op\":\"ProjectPlan_0\",\"info\":\"Fields:[ * ]\"}\n\t{\"op\":\"DataSourcePlan_1\",\"info\":\"StreamName: demo\"}\n",
		"explain", "rule", "r1")
	e.expectErr(1, "get rule status error: Rule nosuch is not found\n", "getstatus", "rule", "nosuch")

	e.expect(0, "Rule r2 is dropped.\n", "drop", "rule", "r2")
	e.expectErr(1, "Delete rule error: rule r2 not found\n", "drop", "rule", "r2")
}

func TestValidateCommand(t *testing.T) {
	e := newEnv(t)
	e.seedStream()
	ok := "The rule has been successfully validated and is confirmed to be correct.\n"
	e.expect(0, ok, "validate", "rule", "v1", `{"sql":"SELECT * FROM demo","actions":[{"log":{}}]}`)
	file := filepath.Join(t.TempDir(), "v.json")
	if err := os.WriteFile(file, []byte(`{"id":"v1","sql":"SELECT * FROM nosuch","actions":[{"log":{}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// The 422 reply is plain text; the CLI prints it as the error.
	e.expectErr(1, "fail to get stream nosuch, please check if stream is created\n", "validate", "rule", "v1", "-f", file)
	e.expectErr(1, "Invalid body: invalid character 'o' in literal null (expecting 'u')\n", "validate", "rule", "v1", "nope")
	if e.fake.HasRule("v1") {
		t.Error("validate created the rule")
	}
}

func TestRulesetCommands(t *testing.T) {
	e := newEnv(t)
	e.seedStream()
	e.expect(0, "Rule r1 was created successfully, please use 'oort getstatus rule r1' command to get rule status.\n",
		"create", "rule", "r1", ruleDoc)
	path := filepath.Join(t.TempDir(), "export.json")
	e.expect(0, "exported 1 streams, 0 tables and 1 rules\n", "export", "ruleset", path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rs map[string]map[string]string
	if err := json.Unmarshal(b, &rs); err != nil || rs["rules"]["r1"] != ruleDoc {
		t.Fatalf("exported file %s: %v", b, err)
	}

	other := newEnv(t)
	other.expect(0, "imported 1 streams, 0 tables and 1 rules\n", "import", "ruleset", "-f", path)
	if !other.fake.HasRule("r1") {
		t.Error("import did not create r1")
	}
	other.expectErr(1, "read /nonexistent/x.json: open /nonexistent/x.json: no such file or directory\n",
		"import", "ruleset", "-f", "/nonexistent/x.json")
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte("{oops"), 0o600)
	other.expectErr(1, "Import ruleset error: invalid import file: invalid character 'o' looking for beginning of object key string\n",
		"import", "ruleset", "-f", bad)
}

// TestQuery drives the interactive prompt: a SELECT line runs as a trial
// rule whose results print as they arrive; exit stops it and leaves.
func TestQuery(t *testing.T) {
	e := newEnv(t)
	e.seedStream()
	e.fake.LiveData = []map[string]any{{"temperature": 31}}
	in, feed := io.Pipe()
	var out, errw lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run([]string{"query"}, Env{Stdin: in, Stdout: &out, Stderr: &errw,
			Getenv: func(string) string { return e.srv.URL }})
	}()
	waitFor(t, "first prompt", func() bool { return out.String() == prompt })
	if _, err := io.WriteString(feed, "SELECT temperature FROM demo;\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "query result", func() bool { return strings.Contains(out.String(), `[{"temperature":31}]`+"\n") })
	if _, err := io.WriteString(feed, "SELEC nonsense\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "error of a bad line", func() bool {
		return strings.Contains(errw.String(), `create trial rule error: found "SELEC", expected SELECT`)
	})
	if _, err := io.WriteString(feed, "exit\n"); err != nil {
		t.Fatal(err)
	}
	if code := <-done; code != 0 {
		t.Errorf("query exit code %d, stderr %q", code, errw.String())
	}
	// One prompt per line read before exit; the result lands between them.
	if got := out.String(); !strings.HasPrefix(got, prompt) || strings.Count(got, prompt) != 3 ||
		strings.Count(got, `[{"temperature":31}]`+"\n") != 1 {
		t.Errorf("query output %q", got)
	}
	if n := e.fake.ListTrials(); n != 0 {
		t.Errorf("%d trial rules left after exit", n)
	}
	_ = feed.Close()
}

// TestQuerySeparateStreamPort serves the event stream on a listener of its
// own (api.TrialStreamHandler) and checks the CLI follows the returned port.
func TestQuerySeparateStreamPort(t *testing.T) {
	fake := apitest.New()
	fake.LiveData = []map[string]any{{"x": 1}}
	streams := httptest.NewServer(api.TrialStreamHandler(fake))
	defer streams.Close()
	e := echo.New()
	port := streams.Listener.Addr().(*net.TCPAddr).Port
	if err := api.Register(api.EchoAdder(e), fake, api.Options{Port: port}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	if _, err := fake.ExecStreamSQL(0, `CREATE STREAM demo () WITH (TYPE="edgex")`); err != nil {
		t.Fatal(err)
	}
	in, feed := io.Pipe()
	defer feed.Close()
	var out, errw lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run([]string{"query", "--host", srv.URL}, Env{Stdin: in, Stdout: &out, Stderr: &errw})
	}()
	if _, err := io.WriteString(feed, "SELECT x FROM demo\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "result via the stream port", func() bool { return strings.Contains(out.String(), `[{"x":1}]`) })
	_ = feed.Close() // end of input leaves like exit
	if code := <-done; code != 0 {
		t.Errorf("exit code %d, stderr %q", code, errw.String())
	}
}
