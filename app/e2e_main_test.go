package main

// End-to-end tests: build the real binary, run it as an EdgeX app service on
// the real Mosquitto (127.0.0.1:1883) and drive it over REST and the bus.

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var oortBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "oort-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	oortBin = filepath.Join(dir, "oort")
	build := exec.Command("go", "build", "-tags", "include_nats_messaging,no_openziti", "-o", oortBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building oort:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// service is one running oort process.
type service struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	dir  string
	logs *bytes.Buffer
	port int
}

const e2eCommon = `all-services:
  Writable: {InsecureSecrets: {}, Telemetry: {Interval: "30s"}}
  Service: {HealthCheckInterval: "10s", RequestTimeout: "5s", MaxResultCount: 1024}
  MessageBus:
    Type: "mqtt"
    Protocol: "tcp"
    Host: "127.0.0.1"
    Port: 1883
    AuthMode: "none"
    BaseTopicPrefix: "edgex"
    Optional: {Qos: "0", KeepAlive: "10", AutoReconnect: "true", ConnectTimeout: "5"}
app-services:
  Writable: {StoreAndForward: {Enabled: false, RetryInterval: "5m", MaxRetryCount: 10}}
  Trigger: {Type: "oort-messagebus", SubscribeTopics: "events/#"}
`

const e2ePrivate = `Writable: {LogLevel: "INFO"}
Service: {Host: "127.0.0.1", Port: %d, StartupMsg: "Oort e2e"}
MessageBus: {Optional: {ClientId: "oort-e2e-%d"}}
Trigger: {Type: "oort-messagebus", SubscribeTopics: "events/#"}
RulesEngine:
  DataDir: "%s"
  TrialPort: %d
  Ingest: {MaxPending: 20000, MaxBlock: "1s"}
`

// startService runs oort with its data directory in dir (reused across
// restarts of the same test).
func startService(t *testing.T, dir string, port int) *service {
	t.Helper()
	res := filepath.Join(dir, "res")
	if err := os.MkdirAll(res, 0o755); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "common.yaml"), []byte(e2eCommon), 0o644))
	priv := fmt.Sprintf(e2ePrivate, port, port, filepath.Join(dir, "data"), freePort(t))
	must(t, os.WriteFile(filepath.Join(res, "configuration.yaml"), []byte(priv), 0o644))
	s := &service{t: t, dir: dir, logs: &bytes.Buffer{}, port: port, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	s.cmd = exec.Command(oortBin, "-cc", filepath.Join(dir, "common.yaml"), "-cd", res, "-s")
	s.cmd.Env = append(os.Environ(), "EDGEX_SECURITY_SECRET_STORE=false")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	must(t, s.cmd.Start())
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.base + "/ping"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	t.Fatalf("oort did not answer /ping within 30s; log:\n%s", s.logs.String())
	return nil
}

func (s *service) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-done
		}
	}
	if s.t.Failed() {
		s.t.Logf("oort log:\n%s", s.logs.String())
	}
}

// call performs one request and returns status, content type and body.
func (s *service) call(method, path, body string) (int, string, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	must(s.t, err)
	resp, err := http.DefaultClient.Do(req)
	must(s.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func (s *service) expect(method, path, body string, status int, want string) string {
	s.t.Helper()
	code, _, got := s.call(method, path, body)
	if code != status || (want != "" && strings.TrimSpace(got) != want) {
		s.t.Fatalf("%s %s: got %d %q, want %d %q", method, path, code, got, status, want)
	}
	return got
}

// freePort asks the kernel for a free loopback port: fixed ports in the
// ephemeral range can collide with outgoing connections.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
