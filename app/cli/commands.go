package cli

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// unsupportedObjects are eKuiper objects Oort has no equivalent for.
var unsupportedObjects = map[string]bool{
	"plugin": true, "plugins": true, "service": true, "services": true,
	"schema": true, "schemas": true, "script": true, "scripts": true,
	"udf": true, "udfs": true, "service_funcs": true, "service_func": true,
}

func (c *cli) dispatch(args []string) int {
	if len(args) == 0 {
		return c.usage("")
	}
	if len(args) >= 2 && unsupportedObjects[args[1]] {
		return c.unsupported(args[:2])
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(c.out, usageText)
		return ExitOK
	case "create":
		return c.create(args[1:])
	case "show":
		return c.show(args[1:])
	case "describe":
		return c.describe(args[1:])
	case "drop":
		return c.drop(args[1:])
	case "start", "stop", "restart":
		return c.control(args[0], args[1:])
	case "getstatus", "gettopo", "explain":
		return c.inspect(args[0], args[1:])
	case "validate":
		return c.validate(args[1:])
	case "import", "export":
		return c.ruleset(args)
	case "query":
		if len(args) != 1 {
			return c.usage("query takes no arguments")
		}
		return c.query()
	case "register":
		return c.unsupported(args[:1])
	}
	return c.usage(fmt.Sprintf("unknown command %q", args[0]))
}

// kindPath maps "stream"/"table" to the REST collection.
func kindPath(kind string) (string, bool) {
	switch kind {
	case "stream":
		return "/streams", true
	case "table":
		return "/tables", true
	}
	return "", false
}

// fileOrArg reads "-f <file>" or returns the inline argument; extra holds
// the positional arguments before them.
func fileOrArg(args []string) (pos []string, text string, err error) {
	for i := 0; i < len(args); i++ {
		if args[i] == "-f" {
			if i+1 >= len(args) {
				return nil, "", fmt.Errorf("flag -f needs a file name")
			}
			b, err := os.ReadFile(args[i+1])
			if err != nil {
				return nil, "", fmt.Errorf("read %s: %w", args[i+1], err)
			}
			return append(pos, args[i+2:]...), string(b), nil
		}
		pos = append(pos, args[i])
	}
	if len(pos) == 0 {
		return nil, "", fmt.Errorf("missing definition")
	}
	return pos[:len(pos)-1], pos[len(pos)-1], nil
}

func (c *cli) create(args []string) int {
	if len(args) < 2 {
		return c.usage("create needs an object and a definition")
	}
	pos, text, err := fileOrArg(args[1:])
	if err != nil {
		return c.usage(err.Error())
	}
	if args[0] == "rule" {
		return c.createRule(pos, text)
	}
	path, ok := kindPath(args[0])
	if !ok {
		return c.usage(fmt.Sprintf("cannot create %q", args[0]))
	}
	// Inline form: <name> '<(fields) WITH (...)>'; file form: the file holds
	// the name too.
	switch {
	case len(pos) == 1:
		text = pos[0] + " " + text
	case len(pos) > 1:
		return c.usage("too many arguments")
	}
	sql := "CREATE " + strings.ToUpper(args[0]) + " " + strings.TrimSpace(text)
	out, err := c.api.call("POST", path, map[string]string{"sql": sql})
	if err != nil {
		return c.failSQL(err, sql)
	}
	c.println(string(out))
	return ExitOK
}

func (c *cli) createRule(pos []string, doc string) int {
	if len(pos) > 1 {
		return c.usage("too many arguments")
	}
	id := ""
	if len(pos) == 1 {
		id = pos[0]
	}
	body, id, err := withRuleID(doc, id)
	if err != nil {
		return c.fail(err)
	}
	if _, err := c.api.call("POST", "/rules", body); err != nil {
		return c.failSQL(err, ruleSQL(body))
	}
	c.println(fmt.Sprintf("Rule %s was created successfully, please use 'oort getstatus rule %s' command to get rule status.", id, id))
	return ExitOK
}

// withRuleID makes the rule document carry id, as eKuiper's CLI does: the
// id is inserted when missing and must agree when present. The document is
// otherwise sent as written, because GET /rules/{id} returns it verbatim.
func withRuleID(doc, id string) ([]byte, string, error) {
	var probe struct {
		ID *string `json:"id"`
	}
	if err := json.Unmarshal([]byte(doc), &probe); err != nil {
		return []byte(doc), id, nil // the server reports the parse error
	}
	switch {
	case probe.ID != nil && id != "" && *probe.ID != id:
		return nil, "", fmt.Errorf("RuleId is not consistent with rule id.")
	case probe.ID != nil:
		return []byte(doc), *probe.ID, nil
	case id == "":
		return []byte(doc), "", nil // the server reports the missing id
	}
	trimmed := strings.TrimSpace(doc)
	idJSON, _ := json.Marshal(id)
	rest := strings.TrimSpace(trimmed[1:])
	if strings.HasPrefix(rest, "}") {
		return []byte(`{"id":` + string(idJSON) + rest), id, nil
	}
	return []byte(`{"id":` + string(idJSON) + `,` + trimmed[1:]), id, nil
}

