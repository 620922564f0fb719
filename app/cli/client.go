package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// requestTimeout bounds every call except the query event stream.
const requestTimeout = 30 * time.Second

// client calls the REST API at base.
type client struct {
	base string
	http *http.Client
}

// apiError is a non-2xx reply; its message is what the user sees.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

// errorMessage turns a reply body into the message to show: the "message"
// of the §3.2 error JSON, or the body text itself (validate's 422 is plain).
func errorMessage(status int, body []byte) string {
	var eb struct {
		Message *string `json:"message"`
	}
	if json.Unmarshal(body, &eb) == nil && eb.Message != nil {
		return *eb.Message
	}
	if t := strings.TrimSpace(string(body)); t != "" {
		return t
	}
	return fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
}

// call sends one request and returns the body of a 2xx reply; other
// statuses become *apiError.
func (c *client) call(method, path string, body any) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	resp, err := c.send(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read reply of %s %s: %w", method, c.base+path, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, &apiError{status: resp.StatusCode, msg: errorMessage(resp.StatusCode, b)}
	}
	return b, nil
}

// send builds and sends a request; body is JSON-encoded unless it is
// already []byte. The caller closes the reply body.
func (c *client) send(ctx context.Context, method, path string, body any) (*http.Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("encode request %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, fmt.Errorf("build request %s %s: %w", method, c.base+path, err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the rules engine at %s: %w", c.base, err)
	}
	return resp, nil
}

// pretty indents a JSON document with two spaces; other text is returned
// unchanged.
func pretty(b []byte) string {
	var out bytes.Buffer
	if err := json.Indent(&out, bytes.TrimSpace(b), "", "  "); err != nil {
		return strings.TrimRight(string(b), "\n")
	}
	return out.String()
}
