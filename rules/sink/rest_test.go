package sink

import (
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

type seenReq struct {
	method, path, ctype, body, header string
}

type restServer struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []seenReq
	status atomic.Int32
	delay  time.Duration
}

func newRESTServer(t *testing.T, tlsOn bool) *restServer {
	s := &restServer{}
	s.status.Store(200)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, seenReq{r.Method, r.URL.Path, r.Header.Get("Content-Type"), string(b), r.Header.Get("X-Dev")})
		s.mu.Unlock()
		w.WriteHeader(int(s.status.Load()))
		_, _ = w.Write([]byte("answer"))
	})
	if tlsOn {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func (s *restServer) got() []seenReq {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenReq(nil), s.reqs...)
}

func TestRESTPostDynamicURLAndHeaders(t *testing.T) {
	srv := newRESTServer(t, false)
	props := map[string]any{"url": srv.URL + "/dev/{{.d}}", "method": "POST", "sendSingle": true,
		"headers": map[string]any{"X-Dev": "h-{{.d}}"}, "fields": []any{"v"}}
	n := builtinNode(t, "rest", props, testEnv(nil), nil)
	n.Send([]*row.Row{R("d", "a", "v", 1), R("d", "b", "v", 2)})
	closeNode(t, n)
	want := []seenReq{
		{"POST", "/dev/a", "application/json", `{"v":1}`, "h-a"},
		{"POST", "/dev/b", "application/json", `{"v":2}`, "h-b"},
	}
	if got := srv.got(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("requests %+v", got)
	}
}

func TestRESTBodyTypes(t *testing.T) {
	srv := newRESTServer(t, false)
	cases := []struct {
		props map[string]any
		want  seenReq
	}{
		{map[string]any{"excludeFields": "m"}, seenReq{"GET", "/", "", "", ""}},
		{map[string]any{"method": "put", "bodyType": "text", "excludeFields": "m"}, seenReq{"PUT", "/", "text/plain", `{"a":"x y","n":1}`, ""}},
		{map[string]any{"method": "post", "bodyType": "form", "excludeFields": "m"}, seenReq{"POST", "/", "application/x-www-form-urlencoded", `a=x+y&n=1`, ""}},
		{map[string]any{"method": "patch", "bodyType": "JSON", "headers": `{"Content-Type":"application/vnd.x+json"}`, "excludeFields": []any{"m"}}, seenReq{"PATCH", "/", "application/vnd.x+json", `{"a":"x y","n":1}`, ""}},
		{map[string]any{"method": "{{.m}}", "excludeFields": "m"}, seenReq{"DELETE", "/", "application/json", `{"a":"x y","n":1}`, ""}},
	}
	for _, c := range cases {
		c.props["url"] = srv.URL + "/"
		c.props["sendSingle"] = true
		before := len(srv.got())
		n := builtinNode(t, "http", c.props, testEnv(nil), nil)
		n.Send([]*row.Row{R("a", "x y", "n", 1, "m", "delete")})
		closeNode(t, n)
		got := srv.got()
		if len(got) != before+1 {
			t.Fatalf("%v: no request", c.props)
		}
		if g := got[before]; g != c.want {
			t.Errorf("%v:\n got %+v\nwant %+v", c.props, g, c.want)
		}
	}
}

func TestRESTErrorClasses(t *testing.T) {
	srv := newRESTServer(t, false)
	env := testEnv(nil)
	props := map[string]any{"url": srv.URL, "method": "post", "sendSingle": true, "enableCache": true, "debugResp": true}
	log := &obs.Recorder{}
	env.Logger = log
	n := builtinNode(t, "rest", props, env, nil)

	srv.status.Store(404)
	n.Send([]*row.Row{R("i", 1)})
	eventually(t, "4xx", func() bool { return env.Node.Exceptions.Load() == 1 })
	if !strings.Contains(env.Node.LastException(), "HTTP 404: answer") {
		t.Fatalf("last exception %q", env.Node.LastException())
	}
	srv.status.Store(503)
	n.Send([]*row.Row{R("i", 2)})
	eventually(t, "5xx", func() bool { return env.Node.Exceptions.Load() == 2 })
	srv.status.Store(200)
	advanceUntil(t, env, time.Second, "resend after 5xx", func() bool { return env.Node.RecordsOut.Load() == 1 })
	got := srv.got()
	if len(got) != 3 || got[2].body != `{"i":2}` {
		t.Fatalf("requests %+v", got)
	}
	lines := strings.Join(log.Lines(), "\n")
	if !strings.Contains(lines, "status 404, body answer") || !strings.Contains(lines, "status 200") {
		t.Fatalf("debugResp log %s", lines)
	}
}

func TestRESTTimeoutAndRefusedAreRecoverable(t *testing.T) {
	srv := newRESTServer(t, false)
	srv.delay = 300 * time.Millisecond
	c, err := NewREST(map[string]any{"url": srv.URL, "timeout": 50}, testEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	err = c.(ByteConnector).SendBytes(t.Context(), []byte("{}"), nil)
	if !IsRecoverable(err) || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("timeout: %v", err)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	c, _ = NewREST(map[string]any{"url": closed.URL}, testEnv(nil))
	if err := c.(ByteConnector).SendBytes(t.Context(), []byte("{}"), nil); !IsRecoverable(err) {
		t.Fatalf("refused: %v", err)
	}
}

func TestRESTTLS(t *testing.T) {
	srv := newRESTServer(t, true)
	send := func(props map[string]any) error {
		props["url"] = srv.URL
		c, err := NewREST(props, testEnv(nil))
		if err != nil {
			return err
		}
		return c.(ByteConnector).SendBytes(t.Context(), []byte("{}"), nil)
	}
	if err := send(map[string]any{}); err != nil {
		t.Fatalf("default insecureSkipVerify: %v", err)
	}
	if err := send(map[string]any{"insecureSkipVerify": false}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("verification expected to fail: %v", err)
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := send(map[string]any{"insecureSkipVerify": "false", "rootCARaw": base64.StdEncoding.EncodeToString(caPEM)}); err != nil {
		t.Fatalf("with root CA: %v", err)
	}
}

func TestRESTSetupErrors(t *testing.T) {
	cases := []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{}, "property url is required"},
		{map[string]any{"url": "ftp://x"}, "is not an http(s) URL"},
		{map[string]any{"url": "http://x", "method": "TRACE"}, "property method"},
		{map[string]any{"url": "http://x", "bodyType": "binary"}, "bodyType: binary is not supported"},
		{map[string]any{"url": "http://x", "tlsMinVersion": "ssl3"}, "tlsMinVersion"},
		{map[string]any{"url": "http://x", "headers": 5}, "property headers"},
	}
	for _, c := range cases {
		if _, err := NewREST(c.props, testEnv(nil)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.props, err, c.want)
		}
	}
}
