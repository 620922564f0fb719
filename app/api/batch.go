package api

import (
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/labstack/echo/v4"
)

// subRequest is one element of POST /batch/req.
type subRequest struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Body   string `json:"body"`
}

// subResponse is one element of the reply; error only when the request
// could not even be built (rules-api.md §3.11).
type subResponse struct {
	Code     int    `json:"code"`
	Response string `json:"response"`
	Error    string `json:"error,omitempty"`
}

// batch runs each sub-request in order through the private copy of the
// route table, with the outer request's context so a client that gives up
// (or the SDK's timeout) also ends a long sub-request.
func (s *server) batch(c echo.Context) error {
	var reqs []subRequest
	if err := decodeBody(c, &reqs); err != nil {
		return fail(c, "", invalidBody("", err))
	}
	ctx := c.Request().Context()
	out := make([]subResponse, 0, len(reqs))
	for _, r := range reqs {
		req, err := http.NewRequestWithContext(ctx, r.Method, r.Path, strings.NewReader(r.Body))
		if err != nil {
			out = append(out, subResponse{Code: http.StatusBadRequest, Error: err.Error()})
			continue
		}
		rec := httptest.NewRecorder()
		s.router.ServeHTTP(rec, req)
		out = append(out, subResponse{Code: rec.Code, Response: rec.Body.String()})
	}
	return jsonReply(c, http.StatusOK, out)
}
