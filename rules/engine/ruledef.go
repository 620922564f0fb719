package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/oort-rules/oort/rules/errs"
	"github.com/oort-rules/oort/rules/sql"
)

// Action is one element of "actions": a sink type and its properties.
type Action struct {
	Type  string
	Props map[string]any
}

// RuleDef is a parsed rule document.
type RuleDef struct {
	ID      string
	Name    string
	SQL     string
	Select  *sql.Select
	Actions []Action
	// LateActions receive event-time rows that arrived after the watermark
	// (an Oort addition: late rows are counted and never silently lost).
	LateActions []Action
	Options     RuleOptions
	Triggered   bool
	Tags        []string
	Temp        bool
	Version     string
	doc         map[string]json.RawMessage // the submitted document, kept for GET
	raw         []byte                     // its exact bytes
	origTrig    bool                       // triggered as submitted
	origTags    []string                   // tags as submitted
}

// parseRuleDef performs validation steps 1–4 of rules-api.md §1.2. pathID is
// the id in the URL on PUT ("" on POST).
func parseRuleDef(body []byte, pathID string) (*RuleDef, error) {
	return parseRuleDoc(body, pathID, false)
}

// parseRuleDoc also accepts ids reserved for internal rules when internal.
func parseRuleDoc(body []byte, pathID string, internal bool) (*RuleDef, error) {
	var doc map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil || doc == nil {
		reason := "body is not a JSON object"
		if err != nil {
			reason = err.Error()
		}
		return nil, InvalidRuleJSON(fmt.Errorf("Parse rule %s error : %s.", body, reason))
	}
	d := &RuleDef{Triggered: true, doc: doc, raw: append([]byte(nil), bytes.TrimSpace(body)...)}
	if err := d.readHeader(pathID, internal); err != nil {
		return nil, InvalidRuleJSON(err)
	}
	d.origTrig, d.origTags = d.Triggered, append([]string(nil), d.Tags...)
	if err := d.readBody(); err != nil {
		return nil, InvalidRuleJSON(err)
	}
	return d, nil
}

func (d *RuleDef) readHeader(pathID string, internal bool) error {
	getStr(d.doc, "id", &d.ID)
	if d.ID == "" {
		return errors.New("Missing rule id.")
	}
	if pathID != "" && d.ID != pathID {
		return errors.New("RuleId is not consistent with rule id.")
	}
	if strings.HasPrefix(d.ID, trialPrefix) && !internal {
		return fmt.Errorf("id '%s' uses the prefix %s reserved for trial runs", d.ID, trialPrefix)
	}
	if !validName(d.ID) {
		return fmt.Errorf("id '%s' contains invalid characters: only alphanumeric, hyphens and underscores are allowed", d.ID)
	}
	getStr(d.doc, "name", &d.Name)
	if d.Name == "" {
		d.Name = d.ID
	}
	getStr(d.doc, "version", &d.Version)
	if v, ok := d.doc["triggered"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &d.Triggered); err != nil {
			return fmt.Errorf("triggered must be a boolean: %v", err)
		}
	}
	if v, ok := d.doc["temp"]; ok && !isNull(v) {
		_ = json.Unmarshal(v, &d.Temp)
	}
	if v, ok := d.doc["tags"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &d.Tags); err != nil {
			return fmt.Errorf("tags must be an array of strings: %v", err)
		}
	}
	return nil
}

func (d *RuleDef) readBody() error {
	_, hasGraph := d.doc["graph"]
	getStr(d.doc, "sql", &d.SQL)
	switch {
	case hasGraph && d.SQL != "":
		return fmt.Errorf("Rule %s has both sql and graph.", d.ID)
	case hasGraph:
		return errors.New("graph rules are not supported by Oort")
	case strings.TrimSpace(d.SQL) == "":
		return fmt.Errorf("Missing rule sql.")
	}
	sel, err := sql.ParseSelect(d.SQL)
	if err != nil {
		return err
	}
	d.Select = sel
	if err := d.readActions(); err != nil {
		return err
	}
	var opts map[string]json.RawMessage
	if v, ok := d.doc["options"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &opts); err != nil {
			return fmt.Errorf("Rule %s has invalid options: %v.", d.ID, err)
		}
	}
	o, err := parseOptions(opts)
	if err != nil {
		return fmt.Errorf("Rule %s has invalid options: %v.", d.ID, err)
	}
	d.Options = o
	return nil
}

func (d *RuleDef) readActions() error {
	acts, err := parseActions(d.doc["actions"], "actions")
	if err != nil {
		return err
	}
	if len(acts) == 0 {
		return errors.New("Missing rule actions.")
	}
	d.Actions = acts
	if d.LateActions, err = parseActions(d.doc["lateActions"], "lateActions"); err != nil {
		return err
	}
	return nil
}

// parseActions reads an array of one-key action objects.
func parseActions(v json.RawMessage, key string) ([]Action, error) {
	var actions []map[string]any
	if len(v) > 0 && !isNull(v) {
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(&actions); err != nil {
			return nil, fmt.Errorf("%s must be an array of objects: %v", key, err)
		}
	}
	var out []Action
	for i, a := range actions {
		if len(a) == 0 {
			return nil, fmt.Errorf("%s[%d] is empty", key, i)
		}
		for typ, p := range a {
			props, _ := p.(map[string]any)
			if props == nil {
				props = map[string]any{}
			}
			out = append(out, Action{Type: typ, Props: props})
		}
	}
	return out, nil
}

func getStr(doc map[string]json.RawMessage, key string, dst *string) {
	if v, ok := doc[key]; ok && !isNull(v) {
		_ = json.Unmarshal(v, dst)
	}
}

// Document returns the rule JSON as submitted, rewritten only when start,
// stop or tag calls changed triggered or tags since.
func (d *RuleDef) Document() []byte {
	_, hasStatus := d.doc["status"]
	if d.Triggered == d.origTrig && equalStrings(d.Tags, d.origTags) && !hasStatus {
		return d.raw
	}
	doc := make(map[string]json.RawMessage, len(d.doc)+2)
	for k, v := range d.doc {
		doc[k] = v
	}
	delete(doc, "status")
	doc["triggered"], _ = json.Marshal(d.Triggered)
	if d.Tags != nil {
		doc["tags"], _ = json.Marshal(d.Tags)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(doc)
	return bytes.TrimSpace(buf.Bytes())
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sourceNames lists the streams and tables the rule reads, FROM first.
func (d *RuleDef) sourceNames() []string {
	out := []string{d.Select.From.Name}
	for _, j := range d.Select.Joins {
		out = append(out, j.Src.Name)
	}
	return out
}

// versionOK applies the version rule of rules-api.md §1.2 step 5.
func versionOK(old, nu string) bool {
	if old == "" && nu == "" {
		return true
	}
	return nu > old
}

func ruleNotFound(id string) error {
	return errs.New(errs.NotFound, "Rule %s is not found in registry, please check if it is created", id)
}
