package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/rules/engine"
)

// trialCreated is the reply of POST /ruletest. port is the service's own port
// because Oort serves the event stream there (rules-api.md §3.10).
type trialCreated struct {
	ID   string `json:"id"`
	Port int    `json:"port"`
}

func (s *server) createTrial(c echo.Context) error {
	var spec engine.TrialSpec
	if err := decodeBody(c, &spec); err != nil {
		return fail(c, "", invalidBody("", err))
	}
	if err := s.eng.CreateTrial(spec); err != nil {
		return fail(c, "create trial rule error", err)
	}
	return jsonReply(c, http.StatusOK, trialCreated{ID: spec.ID, Port: s.opts.Port})
}

func (s *server) startTrial(c echo.Context) error {
	id := param(c, "id")
	if err := s.eng.StartTrial(id); err != nil {
		return fail(c, "start trial rule error", err)
	}
	return text(c, http.StatusOK, fmt.Sprintf("Test rule %s was started", id))
}

func (s *server) stopTrial(c echo.Context) error {
	id := param(c, "id")
	if err := s.eng.StopTrial(id); err != nil {
		return fail(c, "stop trial rule error", err)
	}
	return text(c, http.StatusOK, fmt.Sprintf("Test rule %s was stopped.", id))
}

// streamTrial serves GET /test/{id} as Server-Sent Events until the trial
// stops (the engine closes the channel) or the client goes away.
func (s *server) streamTrial(c echo.Context) error {
	ch, cancel, err := s.eng.SubscribeTrial(param(c, "id"))
	if err != nil {
		return fail(c, "trial rule error", err)
	}
	defer cancel()
	w := c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	w.WriteHeader(http.StatusOK)
	flush(w)
	ctx := c.Request().Context()
	for {
		select {
		case <-ctx.Done():
			return nil
		case payload, ok := <-ch:
			if !ok {
				return nil
			}
			if _, err := w.Write(sseEvent(payload)); err != nil {
				return fmt.Errorf("api: write trial %s event: %w", param(c, "id"), err)
			}
			flush(w)
		}
	}
}

// sseEvent frames one payload as an SSE event. A payload spanning several
// lines becomes several data lines, which SSE clients join with newlines.
func sseEvent(payload []byte) []byte {
	var b bytes.Buffer
	for _, line := range bytes.Split(payload, []byte("\n")) {
		b.WriteString("data: ")
		b.Write(bytes.TrimSuffix(line, []byte("\r")))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// flush pushes buffered output to the client. Errors are ignored on
// purpose: a writer that cannot flush (the SDK's http.TimeoutHandler buffers
// the whole reply) must not fail the stream — echo's own Flush would panic —
// and a gone client is reported by the next write.
func flush(w *echo.Response) {
	_ = http.NewResponseController(w.Writer).Flush()
}

// TrialStreamHandler serves only GET /test/{id} (plus the §3.13 not-found
// reply), for a listener of its own. The EdgeX SDK runs every custom route
// inside http.TimeoutHandler, which buffers the whole reply and cuts it at
// Service.RequestTimeout, so an event stream cannot work through the SDK's
// router; eKuiper likewise serves it on a separate port. Pass that listener's
// port as Options.Port so POST /ruletest returns it.
func TrialStreamHandler(eng engine.API) http.Handler {
	s := newServer(eng, Options{})
	s.router.GET("/test/:id", s.streamTrial)
	s.router.RouteNotFound("/*", notFound)
	return s.router
}
