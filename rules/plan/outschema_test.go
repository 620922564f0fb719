package plan_test

import (
	"fmt"
	"testing"

	"github.com/oort-rules/oort/rules/plan"
)

// TestOutputSchema: names follow the select list, types come from declared
// columns, literals, operators, registered result types and cast targets;
// whatever depends on the data stays untyped.
func TestOutputSchema(t *testing.T) {
	demo := &plan.Source{Name: "demo", Fields: []plan.Column{{Name: "temp", Type: "float"}, {Name: "id", Type: "bigint"}, {Name: "dev", Type: "string"}}}
	cases := []struct {
		q    string
		want string
	}{
		{"SELECT temp, id AS n, dev FROM demo", "[{temp float} {n bigint} {dev string}]"},
		{"SELECT * EXCEPT(dev) REPLACE(cast(temp, 'string') AS temp) FROM demo", "[{temp string} {id bigint}]"},
		{"SELECT id + 1 AS a, id * temp AS b, temp > 20 AS hot, upper(dev) AS u, abs(id) AS x FROM demo",
			"[{a bigint} {b float} {hot boolean} {u string} {x }]"},
		{"SELECT count(*) AS c, avg(temp) AS m, demo.dev FROM demo GROUP BY dev, TUMBLINGWINDOW(ss, 10)",
			"[{c bigint} {m float} {dev string}]"},
		{"SELECT CASE WHEN temp > 1 THEN 'hi' ELSE 'lo' END AS lvl, dev->a AS sub FROM demo", "[{lvl string} {sub }]"},
	}
	for _, c := range cases {
		p := mustCompile(t, c.q, demo)
		if got := fmt.Sprint(p.OutputSchema(catalog, false)); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, got, c.want)
		}
	}
	// a star over a schemaless stream has no static columns
	p := mustCompile(t, "SELECT *, 1 AS one FROM raw")
	if got := fmt.Sprint(p.OutputSchema(catalog, false)); got != "[{one bigint}]" {
		t.Errorf("schemaless star: got %s", got)
	}
}
