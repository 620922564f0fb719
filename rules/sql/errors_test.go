package sql

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// errorText parses src as statements, validates any CREATE, and returns the
// error text, or "" when everything is fine.
func errorText(src string) string {
	sts, err := ParseStatements(src)
	if err != nil {
		return err.Error()
	}
	for _, st := range sts {
		if c, ok := st.(*Create); ok {
			if err := c.Validate(); err != nil {
				return err.Error()
			}
		}
	}
	return ""
}

// splitEntry separates a testdata entry into its input and the
// expected text on the "=> " line.
func splitEntry(text string) (input, want string) {
	var in []string
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, "=> "); ok {
			want = rest
			continue
		}
		in = append(in, line)
	}
	return strings.Join(in, "\n"), want
}

// TestErrorCorpus checks every input of testdata/errors.txt against its
// expected error text (regenerate with -update after reviewing a change).
func TestErrorCorpus(t *testing.T) {
	var out []string
	for _, e := range readCorpus(t, "errors.txt") {
		input, want := splitEntry(e.Text)
		got := errorText(input)
		out = append(out, input+"\n=> "+got)
		if *update {
			continue
		}
		if got == "" {
			t.Errorf("errors.txt:%d: %q parsed without error", e.Line, input)
		} else if got != want {
			t.Errorf("errors.txt:%d: %q\n got: %s\nwant: %s", e.Line, input, got, want)
		}
	}
	if *update {
		data := strings.Join(out, "\n----\n") + "\n"
		if err := os.WriteFile(filepath.Join("testdata", "errors.txt"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// spec wording that eKuiper clients match on keeps its capital and period.
var specMessages = map[string]bool{
	"On expression is not required for cross join type.": true,
	`Option "key" is required for memory lookup table.`:  true,
}

var posPrefix = regexp.MustCompile(`^\d+:\d+: `)

// TestErrorStyle checks the house style of every message in the corpus:
// "line:col: " prefix, lower case, no trailing period.
func TestErrorStyle(t *testing.T) {
	for _, e := range readCorpus(t, "errors.txt") {
		input, _ := splitEntry(e.Text)
		_, err := ParseStatements(input)
		var list ErrorList
		if err == nil {
			st, _ := ParseStatement(input)
			err = st.(*Create).Validate()
		}
		if !errors.As(err, &list) {
			t.Errorf("errors.txt:%d: error is %T, want ErrorList", e.Line, err)
			continue
		}
		for _, one := range list {
			text := one.Error()
			if !posPrefix.MatchString(text) {
				t.Errorf("errors.txt:%d: no position in %q", e.Line, text)
			}
			if specMessages[one.Msg] {
				continue
			}
			if one.Msg == "" || strings.ToLower(one.Msg[:1]) != one.Msg[:1] || strings.HasSuffix(one.Msg, ".") {
				t.Errorf("errors.txt:%d: message style %q", e.Line, one.Msg)
			}
		}
	}
}

func TestErrorListText(t *testing.T) {
	src := "SELECT a b FROM s;\nSELECT c d FROM s;\nSELECT e ! f FROM s"
	_, err := ParseStatements(src)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	want := `1:10: found "d", expected AS, "," or FROM (and 2 more errors)`
	if !strings.HasPrefix(err.Error(), `1:10: found "b"`) || !strings.HasSuffix(err.Error(), "(and 2 more errors)") {
		t.Errorf("error text %q, want like %q", err.Error(), want)
	}
	if list[1].Pos.Line != 2 || list[2].Pos.Line != 3 {
		t.Errorf("errors not sorted by position: %v", list)
	}
	snip := list.Snippet(src)
	wantSnip := "1:10: found \"b\", expected AS, \",\" or FROM\n    SELECT a b FROM s;\n             ^"
	if !strings.HasPrefix(snip, wantSnip) {
		t.Errorf("snippet:\n%s\nwant prefix:\n%s", snip, wantSnip)
	}
	if strings.Count(snip, "^") != 3 {
		t.Errorf("snippet should show a caret per error:\n%s", snip)
	}
	two := ErrorList{{Pos: Pos{Line: 1, Col: 1}, Msg: "x"}, {Pos: Pos{Line: 1, Col: 2, Off: 1}, Msg: "y"}}
	if two.Error() != "1:1: x (and 1 more error)" {
		t.Errorf("two errors: %q", two.Error())
	}
	var e *Error
	if !errors.As(err, &e) || e.Pos.Line != 1 {
		t.Errorf("errors.As(*Error) on the list: %v", e)
	}
}

func TestSnippetTabs(t *testing.T) {
	src := "SELECT\ta\tb FROM s"
	_, err := ParseStatement(src)
	list := err.(ErrorList)
	want := "    SELECT\ta\tb FROM s\n          \t \t^"
	if snip := list.Snippet(src); !strings.HasSuffix(snip, want) {
		t.Errorf("snippet %q, want suffix %q", snip, want)
	}
}

func TestParseSelectRejectsOthers(t *testing.T) {
	for src, want := range map[string]string{
		"SHOW STREAMS":            `1:1: found "SHOW", expected SELECT`,
		"SELECT a FROM s; SELECT": `1:18: found "SELECT", expected end of statement`,
		"":                        `1:1: found EOF, expected SELECT`,
	} {
		_, err := ParseSelect(src)
		if err == nil || err.Error() != want {
			t.Errorf("ParseSelect(%q) = %v, want %s", src, err, want)
		}
	}
	if _, err := ParseStatement("SHOW STREAMS; SHOW TABLES"); err == nil {
		t.Error("ParseStatement accepted two statements")
	}
	if _, err := ParseExpr("a b"); err == nil || err.Error() != `1:3: found "b", expected EOF` {
		t.Errorf("ParseExpr trailing token: %v", err)
	}
}

func TestDeepNesting(t *testing.T) {
	src := "SELECT " + strings.Repeat("(", 100000) + "a" + strings.Repeat(")", 100000) + " FROM s"
	_, err := ParseSelect(src)
	if err == nil || !strings.Contains(err.Error(), "expression nested too deeply") {
		t.Errorf("deep nesting: %v", err)
	}
	src = "SELECT " + strings.Repeat("-", 100000) + "a FROM s"
	if _, err := ParseSelect(src); err == nil {
		t.Error("deep unary chain accepted")
	}
	ok := "SELECT " + strings.Repeat("(", 50) + "a" + strings.Repeat(")", 50) + " FROM s"
	if _, err := ParseSelect(ok); err != nil {
		t.Errorf("moderate nesting rejected: %v", err)
	}
}
