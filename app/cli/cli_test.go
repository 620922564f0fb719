package cli

import (
	"bytes"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/app/api"
	"github.com/oort-rules/oort/app/api/apitest"
)

// lockedBuffer is written by the query printer while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type env struct {
	t    *testing.T
	srv  *httptest.Server
	fake *apitest.Fake
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := echo.New()
	fake := apitest.New()
	srv := httptest.NewUnstartedServer(e)
	// POST /ruletest must report the port the test server really listens on.
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	if err := api.Register(api.EchoAdder(e), fake, api.Options{Version: "test", Port: port}); err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, fake: fake}
}

// run executes the CLI against the test server (through OORT_HOST unless the
// args carry --host) and returns exit code, stdout and stderr.
func (e *env) run(stdin io.Reader, args ...string) (int, string, string) {
	e.t.Helper()
	var out, errw lockedBuffer
	code := Run(args, Env{
		Stdin:  stdin,
		Stdout: &out,
		Stderr: &errw,
		Getenv: func(k string) string {
			if k == "OORT_HOST" {
				return e.srv.URL
			}
			return ""
		},
	})
	return code, out.String(), errw.String()
}

// expect checks exit code and exact stdout; stderr must be empty on success.
func (e *env) expect(want int, stdout string, args ...string) string {
	e.t.Helper()
	code, out, errw := e.run(nil, args...)
	if code != want || out != stdout || (want == 0 && errw != "") {
		e.t.Errorf("oort %s:\n got %d %q (stderr %q)\nwant %d %q", strings.Join(args, " "), code, out, errw, want, stdout)
	}
	return errw
}

// expectErr checks a failing command's exit code and exact stderr.
func (e *env) expectErr(want int, stderr string, args ...string) {
	e.t.Helper()
	code, out, errw := e.run(nil, args...)
	if code != want || errw != stderr || out != "" {
		e.t.Errorf("oort %s:\n got %d stdout %q stderr %q\nwant %d stderr %q", strings.Join(args, " "), code, out, errw, want, stderr)
	}
}

