// Package api serves the eKuiper-compatible REST API of rules-api.md §3 on
// top of engine.API. Routes are handed to a RouteAdder so the service can
// register them on the EdgeX SDK's router (with its authentication and
// request timeout), while tests mount them on a plain echo.Echo.
package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/oort-rules/oort/rules/engine"
)

// DefaultPort is the rules-engine port the EdgeX UI and compose files expect.
const DefaultPort = 59720

// RouteAdder registers one route. The service wires it to
// svc.AddCustomRoute(route, interfaces.Authenticated, h, methods...).
// methods may be echo.RouteNotFound to register a not-found handler.
type RouteAdder func(route string, handler echo.HandlerFunc, methods ...string) error

// Options are the service facts the API reports.
type Options struct {
	Version   string           // reported by GET /
	Port      int              // service port, returned by POST /ruletest; 0 means DefaultPort
	StartTime func() time.Time // service start, for upTimeSeconds; nil means Register time
	Now       func() time.Time // nil means time.Now
}

// EchoAdder returns a RouteAdder registering on e, for tests and for running
// the API outside the SDK.
func EchoAdder(e *echo.Echo) RouteAdder {
	return func(route string, h echo.HandlerFunc, methods ...string) error {
		e.Match(methods, route, h)
		return nil
	}
}

// server holds the handlers' shared state. router is a private copy of the
// route table used to run POST /batch/req sub-requests in-process: the
// SDK's router is not reachable through AddCustomRoute.
type server struct {
	eng    engine.API
	opts   Options
	router *echo.Echo
}

type route struct {
	path    string
	methods []string
	h       echo.HandlerFunc
}

// Register adds every route of rules-api.md §3 through add.
func Register(add RouteAdder, eng engine.API, opts Options) error {
	if add == nil {
		return errors.New("api: register: nil RouteAdder")
	}
	if eng == nil {
		return errors.New("api: register: nil engine")
	}
	s := newServer(eng, opts)
	private := EchoAdder(s.router)
	for _, r := range s.routes() {
		if err := add(r.path, r.h, r.methods...); err != nil {
			return fmt.Errorf("api: register %v %s: %w", r.methods, r.path, err)
		}
		_ = private(r.path, r.h, r.methods...)
	}
	return nil
}

func newServer(eng engine.API, opts Options) *server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.StartTime == nil {
		start := opts.Now()
		opts.StartTime = func() time.Time { return start }
	}
	if opts.Port == 0 {
		opts.Port = DefaultPort
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	return &server{eng: eng, opts: opts, router: e}
}

const (
	get    = http.MethodGet
	post   = http.MethodPost
	put    = http.MethodPut
	del    = http.MethodDelete
	patch  = http.MethodPatch
	anyNot = echo.RouteNotFound
)

// routes is the whole route table. Every path also gets a not-found handler
// so a wrong method answers the §3.13 404 body instead of echo's 405.
func (s *server) routes() []route {
	var rs []route
	rs = append(rs, s.serviceRoutes()...)
	rs = append(rs, s.streamRoutes(engine.KindStream)...)
	rs = append(rs, s.streamRoutes(engine.KindTable)...)
	rs = append(rs, s.ruleRoutes()...)
	rs = append(rs, s.extraRoutes()...)
	rs = append(rs, unsupportedRoutes()...)
	seen := map[string]bool{}
	var nf []route
	for _, r := range rs {
		if !seen[r.path] {
			seen[r.path] = true
			nf = append(nf, route{r.path, []string{anyNot}, notFound})
		}
	}
	nf = append(nf, route{"/*", []string{anyNot}, notFound})
	return append(rs, nf...)
}

func (s *server) serviceRoutes() []route {
	return []route{
		{"/ping", []string{get}, ping},
		{"/", []string{get, post}, s.info},
		{"/rules/usage/cpu", []string{get}, cpuUsage},
	}
}

func (s *server) ruleRoutes() []route {
	return []route{
		{"/rules", []string{post}, s.createRule},
		{"/rules", []string{get}, s.listRules},
		{"/rules/:id", []string{get}, s.getRule},
		{"/rules/:id", []string{put}, s.updateRule},
		{"/rules/:id", []string{del}, s.deleteRule},
		{"/rules/:id/start", []string{post}, s.startRule},
		{"/rules/:id/stop", []string{post}, s.stopRule},
		{"/rules/:id/restart", []string{post}, s.restartRule},
		{"/rules/:id/status", []string{get}, s.ruleStatus},
		{"/v2/rules/:id/status", []string{get}, s.ruleStatusV2},
		{"/rules/status/all", []string{get}, s.allStatus},
		{"/rules/:id/topo", []string{get}, s.ruleTopo},
		{"/rules/:id/explain", []string{get}, s.explainRule},
		{"/rules/:id/schema", []string{get}, s.ruleSchema},
		{"/rules/:id/scantables", []string{get}, s.scanTables},
		{"/rules/validate", []string{post}, s.validateRule},
		{"/rules/:id/tags", []string{put}, s.setTags},
		{"/rules/:id/tags", []string{patch}, s.addTags},
		{"/rules/:id/tags", []string{del}, s.removeTags},
		{"/rules/tags/match", []string{get}, s.matchTags},
		{"/rules/bulkstart", []string{post}, s.bulkStart},
		{"/rules/bulkstop", []string{post}, s.bulkStop},
	}
}

func (s *server) extraRoutes() []route {
	return []route{
		{"/ruleset/export", []string{post}, s.exportRuleset},
		{"/ruleset/import", []string{post}, s.importRuleset},
		{"/ruletest", []string{post}, s.createTrial},
		{"/ruletest/:id/start", []string{post}, s.startTrial},
		{"/ruletest/:id", []string{del}, s.stopTrial},
		{"/test/:id", []string{get}, s.streamTrial},
		{"/batch/req", []string{post}, s.batch},
		{"/metadata/functions", []string{get}, s.listFunctions},
	}
}
