package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/rules/engine"
)

// tagsBody is the body of every tag route; eKuiper's docs say "keys" for
// DELETE but its code reads "tags" (§3.6).
type tagsBody struct {
	Tags []string `json:"tags"`
}

func readTags(c echo.Context) ([]string, error) {
	var tb tagsBody
	if err := decodeBody(c, &tb); err != nil {
		return nil, invalidBody("", err)
	}
	return tb.Tags, nil
}

// tagChange runs one tag mutation; replies are empty 200s.
func (s *server) tagChange(c echo.Context, prefix string, op func(string, []string) error) error {
	tags, err := readTags(c)
	if err != nil {
		return fail(c, "", err)
	}
	if err := op(param(c, "id"), tags); err != nil {
		return fail(c, prefix, err)
	}
	return c.NoContent(http.StatusOK)
}

func (s *server) setTags(c echo.Context) error {
	return s.tagChange(c, "set rule tags error", s.eng.SetTags)
}

func (s *server) addTags(c echo.Context) error {
	return s.tagChange(c, "add rule tags error", s.eng.AddTags)
}

func (s *server) removeTags(c echo.Context) error {
	return s.tagChange(c, "remove rule tags error", s.eng.RemoveTags)
}

// matched is the reply of GET /rules/tags/match: {} when nothing matches.
type matched struct {
	Rules []string `json:"rules,omitempty"`
}

func (s *server) matchTags(c echo.Context) error {
	tags, err := readTags(c)
	if err != nil {
		return fail(c, "", err)
	}
	return jsonReply(c, http.StatusOK, matched{Rules: s.eng.MatchTags(tags)})
}

func (s *server) bulkStart(c echo.Context) error {
	return s.bulk(c, s.eng.BulkStart)
}

func (s *server) bulkStop(c echo.Context) error {
	return s.bulk(c, s.eng.BulkStop)
}

func (s *server) bulk(c echo.Context, op func([]string) []engine.BulkResult) error {
	tags, err := readTags(c)
	if err != nil {
		return fail(c, "", err)
	}
	res := op(tags)
	if res == nil {
		res = []engine.BulkResult{}
	}
	return jsonReply(c, http.StatusOK, res)
}
