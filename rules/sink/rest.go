package sink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/valyala/fastjson"

	"github.com/oort-rules/oort/rules/row"
)

// Content types of the bodyType property (rules-api.md §2.4.4).
var bodyTypes = map[string]string{
	"none":       "",
	"json":       "application/json",
	"text":       "text/plain",
	"html":       "text/html",
	"xml":        "application/xml",
	"javascript": "application/javascript",
	"form":       "application/x-www-form-urlencoded",
}

var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true}

// restConn sends one HTTP request per message.
type restConn struct {
	env       *Env
	url       *Dyn
	method    *Dyn
	bodyType  string // "" = by method
	headers   map[string]*Dyn
	debugResp bool
	client    *http.Client
}

// NewREST builds the rest (http) sink.
func NewREST(props map[string]any, env *Env) (Connector, error) {
	p := Props(props)
	c := &restConn{env: env}
	var err error
	if c.url, err = dynProp(p, "url", "", true); err != nil {
		return nil, err
	}
	if c.url.IsStatic() {
		if err := checkURL(c.url.String()); err != nil {
			return nil, fmt.Errorf("property url: %w", err)
		}
	}
	if c.method, err = dynProp(p, "method", "get", false); err != nil {
		return nil, err
	}
	if c.method.IsStatic() && !methods[strings.ToUpper(c.method.String())] {
		return nil, fmt.Errorf("property method: %q is not supported (get, post, put, patch, delete, head)", c.method.String())
	}
	if c.bodyType, err = p.String("bodyType", ""); err != nil {
		return nil, err
	}
	c.bodyType = strings.ToLower(strings.TrimSpace(c.bodyType))
	if _, ok := bodyTypes[c.bodyType]; !ok && c.bodyType != "" {
		return nil, fmt.Errorf("property bodyType: %s is not supported", c.bodyType)
	}
	if c.headers, err = dynHeaders(p); err != nil {
		return nil, err
	}
	if c.debugResp, err = p.Bool("debugResp", false); err != nil {
		return nil, err
	}
	if c.client, err = restClient(p); err != nil {
		return nil, err
	}
	return c, nil
}

func dynProp(p Props, key, def string, required bool) (*Dyn, error) {
	s, err := p.String(key, def)
	if err != nil {
		return nil, err
	}
	if required && s == "" {
		return nil, fmt.Errorf("property %s is required", key)
	}
	d, err := ParseDyn(s)
	if err != nil {
		return nil, fmt.Errorf("property %s: %w", key, err)
	}
	return d, nil
}

func dynHeaders(p Props) (map[string]*Dyn, error) {
	hs, err := p.StringMap("headers")
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Dyn, len(hs))
	for k, v := range hs {
		if out[k], err = ParseDyn(v); err != nil {
			return nil, fmt.Errorf("property headers.%s: %w", k, err)
		}
	}
	return out, nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

func restClient(p Props) (*http.Client, error) {
	timeout, err := p.Duration("timeout", 5*time.Second)
	if err != nil {
		return nil, err
	}
	if timeout < 0 {
		return nil, fmt.Errorf("property timeout: must not be negative")
	}
	cfg, err := tlsConfig(p, true)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = cfg
	return &http.Client{Timeout: timeout, Transport: tr}, nil
}

func (c *restConn) Open(context.Context) error { return nil }

func (c *restConn) Close() error {
	c.client.CloseIdleConnections()
	return nil
}

// SendBytes issues the request. 4xx answers are permanent errors; 5xx,
// timeouts and transport failures are recoverable (rules-api.md §2.4.4).
func (c *restConn) SendBytes(ctx context.Context, payload []byte, first *row.Row) error {
	req, err := c.request(ctx, payload, first)
	if err != nil {
		return err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return &Recoverable{Err: fmt.Errorf("rest sink: %s %s: %w", req.Method, req.URL.Redacted(), err)}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64*1024))
	if c.debugResp {
		c.env.Logger.Infof("rest sink response for rule %s: %s %s: status %d, body %s",
			c.env.RuleID, req.Method, req.URL.Redacted(), resp.StatusCode, body)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("rest sink: %s %s: HTTP %d: %s", req.Method, req.URL.Redacted(), resp.StatusCode, clip(body))
	if resp.StatusCode >= 500 {
		return &Recoverable{Err: err}
	}
	return err
}

func (c *restConn) request(ctx context.Context, payload []byte, first *row.Row) (*http.Request, error) {
	var data map[string]any
	render := func(d *Dyn) (string, error) {
		if d.IsStatic() {
			return d.String(), nil
		}
		if data == nil {
			data = RowMap(first)
		}
		return d.RenderData(data)
	}
	u, err := render(c.url)
	if err != nil {
		return nil, err
	}
	if err := checkURL(u); err != nil {
		return nil, fmt.Errorf("rest sink: url: %w", err)
	}
	method, err := render(c.method)
	if err != nil {
		return nil, err
	}
	method = strings.ToUpper(strings.TrimSpace(method))
	if !methods[method] {
		return nil, fmt.Errorf("rest sink: method %q is not supported", method)
	}
	body, ctype, err := c.body(method, payload)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("rest sink: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, d := range c.headers {
		v, err := render(d)
		if err != nil {
			return nil, fmt.Errorf("rest sink: header %s: %w", k, err)
		}
		req.Header.Set(k, v)
	}
	return req, nil
}

// body returns the request body and content type for bodyType (by default
// none for GET/HEAD, JSON otherwise).
func (c *restConn) body(method string, payload []byte) (io.Reader, string, error) {
	bt := c.bodyType
	if bt == "" {
		bt = "json"
		if method == http.MethodGet || method == http.MethodHead {
			bt = "none"
		}
	}
	switch bt {
	case "none":
		return nil, "", nil
	case "form":
		form, err := formBody(payload)
		if err != nil {
			return nil, "", err
		}
		return strings.NewReader(form), bodyTypes[bt], nil
	}
	return bytes.NewReader(payload), bodyTypes[bt], nil
}

// formBody encodes a JSON object (or a one-element array of one) as
// application/x-www-form-urlencoded; structured values are sent as JSON.
func formBody(payload []byte) (string, error) {
	v := fromJSONBytes(payload)
	if v == nil {
		return "", errors.New("rest sink: bodyType form needs a JSON object payload")
	}
	vals := url.Values{}
	for k, x := range v {
		vals.Set(k, x)
	}
	return vals.Encode(), nil
}

// fromJSONBytes returns the fields of a JSON object payload as strings, or
// nil when the payload is not an object.
func fromJSONBytes(payload []byte) map[string]string {
	v, err := fastjson.ParseBytes(payload)
	if err != nil {
		return nil
	}
	if a, err := v.Array(); err == nil {
		if len(a) != 1 {
			return nil
		}
		v = a[0]
	}
	o, err := v.Object()
	if err != nil {
		return nil
	}
	out := make(map[string]string, o.Len())
	o.Visit(func(k []byte, x *fastjson.Value) {
		if x.Type() == fastjson.TypeString {
			out[string(k)] = string(x.GetStringBytes())
			return
		}
		out[string(k)] = string(x.MarshalTo(nil))
	})
	return out
}
