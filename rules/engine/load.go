package engine

import (
	"sort"

	"github.com/oort-rules/oort/rules/errs"
)

// load reads the persisted catalog: definitions first, then rules, starting
// those whose intent is triggered. A broken entry is logged and skipped so
// one bad record never keeps the service down.
func (e *Engine) load() error {
	if e.cfg.Store == nil {
		return nil
	}
	for _, k := range []Kind{KindStream, KindTable} {
		items, err := e.cfg.Store.List(bucketOf(k))
		if err != nil {
			return errs.Wrap(errs.IO, "load "+bucketOf(k), err)
		}
		for name, text := range items {
			d, err := parseDefinition(string(text))
			if err != nil {
				e.cfg.Logger.Errorf("skipping stored %s %s: %v", k, name, err)
				continue
			}
			e.defs[d.Name] = d
		}
	}
	items, err := e.cfg.Store.List(BucketRules)
	if err != nil {
		return errs.Wrap(errs.IO, "load rules", err)
	}
	ids := make([]string, 0, len(items))
	for id := range items {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		e.loadRule(id, items[id])
	}
	return nil
}

func (e *Engine) loadRule(id string, doc []byte) {
	d, err := parseRuleDef(doc, "")
	if err != nil {
		e.cfg.Logger.Errorf("rule=%s skipping stored rule: %v", id, err)
		return
	}
	ent := &ruleEntry{def: d, status: StatusStopped}
	e.rules[d.ID] = ent
	if !d.Triggered {
		return
	}
	e.startEntry(ent)
	if ent.status == StatusError {
		e.cfg.Logger.Errorf("rule=%s could not be restored as running: %s", id, ent.message)
	}
}