func TestStreamsAndTables(t *testing.T) {
	e := newEnv(t)
	e.expect(0, "No stream definitions are found.\n", "show", "streams")
	e.expect(0, "No table definitions are found.\n", "show", "tables")
	e.expect(0, "Stream demo is created.\n", "create", "stream", "demo", `() WITH (TYPE="edgex", FORMAT="JSON")`)
	file := filepath.Join(t.TempDir(), "s.sql")
	if err := os.WriteFile(file, []byte(`demo2 () WITH (TYPE="memory")`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.expect(0, "Stream demo2 is created.\n", "create", "stream", "-f", file)
	e.expect(0, "demo\ndemo2\n", "show", "streams")
	e.expect(0, "Table t1 is created.\n", "create", "table", "t1", `() WITH (TYPE="memory")`)
	e.expect(0, "t1\n", "show", "tables")
	e.expectErr(1, "Stream command error: Create stream fails: Item demo already exists.\n",
		"create", "stream", "demo", `() WITH (TYPE="edgex")`)
	e.expect(0, "Fields\n"+strings.Repeat("-", 80)+"\n\nFORMAT: JSON\nTYPE: edgex\n", "describe", "stream", "demo")
	e.expectErr(1, "describe stream error: Describe stream fails, nosuch is not found.\n", "describe", "stream", "nosuch")
	e.expect(0, "Stream demo2 is dropped.\n", "drop", "stream", "demo2")
	e.expect(0, "Table t1 is dropped.\n", "drop", "table", "t1")
	e.expectErr(1, "delete stream error: stream nosuch is not found\n", "drop", "stream", "nosuch")
}

const fullDefinition = `{"Name":"demo","StreamFields":[` +
	`{"FieldType":"bigint","Name":"id"},` +
	`{"FieldType":"string","Name":"name","DefaultClause":"\"n/a\""},` +
	`{"FieldType":{"Type":"array","ElementType":"string"},"Name":"tags"},` +
	`{"FieldType":{"Type":"struct","Fields":[{"FieldType":"float","Name":"x"},{"FieldType":"float","Name":"y"}]},"Name":"pos"},` +
	`{"FieldType":{"Type":"array","ElementType":{"Type":"struct","Fields":[{"FieldType":"boolean","Name":"ok"}]}},"Name":"list"}],` +
	`"Options":{"datasource":"demo","format":"JSON","type":"edgex","confKey":"c1","shared":true,"retainSize":3,"kind":"lookup"},` +
	`"StreamType":0,"Statement":null}`

// TestDescribeLayout checks the DESCRIBE text of sql.md §2.6 rendered from
// the definition JSON, and the -json form.
func TestDescribeLayout(t *testing.T) {
	e := newEnv(t)
	e.expect(0, "Stream demo is created.\n", "create", "stream", "demo", `() WITH (TYPE="edgex")`)
	e.fake.SetDefinition("demo", []byte(fullDefinition))
	want := "Fields\n" + strings.Repeat("-", 80) + "\n" +
		"id\tbigint\n" +
		"name\tstring\tDEFAULT\t\"n/a\"\n" +
		"tags\tarray(string)\n" +
		"pos\tstruct(x float, y float)\n" +
		"list\tarray(struct(ok boolean))\n" +
		"\n" +
		"CONF_KEY: c1\nDATASOURCE: demo\nFORMAT: JSON\nRETAIN_SIZE: 3\nSHARED: true\nTYPE: edgex\n"
	e.expect(0, want, "describe", "stream", "demo")
	wantJSON := `{
  "Fields": [
    {
      "Name": "id",
      "Type": "bigint"
    },
    {
      "Name": "name",
      "Type": "string"
    },
    {
      "Name": "tags",
      "Type": "array(string)"
    },
    {
      "Name": "pos",
      "Type": "struct(x float, y float)"
    },
    {
      "Name": "list",
      "Type": "array(struct(ok boolean))"
    }
  ],
  "Options": {
    "CONF_KEY": "c1",
    "DATASOURCE": "demo",
    "FORMAT": "JSON",
    "RETAIN_SIZE": 3,
    "SHARED": true,
    "TYPE": "edgex",
    "KIND": "lookup"
  }
}
`
	e.expect(0, wantJSON, "describe", "stream", "demo", "-json")
}

func TestDescribeBadDefinition(t *testing.T) {
	for _, def := range []string{
		`{"StreamFields":[{"FieldType":{"Type":"map"},"Name":"m"}]}`,
		`{"StreamFields":[{"FieldType":42,"Name":"m"}]}`,
		`not json`,
		`{"StreamFields":[{"FieldType":` + strings.Repeat(`{"Type":"array","ElementType":`, 40) + `"bigint"` +
			strings.Repeat("}", 40) + `,"Name":"deep"}]}`,
	} {
		if _, err := describeDefinition([]byte(def), false); err == nil {
			t.Errorf("definition %.60s accepted", def)
		}
	}
}

func TestHostSelection(t *testing.T) {
	e := newEnv(t)
	var out, errw lockedBuffer
	// --host wins over OORT_HOST; a host without scheme gets http://.
	code := Run([]string{"show", "streams", "--host", strings.TrimPrefix(e.srv.URL, "http://")}, Env{
		Stdout: &out, Stderr: &errw,
		Getenv: func(string) string { return "http://127.0.0.1:1" },
	})
	if code != 0 || out.String() != "No stream definitions are found.\n" {
		t.Errorf("--host: %d %q %q", code, out.String(), errw.String())
	}
	host, rest, err := hostFlag([]string{"--host=h:1", "show"}, nil)
	if err != nil || host != "http://h:1" || len(rest) != 1 {
		t.Errorf("--host=: %q %v %v", host, rest, err)
	}
	if host, _, _ := hostFlag(nil, nil); host != DefaultHost {
		t.Errorf("default host %q", host)
	}
	if _, _, err := hostFlag([]string{"--host"}, nil); err == nil {
		t.Error("--host without value accepted")
	}
	code, _, stderr := runAt("http://127.0.0.1:1", "show", "rules")
	if code != 1 || !strings.Contains(stderr, "cannot reach the rules engine at http://127.0.0.1:1") {
		t.Errorf("unreachable host: %d %q", code, stderr)
	}
}

func runAt(host string, args ...string) (int, string, string) {
	var out, errw lockedBuffer
	code := Run(append([]string{"--host", host}, args...), Env{Stdout: &out, Stderr: &errw})
	return code, out.String(), errw.String()
}

func TestUnsupportedAndUsage(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]string{
		{"create", "plugin", "source", "x", "{}"}, {"show", "plugins"}, {"describe", "plugin", "x"},
		{"drop", "plugin", "x"}, {"create", "service", "s", "{}"}, {"show", "services"},
		{"create", "schema", "protobuf", "s", "{}"}, {"show", "schemas", "protobuf"},
		{"create", "script", "f", "{}"}, {"show", "udfs"}, {"describe", "udf", "f"},
		{"register", "plugin", "function", "f", "{}"}, {"import", "data", "-f", "x"},
		{"export", "data", "x"}, {"getstatus", "import"},
	} {
		code, out, errw := e.run(nil, args...)
		if code != 2 || out != "" || !strings.HasSuffix(errw, "not supported by Oort\n") {
			t.Errorf("oort %v: %d %q %q", args, code, out, errw)
		}
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"show"}, {"create", "stream"}, {"start", "r1"}, {"query", "x"}} {
		code, _, errw := e.run(nil, args...)
		if code != 2 || !strings.Contains(errw, "Usage: oort") {
			t.Errorf("oort %v: %d %q", args, code, errw)
		}
	}
	code, out, _ := e.run(nil, "help")
	if code != 0 || !strings.HasPrefix(out, "Usage: oort") {
		t.Errorf("help: %d %q", code, out)
	}
}

func TestMainUsesProcessEnvironment(t *testing.T) {
	e := newEnv(t)
	t.Setenv("OORT_HOST", e.srv.URL)
	var out, errw bytes.Buffer
	if code := Main([]string{"show", "tables"}, &out, &errw); code != 0 || out.String() != "No table definitions are found.\n" {
		t.Errorf("Main: %d %q %q", code, out.String(), errw.String())
	}
}

func TestWithPort(t *testing.T) {
	for _, c := range []struct {
		base string
		port int
		want string
	}{
		{"http://h:59720", 59720, "http://h:59720"},
		{"http://h:59720", 0, "http://h:59720"},
		{"http://h:59720", 10081, "http://h:10081"},
		{"https://[::1]:443/prefix", 8443, "https://[::1]:8443/prefix"},
		{"http://h", 10081, "http://h:10081"},
	} {
		if got := withPort(c.base, c.port); got != c.want {
			t.Errorf("withPort(%q, %d) = %q, want %q", c.base, c.port, got, c.want)
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
