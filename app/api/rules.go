package api

import (
	"errors"
	"fmt"
	"html"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/rules/engine"
)

func (s *server) createRule(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return fail(c, "", invalidBody("", err))
	}
	id, err := s.eng.CreateRule(body)
	if err != nil {
		prefix := ""
		if errors.Is(err, engine.ErrInvalidRuleJSON) {
			prefix = "invalid rule json"
		}
		return fail(c, prefix, err)
	}
	return text(c, http.StatusCreated, html.EscapeString(fmt.Sprintf("Rule %s was created successfully.", id)))
}

func (s *server) listRules(c echo.Context) error {
	rules := s.eng.ListRules()
	if rules == nil {
		rules = []engine.RuleSummary{}
	}
	return jsonReply(c, http.StatusOK, rules)
}

func (s *server) getRule(c echo.Context) error {
	id := param(c, "id")
	if err := checkID(id); err != nil {
		return fail(c, "", err)
	}
	doc, err := s.eng.GetRule(id)
	if err != nil {
		return fail(c, "Describe rule error", err)
	}
	return writeRaw(c, http.StatusOK, ctJSON, doc)
}

func (s *server) updateRule(c echo.Context) error {
	id := param(c, "id")
	if err := checkID(id); err != nil {
		return fail(c, "", err)
	}
	body, err := readBody(c)
	if err != nil {
		return fail(c, "", invalidBody("", err))
	}
	if err := s.eng.UpdateRule(id, body); err != nil {
		prefix := "Update rule error"
		if errors.Is(err, engine.ErrInvalidRuleJSON) {
			// Capital I on PUT, kept for compatibility (§1.2).
			prefix += ": Invalid rule json"
		}
		return fail(c, prefix, err)
	}
	return text(c, http.StatusOK, fmt.Sprintf("Rule %s was updated successfully.", id))
}

func (s *server) deleteRule(c echo.Context) error {
	id := param(c, "id")
	if err := checkID(id); err != nil {
		return fail(c, "", err)
	}
	if err := s.eng.DeleteRule(id); err != nil {
		return fail(c, "Delete rule error", err)
	}
	return text(c, http.StatusOK, fmt.Sprintf("Rule %s is dropped.", id))
}

// The start/restart texts have no final period, the stop text has one:
// eKuiper's wording, which clients match on.
func (s *server) startRule(c echo.Context) error {
	id := param(c, "id")
	if err := s.eng.StartRule(id); err != nil {
		return fail(c, "start rule error", err)
	}
	return text(c, http.StatusOK, fmt.Sprintf("Rule %s was started", id))
}

func (s *server) stopRule(c echo.Context) error {
	id := param(c, "id")
	if err := s.eng.StopRule(id); err != nil {
		return fail(c, "stop rule error", err)
	}
	return text(c, http.StatusOK, fmt.Sprintf("Rule %s was stopped.", id))
}

func (s *server) restartRule(c echo.Context) error {
	id := param(c, "id")
	if err := s.eng.RestartRule(id); err != nil {
		return fail(c, "restart rule error", err)
	}
	return text(c, http.StatusOK, fmt.Sprintf("Rule %s was restarted", id))
}
