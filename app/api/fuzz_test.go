package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/app/api/apitest"
)

// FuzzRouter sends arbitrary requests through the whole route table: bad
// input must never panic nor produce a 5xx other than the deliberate 501.
func FuzzRouter(f *testing.F) {
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch}
	f.Add(uint8(1), "/rules", `{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}`)
	f.Add(uint8(1), "/streams", `{"sql":"CREATE STREAM demo () WITH ()"}`)
	f.Add(uint8(2), "/rules/r1", `{"id":"r1"}`)
	f.Add(uint8(1), "/batch/req", `[{"method":"GET","path":"/rules","body":""}]`)
	f.Add(uint8(1), "/ruleset/import", `{"content":"{\"streams\":{}}"}`)
	f.Add(uint8(0), "/rules/tags/match", `{"tags":["a"]}`)
	f.Add(uint8(1), "/ruletest", `{"id":"t","sql":"SELECT a FROM s"}`)
	e := echo.New()
	if err := Register(EchoAdder(e), apitest.New(), Options{}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, m uint8, path, body string) {
		if !strings.HasPrefix(path, "/") || strings.Contains(body, "file:") || strings.Contains(body, "http") {
			return // not a request line, or an import touching the file system or network
		}
		// GET /test/{id} streams until its trial stops; the deadline ends it.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, methods[int(m)%len(methods)], "http://oort"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented {
			t.Errorf("%s %s → %d %s", req.Method, path, rec.Code, rec.Body.String())
		}
	})
}
