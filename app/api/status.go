package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/obs"
)

func (s *server) ruleStatus(c echo.Context) error {
	return s.writeStatus(c, true)
}

func (s *server) ruleStatusV2(c echo.Context) error {
	return s.writeStatus(c, false)
}

func (s *server) writeStatus(c echo.Context, pretty bool) error {
	kvs, err := s.eng.RuleStatus(param(c, "id"))
	if err != nil {
		return fail(c, "get rule status error", err)
	}
	body, err := statusJSON(kvs, pretty)
	if err != nil {
		return fail(c, "get rule status error", errs.Wrap(errs.Codec, "", err))
	}
	if !pretty {
		body = append(body, '\n')
	}
	return writeRaw(c, http.StatusOK, ctJSON, body)
}

// statusJSON writes the status object in the engine's field order, which a
// Go map would lose. The pretty form is what json.MarshalIndent(v, "", "  ")
// gives, the compact form what json.Marshal gives.
func statusJSON(kvs []obs.KV, pretty bool) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range kvs {
		if i > 0 {
			b.WriteByte(',')
		}
		if pretty {
			b.WriteString("\n  ")
		}
		k, _ := json.Marshal(kv.Key) // a string always encodes
		v, err := json.Marshal(kv.Val)
		if err != nil {
			return nil, fmt.Errorf("encode status field %q: %w", kv.Key, err)
		}
		b.Write(k)
		b.WriteByte(':')
		if !pretty {
			b.Write(v)
			continue
		}
		b.WriteByte(' ')
		if err := json.Indent(&b, v, "  ", "  "); err != nil {
			return nil, fmt.Errorf("indent status field %q: %w", kv.Key, err)
		}
	}
	if pretty && len(kvs) > 0 {
		b.WriteByte('\n')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (s *server) allStatus(c echo.Context) error {
	all := s.eng.AllStatus()
	if all == nil {
		all = map[string]engine.BriefStatus{}
	}
	return jsonReply(c, http.StatusOK, all)
}

func (s *server) ruleTopo(c echo.Context) error {
	topo, err := s.eng.RuleTopo(param(c, "id"))
	if err == nil && topo == nil {
		err = errs.New(errs.General, "topology is not available")
	}
	if err != nil {
		return fail(c, "get rule topo error", err)
	}
	return jsonReply(c, http.StatusOK, topo)
}

func (s *server) explainRule(c echo.Context) error {
	plan, err := s.eng.ExplainRule(param(c, "id"))
	if err != nil {
		return fail(c, "explain rules error", err)
	}
	return text(c, http.StatusOK, plan)
}

// validation is the success body of POST /rules/validate.
type validation struct {
	Sources []string `json:"sources"`
	Valid   bool     `json:"valid"`
}

// validateRule answers 200 JSON when valid, 422 with the bare message when the
// rule is invalid, and 400 with the error JSON when the body is unreadable
// (not even JSON) — rules-api.md §3.8.
func (s *server) validateRule(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return fail(c, "", invalidBody("", err))
	}
	var probe any
	if err := json.Unmarshal(body, &probe); err != nil {
		return fail(c, "", invalidBody("", err))
	}
	sources, err := s.eng.ValidateRule(body)
	if err != nil {
		marked := &errs.Error{Code: errs.CodeOf(err), Msg: err.Error(), Err: errors.Join(errUnprocessable, err)}
		return writeRaw(c, statusFor(marked), ctText, []byte(marked.Msg))
	}
	if sources == nil {
		sources = []string{}
	}
	return jsonReply(c, http.StatusOK, validation{Sources: sources, Valid: true})
}

func (s *server) ruleSchema(c echo.Context) error {
	schema, err := s.eng.RuleSchema(param(c, "id"))
	if err != nil {
		return fail(c, "get rule schema error", err)
	}
	return writeRaw(c, http.StatusOK, ctJSON, withNewline(schema))
}

func (s *server) listFunctions(c echo.Context) error {
	return jsonReply(c, http.StatusOK, s.eng.FunctionList())
}

func (s *server) scanTables(c echo.Context) error {
	body, err := s.eng.ScanTables(param(c, "id"))
	if err != nil {
		return fail(c, "get rule scan tables error", err)
	}
	return writeRaw(c, http.StatusOK, ctJSON, withNewline(body))
}
