package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/rules/errs"
)

// Content types of rules-api.md §3.1.
const (
	ctText = "text/plain; charset=utf-8"
	ctJSON = "application/json"
)

// maxBody bounds request bodies; rulesets are the largest legitimate ones.
const maxBody = 32 << 20

var (
	// errUnsupported marks known eKuiper routes Oort does not serve (§3.13).
	errUnsupported = errors.New("not supported by Oort")
	// errUnprocessable marks POST /rules/validate failures (§3.8).
	errUnprocessable = errors.New("rule is not valid")
)

// statusFor is the one place where errors become HTTP statuses. eKuiper
// answers 404 only when the top error carries code 1002 (§3.2), so a
// "not found" wrapped by another layer stays 400.
func statusFor(err error) int {
	switch {
	case errors.Is(err, errUnsupported):
		return http.StatusNotImplemented
	case errors.Is(err, errUnprocessable):
		return http.StatusUnprocessableEntity
	case errs.Direct(err) == errs.NotFound:
		return http.StatusNotFound
	default:
		return http.StatusBadRequest
	}
}

// errorBody is eKuiper's error reply; field order matters to byte-exact clients.
type errorBody struct {
	Error   int    `json:"error"`
	Message string `json:"message"`
}

// fail writes the §3.2 error reply: {"error":<code>,"message":"<prefix>: <detail>"}
// plus a newline, as text/plain, the way Go's http.Error does for eKuiper.
func fail(c echo.Context, prefix string, err error) error {
	msg := err.Error()
	if prefix != "" {
		msg = prefix + ": " + msg
	}
	body, mErr := json.Marshal(errorBody{Error: errs.CodeOf(err), Message: msg})
	if mErr != nil {
		return fmt.Errorf("api: encode error reply: %w", mErr)
	}
	http.Error(c.Response(), string(body), statusFor(err))
	return nil
}

// invalidBody is the error for a body that cannot be decoded.
func invalidBody(what string, err error) error {
	msg := "Invalid body"
	if what != "" {
		msg += ": " + what
	}
	return errs.Wrap(errs.Undefined, msg, err)
}

func writeRaw(c echo.Context, status int, ctype string, body []byte) error {
	if ctype != "" {
		c.Response().Header().Set(echo.HeaderContentType, ctype)
	}
	c.Response().WriteHeader(status)
	if _, err := c.Response().Write(body); err != nil {
		return fmt.Errorf("api: write reply: %w", err)
	}
	return nil
}

// text writes a plain-text command reply (no trailing newline, as eKuiper).
func text(c echo.Context, status int, s string) error {
	return writeRaw(c, status, ctText, []byte(s))
}

// jsonReply writes v the way eKuiper's json.Encoder does: HTML-escaped, with
// a trailing newline.
func jsonReply(c echo.Context, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fail(c, "encode reply error", errs.Wrap(errs.Codec, "", err))
	}
	return writeRaw(c, status, ctJSON, append(b, '\n'))
}

// readBody reads the whole request body; a missing body reads as empty.
func readBody(c echo.Context) ([]byte, error) {
	r := c.Request().Body
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(b) > maxBody {
		return nil, fmt.Errorf("request body exceeds %d bytes", maxBody)
	}
	return b, nil
}

// decodeBody reads and JSON-decodes the body into v.
func decodeBody(c echo.Context, v any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	// The decoder's own reason is what eKuiper shows after its prefix, so
	// callers wrap it with invalidBody instead of adding more text here.
	return json.Unmarshal(b, v)
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// checkID validates a rule id or stream name taken from the path (§3.2).
func checkID(id string) error {
	if idPattern.MatchString(id) {
		return nil
	}
	return errs.New(errs.Undefined,
		"id '%s' contains invalid characters: only alphanumeric, hyphens and underscores are allowed", id)
}

// param returns a path parameter unescaped: echo routes on the raw path when
// the URL holds escapes that differ from the default encoding (e.g. %2F) and
// then leaves the parameter escaped.
func param(c echo.Context, name string) string {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return v
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// notFound answers unknown routes (§3.13).
func notFound(c echo.Context) error {
	r := c.Request()
	return fail(c, "", errs.New(errs.NotFound, "%s %s is not found", r.Method, r.URL.Path))
}

// unsupported answers known eKuiper routes that Oort does not serve (§3.13).
func unsupported(c echo.Context) error {
	r := c.Request()
	return fail(c, "", &errs.Error{
		Code: errs.General,
		Msg:  fmt.Sprintf("%s %s is not supported by Oort", r.Method, r.URL.Path),
		Err:  errUnsupported,
	})
}
