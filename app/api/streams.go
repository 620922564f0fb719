package api

import (
	"errors"
	"html"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/rules/engine"
)

// kindWords are the words that differ between the stream and table routes
// (rules-api.md §3.4, §3.5).
type kindWords struct {
	plural  string // path segment: "streams"
	title   string // "Stream" in "Stream command error"
	lower   string // "stream" in "describe stream error"
	details string // "/streamdetails"
}

func wordsFor(k engine.Kind) kindWords {
	if k == engine.KindTable {
		return kindWords{"tables", "Table", "table", "/tabledetails"}
	}
	return kindWords{"streams", "Stream", "stream", "/streamdetails"}
}

// streamHandlers serves one kind; the table routes are the stream routes
// with other words.
type streamHandlers struct {
	s    *server
	kind engine.Kind
	w    kindWords
}

func (s *server) streamRoutes(k engine.Kind) []route {
	h := &streamHandlers{s: s, kind: k, w: wordsFor(k)}
	base := "/" + h.w.plural
	return []route{
		{base, []string{post}, h.exec},
		{base, []string{get}, h.list},
		{h.w.details, []string{get}, h.details},
		{base + "/:name", []string{get}, h.describe},
		{base + "/:name", []string{put}, h.replace},
		{base + "/:name", []string{del}, h.drop},
		{base + "/:name/schema", []string{get}, h.schema},
	}
}

// statement is the body of POST and PUT /streams.
type statement struct {
	SQL string `json:"sql"`
}

func (h *streamHandlers) readStatement(c echo.Context) (string, error) {
	var st statement
	if err := decodeBody(c, &st); err != nil {
		return "", invalidBody("Error decoding the statement descriptor", err)
	}
	return st.SQL, nil
}

func (h *streamHandlers) exec(c echo.Context) error {
	sql, err := h.readStatement(c)
	if err != nil {
		return fail(c, "", err)
	}
	out, err := h.s.eng.ExecStreamSQL(h.kind, sql)
	if err != nil {
		return fail(c, h.w.title+" command error", err)
	}
	// eKuiper escapes create replies; names cannot hold <>&'" anyway.
	return text(c, http.StatusCreated, html.EscapeString(out))
}

func (h *streamHandlers) list(c echo.Context) error {
	names := h.s.eng.ListStreams(h.kind, c.QueryParam("kind"))
	if names == nil {
		names = []string{}
	}
	return jsonReply(c, http.StatusOK, names)
}

func (h *streamHandlers) details(c echo.Context) error {
	ds := h.s.eng.StreamDetails(h.kind, c.QueryParam("kind"))
	if ds == nil {
		ds = []engine.StreamInfo{}
	}
	return jsonReply(c, http.StatusOK, ds)
}

func (h *streamHandlers) describe(c echo.Context) error {
	name := param(c, "name")
	if err := checkID(name); err != nil {
		return fail(c, "", err)
	}
	def, err := h.s.eng.DescribeStream(h.kind, name)
	if err != nil {
		return fail(c, "describe "+h.w.lower+" error", err)
	}
	return writeRaw(c, http.StatusOK, ctJSON, withNewline(def))
}

func (h *streamHandlers) schema(c echo.Context) error {
	schema, err := h.s.eng.StreamSchema(h.kind, param(c, "name"))
	if err != nil {
		return fail(c, "get "+h.w.lower+" schema error", err)
	}
	if len(strings.TrimSpace(string(schema))) == 0 {
		schema = []byte("null")
	}
	return writeRaw(c, http.StatusOK, ctJSON, withNewline(schema))
}

func (h *streamHandlers) replace(c echo.Context) error {
	name := param(c, "name")
	if err := checkID(name); err != nil {
		return fail(c, "", err)
	}
	sql, err := h.readStatement(c)
	if err != nil {
		return fail(c, "", err)
	}
	out, err := h.s.eng.ReplaceStream(h.kind, name, sql)
	if err != nil {
		return fail(c, h.w.title+" command error", err)
	}
	return text(c, http.StatusOK, out)
}

func (h *streamHandlers) drop(c echo.Context) error {
	name := param(c, "name")
	if err := checkID(name); err != nil {
		return fail(c, "", err)
	}
	out, err := h.s.eng.DropStream(h.kind, name, c.QueryParam("force") == "true")
	if err != nil {
		prefix := "delete " + h.w.lower + " error"
		if errors.Is(err, engine.ErrReferenced) {
			// eKuiper refuses before dropping, outside the prefixed call.
			prefix = ""
		}
		return fail(c, prefix, err)
	}
	return text(c, http.StatusOK, out)
}

// withNewline ends a JSON document with a newline, as eKuiper's encoder does.
func withNewline(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return b
	}
	out := make([]byte, len(b), len(b)+1)
	copy(out, b)
	return append(out, '\n')
}
