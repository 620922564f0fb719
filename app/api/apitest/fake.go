// Package apitest holds Fake, a small in-memory implementation of our own
// engine.API used to test the REST layer and the CLI without the real
// engine. It reproduces the engine's texts and error codes for the cases the
// tests exercise (rules-api.md §3.2); it does not run SQL.
package apitest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/errs"
)

// Fake is safe for concurrent use.
type Fake struct {
	mu      sync.Mutex
	streams map[string]*stream
	rules   map[string]*rule
	trials  map[string]*trial
	// LiveData is what a trial emits for a stream without mock data.
	LiveData []map[string]any
}

type stream struct {
	kind engine.Kind
	sql  string
	def  []byte // definition JSON; nil means derived from sql
}

// New returns an empty fake engine.
func New() *Fake {
	return &Fake{
		streams: map[string]*stream{},
		rules:   map[string]*rule{},
		trials:  map[string]*trial{},
	}
}

var _ engine.API = (*Fake)(nil)

var (
	createRe = regexp.MustCompile(`(?is)^\s*CREATE\s+(STREAM|TABLE)\s+([A-Za-z0-9_]+)\s*\((.*?)\)\s*WITH\s*\((.*)\)\s*;?\s*$`)
	dropRe   = regexp.MustCompile(`(?is)^\s*DROP\s+(STREAM|TABLE)\s+([A-Za-z0-9_]+)\s*;?\s*$`)
	optRe    = regexp.MustCompile(`(?i)([A-Za-z_]+)\s*=\s*"([^"]*)"`)
)

func kindOf(word string) engine.Kind {
	if strings.EqualFold(word, "TABLE") {
		return engine.KindTable
	}
	return engine.KindStream
}

func title(k engine.Kind) string {
	if k == engine.KindTable {
		return "Table"
	}
	return "Stream"
}

// ExecStreamSQL understands CREATE and DROP; anything else is a parse error.
func (f *Fake) ExecStreamSQL(kind engine.Kind, sql string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if m := dropRe.FindStringSubmatch(sql); m != nil {
		return f.dropLocked(kindOf(m[1]), m[2], true)
	}
	m := createRe.FindStringSubmatch(sql)
	if m == nil {
		return "", errs.New(errs.Stream, "found %q, expected CREATE, DROP, SHOW or DESCRIBE", firstWord(sql))
	}
	k, name := kindOf(m[1]), m[2]
	if _, ok := f.streams[name]; ok {
		return "", errs.New(errs.Stream, "Create %s fails: Item %s already exists.", k, name)
	}
	f.streams[name] = &stream{kind: k, sql: strings.TrimSpace(sql)}
	return fmt.Sprintf("%s %s is created.", title(k), name), nil
}

func firstWord(s string) string {
	fs := strings.Fields(s)
	if len(fs) == 0 {
		return "EOF"
	}
	return fs[0]
}

// ReplaceStream follows the replace rules of sql.md §2.6 that the tests need.
func (f *Fake) ReplaceStream(kind engine.Kind, name, sql string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := createRe.FindStringSubmatch(sql)
	if m == nil {
		return "", errs.New(errs.Stream, "found %q, expected CREATE", firstWord(sql))
	}
	if kindOf(m[1]) != kind {
		return "", errs.New(errs.NotFound, "%s %s is not found", kind, name)
	}
	if m[2] != name {
		return "", errs.New(errs.Stream, "Replace %s fails: the sql statement must update the %s source.", name, name)
	}
	f.streams[name] = &stream{kind: kind, sql: strings.TrimSpace(sql)}
	return fmt.Sprintf("%s %s is replaced.", title(kind), name), nil
}

func (f *Fake) names(kind engine.Kind) []string {
	var out []string
	for n, s := range f.streams {
		if s.kind == kind {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// ListStreams ignores tableKind.
func (f *Fake) ListStreams(kind engine.Kind, _ string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.names(kind)
}

// StreamDetails reports the TYPE and FORMAT options, lower-cased.
func (f *Fake) StreamDetails(kind engine.Kind, _ string) []engine.StreamInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []engine.StreamInfo
	for _, n := range f.names(kind) {
		opts := options(f.streams[n].sql)
		info := engine.StreamInfo{Name: n, Type: "mqtt", Format: "json"}
		if v, ok := opts["type"]; ok {
			info.Type = strings.ToLower(v)
		}
		if v, ok := opts["format"]; ok {
			info.Format = strings.ToLower(v)
		}
		out = append(out, info)
	}
	return out
}

// options extracts key = "value" pairs of the WITH clause, keys lower-cased.
func options(sql string) map[string]string {
	m := createRe.FindStringSubmatch(sql)
	out := map[string]string{}
	if m == nil {
		return out
	}
	for _, o := range optRe.FindAllStringSubmatch(m[4], -1) {
		out[strings.ToLower(o[1])] = o[2]
	}
	return out
}

// SetDefinition overrides the definition JSON DescribeStream returns for name.
func (f *Fake) SetDefinition(name string, def []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.streams[name]; ok {
		s.def = def
	}
}

// DescribeStream returns a schemaless definition with the statement's
// options, or the one set with SetDefinition.
func (f *Fake) DescribeStream(kind engine.Kind, name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.streams[name]
	if !ok || s.kind != kind {
		return nil, errs.New(errs.Stream, "Describe %s fails, %s is not found.", kind, name)
	}
	if s.def != nil {
		return s.def, nil
	}
	opts := options(s.sql)
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%q:%q", k, opts[k]))
	}
	return []byte(fmt.Sprintf(`{"Name":%q,"StreamFields":null,"Options":{%s},"StreamType":%d,"Statement":null}`,
		name, strings.Join(parts, ","), int(kind))), nil
}

// StreamSchema is always "null": the fake keeps no schemas.
func (f *Fake) StreamSchema(kind engine.Kind, name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.streams[name]; !ok || s.kind != kind {
		return nil, errs.New(errs.Stream, "Describe %s fails, %s is not found.", kind, name)
	}
	return []byte("null"), nil
}

// DropStream refuses while a rule reads the stream, unless force.
func (f *Fake) DropStream(kind engine.Kind, name string, force bool) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dropLocked(kind, name, force)
}

func (f *Fake) dropLocked(kind engine.Kind, name string, force bool) (string, error) {
	s, ok := f.streams[name]
	if !ok || s.kind != kind {
		return "", errs.New(errs.NotFound, "%s %s is not found", kind, name)
	}
	if !force {
		for _, r := range f.rules {
			if r.source == name {
				return "", engine.StreamReferenced(name)
			}
		}
	}
	delete(f.streams, name)
	return fmt.Sprintf("%s %s is dropped.", title(kind), name), nil
}
