package api

// everyMethod is used for whole families of unsupported eKuiper paths.
var everyMethod = []string{get, post, put, del, patch}

// unsupportedRoutes lists the eKuiper endpoints of rules-api.md §3.6 and
// §3.12 that Oort deliberately does not serve: they answer 501 so scripts
// fail loudly instead of getting a misleading 404.
func unsupportedRoutes() []route {
	specific := []route{
		{"/stop", []string{get, post}, unsupported},
		{"/rules/:id/trace/start", []string{post}, unsupported},
		{"/rules/:id/trace/stop", []string{post}, unsupported},
		{"/trace/:id", []string{get}, unsupported},
		{"/trace/rule/:id", []string{get}, unsupported},
		{"/tracer", []string{post}, unsupported},
		{"/rules/:id/reset_state", []string{put}, unsupported},
	}
	families := []string{
		"/plugins", "/services", "/schemas", "/udf", "/connections",
		"/configs", "/config", "/metadata", "/data", "/v2/data", "/async",
		"/metrics", "/debug/pprof",
	}
	rs := specific
	for _, f := range families {
		rs = append(rs,
			route{f, everyMethod, unsupported},
			route{f + "/*", everyMethod, unsupported})
	}
	return rs
}
