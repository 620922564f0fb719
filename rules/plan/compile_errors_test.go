package plan_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oort-rules/oort/rules/plan"
	"github.com/oort-rules/oort/rules/sql"
)

// TestCompileErrorMessages checks single compile errors and their line:col
// positions (sql.md §0: messages carry a position).
func TestCompileErrorMessages(t *testing.T) {
	cases := []struct{ q, want string }{
		{"SELECT nofn(a) FROM demo", "1:8: function nofn not found"},
		{"SELECT abs(a, 2) FROM demo", "1:8: validate function abs error: expect 1 arguments but found 2"},
		{"SELECT a FROM demo GROUP BY a", "1:29: select stmt group by should be used with window"},
		{"SELECT a FROM demo\nWHERE nofn(a) > 1", "2:7: function nofn not found"},
		{"SELECT a,\n\tb + nofn(1) AS c FROM demo", "2:6: function nofn not found"},
		{"SELECT abs(*) FROM demo", "1:12: validate function abs error: * is not allowed"},
		{"SELECT abs(a) FILTER (WHERE a > 1) FROM demo", "1:8: FILTER and OVER are not allowed on function abs"},
		{"SELECT tumblingwindow(ss, 1) FROM demo", "1:8: window function tumblingwindow is only allowed in GROUP BY"},
		{"SELECT a FROM demo WHERE unnest(a) = 1", "1:26: function unnest is only allowed as a select item"},
		{"SELECT a FROM demo ORDER BY nofn(a)", "1:29: function nofn not found"},
		{"SELECT meta(1) FROM demo", "1:13: invalid argument for meta: expected a key, src.key or key->key"},
		{"SELECT mqtt(\"topic\") FROM demo", "1:13: invalid argument for mqtt: expected topic or messageid"},
		{"SELECT unnest(a, b) FROM demo", "1:8: validate function unnest error: expect 1 arguments but found 2"},
	}
	for _, c := range cases {
		if got := compileErr(c.q); got != c.want {
			t.Errorf("%q\n got %q\nwant %q", c.q, got, c.want)
		}
	}
}

// TestCompileErrorNotSupportedYet: constructs that cannot run are refused by
// name, never silently accepted.
func TestCompileErrorNotSupportedYet(t *testing.T) {
	cases := []struct{ q, frag string }{
		{"SELECT * FROM demo INNER JOIN other ON demo.a = other.a", "a time window or count window is required to join multiple streams"},
	}
	// Windows compile (the planner returns their definition); the engine
	// refuses to run them until the window runtime lands.
	if p, err := compileQ("SELECT a FROM demo GROUP BY TUMBLINGWINDOW(ss, 10)", plan.Options{}); err != nil || p.Window() == nil || p.Window().Name != "tumblingwindow" {
		t.Errorf("tumbling window: %v %v", p, err)
	}
	for _, c := range cases {
		if got := compileErr(c.q); !strings.Contains(got, c.frag) {
			t.Errorf("%q: error %q does not contain %q", c.q, got, c.frag)
		}
	}
	table := &plan.Source{Name: "t1", IsTable: true}
	if got := compileErr("SELECT * FROM t1", table); got != "1:15: a rule needs at least one stream: t1 is a table" {
		t.Errorf("table as FROM: %q", got)
	}
}

// TestCompileErrorListSorted: every error is collected, sorted by position,
// and the message reports the first one with the count of the others.
func TestCompileErrorListSorted(t *testing.T) {
	q := "SELECT nofn(a), abs(1, 2),\n  b FROM demo WHERE other(b) GROUP BY b"
	_, err := compileQ(q, plan.Options{})
	if err == nil {
		t.Fatal("want errors")
	}
	var list sql.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T is not a sql.ErrorList", err)
	}
	want := []string{
		"1:8: function nofn not found",
		"1:17: validate function abs error: expect 1 arguments but found 2",
		"2:21: function other not found",
		"2:39: select stmt group by should be used with window",
	}
	if len(list) != len(want) {
		t.Fatalf("got %d errors %v, want %d", len(list), list, len(want))
	}
	for i, e := range list {
		if e.Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, e.Error(), want[i])
		}
	}
	if got := err.Error(); got != "1:8: function nofn not found (and 3 more errors)" {
		t.Errorf("summary = %q", got)
	}
	_, err = compileQ("SELECT nofn(a), b FROM demo GROUP BY b", plan.Options{})
	if err == nil || err.Error() != "1:8: function nofn not found (and 1 more error)" {
		t.Errorf("two errors summary = %v", err)
	}
}

// TestFunctionLiteralValidation: literal argument types are validated at
// compile time (sql.md §6.9, §12.1) while column arguments are checked at run
// time.
func TestFunctionLiteralValidation(t *testing.T) {
	if got := compileErr(`SELECT cast(a, "nosuchtype") FROM demo`); !strings.Contains(got, "validate function cast error") {
		t.Errorf("cast to an unknown type: %q", got)
	}
	if got := compileErr(`SELECT cast(a, b) FROM demo`); got != "" {
		t.Logf("cast with a column type argument: %q", got)
	}
	if got := compileErr(`SELECT abs(a) FROM demo`); got != "" {
		t.Errorf("abs(column) must compile: %q", got)
	}
}
