package engine

import (
	"sort"
	"strings"

	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/sql"
)

func bucketOf(k Kind) string {
	if k == KindTable {
		return BucketTables
	}
	return BucketStreams
}

// ExecStreamSQL runs one stream or table statement (POST /streams, /tables).
func (e *Engine) ExecStreamSQL(kind Kind, text string) (string, error) {
	st, err := sql.ParseStatement(text)
	if err != nil {
		return "", errs.Wrap(errs.Stream, "", err)
	}
	switch s := st.(type) {
	case *sql.Create:
		return e.createDef(s, text)
	case *sql.Drop:
		return e.DropStream(kindOf(s.Table), s.Name, false)
	case *sql.Show:
		names := e.ListStreams(kindOf(s.Tables), "")
		if len(names) == 0 {
			return "No " + strings.ToLower(kindWord(kindOf(s.Tables))) + " definitions are found.", nil
		}
		return strings.Join(names, "\n"), nil
	case *sql.Describe:
		d, err := e.getDef(kindOf(s.Table), s.Name)
		if err != nil {
			return "", errs.New(errs.Stream, "Describe %s fails, %s is not found.", kindOf(s.Table), s.Name)
		}
		return describeText(d), nil
	case *sql.Explain:
		d, err := e.getDef(kindOf(s.Table), s.Name)
		if err != nil {
			return "", errs.New(errs.Stream, "Explain %s fails, %s is not found.", kindOf(s.Table), s.Name)
		}
		return e.explainDef(d), nil
	}
	return "", errs.New(errs.Stream, "only stream and table statements are allowed here")
}

func kindOf(table bool) Kind {
	if table {
		return KindTable
	}
	return KindStream
}

func (e *Engine) createDef(c *sql.Create, text string) (string, error) {
	d, err := defFromCreate(c, text)
	if err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, dup := e.defs[d.Name]; dup {
		return "", errs.New(errs.Stream, "Create %s fails: Item %s already exists.", d.Kind, d.Name)
	}
	if err := e.persistDef(d); err != nil {
		return "", err
	}
	e.defs[d.Name] = d
	e.warnTopic(d)
	return kindWord(d.Kind) + " " + d.Name + " is created.", nil
}

func (e *Engine) persistDef(d *StreamDef) error {
	if d.Flag("TEMP") || e.cfg.Store == nil {
		return nil
	}
	if err := e.cfg.Store.Put(bucketOf(d.Kind), d.Name, []byte(d.Statement)); err != nil {
		return errs.Wrap(errs.IO, "save "+d.Kind.String()+" "+d.Name, err)
	}
	return nil
}

// ReplaceStream implements PUT /streams/{name}: the statement must create the
// same kind and name; it creates the definition when absent.
func (e *Engine) ReplaceStream(kind Kind, name, text string) (string, error) {
	st, err := sql.ParseStatement(text)
	if err != nil {
		return "", errs.Wrap(errs.Stream, "", err)
	}
	c, ok := st.(*sql.Create)
	if !ok || c.Name != name {
		return "", errs.New(errs.Stream, "Replace %s fails: the sql statement must update the %s source.", name, name)
	}
	if kindOf(c.Table) != kind {
		return "", notFound(kind, name)
	}
	d, err := defFromCreate(c, text)
	if err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if old, ok := e.defs[name]; ok {
		if old.Kind != kind {
			return "", notFound(kind, name)
		}
		if err := checkReplace(old, d); err != nil {
			return "", err
		}
	}
	if err := e.persistDef(d); err != nil {
		return "", err
	}
	e.defs[name] = d
	return kindWord(kind) + " " + name + " is replaced.", nil
}

func checkReplace(old, nu *StreamDef) error {
	if nu.Flag("TEMP") {
		return errs.New(errs.Stream, "Replace %s fails: TEMP cannot be set on replace", nu.Name)
	}
	if old.Flag("SHARED") != nu.Flag("SHARED") {
		return errs.New(errs.Stream, "Replace %s fails: SHARED cannot be changed", nu.Name)
	}
	ov, nv := strings.ToLower(old.opt("VERSION")), strings.ToLower(nu.opt("VERSION"))
	if (ov != "" || nv != "") && nv <= ov {
		return errs.New(errs.Stream, "Replace %s fails: version %s is not greater than the current version %s", nu.Name, nv, ov)
	}
	return nil
}

func (e *Engine) getDef(kind Kind, name string) (*StreamDef, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d, ok := e.defs[name]
	if !ok || d.Kind != kind {
		return nil, notFound(kind, name)
	}
	return d, nil
}

// ListStreams returns the names of one kind, ascending.
func (e *Engine) ListStreams(kind Kind, tableKind string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := []string{}
	for n, d := range e.defs {
		if d.Kind == kind && (tableKind == "" || d.TableKind() == strings.ToLower(tableKind)) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// StreamDetails lists name, type and format.
func (e *Engine) StreamDetails(kind Kind, tableKind string) []StreamInfo {
	names := e.ListStreams(kind, tableKind)
	out := make([]StreamInfo, 0, len(names))
	for _, n := range names {
		if d, err := e.getDef(kind, n); err == nil {
			out = append(out, StreamInfo{Name: n, Type: d.Type(), Format: d.Format()})
		}
	}
	return out
}

// DropStream removes a definition, refusing while rules reference it unless forced.
func (e *Engine) DropStream(kind Kind, name string, force bool) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d, ok := e.defs[name]
	if !ok || d.Kind != kind {
		return "", notFound(kind, name)
	}
	if !force {
		for _, r := range e.rules {
			if r.references(name) {
				return "", StreamReferenced(name)
			}
		}
	}
	if e.cfg.Store != nil && !d.Flag("TEMP") {
		if err := e.cfg.Store.Delete(bucketOf(kind), name); err != nil {
			return "", errs.Wrap(errs.IO, "delete "+kind.String()+" "+name, err)
		}
	}
	delete(e.defs, name)
	return kindWord(kind) + " " + name + " is dropped.", nil
}
