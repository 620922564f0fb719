package cli

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"

	"github.com/oort-rules/oort/rules/sql"
)

// positionRE finds the first "line:col: " of an error message.
var positionRE = regexp.MustCompile(`(?:^|[\s:])(\d+):(\d+): `)

// failSQL prints an error about src; when the server's message points at a
// line and column, the offending SQL line follows with a caret under it.
func (c *cli) failSQL(err error, src string) int {
	code := c.fail(err)
	if snip := caretSnippet(err.Error(), src); snip != "" {
		fmt.Fprint(c.errw, snip)
	}
	return code
}

func caretSnippet(msg, src string) string {
	m := positionRE.FindStringSubmatch(msg)
	if m == nil || src == "" {
		return ""
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	if c := sql.Caret(src, sql.Pos{Line: line, Col: col}); c != "" {
		return c + "\n"
	}
	return ""
}

// ruleSQL is the "sql" of a rule document ("" when unreadable).
func ruleSQL(doc []byte) string {
	var r struct {
		SQL string `json:"sql"`
	}
	_ = json.Unmarshal(doc, &r)
	return r.SQL
}
