package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"

	"github.com/oort-rules/oort/app/config"
	"github.com/oort-rules/oort/functions/ingest"
	"github.com/oort-rules/oort/functions/sdkbus"
	"github.com/oort-rules/oort/functions/sinks"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/sink"
	"github.com/oort-rules/oort/rules/sql"
)

// sinkRegistry builds the action registry: the generic connectors plus the
// EdgeX ones, which publish through the SDK.
func sinkRegistry(svc interfaces.ApplicationService, bus *membus.Bus) *sink.Registry {
	r := sink.NewRegistry()
	sink.RegisterBuiltins(r, bus)
	prefix := sdkbus.BaseTopicPrefix(svc)
	r.Register("edgex", warnLoops(sinks.NewEdgeXFactory(svc, prefix), svc, prefix))
	r.Register("command", sinks.NewCommandFactory(svc.CommandClient, svc.RequestTimeout()), "core-command")
	return r
}

// warnLoops logs, when a rule starts, an edgex action whose events would come
// back through the service's own subscription (edgex.md §11.4).
func warnLoops(f sink.Factory, svc interfaces.ApplicationService, prefix string) sink.Factory {
	var subs []string
	if b, err := sdkbus.FromService(svc); err == nil {
		subs = b.SubscribeTopics
	}
	return func(props map[string]any, env *sink.Env) (sink.Connector, error) {
		if w := sinks.EdgeXLoopWarning(props, prefix, subs); w != "" && env.Logger != nil {
			env.Logger.Warnf("rule=%s action %d: %s", env.RuleID, env.ActionIndex, w)
		}
		return f(props, env)
	}
}

// applySeed creates or replaces the seed definitions of the RulesEngine
// section and of the seed files (edgex.md §6). An unchanged rule is left
// alone, so a rule a user stopped stays stopped across restarts.
func applySeed(eng *engine.Engine, re *config.RulesEngine, lc logger.LoggingClient) {
	seedStatements(eng, engine.KindStream, re.Seed.Streams, lc)
	seedStatements(eng, engine.KindTable, re.Seed.Tables, lc)
	seedRules(eng, re.Seed.Rules, lc)
	dir := re.SeedDir
	if dir == "" {
		return
	}
	if b, err := os.ReadFile(filepath.Join(dir, "streams.sql")); err == nil {
		seedFile(eng, string(b), lc)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "rules.json")); err == nil {
		seedRuleFile(eng, b, lc)
	}
}

func seedStatements(eng *engine.Engine, kind engine.Kind, items map[string]string, lc logger.LoggingClient) {
	for name, text := range items {
		if existing, err := eng.DescribeStream(kind, name); err == nil && existing != nil && sameStatement(eng, kind, name, text) {
			continue
		}
		if _, err := eng.ReplaceStream(kind, name, text); err != nil {
			lc.Warnf("seed %s %s: %v", kind, name, err)
		}
	}
}

// sameStatement compares the stored statement with the seed's.
func sameStatement(eng *engine.Engine, kind engine.Kind, name, text string) bool {
	rs := eng.ExportRuleset()
	stored := rs.Streams[name]
	if kind == engine.KindTable {
		stored = rs.Tables[name]
	}
	return strings.TrimSpace(stored) == strings.TrimSpace(text)
}

func seedFile(eng *engine.Engine, text string, lc logger.LoggingClient) {
	stmts, err := sql.ParseStatements(text)
	if err != nil {
		lc.Warnf("seed file streams.sql: %v", err)
		return
	}
	for _, st := range stmts {
		c, ok := st.(*sql.Create)
		if !ok {
			continue
		}
		kind := engine.KindStream
		if c.Table {
			kind = engine.KindTable
		}
		seedStatements(eng, kind, map[string]string{c.Name: sql.Format(c)}, lc)
	}
}

func seedRules(eng *engine.Engine, items map[string]string, lc logger.LoggingClient) {
	for id, doc := range items {
		seedRule(eng, id, []byte(doc), lc)
	}
}

func seedRule(eng *engine.Engine, id string, doc []byte, lc logger.LoggingClient) {
	if cur, err := eng.GetRule(id); err == nil && sameRule(cur, doc) {
		return
	}
	if err := eng.UpdateRule(id, doc); err != nil {
		lc.Warnf("rule=%s seed: %v", id, err)
	}
}

// sameRule compares two rule documents ignoring the run intent.
func sameRule(a, b []byte) bool {
	var x, y map[string]any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	for _, m := range []map[string]any{x, y} {
		delete(m, "triggered")
		delete(m, "status")
	}
	return reflect.DeepEqual(x, y)
}

// seedRuleFile accepts an array of rule objects or a ruleset document.
func seedRuleFile(eng *engine.Engine, b []byte, lc logger.LoggingClient) {
	var list []json.RawMessage
	if err := json.Unmarshal(b, &list); err == nil {
		for _, doc := range list {
			var head struct{ ID string }
			_ = json.Unmarshal(doc, &head)
			seedRule(eng, head.ID, doc, lc)
		}
		return
	}
	var rs engine.Ruleset
	if err := json.Unmarshal(b, &rs); err != nil {
		lc.Warnf("seed file rules.json: neither a rule array nor a ruleset: %v", err)
		return
	}
	seedStatements(eng, engine.KindStream, rs.Streams, lc)
	seedStatements(eng, engine.KindTable, rs.Tables, lc)
	seedRules(eng, rs.Rules, lc)
}

// onConfigChange applies a live update of the RulesEngine section: invalid
// sections are rejected whole and the previous one stays in force.
func onConfigChange(eng *engine.Engine, in *ingest.Ingest, live *atomic.Pointer[config.RulesEngine], raw interface{}, lc logger.LoggingClient) {
	nu, ok := raw.(*config.RulesEngine)
	if !ok {
		lc.Warnf("RulesEngine update of unexpected type %T ignored", raw)
		return
	}
	next := *nu
	next.Defaults()
	if err := next.Validate(); err != nil {
		lc.Errorf("RulesEngine update rejected, keeping the previous section: %v", err)
		return
	}
	cur := live.Load()
	// DataDir, IgnoreCase, TimeZone and the intake size apply at start only (edgex.md §13.3).
	next.DataDir, next.IgnoreCase, next.TimeZone = cur.DataDir, cur.IgnoreCase, cur.TimeZone
	next.Ingest.MaxPending, next.Store, next.TrialPort = cur.Ingest.MaxPending, cur.Store, cur.TrialPort
	live.Store(&next)
	if d, err := next.MaxBlock(); err == nil {
		in.SetMaxBlock(d)
	}
	applySeed(eng, &next, lc)
	lc.Infof("RulesEngine configuration updated: %s", next.Describe())
}
