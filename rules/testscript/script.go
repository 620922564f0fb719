// Package testscript runs behaviour tests written as text scripts (in the
// style of promqltest): each directive is one line, so a new case is new
// lines, not Go code. The same runner executes the JSON conformance cases.
//
// Directives:
//
//	case <name>                       start a new case (fresh engine and clock)
//	clock <ms>                        set the start time (before any rule)
//	stream <CREATE STREAM ...>        define a stream
//	table <CREATE TABLE ...>          define a table
//	options <json object>             rule options for the next rule
//	rule <SELECT ...>                 create and start the rule under test
//	rule-error <text>                 the next rule line must be refused with an error containing text
//	at <ms> | at +<duration>          advance the clock (firing due timers)
//	send <stream> <json row> [meta <json>]   deliver a row now
//	publish <topic> <json row> [meta <json>] publish a row on the in-process memory bus
//	expect <json array>               the next emission, rows in order
//	expect-unordered <json array>     the next emission, rows in any order
//	expect-error                      the next emission is one {"error": "..."} row
//	expect-none                       no emission is pending
//
// Numbers without a decimal point are integers, with one floats, in rows,
// metadata and expectations alike.
package testscript

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Step is one parsed directive.
type Step struct {
	Line int
	Op   string
	Arg  string
}

// Case is a named list of steps.
type Case struct {
	Name  string
	Steps []Step
}

// Parse reads a script into cases; lines before the first "case" form a case
// named after the file.
func Parse(name string, r io.Reader) ([]Case, error) {
	var cases []Case
	cur := &Case{Name: name}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	ln := 0
	for sc.Scan() {
		ln++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		op, arg, _ := strings.Cut(text, " ")
		arg = strings.TrimSpace(arg)
		if !knownOp(op) {
			return nil, fmt.Errorf("%s:%d: unknown directive %q", name, ln, op)
		}
		if op == "case" {
			if len(cur.Steps) > 0 {
				cases = append(cases, *cur)
			}
			cur = &Case{Name: arg}
			continue
		}
		cur.Steps = append(cur.Steps, Step{Line: ln, Op: op, Arg: arg})
	}
	if len(cur.Steps) > 0 {
		cases = append(cases, *cur)
	}
	return cases, sc.Err()
}

func knownOp(op string) bool {
	switch op {
	case "case", "clock", "stream", "table", "options", "rule", "rule-error", "at", "send", "publish",
		"expect", "expect-unordered", "expect-error", "expect-none":
		return true
	}
	return false
}
