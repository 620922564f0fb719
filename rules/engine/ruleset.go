package engine

// ExportRuleset returns every non-temporary definition and rule.
func (e *Engine) ExportRuleset() Ruleset {
	e.mu.Lock()
	defer e.mu.Unlock()
	rs := Ruleset{Streams: map[string]string{}, Tables: map[string]string{}, Rules: map[string]string{}}
	for n, d := range e.defs {
		if d.Flag("TEMP") {
			continue
		}
		if d.Kind == KindTable {
			rs.Tables[n] = d.Statement
		} else {
			rs.Streams[n] = d.Statement
		}
	}
	for id, r := range e.rules {
		if !r.def.Temp && !isTrialRule(id) {
			rs.Rules[id] = string(r.def.Document())
		}
	}
	return rs
}

// ImportRuleset creates or replaces what it can; failures are logged and skipped.
func (e *Engine) ImportRuleset(rs Ruleset) (streams, tables, rules int) {
	imp := func(kind Kind, items map[string]string) int {
		n := 0
		for _, name := range sortedKeys(items) {
			if _, err := e.ReplaceStream(kind, name, items[name]); err != nil {
				e.cfg.Logger.Warnf("import %s %s: %v", kind, name, err)
				continue
			}
			n++
		}
		return n
	}
	streams = imp(KindStream, rs.Streams)
	tables = imp(KindTable, rs.Tables)
	for _, id := range sortedKeys(rs.Rules) {
		if err := e.UpdateRule(id, []byte(rs.Rules[id])); err != nil {
			e.cfg.Logger.Warnf("rule=%s import: %v", id, err)
			continue
		}
		rules++
	}
	return
}

// ValidateRule checks a rule document without persisting or starting it.
func (e *Engine) ValidateRule(body []byte) ([]string, error) {
	d, err := parseRuleDef(body, "")
	if err != nil {
		return nil, err
	}
	if err := e.validate(d); err != nil {
		return nil, err
	}
	return d.sourceNames(), nil
}
