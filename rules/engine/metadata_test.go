package engine_test

import (
	"testing"

	"github.com/oort-rules/oort/rules/errs"
)

// TestRuleSchema: the output schema follows the select list, with declared
// column types, inferred expression types and {} where only data can tell.
func TestRuleSchema(t *testing.T) {
	f := newFixture(t)
	f.exec(t, `CREATE STREAM typed (temp FLOAT, id BIGINT, dev STRING) WITH (TYPE="edgex")`)
	f.exec(t, `CREATE STREAM raw () WITH (TYPE="edgex")`)
	f.rule(t, "r1", "SELECT *, temp > 20 AS hot, count(*) AS n FROM typed GROUP BY dev, temp, id, TUMBLINGWINDOW(ss, 5)", nil)
	f.rule(t, "r2", "SELECT a, a->b AS sub, concat(a, 'x') AS c FROM raw", nil)
	for id, want := range map[string]string{
		"r1": `{"temp":{"type":"float"},"id":{"type":"bigint"},"dev":{"type":"string"},"hot":{"type":"boolean"},"n":{"type":"bigint"}}`,
		"r2": `{"a":{},"sub":{},"c":{"type":"string"}}`,
	} {
		got, err := f.e.RuleSchema(id)
		if err != nil || string(got) != want {
			t.Errorf("schema %s = %s, %v\nwant %s", id, got, err, want)
		}
	}
	if _, err := f.e.RuleSchema("nosuch"); errs.Direct(err) != errs.NotFound {
		t.Errorf("schema of a missing rule: %v", err)
	}
	if list := f.e.FunctionList(); len(list) < 150 || list[0].Name > list[1].Name {
		t.Errorf("function list: %d entries, unsorted or short", len(list))
	}
}