func (c *cli) show(args []string) int {
	if len(args) != 1 {
		return c.usage("show needs one of streams, tables, rules")
	}
	switch args[0] {
	case "streams", "tables":
		return c.showNames("/"+args[0], strings.TrimSuffix(args[0], "s"))
	case "rules":
		out, err := c.api.call("GET", "/rules", nil)
		if err != nil {
			return c.fail(err)
		}
		var rules []json.RawMessage
		if json.Unmarshal(out, &rules) == nil && len(rules) == 0 {
			c.println("No rule definitions are found.")
			return ExitOK
		}
		c.println(pretty(out))
		return ExitOK
	}
	return c.usage(fmt.Sprintf("cannot show %q", args[0]))
}

func (c *cli) showNames(path, kind string) int {
	out, err := c.api.call("GET", path, nil)
	if err != nil {
		return c.fail(err)
	}
	var names []string
	if err := json.Unmarshal(out, &names); err != nil {
		return c.fail(fmt.Errorf("unexpected reply of GET %s: %w", path, err))
	}
	if len(names) == 0 {
		c.println(fmt.Sprintf("No %s definitions are found.", kind))
		return ExitOK
	}
	c.println(strings.Join(names, "\n"))
	return ExitOK
}

func (c *cli) describe(args []string) int {
	if len(args) < 2 {
		return c.usage("describe needs an object and a name")
	}
	asJSON := len(args) == 3 && args[2] == "-json"
	if len(args) > 3 || (len(args) == 3 && !asJSON) {
		return c.usage("too many arguments")
	}
	if args[0] == "rule" {
		out, err := c.api.call("GET", "/rules/"+url.PathEscape(args[1]), nil)
		if err != nil {
			return c.fail(err)
		}
		c.println(pretty(out))
		return ExitOK
	}
	path, ok := kindPath(args[0])
	if !ok {
		return c.usage(fmt.Sprintf("cannot describe %q", args[0]))
	}
	out, err := c.api.call("GET", path+"/"+url.PathEscape(args[1]), nil)
	if err != nil {
		return c.fail(err)
	}
	text, err := describeDefinition(out, asJSON)
	if err != nil {
		return c.fail(err)
	}
	c.println(strings.TrimRight(text, "\n"))
	return ExitOK
}

func (c *cli) drop(args []string) int {
	if len(args) != 2 {
		return c.usage("drop needs an object and a name")
	}
	path, ok := kindPath(args[0])
	if args[0] == "rule" {
		path, ok = "/rules", true
	}
	if !ok {
		return c.usage(fmt.Sprintf("cannot drop %q", args[0]))
	}
	out, err := c.api.call("DELETE", path+"/"+url.PathEscape(args[1]), nil)
	if err != nil {
		return c.fail(err)
	}
	c.println(string(out))
	return ExitOK
}

// control runs start/stop/restart. The CLI wording differs from the REST
// text for restart (a final period), as eKuiper's CLI does.
func (c *cli) control(verb string, args []string) int {
	if len(args) != 2 || args[0] != "rule" {
		return c.usage(verb + " needs: rule <id>")
	}
	if _, err := c.api.call("POST", "/rules/"+url.PathEscape(args[1])+"/"+verb, nil); err != nil {
		return c.fail(err)
	}
	msg := map[string]string{"start": "Rule %s was started", "stop": "Rule %s was stopped.", "restart": "Rule %s was restarted."}[verb]
	c.println(fmt.Sprintf(msg, args[1]))
	return ExitOK
}

func (c *cli) inspect(verb string, args []string) int {
	if len(args) != 2 || args[0] != "rule" {
		if verb == "getstatus" && len(args) == 1 && args[0] == "import" {
			return c.unsupported([]string{verb, args[0]})
		}
		return c.usage(verb + " needs: rule <id>")
	}
	suffix := map[string]string{"getstatus": "/status", "gettopo": "/topo", "explain": "/explain"}[verb]
	out, err := c.api.call("GET", "/rules/"+url.PathEscape(args[1])+suffix, nil)
	if err != nil {
		return c.fail(err)
	}
	if verb == "explain" {
		c.println(strings.TrimRight(string(out), "\n"))
		return ExitOK
	}
	c.println(pretty(out))
	return ExitOK
}

func (c *cli) validate(args []string) int {
	if len(args) < 2 || args[0] != "rule" {
		return c.usage("validate needs: rule <id> '<json>' or rule <id> -f <file>")
	}
	pos, doc, err := fileOrArg(args[1:])
	if err != nil {
		return c.usage(err.Error())
	}
	if len(pos) > 1 {
		return c.usage("too many arguments")
	}
	id := ""
	if len(pos) == 1 {
		id = pos[0]
	}
	body, _, err := withRuleID(doc, id)
	if err != nil {
		return c.fail(err)
	}
	if _, err := c.api.call("POST", "/rules/validate", body); err != nil {
		return c.failSQL(err, ruleSQL(body))
	}
	c.println("The rule has been successfully validated and is confirmed to be correct.")
	return ExitOK
}
